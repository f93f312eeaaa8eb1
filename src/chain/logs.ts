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
export async function getLogsInRange(provider: Provider, filter: Filter, fromBlock: number, toBlock: number): Promise<Log[]> {
  const head = toBlock;
  const logs: Log[] = [];
  let window = head - fromBlock + 1;
  for (let start = fromBlock; start <= head; ) {
    const end = Math.min(head, start + window - 1);
    try {
      logs.push(...(await provider.getLogs({ ...filter, fromBlock: start, toBlock: end })));
      start = end + 1;
    } catch (error) {
      if (window <= SMALLEST_WINDOW) throw asSakshyaError(error);
      window = Math.ceil(window / 2);
    }
  }
  return logs;
}
