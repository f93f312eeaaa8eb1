import { InputError } from "../errors";

/** Land-use classes, in the order of `ILandRecords.LandUse`. */
export const LAND_USES = [
  "unclassified",
  "agricultural",
  "homestead",
  "commercial",
  "industrial",
  "institutional",
  "forest",
  "water-body",
  "wasteland",
  "road",
] as const;
export type LandUseName = (typeof LAND_USES)[number];

/** Parcel statuses, in the order of `ILandRecords.ParcelStatus`. */
export const PARCEL_STATUSES = ["none", "active", "frozen", "retired"] as const;
export type ParcelStatusName = (typeof PARCEL_STATUSES)[number];

/** How a parcel came on chain or left, in the order of `ILandRecords.Origin`. */
export const ORIGINS = ["registered", "materialised", "split", "merged"] as const;
export type OriginName = (typeof ORIGINS)[number];

/** Mutation kinds, in the order of `ILandRecords.MutationKind`. */
export const MUTATION_KINDS = ["sale", "gift", "partition", "succession"] as const;
export type MutationKindName = (typeof MUTATION_KINDS)[number];

/** Mutation statuses, in the order of `ILandRecords.MutationStatus`. */
export const MUTATION_STATUSES = ["none", "open", "approved", "rejected", "appealed", "appeal-allowed", "appeal-dismissed", "rectified"] as const;
export type MutationStatusName = (typeof MUTATION_STATUSES)[number];

/** Rejection reasons, in the order of `ILandRecords.RejectionReason`. */
export const REJECTION_REASONS = [
  "none",
  "defective-deed",
  "seller-not-recorded-owner",
  "objection-upheld",
  "pending-litigation",
  "prohibited-land",
  "documents-incomplete",
  "stamp-duty-shortfall",
  "other",
] as const;
export type RejectionReasonName = (typeof REJECTION_REASONS)[number];

/** What each rejection reason tells the citizen whose mutation was refused. */
export const REJECTION_SENTENCES: Record<RejectionReasonName, string> = {
  none: "no reason",
  "defective-deed": "the deed is defective",
  "seller-not-recorded-owner": "a seller is not the recorded owner",
  "objection-upheld": "an objection was upheld",
  "pending-litigation": "the land is under litigation",
  "prohibited-land": "the land is on the prohibited list",
  "documents-incomplete": "documents are incomplete",
  "stamp-duty-shortfall": "stamp duty was short",
  other: "another reason, given in the order",
};

function nameOf<T extends string>(list: readonly T[], code: bigint | number, what: string): T {
  const name = list[Number(code)];
  if (name === undefined) throw new InputError(`The registry answered with an unknown ${what} code ${code}.`);
  return name;
}

function codeOf<T extends string>(list: readonly T[], value: string, what: string, excluded: readonly T[] = []): number {
  const usable = list.filter((name) => !excluded.includes(name));
  const code = list.indexOf(value as T);
  if (code < 0 || excluded.includes(value as T)) throw new InputError(`Unknown ${what} "${value}"; use one of ${usable.join(", ")}.`);
  return code;
}

export const landUseName = (code: bigint | number) => nameOf(LAND_USES, code, "land use");
export const parcelStatusName = (code: bigint | number) => nameOf(PARCEL_STATUSES, code, "parcel status");
export const originName = (code: bigint | number) => nameOf(ORIGINS, code, "origin");
export const mutationKindName = (code: bigint | number) => nameOf(MUTATION_KINDS, code, "mutation kind");
export const mutationStatusName = (code: bigint | number) => nameOf(MUTATION_STATUSES, code, "mutation status");
export const rejectionReasonName = (code: bigint | number) => nameOf(REJECTION_REASONS, code, "rejection reason");

export const parseLandUse = (value: string) => codeOf(LAND_USES, value, "land use");
/** Deeds are sales, gifts or partitions; succession has its own command. */
export const parseDeedKind = (value: string) => codeOf(MUTATION_KINDS, value, "deed kind", ["succession"]);
export const parseRejectionReason = (value: string) => codeOf(REJECTION_REASONS, value, "rejection reason", ["none"]);
