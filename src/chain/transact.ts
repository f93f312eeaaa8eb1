import type { Signer, TransactionReceipt, TransactionRequest } from "ethers";
import { ChainError, SakshyaError } from "../errors";
import { DEFAULT_DEADLINES } from "./deadlines";
import { decodeRevert } from "./revert";

/** A signer that sends through its own journal and deadlines (the command line's {@link KeySender}). */
export interface Transactor {
  sendAndWait(request: TransactionRequest): Promise<TransactionReceipt>;
}

function isTransactor(signer: Signer): signer is Signer & Transactor {
  return typeof (signer as Partial<Transactor>).sendAndWait === "function";
}

/**
 * Sends a transaction and waits for its receipt. Gas is estimated first, so a call the contract would refuse is
 * stopped before anything is sent, and its custom error is decoded into a plain sentence. A signer of the command
 * line sends through its key's journal; any other (a deployment task's) still waits no longer than the deadline.
 */
export async function sendAndWait(signer: Signer, request: TransactionRequest): Promise<TransactionReceipt> {
  if (isTransactor(signer)) return signer.sendAndWait(request);
  try {
    const response = await signer.sendTransaction(request);
    const receipt = await response.wait(1, DEFAULT_DEADLINES.inclusionMs);
    if (!receipt) throw new ChainError(`Transaction ${response.hash} was dropped before it was mined.`);
    return receipt;
  } catch (error) {
    throw asSakshyaError(error);
  }
}

/** How nodes answer a transaction they already hold (Besu "Known transaction", Geth "already known"). */
export const ALREADY_KNOWN = /^(known transaction|already known)/i;

/** The message of a JSON-RPC error response, wherever ethers put it. */
export function rpcMessage(error: unknown): string {
  const e = error as { error?: { message?: unknown }; info?: { error?: { message?: unknown } } };
  return String(e?.error?.message ?? e?.info?.error?.message ?? "");
}

const NODE_VERDICTS = new Set(["CALL_EXCEPTION", "NONCE_EXPIRED", "INSUFFICIENT_FUNDS", "REPLACEMENT_UNDERPRICED", "TRANSACTION_REPLACED"]);

/** The node answered, and its answer was no (a JSON-RPC error response or a revert). */
export function isNodeRefusal(error: unknown): boolean {
  const e = error as { code?: unknown; error?: { code?: unknown }; info?: { error?: { code?: unknown } } };
  return typeof e?.error?.code === "number" || typeof e?.info?.error?.code === "number" || NODE_VERDICTS.has(String(e?.code));
}

/** How ethers and Node name no answer at all, or an answer that is not JSON-RPC. */
const TRANSPORT_CODES = new Set(["TIMEOUT", "SERVER_ERROR", "NETWORK_ERROR", "ECONNREFUSED", "ECONNRESET", "EPIPE", "ENOTFOUND", "EAI_AGAIN", "BAD_DATA", "UNSUPPORTED_OPERATION"]);

/** No answer at all, or one that is not JSON-RPC: what the node did is unknown. */
export function isTransportFailure(error: unknown): boolean {
  return TRANSPORT_CODES.has(String((error as { code?: unknown })?.code));
}

/** An answer that is not JSON-RPC: asking the same endpoint again will not help. */
export function isGarbage(error: unknown): boolean {
  const code = (error as { code?: unknown })?.code;
  return code === "BAD_DATA" || code === "UNSUPPORTED_OPERATION";
}

/** A Sakshya service's refusal of a JSON-RPC request (a key not valid, a scope missing, a limit reached): its sentence. */
export function serviceRefusal(error: unknown): string | undefined {
  const body = (error as { info?: { responseBody?: unknown } })?.info?.responseBody;
  if (typeof body !== "string") return undefined;
  try {
    const answer = JSON.parse(body) as { error?: unknown };
    return typeof answer.error === "string" ? answer.error : undefined;
  } catch {
    return undefined;
  }
}

export function describeTransportFailure(error: unknown): string {
  const refused = serviceRefusal(error);
  if (refused) return `the Sakshya service refused: ${refused}`;
  if (isGarbage(error)) return "the RPC endpoint's answer was not JSON-RPC";
  const code = (error as { code?: unknown })?.code;
  if (code === "TIMEOUT") return "the RPC endpoint did not answer in time";
  if (code === "SERVER_ERROR") return "the RPC endpoint answered with an HTTP error";
  return "the RPC endpoint stopped answering";
}

/** Maps anything a chain call throws to a typed error: a decoded revert, or a could-not-run chain error. */
export function asSakshyaError(error: unknown): SakshyaError {
  if (error instanceof SakshyaError) return error;
  const revert = decodeRevert(error);
  if (revert) return revert;
  const code = (error as { code?: unknown })?.code;
  if (code === "NONCE_EXPIRED" || code === "REPLACEMENT_UNDERPRICED") {
    return new ChainError("The node refused the transaction's nonce: another transaction of this key was sent meanwhile, from another machine or tool; nothing was sent — run the command again.");
  }
  if (isTransportFailure(error)) {
    return new ChainError(`${capitalised(describeTransportFailure(error))}; nothing more was sent.`);
  }
  const message = rpcMessage(error) || (error instanceof Error ? error.message.split("\n")[0] : String(error));
  // An ethers dump can hold the whole signed transaction: keep the sentence, never the bytes.
  return new ChainError(`The chain rejected the request: ${message.replace(/0x[0-9a-fA-F]{130,}/g, "[signed data]")}`);
}

const capitalised = (text: string) => text[0].toUpperCase() + text.slice(1);

