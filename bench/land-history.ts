/**
 * Run by bench/run.ts as `hardhat run --network localhost` against a spawned `npx hardhat node`: gives one parcel a
 * hundred approved mutations, then times its chain of title over HTTP — through the library, and as a person runs
 * `sakshya land history` (a whole command, process start included). Prints its figures as one line of JSON.
 */
import { execFile } from "node:child_process";
import path from "node:path";
import hre from "hardhat";
import { id as textHash } from "ethers";
import { connect } from "../src/chain/provider";
import { DirectoryClient } from "../src/directory/client";
import { LandClient } from "../src/land/client";
import { titleHistory } from "../src/land/history";
import { ownerCommitment, ulpinBytes } from "../src/land/titles";
import { ILandRegistry__factory } from "../typechain-types";
import { onboardLandOffices } from "./land";
import { deployedSuiteForBench } from "./suite";

const MUTATIONS = Number(process.env.BENCH_HISTORY_MUTATIONS ?? 100);
const ULPIN = "WB170400000001";
const BIN = path.join(__dirname, "..", "bin", "sakshya.js");

function timedCommand(args: string[]): Promise<number> {
  const started = process.hrtime.bigint();
  return new Promise((resolve, reject) =>
    execFile(process.execPath, [BIN, ...args], (error, stdout) => {
      if (error || !stdout.includes("Chain of title")) reject(error ?? new Error(`land history printed no chain of title: ${stdout}`));
      else resolve(Number(process.hrtime.bigint() - started) / 1e6);
    }),
  );
}

async function main() {
  const { deployment, deploymentFile, directory } = await deployedSuiteForBench(hre);
  const keys = (await hre.ethers.getSigners()).slice(4, 9);
  await onboardLandOffices(directory, keys);
  const [survey, registrar, officer] = keys;
  const land = ILandRegistry__factory.connect(deployment.contracts.LandRegistry!.address, survey);
  const people = ["asha", "dev"].map((name) => [{ commitment: ownerCommitment(`ID-${name}`, textHash(name)), share: 10_000 }]);
  const record = { ulpin: ulpinBytes(ULPIN), area: 4_047, landUse: 1, district: 17, block: 4, village: 100_234, recordHash: textHash("RoR v1") };
  await (await land.registerParcel(record, people[0], [])).wait();
  for (let i = 0; i < MUTATIONS; i++) {
    const [from, to] = [people[i % 2], people[(i + 1) % 2]];
    const deed = textHash(`deed ${i}`);
    await (await land.connect(registrar).registerDeed(deed, record.ulpin, 0, from, to)).wait();
    await (await land.connect(officer).approveMutation(record.ulpin, deed, [], from, to, textHash(`RoR v${i + 2}`))).wait();
  }

  const url = (hre.network.config as { url: string }).url;
  const provider = await connect({ name: "localhost", rpcUrl: url }, deployment);
  const client = new LandClient(deployment, provider);
  const now = (await provider.getBlock("latest"))!.timestamp;
  const libraryRun = async () => {
    const started = process.hrtime.bigint();
    const history = await titleHistory(client, new DirectoryClient(deployment, provider), ULPIN, now);
    if (history.mutations.length !== MUTATIONS) throw new Error(`history found ${history.mutations.length} mutations, not ${MUTATIONS}`);
    return { ms: Number(process.hrtime.bigint() - started) / 1e6, entries: history.entries.length };
  };
  const first = await libraryRun();
  const second = await libraryRun();
  provider.destroy();
  const command = ["--rpc-url", url, "--deployments", deploymentFile, "land", "history", ULPIN];
  const commandMs = [await timedCommand(command), await timedCommand(command)];
  console.log(JSON.stringify({ mutations: MUTATIONS, entries: first.entries, libraryMs: [first.ms, second.ms], commandMs }));
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
