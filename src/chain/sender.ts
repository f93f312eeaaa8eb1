import fs from "node:fs";
import path from "node:path";
import { keccak256, type JsonRpcProvider, type TransactionReceipt, type TransactionRequest, type Wallet } from "ethers";
import { z } from "zod";
import { ChainError, SakshyaError } from "../errors";
import { acquireLock, writeDurably } from "../io/durable";
import { LegacyWallet } from "./legacy-wallet";
import type { Deadlines } from "./deadlines";
import { ALREADY_KNOWN, asSakshyaError, describeTransportFailure, isGarbage, isNodeRefusal, isTransportFailure, rpcMessage, type Transactor } from "./transact";

/**
 * A transaction was handed to the node but whether it was mined cannot be told yet. Exit code 2, like every "could
 * not run"; the hash lets the user look it up, and running the same command again settles it (see {@link KeySender}).
 */
export class OutcomeUnknownError extends SakshyaError {
  override readonly name = "OutcomeUnknownError";
  constructor(
    readonly transactionHash: string,
    why: string,
  ) {
    super(`Transaction ${transactionHash} was sent; outcome unknown (${why}); run the same command again to confirm.`);
  }
}

const journalEntry = z.object({ hash: z.string(), nonce: z.number().int().nonnegative(), raw: z.string(), sentAt: z.string() });
type JournalEntry = z.infer<typeof journalEntry>;
const journalFile = z.object({ format: z.literal("sakshya-sent/1"), from: z.string(), chainId: z.number(), unconfirmed: z.array(journalEntry) });

/** Notices for the person running the command (an earlier transaction confirmed, re-sent, waited for). */
export type Notify = (message: string) => void;

const POLL_FIRST_MS = 100;
const POLL_MAX_MS = 1_000;
/** How often a wait asks whether the node still holds the transaction, and hands it the same bytes again if not. */
const REBROADCAST_EVERY_MS = 5_000;

/**
 * Sends one key's transactions from this machine so that none is ever sent twice and no wait lasts forever.
 *
 * - One run at a time per key and chain: a lock (in SAKSHYA_HOME) is taken before anything is signed and held
 *   until the run ends, so concurrent commands queue instead of clashing on nonces.
 * - Every signed transaction is written to the key's journal, on disk, before it is handed to the node, and
 *   crossed off once its receipt is seen. A transaction whose outcome a run could not learn stays there.
 * - When the next run opens the key it settles the journal before anything else: a transaction mined meanwhile is
 *   reported, one the node still holds is waited for, and one the node lost (restarted) is handed over again as
 *   the very same bytes — its nonce makes it count at most once. Only then do commands read the chain and decide,
 *   so "already on chain" reflects what the first run did and nothing is sent a second time to revert.
 * - Every wait has a deadline; past it the run ends with {@link OutcomeUnknownError}.
 */
export class KeySender {
  private constructor(
    private readonly wallet: Wallet,
    private readonly provider: JsonRpcProvider,
    private readonly deadlines: Deadlines,
    private readonly journalPath: string,
    private readonly chainId: number,
    private unconfirmed: JournalEntry[],
    private readonly notify: Notify,
    readonly release: () => Promise<void>,
  ) {}

  static async open(wallet: Wallet, provider: JsonRpcProvider, chainId: number, options: { home: string; deadlines: Deadlines; notify: Notify }): Promise<KeySender> {
    const release = await lockKey(options.home, chainId, wallet.address, options.deadlines.inclusionMs);
    const journal = `${keyFiles(options.home, chainId, wallet.address)}.json`;
    try {
      const sender = new KeySender(wallet, provider, options.deadlines, journal, chainId, readJournal(journal, wallet.address, chainId), options.notify, release);
      await sender.settle();
      return sender;
    } catch (error) {
      await release();
      throw error;
    }
  }

  /** Signs `request`, records it, hands it to the node and waits for its receipt. */
  async send(request: TransactionRequest): Promise<TransactionReceipt> {
    let entry: JournalEntry;
    try {
      const populated = await this.wallet.populateTransaction(request);
      const raw = await this.wallet.signTransaction(populated);
      entry = { hash: keccak256(raw), nonce: Number(populated.nonce), raw, sentAt: new Date().toISOString() };
    } catch (error) {
      throw asSakshyaError(error);
    }
    return this.sendSigned(entry);
  }

  private async sendSigned(entry: JournalEntry): Promise<TransactionReceipt> {
    this.unconfirmed.push(entry);
    this.save();
    try {
      await this.provider.send("eth_sendRawTransaction", [entry.raw]);
    } catch (error) {
      if (isNodeRefusal(error) && !ALREADY_KNOWN.test(rpcMessage(error))) {
        this.forget(entry);
        throw asSakshyaError(error);
      }
      if (!isNodeRefusal(error)) throw new OutcomeUnknownError(entry.hash, describeTransportFailure(error));
    }
    return this.awaitReceipt(entry);
  }

  /**
   * Waits for `entry`'s receipt until the deadline, handing the node the same bytes again if it lost them. An endpoint
   * that stops answering is said at once, and given up on once it has not answered for one request deadline
   * (`--timeout`): a node that is gone will not mine, so waiting the whole inclusion deadline would only be silence.
   */
  private async awaitReceipt(entry: JournalEntry): Promise<TransactionReceipt> {
    const started = Date.now();
    const deadline = started + this.deadlines.inclusionMs;
    let pause = POLL_FIRST_MS;
    let lastCheck = started;
    let lastFailure = "the node has not mined it yet";
    let told = false;
    let unreachableSince: number | undefined;
    for (;;) {
      const asked = Date.now();
      try {
        const receipt = await this.provider.getTransactionReceipt(entry.hash);
        if (receipt) return this.settled(entry, receipt);
        if (Date.now() - lastCheck >= REBROADCAST_EVERY_MS) {
          lastCheck = Date.now();
          await this.rebroadcastIfLost(entry);
        }
        lastFailure = "the node has not mined it yet";
        unreachableSince = undefined;
      } catch (error) {
        if (error instanceof SakshyaError) throw error;
        if (!isTransportFailure(error) || isGarbage(error)) throw new OutcomeUnknownError(entry.hash, describeTransportFailure(error));
        lastFailure = describeTransportFailure(error);
        if (unreachableSince === undefined) {
          unreachableSince = asked;
          this.notify(`waiting for transaction ${entry.hash}: ${lastFailure}; giving up if it does not answer within ${Math.round(this.deadlines.requestMs / 1000)} s`);
          told = true;
        }
        if (Date.now() - unreachableSince >= this.deadlines.requestMs) {
          throw new OutcomeUnknownError(entry.hash, `${lastFailure} for ${Math.round((Date.now() - unreachableSince) / 1000)} s`);
        }
      }
      if (Date.now() + pause > deadline) throw new OutcomeUnknownError(entry.hash, `${lastFailure} after ${Math.round(this.deadlines.inclusionMs / 1000)} s`);
      if (!told && Date.now() - started > 3_000) {
        this.notify(`waiting for transaction ${entry.hash} to be mined…`);
        told = true;
      }
      await new Promise((resolve) => setTimeout(resolve, pause));
      pause = Math.min(pause * 2, POLL_MAX_MS);
    }
  }

  /**
   * Crosses a mined transaction off. One that failed (something mined just before it changed what it found) is
   * replayed on the state its block left, which gives the contract's reason in most such races.
   */
  private async settled(entry: JournalEntry, receipt: TransactionReceipt): Promise<TransactionReceipt> {
    this.forget(entry);
    if (receipt.status === 1) return receipt;
    const failed = `Transaction ${entry.hash} was mined in block ${receipt.blockNumber} but failed, so it changed nothing`;
    const tx = await this.provider.getTransaction(entry.hash).catch(() => null);
    const reason = tx ? await this.provider.call({ from: tx.from, to: tx.to, data: tx.data, blockTag: receipt.blockNumber }).then(() => undefined, (error: unknown) => asSakshyaError(error).message) : undefined;
    throw new ChainError(reason ? `${failed}. Replayed after that block: ${reason}` : `${failed}.`);
  }

  private async rebroadcastIfLost(entry: JournalEntry): Promise<void> {
    const held = await this.provider.send("eth_getTransactionByHash", [entry.hash]);
    if (held) return;
    const next = await this.provider.getTransactionCount(this.wallet.address, "latest");
    if (entry.nonce < next) return; // mined, or its nonce taken: the receipt (or its absence) settles it
    this.notify(`the node no longer holds transaction ${entry.hash}; handing it the same signed bytes again`);
    await this.provider.send("eth_sendRawTransaction", [entry.raw]).catch((error: unknown) => {
      if (!ALREADY_KNOWN.test(rpcMessage(error)) && isNodeRefusal(error)) throw asSakshyaError(error);
    });
  }

  /**
   * Brings the journal up to date with the chain before a run reads or sends: what earlier runs left unconfirmed is
   * found mined, waited for, handed over again, or found overtaken (its nonce used by another transaction). Then
   * any transaction of this key the node holds that this machine did not record (another machine, another tool)
   * is waited for too, so the command's reading of the chain includes it.
   */
  private async settle(): Promise<void> {
    try {
      for (const entry of [...this.unconfirmed].sort((a, b) => a.nonce - b.nonce)) await this.settleEarlier(entry);
    } catch (error) {
      throw asSakshyaError(error);
    }
    await this.awaitForeignPending();
  }

  private async settleEarlier(entry: JournalEntry): Promise<void> {
    const earlier = `transaction ${entry.hash} from an earlier run`;
    const receipt = await this.provider.getTransactionReceipt(entry.hash);
    if (receipt) {
      this.forget(entry);
      return this.notify(`${earlier} was mined in block ${receipt.blockNumber}`);
    }
    if (entry.nonce < (await this.provider.getTransactionCount(this.wallet.address, "latest"))) {
      this.forget(entry);
      return this.notify(`${earlier} was never mined: another transaction of this key took its nonce ${entry.nonce}`);
    }
    this.notify(`${earlier} is not mined yet; waiting for it`);
    await this.rebroadcastIfLost(entry);
    try {
      this.notify(`${earlier} was mined in block ${(await this.awaitReceipt(entry)).blockNumber}`);
    } catch (error) {
      // Failed on chain: it changed nothing, and the command decides afresh. An unknown outcome still stops the run.
      if (error instanceof OutcomeUnknownError || !(error instanceof SakshyaError)) throw error;
      this.notify(error.message);
    }
  }

  private async awaitForeignPending(): Promise<void> {
    const deadline = Date.now() + this.deadlines.inclusionMs;
    for (;;) {
      const [latest, pending] = await Promise.all([
        this.provider.getTransactionCount(this.wallet.address, "latest"),
        this.provider.getTransactionCount(this.wallet.address, "pending"),
      ]).catch((error: unknown) => {
        throw asSakshyaError(error);
      });
      if (pending <= latest) return;
      if (Date.now() > deadline) {
        throw new ChainError(
          `Key ${this.wallet.address} has ${pending - latest} transaction(s) waiting in the node's pool that this machine did not send, still unmined after ${this.deadlines.inclusionMs / 1000} s; nothing was sent.`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, POLL_MAX_MS));
    }
  }

  private forget(entry: JournalEntry): void {
    this.unconfirmed = this.unconfirmed.filter((e) => e.hash !== entry.hash);
    this.save();
  }

  private save(): void {
    writeDurably(this.journalPath, `${JSON.stringify({ format: "sakshya-sent/1", from: this.wallet.address, chainId: this.chainId, unconfirmed: this.unconfirmed }, null, 1)}\n`, 0o600);
  }
}

/** Where a key's journal and lock live: one pair per chain and key. */
function keyFiles(home: string, chainId: number | bigint, address: string): string {
  return path.join(home, "keys", `${chainId}-${address.toLowerCase()}`);
}

/**
 * Takes the lock that lets one run at a time on this machine send with `address` on chain `chainId` — the command
 * line's {@link KeySender} and the pipeline alike — waiting up to `waitMs` for another holder.
 */
export function lockKey(home: string, chainId: number | bigint, address: string, waitMs: number): Promise<() => Promise<void>> {
  return acquireLock(
    `${keyFiles(home, chainId, address)}.lock`,
    waitMs,
    `Another run on this machine is sending with key ${address}; it still was after ${waitMs / 1000} s — try again when it has finished.`,
  );
}

function readJournal(file: string, from: string, chainId: number): JournalEntry[] {
  if (!fs.existsSync(file)) return [];
  try {
    const parsed = journalFile.parse(JSON.parse(fs.readFileSync(file, "utf8")));
    return parsed.from.toLowerCase() === from.toLowerCase() && parsed.chainId === chainId ? parsed.unconfirmed : [];
  } catch {
    throw new ChainError(`The journal of sent transactions ${file} is damaged; move it aside to go on (it lists transactions whose outcome was not yet seen).`);
  }
}

/** The command line's signer: a Besu-ready wallet whose every send goes through its key's {@link KeySender}. */
export class JournaledWallet extends LegacyWallet implements Transactor {
  private sender?: KeySender;

  static async open(privateKey: string, provider: JsonRpcProvider, chainId: number, options: { home: string; deadlines: Deadlines; notify: Notify }): Promise<JournaledWallet> {
    const wallet = new JournaledWallet(privateKey, provider);
    wallet.sender = await KeySender.open(wallet, provider, chainId, options);
    return wallet;
  }

  sendAndWait(request: TransactionRequest): Promise<TransactionReceipt> {
    if (!this.sender) throw new ChainError("This wallet was not opened for sending.");
    return this.sender.send(request);
  }

  /** Lets the next run use the key. */
  async close(): Promise<void> {
    await this.sender?.release();
  }
}
