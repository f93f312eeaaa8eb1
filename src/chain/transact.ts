import type { Signer, TransactionReceipt, TransactionRequest } from "ethers";
import { ChainError, SakshyaError } from "../errors";
import { decodeRevert } from "./revert";

/**
 * Sends a transaction and waits for its receipt. Gas is estimated first, so a call the contract would refuse is
 * stopped before anything is sent, and its custom error is decoded into a plain sentence.
 */
export async function sendAndWait(signer: Signer, request: TransactionRequest): Promise<TransactionReceipt> {
  try {
    const response = await signer.sendTransaction(request);
    const receipt = await response.wait();
    if (!receipt) throw new ChainError(`Transaction ${response.hash} was dropped before it was mined.`);
    return receipt;
  } catch (error) {
    throw asSakshyaError(error);
  }
}

/** Maps anything a chain call throws to a typed error: a decoded revert, or a could-not-run chain error. */
export function asSakshyaError(error: unknown): SakshyaError {
  if (error instanceof SakshyaError) return error;
  const revert = decodeRevert(error);
  if (revert) return revert;
  const code = (error as { code?: unknown })?.code;
  if (code === "ECONNREFUSED" || code === "NETWORK_ERROR" || code === "TIMEOUT" || code === "SERVER_ERROR") {
    return new ChainError("The RPC endpoint stopped answering; nothing more was sent.");
  }
  const message = error instanceof Error ? error.message.split("\n")[0] : String(error);
  return new ChainError(`The chain rejected the request: ${message}`);
}
