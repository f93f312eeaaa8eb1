import type { Provider } from "ethers";
import { sleep } from "../io/time";
import type { ChainIndexer } from "./indexer";

/** What the follower knows now: for `/ready`, `/metrics` and the consistency header of every answer. */
export interface IndexStatus {
  /** The chain's head when last asked. */
  head?: number;
  /** The last block the index holds in full. */
  indexed?: number;
  /** That block's time, in Unix seconds: how old an answer from the index may be. */
  indexedTime?: number;
  /** How many times the index was rewound: with `indexed`, what a reader's memory of the index is keyed by. */
  rewinds?: number;
  /** Why the last step failed, while it keeps failing (the RPC endpoint down, say); cleared by the next success. */
  error?: string;
  /** When the follower last heard from the chain, in Unix milliseconds. */
  updatedAt?: number;
}

export interface FollowOptions {
  readonly signal: AbortSignal;
  /** Pause between looks at the head once caught up (default 1 s). */
  readonly pollMs?: number;
  /** Longest pause between retries after failures; they start at 1 s and double (default 30 s). */
  readonly maxBackoffMs?: number;
}

/**
 * Keeps the index at the chain's head until `signal` aborts. A failed step (the RPC endpoint unreachable, a database
 * hiccup) is retried with backoff and reported in `status`, never skipped: the next step starts where the last
 * whole one ended.
 */
export async function followChain(indexer: ChainIndexer, provider: Provider, status: IndexStatus, options: FollowOptions): Promise<void> {
  let backoff = 1_000;
  while (!options.signal.aborted) {
    try {
      const step = await indexer.step();
      const head = await provider.getBlockNumber();
      const moved = step.toBlock !== status.indexed || step.rewound > 0 || status.indexedTime === undefined;
      const indexedTime = moved ? (await provider.getBlock(step.toBlock))?.timestamp : status.indexedTime;
      // All at once: a reader never sees the new block with the old error, or the reverse.
      Object.assign(status, { indexed: step.toBlock, indexedTime, head, error: undefined, updatedAt: Date.now(), rewinds: (status.rewinds ?? 0) + (step.rewound > 0 ? 1 : 0) });
      backoff = 1_000;
      if (step.toBlock < step.fromBlock) await sleep(options.pollMs ?? 1_000, options.signal);
    } catch (error) {
      // A step may fail after taking blocks back (the chain was reset under the index): the status says what the
      // index holds now, never a block it gave up.
      const held = indexer.held;
      if (held !== undefined && status.indexed !== undefined && held !== status.indexed) Object.assign(status, { indexed: held, indexedTime: undefined, rewinds: (status.rewinds ?? 0) + 1 });
      status.error = error instanceof Error ? error.message : String(error);
      await sleep(backoff, options.signal);
      backoff = Math.min(backoff * 2, options.maxBackoffMs ?? 30_000);
    }
  }
}
