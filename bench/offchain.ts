/**
 * The off-chain measurements, run by bench/run.ts in a process of their own without Hardhat: worker threads in a
 * process with Hardhat's EDR loaded crashed it (see WriteOptions.threads). Prints one line of JSON.
 */
import { measureBatch } from "./certificates";
import { measureKeccak } from "./keccak";

async function main() {
  const [documents, chainId, registry] = process.argv.slice(2);
  const keccak = await measureKeccak();
  const batch = await measureBatch(Number(documents), { chainId: Number(chainId), registry });
  console.log(JSON.stringify({ keccak, batch }));
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
