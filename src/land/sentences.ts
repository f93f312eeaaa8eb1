import type { ErrorSentences } from "../chain/error-sentences";
import { isoTime } from "../io/time";
import { percent, ulpinText } from "./titles";
import { mutationStatusName } from "./vocabulary";

/** How a land error's arguments read: ULPINs as text, statuses by name, times as dates, shares as percentages. */
function describeLandArg(name: string, type: string, value: unknown): string | undefined {
  if (type === "bytes14") return ulpinText(String(value));
  if (name === "status") return mutationStatusName(Number(value));
  if (name === "deadline" || name === "expiresAt") return Number(value) === 0 ? "until lifted" : isoTime(Number(value));
  if (name === "held" || name === "given" || name === "received" || name === "total") return percent(Number(value));
  return undefined;
}

/** Sentences for the land registry's custom errors. */
export const LAND_ERRORS: ErrorSentences = {
  prefixes: ["LandRegistry"],
  describeArg: describeLandArg,
  sentences: {
    LandRegistryInvalidUlpin: (a) => `"${a.ulpin}" is not a ULPIN (14 digits or capital letters)`,
    LandRegistryParcelExists: (a) => `parcel ${a.ulpin} is already on chain`,
    LandRegistryUnknownParcel: (a) => `no parcel ${a.ulpin} is on chain`,
    LandRegistryParcelRetired: (a) => `parcel ${a.ulpin} was split or merged away and is retired`,
    LandRegistryParcelFrozen: (a) => `parcel ${a.ulpin} is frozen by court order ${a.order} (${a.expiresAt})`,
    LandRegistryUnknownFreeze: (a) => `no freeze under order ${a.order} holds parcel ${a.ulpin} (never made, lifted or lapsed)`,
    LandRegistryFreezeExists: (a) => `order ${a.order} already freezes parcel ${a.ulpin}`,
    LandRegistryTooManyFreezes: (a) => `parcel ${a.ulpin} is already held by the most freeze orders allowed (8)`,
    LandRegistryNotFreezingCourt: (a) => `the freeze of ${a.ulpin} under order ${a.order} was made by organisation ${a.court}; organisation ${a.caller} may not lift it (only that court, or another court once it has left the directory)`,
    LandRegistryZeroArea: (a) => `parcel ${a.ulpin} needs an area of at least one square metre`,
    LandRegistryInvalidLocation: (a) => `district ${a.district}, block ${a.block} and village ${a.village} must all be set`,
    LandRegistryEmptyHash: () => "a deed, order or record document is missing",
    LandRegistryInvalidOwnerCount: (a) => `an owner list needs 1 to 64 people, not ${a.count}`,
    LandRegistryOwnersUnsorted: (a) => `owner ${a.index} is out of order or repeated`,
    LandRegistryZeroShare: (a) => `owner ${a.index} has no share`,
    LandRegistrySharesNotWhole: (a) => `the shares add up to ${a.total}, not 100%`,
    LandRegistryTransferUnbalanced: (a) => `the sellers give ${a.given} but the buyers receive ${a.received}`,
    LandRegistryOwnersMismatch: (a) => `the owners given are not the recorded owners of parcel ${a.ulpin}`,
    LandRegistryNotAnOwner: (a) => `transferor ${a.commitment} is not a recorded owner`,
    LandRegistryShareExceeded: (a) => `transferor ${a.commitment} holds ${a.held} and cannot give ${a.given}`,
    LandRegistryPartitionOutsider: (a) => `a partition cannot give a share to ${a.commitment}, who is not an owner`,
    LandRegistryMutationPending: (a) => `parcel ${a.ulpin} already has a pending mutation, which must be decided first`,
    LandRegistryDeedAlreadyRecorded: (a) => `deed ${a.deedHash} is already recorded for this parcel`,
    LandRegistryUnknownMutation: (a) => `no mutation was opened by ${a.deedHash}`,
    LandRegistryUnexpectedMutationStatus: (a) => `mutation ${a.deedHash} is ${a.status}, which does not allow this step`,
    LandRegistryInvalidKind: () => "a succession is opened with `land succession`, not as a deed",
    LandRegistryObjectionWindowOpen: (a) => `the objection window of ${a.deedHash} runs until ${a.deadline}; it cannot be decided before then`,
    LandRegistryObjectionWindowClosed: (a) => `the objection window of ${a.deedHash} closed at ${a.deadline}`,
    LandRegistryTransferMismatch: (a) => `the transfer given is not the one deed ${a.deedHash} registered`,
    LandRegistryMissingReason: () => "a rejection needs a reason",
    LandRegistryLiensNotConsented: (a) => `parcel ${a.ulpin} has ${a.liens} lien(s) but only ${a.consents} holder(s) consented to this transfer`,
    LandRegistryLienExists: (a) => `lien ${a.lien} is already registered on parcel ${a.ulpin}`,
    LandRegistryUnknownLien: (a) => `no lien ${a.lien} is registered on parcel ${a.ulpin}`,
    LandRegistryNotLienHolder: (a) => `lien ${a.lien} is held by organisation ${a.holder}, not by organisation ${a.caller} (a successor acts on it only once the bank is offboarded)`,
    LandRegistryLienHolderActive: (a) =>
      `organisation ${a.holder}, which holds lien ${a.lien}, is still a member of the directory: only the liens of a bank that was offboarded are discharged (a suspended bank's liens stand)`,
    LandRegistryLienAlreadyConsented: (a) => `the holder of lien ${a.lien} already consented to ${a.deedHash}`,
    LandRegistryTooManyLiens: (a) => `parcel ${a.ulpin} carries the most liens allowed (255)`,
    LandRegistryParcelEncumbered: (a) => `parcel ${a.ulpin} has ${a.liens} lien(s); they must be released before a split or merge`,
    LandRegistryInvalidExpiry: (a) => `expiry ${a.expiresAt} is not in the future`,
    LandRegistryInvalidPartCount: (a) => `a split or merge takes 2 to 64 parcels, not ${a.count}`,
    LandRegistryAreaMismatch: (a) => `the areas add up to ${a.actual} m², not ${a.expected} m²`,
    LandRegistryMergeMismatch: (a) => `parcel ${a.ulpin} lies in another village and cannot be merged`,
    LandRegistryUnchangedLandUse: (a) => `parcel ${a.ulpin} already has this land use`,
    LandRegistrySnapshotExists: (a) => `snapshot ${a.root} is already anchored`,
    LandRegistryUnknownSnapshot: (a) => `no snapshot ${a.root} is anchored`,
    LandRegistrySnapshotRetired: (a) => `snapshot ${a.root} is retired`,
    LandRegistryTooManySnapshots: () => "16 migration snapshots are active, the most allowed: retire one first",
    LandRegistryHeldBySnapshot: (a) => `ULPIN ${a.ulpin} is held by the active migration snapshot ${a.snapshot} (or no proof that it is not was given): it is materialised from there`,
    LandRegistryNotEarlierOwners: (a) => `the owners given are not the ones parcel ${a.ulpin} had before ${a.deedHash} took effect`,
    LandRegistryEmptySnapshot: () => "a snapshot needs a root and at least one parcel",
    LandRegistryInvalidProof: (a) => `the entry for ${a.ulpin} is not in snapshot ${a.root} as given`,
    LandRegistryInvalidDuration: (a) => `${a.duration} seconds is not between one second and a year`,
  },
};
