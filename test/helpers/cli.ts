import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import hre from "hardhat";
import { serveStandIn } from "../../src/besu/stand-in";

const BIN = path.join(__dirname, "..", "..", "bin", "sakshya.js");

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** The tool's journal and locks for this test run, apart from a developer's own (~/.sakshya). */
const TEST_HOME = fs.mkdtempSync(path.join(os.tmpdir(), "sakshya-home-"));

/** The test's environment without the tool's own settings, so a developer's .env cannot change results. */
function cleanEnvironment(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const key of Object.keys(env)) if (key.startsWith("SAKSHYA_") || key.endsWith("_RPC_URL")) delete env[key];
  return { ...env, SAKSHYA_HOME: TEST_HOME };
}

/** Runs the real command-line tool in a child process, as a user would. */
export function runCli(args: string[], env: NodeJS.ProcessEnv = {}): Promise<CliResult> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [BIN, ...args],
      { env: { ...cleanEnvironment(), ...env }, timeout: 60_000 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === "number" ? error.code : 99) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

/** The in-process chain served over HTTP behind the Besu stand-in: every command a test runs meets Besu's rules. */
export function serveChain(): ReturnType<typeof serveStandIn> {
  return serveStandIn(hre);
}

/** Runs a command that must fail (or change nothing) and checks that no block was mined meanwhile. */
export async function expectNothingSent(result: Promise<CliResult>, exitCode: number, message: RegExp): Promise<CliResult> {
  const before = await hre.ethers.provider.getBlockNumber();
  const outcome = await result;
  if (outcome.code !== exitCode) throw new Error(`expected exit ${exitCode}, got ${outcome.code}: ${outcome.stderr}${outcome.stdout}`);
  if (!message.test(outcome.stderr)) throw new Error(`expected stderr to match ${message}, got: ${outcome.stderr}`);
  const after = await hre.ethers.provider.getBlockNumber();
  if (after !== before) throw new Error(`expected no transaction, but ${after - before} block(s) were mined`);
  return outcome;
}
