import fs from "node:fs";
import path from "node:path";
import { AbiCoder, getAddress, keccak256, toBeHex, toUtf8Bytes } from "ethers";
import { InputError } from "../errors";
import { packagePath } from "../io/package-root";

/** Where the genesis puts the validator-selection contract (Besu's documentation uses the same address). */
export const VALIDATOR_CONTRACT_ADDRESS = "0x0000000000000000000000000000000000007777";

/** An account of the genesis `alloc`: code and storage as Besu reads them (storage keys and values, 32-byte hex). */
export interface GenesisAccount {
  readonly comment?: string;
  readonly balance: string;
  readonly code?: string;
  readonly storage?: Record<string, string>;
}

const coder = AbiCoder.defaultAbiCoder();
/** A 32-byte storage key or value as Besu's genesis documentation writes them: 64 hex digits, no prefix. */
const word = (value: bigint) => toBeHex(value, 32).slice(2);

/** The ERC-7201 slot of a namespace: keccak256(abi.encode(uint256(keccak256(id)) - 1)) & ~0xff. */
export function erc7201Slot(namespace: string): bigint {
  const inner = BigInt(keccak256(toUtf8Bytes(namespace))) - 1n;
  return BigInt(keccak256(coder.encode(["uint256"], [inner]))) & ~0xffn;
}

/** The compiled contract's runtime code, from Hardhat's artifacts (built by `npm ci`). */
export function runtimeCode(contract: string, source: string): string {
  const file = packagePath("artifacts", "contracts", source, `${contract}.json`);
  let artifact: { deployedBytecode: string; deployedLinkReferences: object };
  try {
    artifact = JSON.parse(fs.readFileSync(file, "utf8")) as typeof artifact;
  } catch {
    throw new InputError(`The compiled ${contract} is missing (${file}); run "npx hardhat compile".`);
  }
  const debug = JSON.parse(fs.readFileSync(file.replace(/\.json$/, ".dbg.json"), "utf8")) as { buildInfo: string };
  const build = JSON.parse(fs.readFileSync(path.resolve(path.dirname(file), debug.buildInfo), "utf8")) as {
    output: { contracts: Record<string, Record<string, { evm: { deployedBytecode: { immutableReferences?: object } } }>> };
  };
  const immutables = build.output.contracts[`contracts/${source}`]?.[contract]?.evm.deployedBytecode.immutableReferences ?? {};
  // Pre-deployed code never runs its constructor: an immutable would be left zero in it.
  if (Object.keys(immutables).length > 0 || Object.keys(artifact.deployedLinkReferences).length > 0) {
    throw new InputError(`${contract} has immutables or libraries to link and cannot be pre-deployed as compiled.`);
  }
  return artifact.deployedBytecode;
}

/** The fewest validators pruning may leave by default: a BFT network of 4 tolerates one fault. */
export function defaultMinimumValidators(validators: number): number {
  return Math.min(4, validators);
}

/**
 * The `alloc` entry of the validator-selection contract: its runtime code, and the storage its constructor would
 * have written for these validators, this bootstrap account and this minimum (see the layout in ValidatorSet.sol).
 * The tests compare it slot for slot with a copy deployed by transaction.
 */
export function validatorContractAccount(validators: readonly string[], bootstrap: string, minimum: number): GenesisAccount {
  const base = erc7201Slot("sakshya.storage.ValidatorSet");
  const storage: Record<string, string> = {};
  const set = (slot: bigint, value: bigint) => {
    if (value !== 0n) storage[word(slot)] = word(value);
  };
  set(base, BigInt(validators.length));
  const elements = BigInt(keccak256(toBeHex(base, 32)));
  validators.forEach((v, i) => {
    set(elements + BigInt(i), BigInt(getAddress(v)));
    set(BigInt(keccak256(coder.encode(["address", "uint256"], [v, base + 1n]))), BigInt(i + 1));
  });
  set(base + 2n, BigInt(getAddress(bootstrap)));
  set(base + 4n, BigInt(minimum));
  return { comment: "QBFT validator selection (ValidatorSet)", balance: "0x0", code: runtimeCode("ValidatorSet", "besu/ValidatorSet.sol"), storage };
}
