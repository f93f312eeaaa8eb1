import { concat, dataLength, getAddress, hexlify, toBeHex, zeroPadValue, type BytesLike } from "ethers";
import { erc7201Slot, runtimeCode, type GenesisAccount } from "./validator-contract";

/** Where the genesis puts Besu's permissioning contracts (the addresses Besu's documentation uses). */
export const NODE_PERMISSIONS_ADDRESS = "0x0000000000000000000000000000000000009999";
export const ACCOUNT_PERMISSIONS_ADDRESS = "0x0000000000000000000000000000000000008888";

/** Besu releases that still call permissioning contracts; 25.6 removed them (allow-lists remain). */
export const CONTRACT_PERMISSIONING_BESU = "24.12 to 25.5";

/**
 * The `alloc` entry of a permissioning contract: its runtime code and the one field its constructor writes, the
 * bootstrap account (first field of the struct in BesuPermissions.sol). The tests compare it with a deployed copy.
 */
export function permissionsContractAccount(contract: "NodePermissions" | "AccountPermissions", bootstrap: string): GenesisAccount {
  const slot = erc7201Slot("sakshya.storage.BesuPermissions");
  return {
    comment: `Besu ${contract === "NodePermissions" ? "node" : "account"} permissioning (${contract})`,
    balance: "0x0",
    code: runtimeCode(contract, `besu/${contract}.sol`),
    storage: { [toBeHex(slot, 32).slice(2)]: toBeHex(BigInt(getAddress(bootstrap)), 32).slice(2) },
  };
}

/** What Besu's account check is asked about a transaction. */
export interface AccountCheck {
  readonly sender: string;
  /** Absent for a contract creation, which Besu asks about as the zero address. */
  readonly target?: string | null;
  readonly value: bigint;
  readonly gasPrice: bigint;
  readonly gasLimit: bigint;
  readonly payload: BytesLike;
}

/**
 * The calldata of `transactionAllowed` as Besu's TransactionSmartContractPermissioningController builds it, byte for
 * byte: the selector, the six head words written by hand, then the payload padded with `32 - length % 32` zero bytes
 * (a whole extra word when the length is a multiple of 32, which a standard encoder would not add).
 */
export function accountCheckCalldata(tx: AccountCheck): string {
  const word = (value: bigint) => toBeHex(value, 32);
  const data = hexlify(tx.payload);
  const length = dataLength(data);
  return concat([
    "0x936421d5",
    zeroPadValue(tx.sender, 32),
    zeroPadValue(tx.target ?? "0x0000000000000000000000000000000000000000", 32),
    word(tx.value),
    word(tx.gasPrice),
    word(tx.gasLimit),
    word(192n),
    word(BigInt(length)),
    data,
    new Uint8Array(32 - (length % 32)),
  ]);
}
