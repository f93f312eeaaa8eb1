/**
 * The off-chain measurements, run by bench/run.ts in a process of their own without Hardhat: worker threads in a
 * process with Hardhat's EDR loaded crashed it (see WriteOptions.threads). Prints one line of JSON.
 */
import { measureBatch } from "./certificates";
import { measureKeccak } from "./keccak";
import { measureSnapshot } from "./land";

async function main() {
  const [documents, parcels, chainId, certificateRegistry, landRegistry] = process.argv.slice(2);
  const keccak = await measureKeccak();
  const batch = await measureBatch(Number(documents), { chainId: Number(chainId), registry: certificateRegistry });
  const snapshot = await measureSnapshot(Number(parcels), { chainId: Number(chainId), registry: landRegistry });
  console.log(JSON.stringify({ keccak, batch, snapshot }));
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
