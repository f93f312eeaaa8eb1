import {
  Contract,
  Interface,
  Signature,
  TypedDataEncoder,
  ZeroAddress,
  concat,
  getAddress,
  getCreate2Address,
  keccak256,
  recoverAddress,
  solidityPackedKeccak256,
  toBeHex,
  zeroPadValue,
  type InterfaceAbi,
  type Provider,
  type TypedDataDomain,
} from "ethers";
import SafeArtifact from "@safe-global/safe-contracts/build/artifacts/contracts/Safe.sol/Safe.json";
import SafeProxyFactoryArtifact from "@safe-global/safe-contracts/build/artifacts/contracts/proxies/SafeProxyFactory.sol/SafeProxyFactory.json";
import SafeProxyArtifact from "@safe-global/safe-contracts/build/artifacts/contracts/proxies/SafeProxy.sol/SafeProxy.json";
import { InputError } from "../errors";

/**
 * Safe 1.4.1, the audited multisig the suite's committees are: its singleton and proxy factory exactly as Safe built
 * them (the npm package's artifacts, compiled by Safe with solc 0.7.6), and its transactions, built and signed here
 * with ethers as Safe's EIP-712 `SafeTx`.
 */
export const SAFE_VERSION = "1.4.1";

export interface ContractArtifact {
  readonly abi: InterfaceAbi;
  readonly bytecode: string;
}

export const SAFE_ARTIFACTS: Readonly<Record<"Safe" | "SafeProxyFactory", ContractArtifact>> = {
  Safe: SafeArtifact as ContractArtifact,
  SafeProxyFactory: SafeProxyFactoryArtifact as ContractArtifact,
};

/**
 * The runtime code hashes of Safe's own canonical 1.4.1 deployments (safe-deployments, `v1.4.1/safe.json` and
 * `safe_proxy_factory.json`, "canonical"): a deployed singleton or factory with another hash is not the audited code.
 */
export const CANONICAL_CODE_HASHES = {
  Safe: "0x1fe2df852ba3299d6534ef416eefa406e56ced995bca886ab7a553e6d0c5e1c4",
  SafeProxyFactory: "0x50c3cdc4074750a7a974204a716c999edd37482f907608d960b2b025ee0b3317",
} as const;

export const SAFE_INTERFACE = new Interface(SafeArtifact.abi as InterfaceAbi);
export const SAFE_PROXY_FACTORY_INTERFACE = new Interface(SafeProxyFactoryArtifact.abi as InterfaceAbi);

/** Safe's `Enum.Operation`: the suite's committees only ever call. */
export const CALL = 0 as const;

/** A Safe transaction, every number as a decimal string so that it survives JSON as it was signed. */
export interface SafeTransaction {
  readonly to: string;
  readonly value: string;
  readonly data: string;
  readonly operation: typeof CALL;
  readonly safeTxGas: string;
  readonly baseGas: string;
  readonly gasPrice: string;
  readonly gasToken: string;
  readonly refundReceiver: string;
  readonly nonce: string;
}

const SAFE_TX_TYPES = {
  SafeTx: [
    { name: "to", type: "address" },
    { name: "value", type: "uint256" },
    { name: "data", type: "bytes" },
    { name: "operation", type: "uint8" },
    { name: "safeTxGas", type: "uint256" },
    { name: "baseGas", type: "uint256" },
    { name: "gasPrice", type: "uint256" },
    { name: "gasToken", type: "address" },
    { name: "refundReceiver", type: "address" },
    { name: "nonce", type: "uint256" },
  ],
};

/** A call the Safe makes at `nonce`: no value, no refund — gas is free on the network, and nobody is paid back. */
export function safeCall(to: string, data: string, nonce: bigint | number): SafeTransaction {
  return {
    to: getAddress(to),
    value: "0",
    data,
    operation: CALL,
    safeTxGas: "0",
    baseGas: "0",
    gasPrice: "0",
    gasToken: ZeroAddress,
    refundReceiver: ZeroAddress,
    nonce: BigInt(nonce).toString(),
  };
}

function domainOf(chainId: number, safe: string): TypedDataDomain {
  return { chainId, verifyingContract: getAddress(safe) };
}

/** The hash the members sign (Safe's `getTransactionHash`), computed here without asking the chain. */
export function safeTransactionHash(chainId: number, safe: string, tx: SafeTransaction): string {
  return TypedDataEncoder.hash(domainOf(chainId, safe), SAFE_TX_TYPES, tx);
}

/** Anything that signs EIP-712 data: a wallet from a keystore, or a development account. */
export interface TypedDataSigner {
  getAddress(): Promise<string>;
  signTypedData(domain: TypedDataDomain, types: typeof SAFE_TX_TYPES, value: SafeTransaction): Promise<string>;
}

/** A member's signature of the transaction: 65 bytes, `v` 27 or 28, as the Safe checks an ECDSA signature. */
export function signSafeTransaction(signer: TypedDataSigner, chainId: number, safe: string, tx: SafeTransaction): Promise<string> {
  return signer.signTypedData(domainOf(chainId, safe), SAFE_TX_TYPES, tx);
}

/** Who signed `hash` with `signature`, or a sentence saying the signature is not one. */
export function signerOf(hash: string, signature: string): string {
  try {
    return getAddress(recoverAddress(hash, Signature.from(signature)));
  } catch {
    throw new InputError(`"${signature.slice(0, 20)}…" is not an Ethereum signature.`);
  }
}

/** The signatures as `execTransaction` takes them: concatenated in ascending order of their signers' addresses. */
export function packSignatures(signatures: ReadonlyMap<string, string>): string {
  const ordered = [...signatures].sort(([a], [b]) => (BigInt(a) < BigInt(b) ? -1 : 1));
  return concat(ordered.map(([, signature]) => Signature.from(signature).serialized));
}

export function execTransactionData(tx: SafeTransaction, signatures: string): string {
  return SAFE_INTERFACE.encodeFunctionData("execTransaction", [
    tx.to,
    tx.value,
    tx.data,
    tx.operation,
    tx.safeTxGas,
    tx.baseGas,
    tx.gasPrice,
    tx.gasToken,
    tx.refundReceiver,
    signatures,
  ]);
}

/** A Safe as the suite reads it: members, threshold, the next nonce and its enabled modules. */
export interface SafeState {
  readonly address: string;
  readonly members: string[];
  readonly threshold: number;
  readonly nonce: bigint;
  readonly modules: string[];
}

const SENTINEL = "0x0000000000000000000000000000000000000001";

/** Reads a Safe; undefined when the address holds no Safe (no code, or code that does not answer as a Safe does). */
export async function readSafe(provider: Provider, address: string): Promise<SafeState | undefined> {
  if ((await provider.getCode(address)) === "0x") return undefined;
  const safe = new Contract(address, SAFE_INTERFACE, provider);
  try {
    const [members, threshold, nonce, [modules]] = await Promise.all([safe.getOwners(), safe.getThreshold(), safe.nonce(), safe.getModulesPaginated(SENTINEL, 16)]);
    return { address: getAddress(address), members: [...members].map(String), threshold: Number(threshold), nonce: BigInt(nonce), modules: [...modules].map(String) };
  } catch {
    return undefined;
  }
}

/**
 * The initializer a committee's Safe is created with: its members and threshold, and `modules` enabled through
 * `moduleSetup` (delegatecalled by `setup`; see contracts/committee/SafeModuleSetup.sol). No fallback handler, no
 * payment.
 */
export function setupData(members: readonly string[], threshold: number, moduleSetup: string, enableModulesData: string): string {
  return SAFE_INTERFACE.encodeFunctionData("setup", [members, threshold, moduleSetup, enableModulesData, ZeroAddress, ZeroAddress, 0, ZeroAddress]);
}

/** The address `createProxyWithNonce(singleton, initializer, saltNonce)` of `factory` creates (CREATE2). */
export function predictSafeAddress(factory: string, singleton: string, initializer: string, saltNonce: bigint): string {
  const salt = solidityPackedKeccak256(["bytes32", "uint256"], [keccak256(initializer), saltNonce]);
  const initCode = concat([SafeProxyArtifact.bytecode, zeroPadValue(toBeHex(BigInt(singleton)), 32)]);
  return getCreate2Address(factory, salt, keccak256(initCode));
}
