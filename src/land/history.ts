import type { Result } from "ethers";
import { isoTime } from "../io/time";
import type { MutationView, ParcelView } from "./client";
import { currentOwners, ownersOf, type LandEvent } from "./events";
import { percent, ulpinText, type Owner } from "./titles";
import { landUseName, mutationKindName, originName, rejectionReasonName, REJECTION_SENTENCES, type MutationKindName } from "./vocabulary";

const DAY = 86_400;
/** Ancestors followed back through splits and merges before the history stops. */
const MAX_GENERATIONS = 16;

export interface HistoryEntry {
  readonly ulpin: string;
  readonly time: number;
  readonly block: number;
  readonly transaction: string;
  readonly event: string;
  readonly summary: string;
}

/** A mutation's course: who opened it, its window, its decision and appeal, how long each step took. */
export interface MutationTimeline {
  readonly deedHash: string;
  readonly ulpin: string;
  readonly kind: MutationKindName;
  readonly from: Owner[];
  readonly to: Owner[];
  readonly openedAt: number;
  readonly objectionDeadline: number;
  objections: number;
  outcome: "pending" | "approved" | "rejected" | "appealed" | "appeal-allowed" | "appeal-dismissed" | "rectified";
  decidedAt?: number;
  rejection?: { reason: string; sentence: string; order: string };
  appeal?: { filedAt: number; decidedAt?: number; allowed?: boolean; order?: string };
  /** Days from opening to the final decision, or to now while pending. */
  days: number;
  overdue?: boolean;
}

export interface TitleHistory {
  readonly ulpin: string;
  readonly parcel: ParcelView;
  readonly owners: Owner[];
  /** Parcels this one came from, nearest first. */
  readonly ancestors: string[];
  readonly entries: HistoryEntry[];
  readonly mutations: MutationTimeline[];
}

export const shortHash = (hash: string) => `${hash.slice(0, 10)}…`;
export const describeOwners = (owners: readonly Owner[]) => owners.map((o) => `${shortHash(o.commitment)} ${percent(o.share)}`).join(", ");

/** Where a history's records come from: the registry over JSON-RPC (`LandClient`), or the service's index of it. */
export interface TitleRecords {
  requireParcel(ulpin: string): Promise<ParcelView>;
  /** Every event of the parcel, oldest first. */
  events(ulpin: string): Promise<LandEvent[]>;
  mutation(ulpin: string, deedHash: string): Promise<MutationView | undefined>;
}

/** An organisation's code by its directory id (the directory, or the index of it). */
export interface OrganisationCodes {
  codeOf(id: number): Promise<string>;
}

/**
 * The full chain of title of a parcel from chain data alone: its own events and, through splits and merges, those
 * of the parcels it came from, with every mutation's timing and reasons.
 */
export async function titleHistory(land: TitleRecords, directory: OrganisationCodes, ulpin: string, now: number): Promise<TitleHistory> {
  const parcel = await land.requireParcel(ulpin);
  const own = await land.events(parcel.ulpin);
  const owners = currentOwners(own, parcel.ownersHash, parcel.ulpin);
  const names = new OrganisationNames(directory);

  const eventsByParcel: Array<{ ulpin: string; events: LandEvent[] }> = [{ ulpin: parcel.ulpin, events: own }];
  const ancestors: string[] = [];
  let generation = parentsOf(own);
  for (let depth = 0; generation.length > 0 && depth < MAX_GENERATIONS; depth++) {
    const next: string[] = [];
    for (const parent of generation) {
      if (ancestors.includes(parent)) continue;
      ancestors.push(parent);
      const events = await land.events(parent);
      eventsByParcel.push({ ulpin: parent, events });
      next.push(...parentsOf(events));
    }
    generation = next;
  }

  const all = eventsByParcel
    .flatMap(({ ulpin: owner, events }) => events.map((event) => ({ owner, event })))
    .sort((a, b) => a.event.blockNumber - b.event.blockNumber || a.event.logIndex - b.event.logIndex);
  const mutations = new Map<string, MutationTimeline>();
  const entries: HistoryEntry[] = [];
  for (const { owner, event } of all) {
    const summary = await describe(event, mutations, names, owner);
    entries.push({ ulpin: owner, time: event.time, block: event.blockNumber, transaction: event.transactionHash, event: event.name, summary });
  }
  for (const timeline of mutations.values()) {
    const end = timeline.decidedAt ?? now;
    timeline.days = Math.floor((end - timeline.openedAt) / DAY);
    if (timeline.outcome === "pending" || timeline.outcome === "appealed") {
      timeline.overdue = (await land.mutation(timeline.ulpin, timeline.deedHash))?.overdue ?? false;
    }
  }
  return { ulpin: parcel.ulpin, parcel, owners, ancestors, entries, mutations: [...mutations.values()] };
}

function parentsOf(events: readonly LandEvent[]): string[] {
  const created = events.find((e) => e.name === "ParcelCreated");
  return created ? [...(created.args.parents as Result)].map((p) => ulpinText(String(p))) : [];
}

class OrganisationNames {
  private readonly cache = new Map<number, Promise<string>>();
  constructor(private readonly directory: OrganisationCodes) {}

  name(id: bigint | number): Promise<string> {
    const key = Number(id);
    if (key === 0) return Promise.resolve("anyone, from the snapshot");
    if (!this.cache.has(key)) {
      this.cache.set(
        key,
        this.directory.codeOf(key).then(
          (code) => `${code} (org ${key})`,
          () => `org ${key}`,
        ),
      );
    }
    return this.cache.get(key)!;
  }
}

async function describe(event: LandEvent, mutations: Map<string, MutationTimeline>, names: OrganisationNames, ulpin: string): Promise<string> {
  const a = event.args;
  const by = () => names.name(a.orgId as bigint);
  const timeline = () => mutations.get(String(a.deedHash));
  switch (event.name) {
    case "ParcelCreated": {
      const record = a.record as Result;
      const origin = originName(a.origin as bigint);
      const parents = [...(a.parents as Result)].map((p) => ulpinText(String(p)));
      const how = origin === "materialised" ? `materialised from snapshot ${shortHash(String(a.snapshot))}` : origin === "registered" ? `registered by ${await by()}` : `made by ${origin === "split" ? "splitting" : "merging"} ${parents.join(" + ")} (${await by()})`;
      return `${how}: ${Number(record.area)} m², ${landUseName(record.landUse as bigint)}, village ${record.village}; owners ${describeOwners(ownersOf(a.owners as Result))}`;
    }
    case "ParcelRetired":
      return `retired by ${originName(a.how as bigint) === "split" ? "split" : "merge"} into ${[...(a.successors as Result)].map((s) => ulpinText(String(s))).join(", ")} (${await by()})`;
    case "LandUseChanged":
      return `land use ${landUseName(a.from as bigint)} → ${landUseName(a.to as bigint)} by ${await by()}; record ${shortHash(String(a.recordHash))}, version ${a.version}`;
    case "MutationOpened": {
      const kind = mutationKindName(a.kind as bigint);
      const from = ownersOf(a.from as Result);
      const to = ownersOf(a.to as Result);
      const deadline = Number(a.objectionDeadline);
      mutations.set(String(a.deedHash), {
        deedHash: String(a.deedHash),
        ulpin,
        kind,
        from,
        to,
        openedAt: event.time,
        objectionDeadline: deadline,
        objections: 0,
        outcome: "pending",
        days: 0,
      });
      const window = deadline <= event.time ? "may be approved at once" : `objections until ${isoTime(deadline)}`;
      return `${kind} ${shortHash(String(a.deedHash))} opened by ${await by()}: ${describeOwners(from)} → ${describeOwners(to)}; ${window}`;
    }
    case "ObjectionLodged": {
      const t = timeline();
      if (t) t.objections++;
      return `objection ${shortHash(String(a.objection))} to ${shortHash(String(a.deedHash))} recorded by ${await by()}`;
    }
    case "MutationApproved": {
      const t = timeline();
      // An allowed appeal was already recorded by AppealDecided, which comes first.
      if (t && t.outcome === "pending") {
        t.outcome = "approved";
        t.decidedAt = event.time;
      }
      const after = t ? ` after ${Math.floor((event.time - t.openedAt) / DAY)} day(s)` : "";
      return `${shortHash(String(a.deedHash))} took effect${after} (${await by()}): owners now ${describeOwners(ownersOf(a.owners as Result))}; version ${a.version}, record ${shortHash(String(a.recordHash))}`;
    }
    case "MutationRejected": {
      const reason = rejectionReasonName(a.reason as bigint);
      const t = timeline();
      if (t) {
        t.outcome = "rejected";
        t.decidedAt = event.time;
        t.rejection = { reason, sentence: REJECTION_SENTENCES[reason], order: String(a.order) };
      }
      return `${shortHash(String(a.deedHash))} rejected by ${await by()}: ${REJECTION_SENTENCES[reason]} (order ${shortHash(String(a.order))})`;
    }
    case "AppealFiled": {
      const t = timeline();
      if (t) {
        t.outcome = "appealed";
        t.appeal = { filedAt: event.time };
        delete t.decidedAt;
      }
      return `appeal ${shortHash(String(a.appeal))} against the rejection of ${shortHash(String(a.deedHash))} filed with ${await by()}`;
    }
    case "AppealDecided": {
      const allowed = Boolean(a.allowed);
      const t = timeline();
      if (t) {
        t.outcome = allowed ? "appeal-allowed" : "appeal-dismissed";
        t.decidedAt = event.time;
        t.appeal = { ...(t.appeal ?? { filedAt: event.time }), decidedAt: event.time, allowed, order: String(a.order) };
      }
      return `appeal on ${shortHash(String(a.deedHash))} ${allowed ? "allowed" : "dismissed"} by ${await by()} (order ${shortHash(String(a.order))})`;
    }
    case "ParcelFrozen":
      return `frozen by ${await by()} under order ${shortHash(String(a.order))}${Number(a.expiresAt) === 0 ? " until lifted" : ` until ${isoTime(Number(a.expiresAt))}`}`;
    case "FreezeLifted":
      return `freeze under order ${shortHash(String(a.order))} lifted by ${await by()} (order ${shortHash(String(a.liftingOrder))})`;
    case "ParcelUnfrozen":
      return `freeze lifted by ${await by()} (order ${shortHash(String(a.order))})`;
    case "LienRegistered":
      return `lien ${shortHash(String(a.lien))} registered by ${await by()}`;
    case "LienConsented":
      return `holder of lien ${shortHash(String(a.lien))} (${await by()}) consented to ${shortHash(String(a.deedHash))}`;
    case "LienReleased":
      return `lien ${shortHash(String(a.lien))} released by ${await by()}`;
    case "LienDischarged":
      return `lien ${shortHash(String(a.lien))} discharged by ${await by()} under order ${shortHash(String(a.order))}, its bank no longer able to act`;
    case "TitleRectified": {
      const t = timeline();
      if (t) t.outcome = "rectified";
      return `title rectified by ${await by()} under order ${shortHash(String(a.order))}: ${shortHash(String(a.deedHash))} set aside, owners again ${describeOwners(ownersOf(a.owners as Result))}; version ${a.version}, record ${shortHash(String(a.recordHash))}`;
    }
    default:
      return event.name;
  }
}
