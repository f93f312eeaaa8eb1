import { getAddress, toBeHex } from "ethers";
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
