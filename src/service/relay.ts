import { Transaction, type Provider, type TransactionReceipt } from "ethers";
import { poolRefusal } from "../besu/admission";
import { BESU_RPC_ERRORS, type BesuRpcError } from "../besu/rpc-errors";
import { decodeRevert } from "../chain/revert";
import { isTransportFailure, rpcMessage } from "../chain/transact";
import type { Deployment } from "../config/deployments";
import type { OrganisationDetail } from "../directory/client";
import type { Database } from "../index/database";
import type { IndexStatus } from "../index/follow";
import type { IndexReader } from "../index/reader";
import { sleep } from "../io/time";
import { ServiceError } from "./errors";

/** What the relay says of each refusal Besu's pool would give, in a sentence a department's developer can act on. */
const POOL_SENTENCES = new Map<BesuRpcError, (tx: Transaction, chainId: bigint) => string>([
  [BESU_RPC_ERRORS.INVALID_TRANSACTION_TYPE, (tx) => `The transaction is of type ${tx.type}; this network takes legacy transactions (type 0) at gas price 0.`],
  [BESU_RPC_ERRORS.REPLAY_PROTECTED_SIGNATURE_REQUIRED, (_, id) => `The transaction is signed without a chain id; sign it for chain ${id} (EIP-155).`],
  [BESU_RPC_ERRORS.WRONG_CHAIN_ID, (tx, id) => `The transaction is signed for chain ${tx.chainId}, not this network's chain ${id}.`],
  [BESU_RPC_ERRORS.TRANSACTION_UPFRONT_COST_EXCEEDS_BALANCE, (tx) => `The transaction offers a gas price of ${tx.gasPrice} wei; this network's gas is free: sign it at gas price 0.`],
  [BESU_RPC_ERRORS.EXCEEDS_TRANSACTION_GAS_LIMIT, (tx) => `The transaction asks for ${tx.gasLimit} gas, over this network's cap per transaction.`],
]);

/** A signed transaction the relay accepted to forward: the transaction, who signed it, and for whom. */
export interface Admitted {
  readonly tx: Transaction;
  readonly sender: string;
  /** The sender's organisation, or its governance role when it acts for governance. */
  readonly actingFor: { readonly organisation: string; readonly orgId: number } | { readonly role: string };
}

/**
 * The relay's checks of a raw transaction, before it is forwarded: it must be a signed transaction Besu's pool would
 * take (see {@link poolRefusal}), addressed to one of the deployment's contracts, and signed by an active key of an
 * active organisation in the directory or by a holder of a governance role. The service signs nothing; a refusal is
 * a ServiceError with one sentence, and nothing is sent.
 */
export async function admitTransaction(raw: unknown, deployment: Deployment, reader: IndexReader): Promise<Admitted> {
  let tx: Transaction;
  try {
    if (typeof raw !== "string" || !/^0x[0-9a-fA-F]+$/.test(raw)) throw new Error("not hex");
    tx = Transaction.from(raw);
  } catch {
    throw new ServiceError(400, "This is not a signed transaction: send the signed transaction's bytes as 0x-prefixed hex.");
  }
  if (!tx.signature || !tx.from) throw new ServiceError(400, "The transaction is not signed; the relay forwards only transactions signed by their sender.");
  const chainId = BigInt(deployment.chainId);
  const refused = poolRefusal(tx, chainId);
  if (refused) throw new ServiceError(400, POOL_SENTENCES.get(refused)!(tx, chainId));
  const contracts = new Set(Object.values(deployment.contracts).flatMap((c) => (c ? [c.address.toLowerCase()] : [])));
  if (tx.to === null) throw new ServiceError(400, "The relay does not deploy contracts; it forwards calls to the deployment's contracts only.");
  if (!contracts.has(tx.to.toLowerCase())) throw new ServiceError(400, `${tx.to} is not one of this deployment's contracts; the relay forwards calls to them only.`);
  const sender = tx.from;
  const actingFor = await whoActs(sender, reader);
  if (!actingFor) {
    throw new ServiceError(403, `${sender} is neither an active key of an active organisation in the directory nor a governance role holder; the relay forwards only their transactions.`);
  }
  return { tx, sender, actingFor };
}

async function whoActs(sender: string, reader: IndexReader): Promise<Admitted["actingFor"] | undefined> {
  const address = sender.toLowerCase();
  const organisations = await reader.records<OrganisationDetail>("organisation");
  for (const org of organisations) {
    const account = org.accounts.find((a) => a.address.toLowerCase() === address);
    // A key reported compromised is refused outright: what it signs after its cut-off would not count anyway.
    if (account) return account.active && account.compromisedAt === 0 && org.status === "active" ? { organisation: org.code, orgId: org.id } : undefined;
  }
  const { roles } = await reader.governance();
  const role = roles.find((r) => r.members.some((m) => m.account.toLowerCase() === address));
  return role ? { role: role.label } : undefined;
}

/**
 * Forwards an admitted transaction to the node and records it for its key. The node's own refusal (a nonce used
 * already, a full pool) is a 409 with the node's words; a node that does not answer, a 503.
 */
export async function forwardTransaction(db: Database, provider: Provider & { send(method: string, params: unknown[]): Promise<unknown> }, admitted: Admitted, raw: string, keyId: string): Promise<string> {
  let hash: string;
  try {
    hash = String(await provider.send("eth_sendRawTransaction", [raw]));
  } catch (error) {
    // A node's answer (over JSON-RPC, or from an in-process one), unless the node was not reached at all.
    const message = rpcMessage(error) || (isTransportFailure(error) ? "" : String((error as Error)?.message ?? ""));
    // A development node mines a reverting transaction and then answers with an error naming it; Besu just mines it.
    const mined = minedHash(error);
    if (mined) hash = mined;
    else if (message && !/^(known transaction|already known)/i.test(message)) throw new ServiceError(409, `The node refused the transaction: ${message}.`);
    else if (!message) throw new ServiceError(503, "The node did not take the transaction: it could not be reached. Nothing is known to be sent; send it again.", 5);
    else hash = admitted.tx.hash!;
  }
  await db.execute(
    "INSERT INTO relayed_transactions (hash, key_id, sender, target, nonce, submitted_at, state) VALUES ($1, $2, $3, $4, $5, $6, 'pending') ON CONFLICT (hash) DO NOTHING",
    [hash.toLowerCase(), keyId, admitted.sender, admitted.tx.to!, admitted.tx.nonce, new Date().toISOString()],
  );
  return hash;
}

/** The hash a node names in an error about a transaction it mined (Hardhat's answer to a reverting one). */
function minedHash(error: unknown, depth = 0): string | undefined {
  if (depth > 5 || error === null || typeof error !== "object") return undefined;
  const record = error as Record<string, unknown>;
  for (const name of ["txHash", "transactionHash"]) {
    const value = record[name];
    if (typeof value === "string" && /^0x[0-9a-f]{64}$/i.test(value)) return value;
  }
  for (const key of ["data", "error", "info", "cause"]) {
    const found = minedHash(record[key], depth + 1);
    if (found) return found;
  }
  return undefined;
}

export interface RelayedState {
  readonly hash: string;
  readonly state: "pending" | "mined" | "reverted";
  readonly blockNumber?: number;
  /** Its position in its block. */
  readonly transactionIndex?: number;
  readonly gasUsed?: string;
  /** For a reverted transaction: the contract's refusal, in the sentence the command line gives. */
  readonly reason?: string;
}

/**
 * What became of a transaction: pending while the node has no receipt; mined; or reverted, with the contract's
 * refusal found by calling it again on the state before its block and decoded as the command line does (a block
 * holding earlier transactions of the same contracts may leave the replay a different answer; it is said so then).
 */
export async function transactionState(provider: Provider, hash: string): Promise<RelayedState | undefined> {
  const receipt = await provider.getTransactionReceipt(hash);
  if (!receipt) return (await provider.getTransaction(hash)) ? { hash, state: "pending" } : undefined;
  const mined = { hash, blockNumber: receipt.blockNumber, transactionIndex: receipt.index, gasUsed: receipt.gasUsed.toString() };
  if (receipt.status === 1) return { ...mined, state: "mined" };
  return { ...mined, state: "reverted", reason: await revertReason(provider, receipt) };
}

async function revertReason(provider: Provider, receipt: TransactionReceipt): Promise<string> {
  const tx = await provider.getTransaction(receipt.hash);
  if (!tx) return "The transaction reverted; the node no longer holds it to say why.";
  try {
    await provider.call({ from: tx.from, to: tx.to, data: tx.data, value: tx.value, gasLimit: tx.gasLimit, blockTag: receipt.blockNumber - 1 });
  } catch (error) {
    const revert = decodeRevert(error);
    if (revert) return revert.message;
  }
  return "The transaction reverted (out of gas, or refused on the state its block had reached; called again, it would not fail).";
}

/**
 * Follows the relayed transactions still pending: once the index holds the block that mined one, the event feed
 * (and every webhook subscribed to it) gets a `TransactionMined` event at that block — after the block's own logs —
 * naming the transaction, its sender and whether it reverted, with the reason. Runs until `signal` aborts.
 */
export async function trackRelayed(db: Database, provider: Provider, status: IndexStatus, options: { signal: AbortSignal; pollMs?: number }): Promise<void> {
  while (!options.signal.aborted) {
    try {
      await trackOnce(db, provider, status);
    } catch {
      // The node or the database not answering now: the pending transactions are asked about again next time.
    }
    await sleep(options.pollMs ?? 1_000, options.signal);
  }
}

/** How long a relayed transaction the node no longer knows stays pending before it is taken as dropped. */
export const DROPPED_AFTER_MS = 10 * 60_000;

/** Where a relayed transaction's event sits in its block: after every log a block can hold. */
const RELAY_EVENT_BASE = 1_000_000;

export async function trackOnce(db: Database, provider: Provider, status: IndexStatus): Promise<number> {
  const pending = await db.query<{ hash: string; sender: string; target: string; submitted_at: string }>(
    "SELECT hash, sender, target, submitted_at FROM relayed_transactions WHERE state = 'pending' ORDER BY submitted_at LIMIT 100",
  );
  let settled = 0;
  for (const row of pending) {
    const state = await transactionState(provider, row.hash);
    // A transaction the node has forgotten (dropped from its pool) is given up on after a while: left pending, a
    // hundred of them would keep every newer one from being followed.
    if (!state && Date.now() - Date.parse(row.submitted_at) > DROPPED_AFTER_MS) {
      await db.execute("UPDATE relayed_transactions SET state = 'dropped' WHERE hash = $1 AND state = 'pending'", [row.hash]);
      continue;
    }
    if (!state || state.state === "pending" || status.indexed === undefined || state.blockNumber! > status.indexed) continue;
    await db.transaction(async (tx) => {
      await tx.execute("UPDATE relayed_transactions SET state = $1, block_number = $2, reason = $3 WHERE hash = $4", [state.state, state.blockNumber!, state.reason ?? null, row.hash]);
      const args = { hash: row.hash, sender: row.sender, status: state.state, ...(state.reason ? { reason: state.reason } : {}) };
      await tx.execute(
        "INSERT INTO chain_events (block_number, log_index, transaction_hash, contract, address, event, args, topics, data, subject) VALUES ($1, $2, $3, 'Relay', $4, 'TransactionMined', $5, '[]', '0x', NULL) ON CONFLICT (block_number, log_index) DO NOTHING",
        [state.blockNumber!, RELAY_EVENT_BASE + state.transactionIndex!, row.hash, row.target, JSON.stringify(args)],
      );
    });
    settled += 1;
  }
  return settled;
}
