import { keccak256, toUtf8Bytes } from "ethers";
import { InputError } from "../errors";
import type { Keccak } from "../hashing/keccak";
import { MAX_OWNERS, type ParcelRecord } from "./titles";

/**
 * The ABI encodings behind a snapshot leaf, written into reused buffers and hashed with the WebAssembly keccak:
 * a million parcels would otherwise be millions of allocations. Each matches its ethers/Solidity counterpart, which
 * the tests check.
 */

const OWNER_DOMAIN = Buffer.from(keccak256(toUtf8Bytes("sakshya.land.owner.v1")).slice(2), "hex");
/** Longest identity reference, in UTF-8 bytes. */
const MAX_IDENTITY_BYTES = 256;
const commitmentInput = Buffer.alloc(128 + MAX_IDENTITY_BYTES);
const ownersInput = Buffer.alloc(64 + 64 * MAX_OWNERS);

/** `ownerCommitment` of titles.ts, for an identity already normalised: `keccak256(abi.encode(DOMAIN, identity, salt))`. */
export function commit(identity: string, salt: Uint8Array, keccak: Keccak): Uint8Array {
  commitmentInput.fill(0, 96);
  OWNER_DOMAIN.copy(commitmentInput, 0);
  commitmentInput.writeUInt8(0x60, 63);
  commitmentInput.set(salt, 64);
  const length = commitmentInput.write(identity, 128, "utf8");
  if (length >= MAX_IDENTITY_BYTES) throw new InputError(`an identity reference is longer than ${MAX_IDENTITY_BYTES - 1} bytes`);
  commitmentInput.writeUInt32BE(length, 124);
  return keccak(commitmentInput.subarray(0, 128 + Math.ceil(length / 32) * 32));
}

/** `keccak256(abi.encode(Owner[]))`, the hash a parcel keeps (`ownersHash` of titles.ts). */
export function ownersHashOf(owners: ReadonlyArray<{ commitment: Uint8Array; share: number }>, keccak: Keccak): Uint8Array {
  const size = 64 + 64 * owners.length;
  ownersInput.fill(0, 0, size);
  ownersInput.writeUInt8(0x20, 31);
  ownersInput.writeUInt32BE(owners.length, 60);
  owners.forEach((o, i) => {
    ownersInput.set(o.commitment, 64 + 64 * i);
    ownersInput.writeUInt16BE(o.share, 64 + 64 * i + 62);
  });
  return keccak(ownersInput.subarray(0, size));
}

/** A leaf commits to a parcel's record and the hash of its owners. */
export type LeafFields = ParcelRecord;

const leafInput = Buffer.alloc(256);

/**
 * A snapshot leaf: `keccak256(keccak256(abi.encode(bytes14 ulpin, bytes32 owners, uint64 area, uint8 landUse,
 * uint16 district, uint16 block, uint32 village, bytes32 recordHash)))`, the `StandardMerkleTree` leaf
 * `LandRegistry.materialise` rebuilds.
 */
export function snapshotLeaf(fields: LeafFields, owners: Uint8Array, keccak: Keccak): Uint8Array {
  leafInput.fill(0);
  leafInput.write(fields.ulpin, 0, "latin1");
  leafInput.set(owners, 32);
  leafInput.writeBigUInt64BE(BigInt(fields.area), 88);
  leafInput.writeUInt8(fields.landUse, 127);
  leafInput.writeUInt16BE(fields.district, 158);
  leafInput.writeUInt16BE(fields.block, 190);
  leafInput.writeUInt32BE(fields.village, 220);
  leafInput.write(fields.recordHash.slice(2), 224, "hex");
  return keccak(keccak(leafInput));
}
