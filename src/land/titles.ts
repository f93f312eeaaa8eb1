import { AbiCoder, hexlify, keccak256, randomBytes, toUtf8Bytes } from "ethers";
import { InputError } from "../errors";

/** The whole of a parcel in basis points. */
export const WHOLE = 10_000;
/** Longest owner list the registry accepts (`LandTitles.MAX_OWNERS`). */
export const MAX_OWNERS = 64;

const ULPIN_PATTERN = /^[0-9A-Z]{14}$/;
const OWNER_DOMAIN = keccak256(toUtf8Bytes("sakshya.land.owner.v1"));
const OWNER_TUPLE = "tuple(bytes32 commitment, uint16 share)[]";
const abi = AbiCoder.defaultAbiCoder();

/** An owner as the registry sees it: a commitment and a share in basis points. */
export interface Owner {
  readonly commitment: string;
  readonly share: number;
}

/** A parcel as registered or as a snapshot entry, in the contract's terms but with its ULPIN as text. */
export interface ParcelRecord {
  readonly ulpin: string;
  readonly area: number;
  readonly landUse: number;
  readonly district: number;
  readonly block: number;
  readonly village: number;
  readonly recordHash: string;
}

/** A ULPIN as typed by a person (any case, spaces or dashes between groups), checked and made canonical. */
export function parseUlpin(raw: string): string {
  const ulpin = raw.replace(/[\s-]/g, "").toUpperCase();
  if (!ULPIN_PATTERN.test(ulpin)) {
    throw new InputError(`"${raw}" is not a ULPIN: it must be 14 characters, each a digit or a letter.`);
  }
  return ulpin;
}

/** The ULPIN as the contract's `bytes14`. */
export function ulpinBytes(ulpin: string): string {
  return hexlify(toUtf8Bytes(parseUlpin(ulpin)));
}

/** The ULPIN back from a `bytes14` value. */
export function ulpinText(bytes14: string): string {
  return Buffer.from(bytes14.slice(2), "hex").toString("latin1");
}

/** The topic an indexed `bytes14` takes in a log: the value left-aligned in 32 bytes. */
export function ulpinTopic(ulpin: string): string {
  return ulpinBytes(ulpin).padEnd(66, "0");
}

/**
 * An owner's commitment: only this reaches the chain. The identity reference (a document number the owner and the
 * office both know) is normalised, so that "wb 1234" and "WB-1234" commit alike; the salt stays with the owner.
 */
export function ownerCommitment(identity: string, salt: string): string {
  const normalised = identity.replace(/[\s-]/g, "").toUpperCase();
  if (normalised === "") throw new InputError("An owner's identity reference must not be empty.");
  if (!/^0x[0-9a-fA-F]{64}$/.test(salt)) throw new InputError("An owner's salt must be 0x followed by 64 hex digits.");
  return keccak256(abi.encode(["bytes32", "string", "bytes32"], [OWNER_DOMAIN, normalised, salt]));
}

/** A fresh salt for a new owner. */
export function newSalt(): string {
  return hexlify(randomBytes(32));
}

/** Owners sorted by commitment, as the registry requires; commitments compare as 256-bit numbers. */
export function sortOwners(owners: readonly Owner[]): Owner[] {
  return [...owners]
    .map((o) => ({ commitment: o.commitment.toLowerCase(), share: o.share }))
    .sort((a, b) => (BigInt(a.commitment) < BigInt(b.commitment) ? -1 : BigInt(a.commitment) > BigInt(b.commitment) ? 1 : 0));
}

/** Checks a list the way the registry does, so a bad list fails here with a sentence instead of on chain. */
export function checkOwnerList(owners: readonly Owner[], what: string, whole: boolean): number {
  if (owners.length === 0 || owners.length > MAX_OWNERS) {
    throw new InputError(`The ${what} must list 1 to ${MAX_OWNERS} people, not ${owners.length}.`);
  }
  let total = 0;
  let previous = 0n;
  owners.forEach((owner, i) => {
    if (!Number.isInteger(owner.share) || owner.share <= 0 || owner.share > WHOLE) {
      throw new InputError(`Share ${owner.share} of the ${what} (entry ${i + 1}) must be a whole number of basis points from 1 to ${WHOLE}.`);
    }
    const value = BigInt(owner.commitment);
    if (value === previous) throw new InputError(`The ${what} lists the same person twice.`);
    if (value < previous) throw new InputError(`The ${what} must be sorted by commitment.`);
    previous = value;
    total += owner.share;
  });
  if (whole && total !== WHOLE) {
    throw new InputError(`The ${what}' shares add up to ${total} basis points (${percent(total)}), not ${WHOLE} (100%).`);
  }
  return total;
}

/** The hash a parcel keeps of its owner list. */
export function ownersHash(owners: readonly Owner[]): string {
  return keccak256(abi.encode([OWNER_TUPLE], [owners.map((o) => [o.commitment, o.share])]));
}

/** The hash a mutation keeps of its transfer. */
export function transferHash(from: readonly Owner[], to: readonly Owner[]): string {
  return keccak256(abi.encode([OWNER_TUPLE, OWNER_TUPLE], [from.map((o) => [o.commitment, o.share]), to.map((o) => [o.commitment, o.share])]));
}

/** Basis points as a percentage a person reads. */
export function percent(share: number): string {
  return `${(share / 100).toFixed(share % 100 === 0 ? 0 : 2)}%`;
}

/** The participant-directory jurisdiction of a district (`district << 16`) or of one of its blocks. */
export function landJurisdiction(district: number, block = 0): number {
  for (const [name, value] of [["district", district], ["block", block]] as const) {
    if (!Number.isInteger(value) || value < 0 || value > 0xffff) {
      throw new InputError(`The ${name} code ${value} must be a whole number from 1 to 65535.`);
    }
  }
  return district * 0x10000 + block;
}
