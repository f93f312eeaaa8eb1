import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import hre from "hardhat";
import { Wallet } from "ethers";
import { SNAPSHOT_FILE, measureGas } from "./gas";
import { deployedSuiteForBench } from "./suite";

const RESULTS_FILE = path.join(__dirname, "results.md");

async function rate(count: number, run: (i: number) => Promise<unknown>): Promise<number> {
  const start = process.hrtime.bigint();
  for (let i = 0; i < count; i++) await run(i);
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  return count / seconds;
}

async function main() {
  const gas = await measureGas(hre);
  fs.writeFileSync(SNAPSHOT_FILE, `${JSON.stringify(gas, null, 2)}\n`);

  const { directory, key } = await deployedSuiteForBench(hre);
  const accounts = Array.from({ length: 300 }, () => Wallet.createRandom().address);
  const addRate = await rate(accounts.length, async (i) => (await directory.addAccount(1, accounts[i])).wait());
  const checkRate = await rate(2_000, () => directory.isAuthorized(key, 1, 0));

  const cpu = os.cpus()[0]?.model ?? "unknown CPU";
  const lines = [
    "# Benchmark results",
    "",
    `Machine: ${cpu}, ${os.cpus().length} cores, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}, ${os.platform()} ${os.release()}.`,
    `Chain: in-process Hardhat network (EVM ${hre.config.solidity.compilers[0].settings.evmVersion}, automine, gas price 0). Measured ${new Date().toISOString()}.`,
    "",
    "## Gas per operation",
    "",
    "| operation | gas |",
    "| --- | ---: |",
    ...Object.entries(gas).map(([op, value]) => `| ${op} | ${value.toLocaleString("en-US")} |`),
    "",
    "The two \"directory check\" rows are what a registry pays inside its own transaction for the cold call to",
    "`authorizedOrganisation` (measured with `gasleft()` around the call, proxy delegation included).",
    "",
    "## Throughput",
    "",
    "| operation | per second |",
    "| --- | ---: |",
    `| addAccount transactions, each mined and its receipt read | ${addRate.toFixed(0)} |`,
    `| isAuthorized calls (eth_call) | ${checkRate.toFixed(0)} |`,
    "",
  ];
  fs.writeFileSync(RESULTS_FILE, lines.join("\n"));
  console.log(lines.join("\n"));
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
