import { decodeBytes32String, encodeBytes32String } from "ethers";
import { InputError } from "../errors";
import { landJurisdiction } from "../land/titles";

/** Capability names and their bits; mirrors contracts/governance/Capabilities.sol. */
export const CAPABILITIES = {
  "issue-certificates": 1 << 0,
  "publish-websites": 1 << 1,
  "register-deeds": 1 << 2,
  "approve-mutations": 1 << 3,
  "court-orders": 1 << 4,
  liens: 1 << 5,
  "run-node": 1 << 6,
  validate: 1 << 7,
  "manage-parcels": 1 << 8,
  "hear-appeals": 1 << 9,
} as const;
export type CapabilityName = keyof typeof CAPABILITIES;
export const CAPABILITY_NAMES = Object.keys(CAPABILITIES) as CapabilityName[];

/** Organisation kinds in the order of `IParticipantDirectory.OrganisationKind`. */
export const KINDS = [
  "agency",
  "university",
  "exam-board",
  "department",
  "registration",
  "land-revenue",
  "survey",
  "court",
  "bank",
  "node-operator",
  "other",
] as const;
export type KindName = (typeof KINDS)[number];

/** Organisation statuses in the order of `IParticipantDirectory.OrganisationStatus`. */
export const STATUSES = ["none", "active", "suspended", "offboarded"] as const;
export type StatusName = (typeof STATUSES)[number];

/** Parses "issue-certificates,run-node" (or an empty string) into a capability mask. */
export function parseCapabilities(list: string): number {
  let mask = 0;
  for (const raw of list.split(",").map((s) => s.trim()).filter(Boolean)) {
    const bit = (CAPABILITIES as Record<string, number>)[raw.toLowerCase()];
    if (bit === undefined) {
      throw new InputError(`Unknown capability "${raw}"; known: ${CAPABILITY_NAMES.join(", ")}.`);
    }
    mask |= bit;
  }
  return mask;
}

export function capabilityNames(mask: number): CapabilityName[] {
  return CAPABILITY_NAMES.filter((name) => (mask & CAPABILITIES[name]) !== 0);
}

export function parseKind(name: string): number {
  const index = KINDS.indexOf(name.toLowerCase() as KindName);
  if (index < 0) throw new InputError(`Unknown organisation kind "${name}"; known: ${KINDS.join(", ")}.`);
  return index;
}

export function kindName(index: number): KindName | "unknown" {
  return KINDS[index] ?? "unknown";
}

export function statusName(index: number): StatusName | "unknown" {
  return STATUSES[index] ?? "unknown";
}

const CODE_PATTERN = /^[a-z0-9][a-z0-9.-]{0,30}$/;

/** Organisation codes are short lowercase handles ("wbu", "reg-kolkata"), stored as bytes32. */
export function encodeCode(code: string): string {
  if (!CODE_PATTERN.test(code)) {
    throw new InputError(`"${code}" is not a valid organisation code: use 1-31 lowercase letters, digits, dots or dashes.`);
  }
  return encodeBytes32String(code);
}

export function decodeCode(bytes: string): string {
  return decodeBytes32String(bytes);
}

/** Jurisdiction codes are whole numbers (0 means statewide), or land's "district/block" and "district/*". */
export function parseJurisdictions(list: string): number[] {
  const codes = list.split(",").map((s) => s.trim()).filter(Boolean).map(parseJurisdiction);
  const duplicate = codes.find((code, i) => codes.indexOf(code) !== i);
  if (duplicate !== undefined) throw new InputError(`Jurisdiction ${duplicate} is listed twice.`);
  return codes;
}

export function parseJurisdiction(raw: string): number {
  const land = /^(\d{1,5})\/(\d{1,5}|\*)$/.exec(raw);
  if (land) return landJurisdiction(Number(land[1]), land[2] === "*" ? 0 : Number(land[2]));
  const code = Number(raw);
  if (!/^\d+$/.test(raw) || code > 0xffffffff) {
    throw new InputError(`"${raw}" is not a jurisdiction: give a whole number up to 4294967295 (0 = statewide), or district/block or district/* for land.`);
  }
  return code;
}
