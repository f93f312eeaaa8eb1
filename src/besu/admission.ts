import type { Transaction } from "ethers";
import { TX_GAS_CAP } from "../config/chain";
import { BESU_RPC_ERRORS, type BesuRpcError } from "./rpc-errors";

/**
 * What a Besu free-gas node's pool checks of a signed transaction by itself, before any state: its type (legacy, or
 * an access list at a gas price), replay protection for this chain, a gas price of 0 and the per-transaction gas cap.
 * The Besu stand-in and the service's transaction relay both ask this, so neither lets through what Besu would not.
 */
export function poolRefusal(tx: Transaction, chainId: bigint): BesuRpcError | undefined {
  if (tx.type !== 0 && tx.type !== 1) return BESU_RPC_ERRORS.INVALID_TRANSACTION_TYPE;
  if (tx.chainId === 0n) return BESU_RPC_ERRORS.REPLAY_PROTECTED_SIGNATURE_REQUIRED;
  if (tx.chainId !== chainId) return BESU_RPC_ERRORS.WRONG_CHAIN_ID;
  if (tx.gasPrice !== 0n) return BESU_RPC_ERRORS.TRANSACTION_UPFRONT_COST_EXCEEDS_BALANCE;
  if (tx.gasLimit > TX_GAS_CAP) return BESU_RPC_ERRORS.EXCEEDS_TRANSACTION_GAS_LIMIT;
  return undefined;
}
