import fs from "node:fs";
import { z } from "zod";
import { InputError } from "../errors";
import { WHOLE, checkOwnerList, newSalt, ownerCommitment, sortOwners, type Owner } from "./titles";

/**
 * An owner card: what an owner keeps so that they can be recognised on chain without their identity being there.
 * The office recomputes the commitment from the identity reference on the card and its salt.
 */
export interface OwnerCard {
  readonly kind: "sakshya-land-owner";
  readonly version: 1;
  readonly name?: string;
  readonly identity: string;
  readonly salt: string;
  readonly commitment: string;
}

const ownerCardSchema = z.object({
  kind: z.literal("sakshya-land-owner"),
  version: z.literal(1),
  name: z.string().optional(),
  identity: z.string().min(1),
  salt: z.string().regex(/^0x[0-9a-fA-F]{64}$/),
  commitment: z.string().regex(/^0x[0-9a-fA-F]{64}$/),
});

/** A new owner card with a fresh salt. */
export function newOwnerCard(identity: string, name?: string): OwnerCard {
  const salt = newSalt();
  return { kind: "sakshya-land-owner", version: 1, ...(name ? { name } : {}), identity, salt, commitment: ownerCommitment(identity, salt) };
}

/** Reads an owner card and checks that its commitment is the one its identity and salt give. */
export function readOwnerCard(file: string): OwnerCard {
  let raw: unknown;
  try {
    raw = JSON.parse(fs.readFileSync(file, "utf8"));
  } catch {
    throw new InputError(`Cannot read the owner card ${file}: it is missing or not JSON.`);
  }
  const parsed = ownerCardSchema.safeParse(raw);
  if (!parsed.success) throw new InputError(`${file} is not an owner card (${parsed.error.issues[0].path.join(".") || "kind"} is wrong).`);
  const card = parsed.data;
  if (ownerCommitment(card.identity, card.salt) !== card.commitment.toLowerCase()) {
    throw new InputError(`The owner card ${file} has been altered: its commitment does not match its identity and salt.`);
  }
  return card as OwnerCard;
}

/** A share as a person writes it: "60%", "33.33%", or basis points as "6000bp". */
export function parseShare(raw: string): number {
  const text = raw.trim();
  const percentMatch = /^(\d{1,3})(?:\.(\d{1,2}))?%$/.exec(text);
  const bpMatch = /^(\d{1,5})bp$/.exec(text);
  const share = percentMatch
    ? Number(percentMatch[1]) * 100 + Number((percentMatch[2] ?? "").padEnd(2, "0"))
    : bpMatch
      ? Number(bpMatch[1])
      : NaN;
  if (!Number.isInteger(share) || share <= 0 || share > WHOLE) {
    throw new InputError(`"${raw}" is not a share: write a percentage such as 60% or 33.33%, or basis points such as 6000bp.`);
  }
  return share;
}

/**
 * A party of a deed or register entry, written `<who>=<share>`: who is an owner card file or a commitment
 * (0x and 64 hex digits) already on chain.
 */
export function parseParty(spec: string): Owner {
  const at = spec.lastIndexOf("=");
  if (at <= 0) throw new InputError(`"${spec}" is not a party: write <owner card file or commitment>=<share>, e.g. asha.owner.json=100%.`);
  const who = spec.slice(0, at).trim();
  const share = parseShare(spec.slice(at + 1));
  const commitment = /^0x[0-9a-fA-F]{64}$/.test(who) ? who.toLowerCase() : readOwnerCard(who).commitment.toLowerCase();
  return { commitment, share };
}

/** Parties sorted as the registry wants them, checked: the same person twice, or shares over 100%, are refused. */
export function parseParties(specs: readonly string[], what: string, whole: boolean): Owner[] {
  const owners = sortOwners(specs.map(parseParty));
  checkOwnerList(owners, what, whole);
  return owners;
}
