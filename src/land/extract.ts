import fs from "node:fs";
import type { Result } from "ethers";
import { z } from "zod";
import { InputError } from "../errors";
import type { ParcelView } from "./client";
import { currentOwners, ownersOf, type LandEvent } from "./events";
import type { TitleHistory } from "./history";
import { ownersHash, type Owner } from "./titles";
import { landUseName, type LandUseName } from "./vocabulary";
import { isoNow } from "../io/time";

const HASH = /^0x[0-9a-fA-F]{64}$/;

const ownerSchema = z.object({ commitment: z.string().regex(HASH), share: z.number().int().positive() });

const extractSchema = z.object({
  kind: z.literal("sakshya-land-title-extract"),
  version: z.literal(1),
  issuedAt: z.string(),
  anchor: z.object({ chainId: z.number().int().positive(), registry: z.string(), block: z.number().int().nonnegative(), blockHash: z.string() }),
  parcel: z.object({
    ulpin: z.string(),
    status: z.string(),
    area: z.number(),
    landUse: z.string(),
    district: z.number(),
    block: z.number(),
    village: z.number(),
    version: z.number().int().positive(),
    recordHash: z.string().regex(HASH),
    liens: z.number(),
    mutationPending: z.boolean(),
  }),
  owners: z.array(ownerSchema).min(1),
  ownersHash: z.string().regex(HASH),
  chainOfTitle: z.array(z.object({ time: z.number(), ulpin: z.string(), summary: z.string() })),
});

/** A title extract: the parcel as the registry held it at one block, with its owners and chain of title. */
export type TitleExtract = z.infer<typeof extractSchema>;

/** The registry's state of a parcel at one version, rebuilt from events alone. */
export interface ParcelState {
  readonly version: number;
  readonly owners: Owner[];
  readonly recordHash: string;
  readonly area: number;
  readonly landUse: LandUseName;
}

/** How a verification came out; only `current` means the extract can be relied on as it stands. */
export type ExtractVerdict = "current" | "outdated" | "not-genuine";

export interface ExtractVerification {
  readonly verdict: ExtractVerdict;
  readonly sentence: string;
  readonly parcel?: ParcelView;
  /** With an owner card: the share its holder has now, 0 if none. */
  readonly ownerShare?: number;
}

/** Makes the extract of a parcel from its history, anchored at the block the reads were made at. */
export function makeExtract(history: TitleHistory, anchor: TitleExtract["anchor"]): TitleExtract {
  const { parcel } = history;
  return {
    kind: "sakshya-land-title-extract",
    version: 1,
    issuedAt: isoNow(),
    anchor,
    parcel: {
      ulpin: parcel.ulpin,
      status: parcel.status,
      area: parcel.area,
      landUse: parcel.landUse,
      district: parcel.district,
      block: parcel.block,
      village: parcel.village,
      version: parcel.version,
      recordHash: parcel.recordHash,
      liens: parcel.liens,
      mutationPending: parcel.mutationPending,
    },
    owners: history.owners,
    ownersHash: ownersHash(history.owners),
    chainOfTitle: history.entries.map((e) => ({ time: e.time, ulpin: e.ulpin, summary: e.summary })),
  };
}

export function readExtract(file: string): TitleExtract {
  let raw: unknown;
  try {
    raw = JSON.parse(fs.readFileSync(file, "utf8"));
  } catch {
    throw new InputError(`Cannot read the title extract ${file}: it is missing or not JSON.`);
  }
  return extractOf(raw, file);
}

/** A title extract from its parsed JSON, or a sentence naming the field that is wrong. */
export function extractOf(raw: unknown, source: string): TitleExtract {
  const parsed = extractSchema.safeParse(raw);
  if (!parsed.success) throw new InputError(`${source} is not a title extract (${parsed.error.issues[0].path.join(".") || "kind"} is wrong).`);
  return parsed.data;
}

/** What checking an extract reads: the registry over JSON-RPC (`LandClient`), or the service's index of it. */
export interface ExtractRecords {
  readonly deployment: { readonly chainId: number };
  readonly address: string;
  parcel(ulpin: string): Promise<ParcelView | undefined>;
  events(ulpin: string): Promise<LandEvent[]>;
}

/**
 * Replays a parcel's events up to `version`: creation, approved mutations, rectifications and land-use changes are the
 * only events that change owners, record or land use, and each carries what it set. Undefined if the parcel never had
 * it.
 */
export function stateAtVersion(events: readonly LandEvent[], version: number): ParcelState | undefined {
  let state: ParcelState | undefined;
  for (const event of events) {
    const a = event.args;
    if (event.name === "ParcelCreated") {
      const record = a.record as Result;
      state = { version: 1, owners: ownersOf(a.owners as Result), recordHash: String(record.recordHash), area: Number(record.area), landUse: landUseName(record.landUse as bigint) };
    } else if (state && (event.name === "MutationApproved" || event.name === "TitleRectified")) {
      state = { ...state, version: Number(a.version), owners: ownersOf(a.owners as Result), recordHash: String(a.recordHash) };
    } else if (state && event.name === "LandUseChanged") {
      state = { ...state, version: Number(a.version), landUse: landUseName(a.to as bigint), recordHash: String(a.recordHash) };
    }
    if (state?.version === version) return state;
  }
  return undefined;
}

/**
 * Checks an extract against the chain: it must be the registry's own (same chain and registry), what the parcel was
 * at the extract's version (replayed from events, so the check needs no archive node), and, to be current, still
 * what it is now. With an owner's commitment, also says what share that owner holds now.
 */
export async function verifyExtract(extract: TitleExtract, land: ExtractRecords, ownerCommitment?: string): Promise<ExtractVerification> {
  if (extract.anchor.chainId !== land.deployment.chainId || extract.anchor.registry.toLowerCase() !== land.address.toLowerCase()) {
    return { verdict: "not-genuine", sentence: `it was made for registry ${extract.anchor.registry} on chain ${extract.anchor.chainId}, not this deployment's registry` };
  }
  const { ulpin } = extract.parcel;
  const parcel = await land.parcel(ulpin);
  if (!parcel) return { verdict: "not-genuine", sentence: `no parcel ${ulpin} is on chain` };
  if (ownersHash(extract.owners) !== extract.ownersHash.toLowerCase()) {
    return { verdict: "not-genuine", sentence: "its owner list does not match its own owners hash: the file was edited" };
  }
  const events = await land.events(ulpin);
  const then = stateAtVersion(events, extract.parcel.version);
  const matches =
    then !== undefined &&
    ownersHash(then.owners) === extract.ownersHash.toLowerCase() &&
    then.recordHash.toLowerCase() === extract.parcel.recordHash.toLowerCase() &&
    then.area === extract.parcel.area &&
    then.landUse === extract.parcel.landUse;
  if (!matches) return { verdict: "not-genuine", parcel, sentence: `parcel ${ulpin} never was as this extract says at version ${extract.parcel.version}: the file was edited` };

  // The owners now come from the same events, read once.
  const ownerShare = ownerCommitment === undefined ? undefined : (currentOwners(events, parcel.ownersHash, ulpin).find((o) => o.commitment === ownerCommitment.toLowerCase())?.share ?? 0);
  if (parcel.version !== extract.parcel.version) {
    return { verdict: "outdated", parcel, ownerShare, sentence: `genuine for version ${extract.parcel.version}, but parcel ${ulpin} has changed since: it is now at version ${parcel.version}` };
  }
  if (parcel.status !== extract.parcel.status || parcel.liens !== extract.parcel.liens || parcel.mutationPending !== extract.parcel.mutationPending) {
    return { verdict: "outdated", parcel, ownerShare, sentence: `genuine, but parcel ${ulpin} is now ${parcel.status}, with ${parcel.liens} lien(s)${parcel.mutationPending ? " and a mutation pending" : ""}` };
  }
  return { verdict: "current", parcel, ownerShare, sentence: `genuine and current: parcel ${ulpin} is ${parcel.status} at version ${parcel.version}` };
}
