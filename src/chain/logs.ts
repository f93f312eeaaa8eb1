import type { Filter, Log, Provider } from "ethers";
import { asSakshyaError } from "./transact";

/** Below this many blocks a failing query is a real failure, not a range the node refuses to scan. */
const SMALLEST_WINDOW = 64;

/**
 * Every log matching `filter` from `fromBlock` to the chain head. One query when the node allows it (Hardhat, or Besu
 * with `--rpc-max-logs-range=0` as our generated configuration sets); a node that caps the range (Besu's default)
 * refuses, and the window is halved until it answers, then walked to the head.
 */
export async function getLogsFrom(provider: Provider, filter: Filter, fromBlock: number): Promise<Log[]> {
  return getLogsInRange(provider, filter, fromBlock, await provider.getBlockNumber());
}

/** Every log matching `filter` from `fromBlock` to `toBlock`, in as few queries as the node allows (see above). */
export function getLogsInRange(provider: Provider, filter: Filter, fromBlock: number, toBlock: number): Promise<Log[]> {
  return inWindows(fromBlock, toBlock, (start, end) => provider.getLogs({ ...filter, fromBlock: start, toBlock: end }));
}

/** A log as the node gave it, without the objects ethers builds around each one. */
export interface RawLog {
  readonly address: string;
  readonly topics: readonly string[];
  readonly data: string;
  readonly blockNumber: number;
  readonly blockHash: string;
  readonly transactionHash: string;
  readonly index: number;
}

interface RpcLog {
  address: string;
  topics: string[];
  data: string;
  blockNumber: string;
  blockHash: string;
  transactionHash: string;
  logIndex: string;
}

/**
 * {@link getLogsInRange} for a reader of many logs (the index): asked with `eth_getLogs` directly where the provider
 * speaks JSON-RPC, since building ethers' log objects (a checksummed address each) costs more than reading them.
 */
export function getRawLogsInRange(provider: Provider, filter: { address: string[] }, fromBlock: number, toBlock: number): Promise<RawLog[]> {
  const send = (provider as Provider & { send?: (method: string, params: unknown[]) => Promise<unknown> }).send?.bind(provider);
  if (!send) return getLogsInRange(provider, filter, fromBlock, toBlock);
  const hex = (n: number) => `0x${n.toString(16)}`;
  return inWindows(fromBlock, toBlock, async (start, end) => {
    const logs = (await send("eth_getLogs", [{ address: filter.address, fromBlock: hex(start), toBlock: hex(end) }])) as RpcLog[];
    return logs.map((log) => ({ ...log, blockNumber: Number(log.blockNumber), index: Number(log.logIndex) }));
  });
}

/** Runs `query` over windows covering `fromBlock` to `toBlock`, halving the window while the node refuses it. */
async function inWindows<T>(fromBlock: number, toBlock: number, query: (start: number, end: number) => Promise<T[]>): Promise<T[]> {
  const found: T[] = [];
  let window = toBlock - fromBlock + 1;
  for (let start = fromBlock; start <= toBlock; ) {
    const end = Math.min(toBlock, start + window - 1);
    try {
      for (const item of await query(start, end)) found.push(item);
      start = end + 1;
    } catch (error) {
      if (window <= SMALLEST_WINDOW) throw asSakshyaError(error);
      window = Math.ceil(window / 2);
    }
  }
  return found;
}
