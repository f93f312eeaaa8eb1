import fs from "node:fs";
import { JsonRpcProvider, keccak256, toUtf8Bytes, type TransactionReceipt, type Wallet } from "ethers";
import { sakshyaHome } from "../config/home";
import { ChainError, InputError } from "../errors";
import { appendDurably, writeDurably } from "../io/durable";
import { DEFAULT_DEADLINES } from "./deadlines";
import { signTransaction } from "./secp256k1";
import { lockKey } from "./sender";
import { ALREADY_KNOWN, asSakshyaError, rpcMessage } from "./transact";

/** What the pipeline needs of a provider: ethers' JSON-RPC provider, or Hardhat's in a deployment task. */
export type PipelineProvider = Pick<JsonRpcProvider, "getNetwork" | "getTransactionCount" | "getTransactionReceipt" | "estimateGas" | "send">;

/** One transaction of a job: where to, what, and (for transactions that depend on earlier ones) its gas. */
export interface PipelineItem {
  readonly to?: string | null;
  readonly data?: string;
  readonly value?: bigint;
  readonly gasLimit?: bigint;
}

export interface PipelineOptions {
  /** Most transactions sent and not yet mined; Besu keeps at most 200 future nonces per sender. */
  readonly window?: number;
  /** Write-ahead journal: every signed transaction is recorded here before it is sent, so a rerun resumes. */
  readonly journal?: string;
  readonly pollMs?: number;
  readonly onProgress?: (confirmed: number, total: number) => void;
  /** Stops waiting (an interrupted run): what was sent stays in the journal for the rerun. */
  readonly signal?: AbortSignal;
  /** Longest wait with transactions in flight and none mined; then the run stops, resumable. */
  readonly stallMs?: number;
}

export interface PipelineResult {
  /** One receipt per item, in item order. */
  readonly receipts: TransactionReceipt[];
  /** Items found already mined from an earlier, interrupted run. */
  readonly resumed: number;
  /** Transactions sent by this run (rebroadcasts of journaled ones included). */
  readonly sent: number;
}

interface JournalEntry {
  readonly index: number;
  readonly nonce: number;
  readonly hash: string;
  readonly raw: string;
}

interface JournalHeader {
  readonly job: string;
  readonly from: string;
  readonly chainId: string;
  /** The account's next nonce when the job began: every later nonce the chain shows must be in the journal. */
  readonly firstNonce?: number;
  /** The chain's head when the job began: its transactions are in the blocks after it, for a journal to be re-derived. */
  readonly firstBlock?: number;
}

/** What identifies a job, so a journal is never replayed against different work. */
function jobDigest(items: readonly PipelineItem[]): string {
  return keccak256(toUtf8Bytes(JSON.stringify(items.map((i) => [i.to ?? null, i.data ?? "0x", String(i.value ?? 0n)]))));
}

/** Starts a journal with its header, or reads the header and entries of one that belongs to this job. */
function openJournal(file: string, header: JournalHeader): { found: JournalHeader; entries: JournalEntry[] } {
  if (!fs.existsSync(file)) {
    writeDurably(file, `${JSON.stringify(header)}\n`, 0o600);
    return { found: header, entries: [] };
  }
  const lines = fs.readFileSync(file, "utf8").split("\n").filter(Boolean);
  let found: JournalHeader;
  try {
    found = JSON.parse(lines[0] ?? "null") as JournalHeader;
  } catch {
    throw new InputError(`The journal ${file} is not a transaction journal.`);
  }
  if (found?.job !== header.job || found.from !== header.from || found.chainId !== header.chainId) {
    throw new InputError(`The journal ${file} belongs to a different job, account or chain; use a new journal file.`);
  }
  // A line cut short by an interruption was never followed by its broadcast, so it is safe to drop.
  const entries = lines.slice(1).flatMap((line) => {
    try {
      return [JSON.parse(line) as JournalEntry];
    } catch {
      return [];
    }
  });
  return { found, entries };
}

/**
 * Waits until none of `from`'s transactions waits in the node's pool any more (its pending nonce is its mined one), up
 * to `deadlineMs`. Work computed from the chain's state while some of the account's transactions were still pending
 * would send again what they do (an interrupted deployment's wiring, found not done yet and sent a second time);
 * once they are mined, or the node has dropped them, the state says exactly what is missing. Nothing is sent.
 */
export async function awaitSettledAccount(provider: Pick<PipelineProvider, "getTransactionCount">, from: string, deadlineMs = DEFAULT_DEADLINES.inclusionMs, pollMs = 250): Promise<void> {
  const deadline = Date.now() + deadlineMs;
  for (;;) {
    const [mined, pending] = await Promise.all([provider.getTransactionCount(from, "latest"), provider.getTransactionCount(from, "pending")]);
    if (pending <= mined) return;
    if (Date.now() >= deadline) {
      const which = pending - mined === 1 ? `1 transaction (nonce ${mined})` : `${pending - mined} transactions (nonces ${mined} to ${pending - 1})`;
      throw new ChainError(
        `${which} of ${from} still wait in the node's pool after ${Math.round(deadlineMs / 1000)} s; nothing was sent, so that nothing is sent twice: run again once they are mined (or the node has dropped them).`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
}

/**
 * The nonces the chain shows for the account beyond what the journal records — its tail was lost (a crash before it
 * reached the disk, a restored copy), or the key was used elsewhere — or undefined when the journal covers them.
 */
function journalGap(header: JournalHeader, entries: readonly JournalEntry[], chainNext: number): { from: number; to: number } | undefined {
  if (header.firstNonce === undefined) return undefined;
  const journalNext = Math.max(header.firstNonce, ...entries.map((e) => e.nonce + 1));
  return chainNext > journalNext ? { from: journalNext, to: chainNext } : undefined;
}

function refuseUncovered(file: string, header: JournalHeader, gap: { from: number; to: number }, why = ""): never {
  const recorded = gap.from === header.firstNonce ? "none of them" : `them only up to nonce ${gap.from - 1}`;
  throw new ChainError(
    `The chain shows ${header.from}'s transactions up to nonce ${gap.to - 1}, but the journal ${file} records ${recorded} (since nonce ${header.firstNonce}); resuming could send the unrecorded ones twice, so nothing was sent. Check what was mined, then start a new journal for what is missing.${why}`,
  );
}

interface ChainTransaction {
  readonly hash: string;
  readonly from: string;
  readonly to: string | null;
  readonly input: string;
  readonly value: string;
  readonly nonce: string;
}

/**
 * Re-derives the journal entries a crash lost: the account's transactions at the nonces the journal lacks are read
 * from the blocks since the job began, and each is matched, by what it calls, to the first item of the job not yet
 * accounted for. Only the account's own pool must have drained first (it is waited for), so that every nonce sent is
 * in a block. Anything that matches no item (the key used elsewhere meanwhile) refuses the resumption, as before.
 */
async function rederive(
  provider: PipelineProvider,
  file: string,
  header: JournalHeader,
  items: readonly PipelineItem[],
  entries: readonly JournalEntry[],
  stallMs: number | undefined,
): Promise<JournalEntry[]> {
  const from = header.from;
  await awaitSettledAccount(provider, from, stallMs);
  const gap = journalGap(header, entries, await provider.getTransactionCount(from, "latest"));
  if (!gap) return [];
  if (header.firstBlock === undefined) refuseUncovered(file, header, gap, " (This journal predates the record of its first block, so what was sent cannot be re-derived.)");
  const head = Number(await provider.send("eth_blockNumber", []));
  const found = new Map<number, ChainTransaction>();
  for (let block = header.firstBlock; block <= head && found.size < gap.to - gap.from; block++) {
    const { transactions } = (await provider.send("eth_getBlockByNumber", [`0x${block.toString(16)}`, true])) as { transactions: ChainTransaction[] };
    for (const tx of transactions) {
      const nonce = Number(tx.nonce);
      if (tx.from.toLowerCase() === from.toLowerCase() && nonce >= gap.from && nonce < gap.to) found.set(nonce, tx);
    }
  }
  const accounted = new Set(entries.map((e) => e.index));
  const recovered: JournalEntry[] = [];
  for (let nonce = gap.from; nonce < gap.to; nonce++) {
    const tx = found.get(nonce);
    const index = tx === undefined ? -1 : items.findIndex((item, i) => !accounted.has(i) && sameCall(item, tx));
    if (index < 0) refuseUncovered(file, header, gap, ` (The transaction at nonce ${nonce} is ${tx ? "not one of this job's" : "in no block since the job began"}.)`);
    accounted.add(index);
    recovered.push({ index, nonce, hash: tx!.hash, raw: "" });
  }
  appendDurably(file, recovered.map((e) => `${JSON.stringify(e)}\n`).join(""));
  return recovered;
}

function sameCall(item: PipelineItem, tx: ChainTransaction): boolean {
  return (item.to ?? null)?.toLowerCase() === tx.to?.toLowerCase() && (item.data ?? "0x").toLowerCase() === tx.input.toLowerCase() && BigInt(item.value ?? 0n) === BigInt(tx.value);
}

/**
 * Sends many independent transactions from one account the way a Besu pool takes them: signed locally with
 * consecutive nonces, sent in order in JSON-RPC batches with at most `window` awaiting a block, and each receipt
 * fetched once the account's confirmed nonce has passed it. With a journal, every signed transaction is written
 * down before it is sent; a rerun after an interruption collects what was mined, rebroadcasts what the pool
 * lost (the very same bytes, so nothing is ever sent twice) and signs only what was never sent.
 */
export async function submitPipelined(wallet: Wallet, provider: PipelineProvider, items: readonly PipelineItem[], options: PipelineOptions = {}): Promise<PipelineResult> {
  const window = options.window ?? 100;
  if (!Number.isInteger(window) || window < 1 || window > 200) throw new InputError(`The window must be 1 to 200 transactions, not ${window}.`);
  const from = wallet.address;
  const chainId = (await provider.getNetwork()).chainId;
  const release = await lockKey(sakshyaHome(), chainId, from, options.stallMs ?? DEFAULT_DEADLINES.inclusionMs);
  try {
    return await pipeline(wallet, provider, items, options, window, chainId);
  } finally {
    await release();
  }
}

async function pipeline(wallet: Wallet, provider: PipelineProvider, items: readonly PipelineItem[], options: PipelineOptions, window: number, chainId: bigint): Promise<PipelineResult> {
  const from = wallet.address;
  let confirmedNonce = await provider.getTransactionCount(from, "latest");
  const header: JournalHeader = { job: jobDigest(items), from, chainId: String(chainId), firstNonce: confirmedNonce, firstBlock: Number(await provider.send("eth_blockNumber", [])) };
  let journaled: JournalEntry[] = [];
  // Without a journal the account's own pool transactions are unknown here: wait for them, then sign after them.
  if (!options.journal) {
    await awaitSettledAccount(provider, from, options.stallMs);
    confirmedNonce = await provider.getTransactionCount(from, "latest");
  }
  if (options.journal) {
    const opened = openJournal(options.journal, header);
    journaled = opened.entries;
    // The chain holds more of the account's transactions than the journal: its tail was lost in a crash. What was
    // sent is read back from the chain, so that only what is missing is signed.
    if (journalGap(opened.found, journaled, await provider.getTransactionCount(from, "pending"))) {
      journaled = [...journaled, ...(await rederive(provider, options.journal, opened.found, items, journaled, options.stallMs))];
      confirmedNonce = await provider.getTransactionCount(from, "latest");
    }
  }
  // Each window's entries reach the disk before any of them is handed to the node.
  const record = (entries: JournalEntry[]) => {
    if (options.journal && entries.length > 0) appendDurably(options.journal, entries.map((e) => `${JSON.stringify(e)}\n`).join(""));
  };

  const receipts: Array<TransactionReceipt | undefined> = new Array(items.length);
  const inFlight: JournalEntry[] = [];
  const rebroadcast: JournalEntry[] = [];
  const unsent = new Set(items.keys());
  let resumed = 0;
  let confirmed = 0;
  if (journaled.length > 0) {
    const found = await Promise.all(journaled.map((e) => provider.getTransactionReceipt(e.hash)));
    journaled.forEach((entry, i) => {
      if (found[i]) {
        receipts[entry.index] = found[i]!;
        resumed++;
        confirmed++;
        unsent.delete(entry.index);
      } else if (entry.nonce >= confirmedNonce) {
        rebroadcast.push(entry);
        unsent.delete(entry.index);
      }
      // Otherwise another transaction took its nonce: the item is signed afresh below.
    });
    rebroadcast.sort((a, b) => a.nonce - b.nonce);
  }
  let nextNonce = Math.max(confirmedNonce, ...rebroadcast.map((e) => e.nonce + 1));
  const queue = [...unsent];
  let sent = 0;

  // To a JSON-RPC endpoint (Besu, or the stand-in) a window goes as one batch, which a Besu pool takes in any order.
  // Through any other provider (Hardhat's in-process one, in a deployment task) one at a time in nonce order: a
  // chain that mines on arrival refuses a nonce ahead of its next one.
  const batched = provider instanceof JsonRpcProvider;
  const broadcast = async (entries: JournalEntry[]) => {
    const send = (entry: JournalEntry) =>
      provider.send("eth_sendRawTransaction", [entry.raw]).catch((error: unknown) => {
        if (!ALREADY_KNOWN.test(rpcMessage(error))) {
          throw new ChainError(`The node refused transaction ${entry.index + 1} of ${items.length} (nonce ${entry.nonce}): ${asSakshyaError(error).message}`);
        }
      });
    if (batched) await Promise.all(entries.map(send));
    else for (const entry of entries) await send(entry);
    inFlight.push(...entries);
    sent += entries.length;
  };

  const sign = async (count: number): Promise<JournalEntry[]> => {
    const indexes = queue.splice(0, count);
    const gas = await Promise.all(
      indexes.map((i) => items[i].gasLimit ?? provider.estimateGas({ from, to: items[i].to, data: items[i].data, value: items[i].value }).catch((e) => {
        throw asSakshyaError(e);
      })),
    );
    const entries = indexes.map((index, k) => {
      const nonce = nextNonce + k;
      const raw = signTransaction(wallet.signingKey.privateKey, { ...items[index], type: 0, gasPrice: 0n, gasLimit: gas[k], nonce, chainId });
      return { index, nonce, hash: keccak256(raw), raw };
    });
    nextNonce += entries.length;
    return entries;
  };

  try {
    // What the pool lost was in flight before, within the window then; it goes out first, as it was signed.
    if (rebroadcast.length > 0) await broadcast(rebroadcast);
    while (queue.length > 0 || inFlight.length > 0) {
      const room = Math.min(queue.length, window - (nextNonce - confirmedNonce));
      if (room > 0) {
        const entries = await sign(room);
        record(entries);
        await broadcast(entries);
      }
      await settle(queue.length > 0 ? window - 1 : 0);
    }
  } catch (error) {
    throw asSakshyaError(error);
  }

  /** Waits until at most `leave` transactions await a block, collecting the receipts of the mined ones. */
  async function settle(leave: number): Promise<void> {
    const stallMs = options.stallMs ?? DEFAULT_DEADLINES.inclusionMs;
    let lastProgress = Date.now();
    for (;;) {
      confirmedNonce = await provider.getTransactionCount(from, "latest");
      const mined = inFlight.filter((e) => e.nonce < confirmedNonce);
      if (mined.length > 0) {
        const found = await Promise.all(mined.map((e) => provider.getTransactionReceipt(e.hash)));
        mined.forEach((entry, k) => {
          if (!found[k]) throw new ChainError(`Nonce ${entry.nonce} of ${from} was used by another transaction while transaction ${entry.index + 1} waited; run again to resend it.`);
          receipts[entry.index] = found[k]!;
          confirmed++;
        });
        const done = new Set(mined);
        inFlight.splice(0, inFlight.length, ...inFlight.filter((e) => !done.has(e)));
        options.onProgress?.(confirmed, items.length);
        lastProgress = Date.now();
      }
      if (inFlight.length <= leave) return;
      if (Date.now() - lastProgress > stallMs) {
        const next = options.journal ? "run again with the same journal to resume" : "they may still be mined";
        throw new ChainError(`${inFlight.length} transaction(s) were sent and none was mined in ${stallMs / 1000} s; ${next}.`);
      }
      if (options.signal?.aborted) throw new ChainError(`Interrupted with ${inFlight.length} transaction(s) sent and not yet mined; run again to resume.`);
      await new Promise((resolve) => setTimeout(resolve, options.pollMs ?? 50));
    }
  }

  return { receipts: receipts as TransactionReceipt[], resumed, sent };
}
