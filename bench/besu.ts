import { JsonRpcProvider, Network, Wallet } from "ethers";
import { BesuProxy } from "../src/besu/proxy";
import { submitPipelined, type PipelineItem } from "../src/chain/pipeline";
import { sendAndWait } from "../src/chain/transact";
import { LegacyWallet } from "../src/chain/legacy-wallet";
import { LOCAL_CHAIN_ID } from "../src/config/chain";
import { devWallet } from "../src/keys/signer";

export interface BesuFigures {
  transactions: number;
  window: number;
  pipelinedPerSecond: number[];
  sequential: number;
  sequentialPerSecond: number;
}

const PIPELINED = 3_000;
const SEQUENTIAL = 200;

/**
 * Run by `hardhat run` against a `hardhat node` (bench/node.ts): signed transactions from one account through the
 * Besu stand-in proxy, every receipt confirmed, pipelined and, for comparison, one at a time.
 */
async function main() {
  const proxy = await BesuProxy.start({ upstream: process.env.LOCALHOST_RPC_URL! });
  const provider = new JsonRpcProvider(proxy.url, LOCAL_CHAIN_ID, { staticNetwork: Network.from(LOCAL_CHAIN_ID), pollingInterval: 20, cacheTimeout: -1, batchStallTime: 0 });
  const wallet = new LegacyWallet(devWallet(7).privateKey, provider);
  const transfers = (count: number): PipelineItem[] => Array.from({ length: count }, (_, i) => ({ to: Wallet.createRandom().address, value: BigInt(i + 1), gasLimit: 21_000n }));
  const pipelinedPerSecond: number[] = [];
  for (let run = 0; run < 3; run++) {
    const items = transfers(PIPELINED);
    const start = process.hrtime.bigint();
    const { receipts } = await submitPipelined(wallet, provider, items, { window: 200, pollMs: 10 });
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    if (receipts.length !== PIPELINED || receipts.some((r) => r.status !== 1)) throw new Error("a transaction of the bench failed");
    pipelinedPerSecond.push(PIPELINED / seconds);
  }
  const one = transfers(SEQUENTIAL);
  const start = process.hrtime.bigint();
  for (const item of one) await sendAndWait(wallet, item);
  const sequentialPerSecond = SEQUENTIAL / (Number(process.hrtime.bigint() - start) / 1e9);
  provider.destroy();
  await proxy.close();
  const figures: BesuFigures = { transactions: PIPELINED, window: 200, pipelinedPerSecond, sequential: SEQUENTIAL, sequentialPerSecond };
  console.log(JSON.stringify(figures));
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
