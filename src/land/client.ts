import type { ContractRunner, Provider, Result, Signer } from "ethers";
import { ILandRegistry__factory, ParticipantDirectory__factory, type ILandRegistry } from "../../typechain-types";
import type { ILandRecords } from "../../typechain-types/contracts/interfaces/ILandRegistry";
import { ALREADY_DONE, ContractClient, type WriteResult } from "../chain/contract-client";
import { deployedContractOf, type Deployment } from "../config/deployments";
import { asSakshyaError } from "../chain/transact";
import { CAPABILITIES, type CapabilityName } from "../directory/vocabulary";
import { InputError, NotFoundError, RevertError } from "../errors";
import type { Governance, Outcome } from "../governance/governed";
import type { Keccak } from "../hashing/keccak";
import { absenceProof, type AbsenceProof } from "./absence";
import { currentOwners, mutationOpenedEvents, ownersBefore, ownersOf, parcelEvents, type LandEvent } from "./events";
import { readSnapshotManifest } from "./snapshot";
import { ownersHash, ulpinBytes, ulpinText, type Owner, type ParcelRecord } from "./titles";
import {
  landUseName,
  mutationKindName,
  mutationStatusName,
  parcelStatusName,
  type LandUseName,
  type MutationKindName,
  type MutationStatusName,
  type ParcelStatusName,
} from "./vocabulary";

export type { WriteResult } from "../chain/contract-client";

export type { ParcelRecord } from "./titles";

/** A parcel made by a split or merge. */
export interface NewParcel {
  readonly ulpin: string;
  readonly area: number;
  readonly landUse: number;
  readonly recordHash: string;
}

export interface FreezeView {
  readonly order: string;
  readonly court: number;
  readonly frozenAt: number;
  readonly expiresAt: number;
}

export interface ParcelView {
  readonly ulpin: string;
  readonly status: ParcelStatusName;
  readonly area: number;
  readonly landUse: LandUseName;
  readonly district: number;
  readonly block: number;
  readonly village: number;
  readonly version: number;
  readonly liens: number;
  readonly mutationPending: boolean;
  readonly ownersHash: string;
  readonly recordHash: string;
  /** The court orders freezing it now (several may). */
  readonly freezes: FreezeView[];
}

export interface MutationView {
  readonly deedHash: string;
  readonly ulpin: string;
  readonly kind: MutationKindName;
  readonly status: MutationStatusName;
  readonly openedAt: number;
  readonly objectionDeadline: number;
  readonly appealedAt: number;
  readonly objections: number;
  readonly consents: number;
  readonly overdue: boolean;
}

/** A transfer as its deed registered it. */
export interface Transfer {
  readonly from: Owner[];
  readonly to: Owner[];
}

const toContractRecord = (r: ParcelRecord): ILandRecords.ParcelRecordStruct => ({ ...r, ulpin: ulpinBytes(r.ulpin) });
const toContractPart = (p: NewParcel): ILandRecords.NewParcelStruct => ({ ...p, ulpin: ulpinBytes(p.ulpin) });

/**
 * Where the folders of active migration snapshots are, to prove a new ULPIN absent from each: the registry refuses a
 * new parcel unless every active snapshot is shown not to hold it.
 */
export interface SnapshotFolders {
  readonly folders: readonly string[];
  readonly keccak: Keccak;
}

/**
 * Reads the land registry and writes to it as the department, court or bank whose key signs. Writes are safe to run
 * again: what is already on chain is reported as already done and not sent twice.
 */
export class LandClient extends ContractClient {
  readonly contract: ILandRegistry;

  constructor(
    readonly deployment: Deployment,
    private readonly provider: Provider & ContractRunner,
    signer?: Signer,
  ) {
    const address = deployedContractOf(deployment, "LandRegistry").address;
    super(address, ILandRegistry__factory.createInterface(), signer, "land registry");
    this.contract = ILandRegistry__factory.connect(address, provider);
  }

  // ---------------------------------------------------------------- reads

  /** The parcel, or undefined if it is not on chain. */
  async parcel(ulpin: string): Promise<ParcelView | undefined> {
    const key = ulpinBytes(ulpin);
    const [p, status] = await this.read(() => Promise.all([this.contract.parcel(key), this.contract.parcelStatus(key)]));
    const name = parcelStatusName(status);
    if (name === "none") return undefined;
    const freezes = p.frozen ? await this.read(() => this.contract.freezesOf(key)) : [];
    return {
      ulpin: ulpinText(key),
      status: name,
      area: Number(p.area),
      landUse: landUseName(p.landUse),
      district: Number(p.district),
      block: Number(p.block),
      village: Number(p.village),
      version: Number(p.version),
      liens: Number(p.liens),
      mutationPending: p.mutationPending,
      ownersHash: p.owners,
      recordHash: p.recordHash,
      freezes: freezes.map((f) => ({ order: f.order, court: Number(f.court), frozenAt: Number(f.frozenAt), expiresAt: Number(f.expiresAt) })),
    };
  }

  /** The parcel, or a sentence saying it is not on chain. */
  async requireParcel(ulpin: string): Promise<ParcelView> {
    const parcel = await this.parcel(ulpin);
    if (!parcel) throw new NotFoundError(`No parcel ${ulpin} is on chain.`);
    return parcel;
  }

  /** The mutation a deed or succession certificate opened on a parcel, or undefined. */
  async mutation(ulpin: string, deedHash: string): Promise<MutationView | undefined> {
    const key = ulpinBytes(ulpin);
    const m = await this.read(() => this.contract.mutation(key, deedHash));
    const status = mutationStatusName(m.status);
    if (status === "none") return undefined;
    const overdue = await this.read(() => this.contract.isOverdue(key, deedHash));
    return {
      deedHash,
      ulpin: ulpinText(m.ulpin),
      kind: mutationKindName(m.kind),
      status,
      openedAt: Number(m.openedAt),
      objectionDeadline: Number(m.objectionDeadline),
      appealedAt: Number(m.appealedAt),
      objections: Number(m.objections),
      consents: Number(m.consents),
      overdue,
    };
  }

  /**
   * The mutation of a deed: on the parcel named, or, with none named, on the one parcel the deed opened a mutation on
   * (a deed conveying several parcels opened one on each, so then the parcel must be named).
   */
  async requireMutation(deedHash: string, ulpin?: string): Promise<MutationView> {
    const on = ulpin ?? (await this.parcelOfDeed(deedHash));
    const m = await this.mutation(on, deedHash);
    if (!m) throw new InputError(`No mutation of parcel ${on} was opened by ${deedHash}.`);
    return m;
  }

  private async parcelOfDeed(deedHash: string): Promise<string> {
    const opened = await this.read(() => mutationOpenedEvents(this.contract, this.provider, this.deployment.deployBlock, deedHash));
    const parcels = [...new Set(opened.map((e) => ulpinText(String(e.args.ulpin))))];
    if (parcels.length === 0) throw new InputError(`No mutation was opened by ${deedHash}.`);
    if (parcels.length > 1) throw new InputError(`${deedHash} opened mutations of ${parcels.length} parcels (${parcels.join(", ")}): name one with --ulpin.`);
    return parcels[0];
  }

  /** Every event of the parcel, oldest first. */
  events(ulpin: string): Promise<LandEvent[]> {
    return this.read(() => parcelEvents(this.contract, this.provider, this.deployment.deployBlock, ulpin));
  }

  /** The parcel's current owners, from its events, checked against the registry. */
  async owners(ulpin: string): Promise<Owner[]> {
    const parcel = await this.requireParcel(ulpin);
    return currentOwners(await this.events(ulpin), parcel.ownersHash, parcel.ulpin);
  }

  /** The transfer a deed registered on a parcel. */
  async transfer(ulpin: string, deedHash: string): Promise<Transfer> {
    const opened = (await this.read(() => mutationOpenedEvents(this.contract, this.provider, this.deployment.deployBlock, deedHash))).find(
      (e) => ulpinText(String(e.args.ulpin)) === ulpin,
    );
    if (!opened) throw new InputError(`No mutation of parcel ${ulpin} was opened by ${deedHash}.`);
    return { from: ownersOf(opened.args.from as Result), to: ownersOf(opened.args.to as Result) };
  }

  /**
   * Proofs that no active migration snapshot holds any of `ulpins`, ULPIN by ULPIN, snapshot by snapshot, in the order
   * the registry lists its active snapshots. Each active snapshot's folder must be among `snapshots`.
   */
  async absences(ulpins: readonly string[], snapshots: SnapshotFolders): Promise<AbsenceProof[]> {
    const active = await this.read(() => this.contract.activeSnapshots());
    if (active.length === 0) return [];
    const dirs = new Map(snapshots.folders.map((dir) => [readSnapshotManifest(dir).root.toLowerCase(), dir]));
    // The gap root is the anchored one, not the folder's word for it: a folder altered since anchoring is caught here.
    const folders = await Promise.all(
      active.map(async (root) => {
        const dir = dirs.get(root.toLowerCase());
        if (!dir) throw new InputError(`Migration snapshot ${root} is active: give its folder with --snapshot <dir>, so the new ULPIN can be proved not to be one it holds.`);
        const { absenceRoot } = await this.read(() => this.contract.snapshot(root));
        return { root, dir, absenceRoot };
      }),
    );
    return ulpins.flatMap((ulpin) => folders.map((f) => absenceProof(f.dir, f, ulpin, snapshots.keccak)));
  }

  // ---------------------------------------------------------------- parcels

  async registerParcel(record: ParcelRecord, owners: readonly Owner[], snapshots: SnapshotFolders): Promise<WriteResult> {
    const existing = await this.parcel(record.ulpin);
    if (existing) {
      this.sameParcel(existing, record, owners);
      return this.alreadyDone("manage-parcels", existing);
    }
    return this.send("registerParcel", [toContractRecord(record), owners, await this.absences([record.ulpin], snapshots)]);
  }

  /** A parcel on chain is "already done" only with every detail asked: owners, area, place, land use, Record of Rights. */
  private sameParcel(existing: ParcelView, record: ParcelRecord, owners: readonly Owner[]): WriteResult {
    const view = (p: { area: number; district: number; block: number; village: number }, landUse: string, recordHash: string, ownerListHash: string) => ({
      "owner list hash": ownerListHash.toLowerCase(),
      area: p.area,
      "district/block/village": `${p.district}/${p.block}/${p.village}`,
      "land use": landUse,
      "Record of Rights hash": recordHash.toLowerCase(),
    });
    return this.sameAsAsked(
      `Parcel ${record.ulpin}`,
      view(record, landUseName(record.landUse), record.recordHash, ownersHash(owners)),
      view(existing, existing.landUse, existing.recordHash, existing.ownersHash),
    );
  }

  async changeLandUse(ulpin: string, landUse: number, recordHash: string): Promise<WriteResult> {
    const parcel = await this.requireParcel(ulpin);
    if (landUseName(landUse) === parcel.landUse && parcel.recordHash === recordHash) return this.alreadyDone("manage-parcels", parcel);
    return this.send("changeLandUse", [ulpinBytes(ulpin), landUse, recordHash]);
  }

  async split(ulpin: string, parts: readonly NewParcel[], snapshots: SnapshotFolders): Promise<WriteResult> {
    const parcel = await this.requireParcel(ulpin);
    if (parcel.status === "retired") return this.alreadySucceededBy(ulpin, parts.map((p) => p.ulpin));
    const owners = currentOwners(await this.events(ulpin), parcel.ownersHash, parcel.ulpin);
    const absences = await this.absences(parts.map((p) => p.ulpin), snapshots);
    return this.send("split", [ulpinBytes(ulpin), owners, parts.map(toContractPart), absences]);
  }

  async merge(ulpins: readonly string[], merged: NewParcel, snapshots: SnapshotFolders): Promise<WriteResult> {
    if (ulpins.length === 0) throw new InputError("Name the parcels to merge.");
    const first = await this.requireParcel(ulpins[0]);
    if (first.status === "retired") return this.alreadySucceededBy(ulpins[0], [merged.ulpin]);
    const owners = currentOwners(await this.events(ulpins[0]), first.ownersHash, first.ulpin);
    const absences = await this.absences([merged.ulpin], snapshots);
    return this.send("merge", [ulpins.map((u) => ulpinBytes(u)), owners, toContractPart(merged), absences]);
  }

  /** A retired parcel is "already done" only if it was retired into exactly these parcels. */
  private async alreadySucceededBy(ulpin: string, successors: readonly string[]): Promise<WriteResult> {
    const children = (await this.read(() => this.contract.childrenOf(ulpinBytes(ulpin)))).map(ulpinText);
    if (children.length === successors.length && children.every((c, i) => c === successors[i])) return this.alreadyDone("manage-parcels", ulpin);
    throw new InputError(`Parcel ${ulpin} is retired: it became ${children.join(", ")}.`);
  }

  // ---------------------------------------------------------------- mutations

  async registerDeed(deedHash: string, ulpin: string, kind: number, transfer: Transfer): Promise<WriteResult> {
    if (await this.sameMutation(deedHash, ulpin, kind, transfer)) return this.alreadyDone("register-deeds", ulpin);
    return this.send("registerDeed", [deedHash, ulpinBytes(ulpin), kind, transfer.from, transfer.to]);
  }

  async openSuccession(certificateHash: string, ulpin: string, transfer: Transfer): Promise<WriteResult> {
    if (await this.sameMutation(certificateHash, ulpin, 3, transfer)) return this.alreadyDone("approve-mutations", ulpin);
    return this.send("openSuccession", [certificateHash, ulpinBytes(ulpin), transfer.from, transfer.to]);
  }

  /**
   * True if `deedHash` already opened this mutation of this parcel with this transfer; another kind or another
   * transfer under the same deed is refused, naming the difference.
   */
  private async sameMutation(deedHash: string, ulpin: string, kind: number, transfer: Transfer): Promise<boolean> {
    const existing = await this.mutation(ulpin, deedHash);
    if (!existing) return false;
    const registered = await this.transfer(ulpin, deedHash);
    const view = (kindName: string, t: Transfer) => ({ kind: kindName, "transferors' hash": ownersHash(t.from), "transferees' hash": ownersHash(t.to) });
    this.sameAsAsked(`The ${existing.kind} under ${deedHash} of parcel ${ulpin}`, view(mutationKindName(kind), transfer), view(existing.kind, registered));
    return true;
  }

  async lodgeObjection(deedHash: string, objection: string, ulpin?: string): Promise<WriteResult> {
    const m = await this.requireMutation(deedHash, ulpin);
    return this.send("lodgeObjection", [ulpinBytes(m.ulpin), deedHash, objection]);
  }

  /** Approves with the transfer the deed registered and the current owners; sends none if every owner gives all. */
  async approve(deedHash: string, recordHash: string, ulpin?: string): Promise<WriteResult> {
    const m = await this.requireMutation(deedHash, ulpin);
    if (m.status === "approved" || m.status === "appeal-allowed") return this.alreadyDone("approve-mutations", m.ulpin);
    return this.send("approveMutation", [ulpinBytes(m.ulpin), deedHash, ...(await this.applyArgs(m)), recordHash]);
  }

  async reject(deedHash: string, reason: number, order: string, ulpin?: string): Promise<WriteResult> {
    const m = await this.requireMutation(deedHash, ulpin);
    if (m.status === "rejected") return this.alreadyDone("approve-mutations", m.ulpin);
    return this.send("rejectMutation", [ulpinBytes(m.ulpin), deedHash, reason, order]);
  }

  async fileAppeal(deedHash: string, appeal: string, ulpin?: string): Promise<WriteResult> {
    const m = await this.requireMutation(deedHash, ulpin);
    if (m.status === "appealed") return this.alreadyDone("hear-appeals", m.ulpin);
    return this.send("fileAppeal", [ulpinBytes(m.ulpin), deedHash, appeal]);
  }

  async allowAppeal(deedHash: string, order: string, recordHash: string, ulpin?: string): Promise<WriteResult> {
    const m = await this.requireMutation(deedHash, ulpin);
    if (m.status === "appeal-allowed") return this.alreadyDone("hear-appeals", m.ulpin);
    return this.send("allowAppeal", [ulpinBytes(m.ulpin), deedHash, order, ...(await this.applyArgs(m)), recordHash]);
  }

  async dismissAppeal(deedHash: string, order: string, ulpin?: string): Promise<WriteResult> {
    const m = await this.requireMutation(deedHash, ulpin);
    if (m.status === "appeal-dismissed") return this.alreadyDone("hear-appeals", m.ulpin);
    return this.send("dismissAppeal", [ulpinBytes(m.ulpin), deedHash, order]);
  }

  /** `[owners, from, to]` for applying a mutation: owners left empty when the transferors are every owner. */
  private async applyArgs(m: MutationView): Promise<[Owner[], Owner[], Owner[]]> {
    const { from, to } = await this.transfer(m.ulpin, m.deedHash);
    const parcel = await this.requireParcel(m.ulpin);
    if (ownersHash(from) === parcel.ownersHash.toLowerCase()) return [[], from, to];
    return [currentOwners(await this.events(m.ulpin), parcel.ownersHash, parcel.ulpin), from, to];
  }

  // ---------------------------------------------------------------- courts and banks

  async freeze(ulpin: string, order: string, expiresAt: number): Promise<WriteResult> {
    const parcel = await this.requireParcel(ulpin);
    if (parcel.freezes.some((f) => f.order === order && f.expiresAt === expiresAt)) return this.alreadyDone("court-orders", parcel);
    return this.send("freeze", [ulpinBytes(ulpin), order, expiresAt]);
  }

  /** Lifts the freeze made under `order` with `liftingOrder`; a freeze this lifting order already lifted is done. */
  async unfreeze(ulpin: string, order: string, liftingOrder: string): Promise<WriteResult> {
    const parcel = await this.requireParcel(ulpin);
    if (!parcel.freezes.some((f) => f.order === order)) {
      const lifted = (await this.events(ulpin)).some((e) => e.name === "FreezeLifted" && e.args.order === order && e.args.liftingOrder === liftingOrder);
      if (lifted) return this.alreadyDone("court-orders", parcel);
    }
    return this.send("unfreeze", [ulpinBytes(ulpin), order, liftingOrder]);
  }

  /**
   * A court's rectification: the owners the parcel had before the mutation `deedHash` took effect are the owners
   * again, under `order`, with a new Record of Rights. The earlier owner list comes from the parcel's events.
   */
  async rectify(ulpin: string, deedHash: string, order: string, recordHash: string): Promise<WriteResult> {
    const m = await this.requireMutation(deedHash, ulpin);
    if (m.status === "rectified") return this.alreadyDone("court-orders", m.ulpin);
    const restored = ownersBefore(await this.events(m.ulpin), deedHash);
    if (!restored) throw new InputError(`${deedHash} has not taken effect on parcel ${m.ulpin}: there is nothing to rectify.`);
    return this.send("rectify", [ulpinBytes(m.ulpin), deedHash, restored, order, recordHash]);
  }

  /** Already done if this lien is on the parcel and held by the signer's own bank. */
  async registerLien(ulpin: string, lien: string): Promise<WriteResult> {
    const existing = await this.read(() => this.contract.lienOf(ulpinBytes(ulpin), lien));
    if (existing.holder !== 0n && existing.holder === (await this.signerOrganisation())) return this.alreadyDone("liens", ulpin);
    return this.send("registerLien", [ulpinBytes(ulpin), lien]);
  }

  async consent(ulpin: string, lien: string, deedHash: string): Promise<WriteResult> {
    const existing = await this.read(() => this.contract.lienOf(ulpinBytes(ulpin), lien));
    if (existing.consentedTo === deedHash) return this.alreadyDone("liens", ulpin);
    return this.send("consentToMutation", [ulpinBytes(ulpin), lien, deedHash]);
  }

  releaseLien(ulpin: string, lien: string): Promise<WriteResult> {
    return this.send("releaseLien", [ulpinBytes(ulpin), lien]);
  }

  /** A court discharges a lien whose bank can no longer act on it. */
  async dischargeLien(ulpin: string, lien: string, order: string): Promise<WriteResult> {
    const existing = await this.read(() => this.contract.lienOf(ulpinBytes(ulpin), lien));
    if (existing.holder === 0n) return this.alreadyDone("court-orders", ulpin);
    return this.send("dischargeLien", [ulpinBytes(ulpin), lien, order]);
  }

  /**
   * "Already on chain" is said only to a signer who may do the act itself: the act is done, and this key holds the
   * act's capability in the parcel's jurisdiction. Any other key is refused as the registry would refuse it had the
   * act not been done, so a deeds-office key never reads "✓ approved".
   */
  private async alreadyDone(capability: CapabilityName, parcel: string | Pick<ParcelView, "district" | "block">): Promise<WriteResult> {
    if (!this.signer) throw new InputError("This command signs a transaction: pass --keystore (or --dev-account on a local chain).");
    const { district, block } = typeof parcel === "string" ? await this.requireParcel(parcel) : parcel;
    const directory = ParticipantDirectory__factory.connect(this.deployment.contracts.ParticipantDirectory.address, this.provider);
    const districtCode = district * 65_536;
    try {
      await directory.authorizedOrganisationWithin(await this.signer.getAddress(), CAPABILITIES[capability], districtCode + block, districtCode);
    } catch (error) {
      const refused = asSakshyaError(error);
      if (refused instanceof RevertError) throw new InputError(`It is already on chain, but not this key's to do: ${refused.message.replace(/^The contract refused: /, "")} Nothing was sent.`);
      throw refused;
    }
    return ALREADY_DONE;
  }

  private async signerOrganisation(): Promise<bigint> {
    if (!this.signer) return 0n;
    const directory = ParticipantDirectory__factory.connect(this.deployment.contracts.ParticipantDirectory.address, this.provider);
    const account = await this.read(async () => directory.account(await this.signer!.getAddress()));
    return account.orgId;
  }

  // ---------------------------------------------------------------- migration

  /** Whether a snapshot root is anchored, with how many parcels, and whether it was retired. */
  async snapshot(root: string): Promise<{ parcelCount: number; anchoredAt: number; retiredAt: number; absenceRoot: string } | undefined> {
    const found = await this.read(() => this.contract.snapshot(root));
    if (found.anchoredAt === 0n) return undefined;
    return { parcelCount: Number(found.parcelCount), anchoredAt: Number(found.anchoredAt), retiredAt: Number(found.retiredAt), absenceRoot: found.absenceRoot };
  }

  /**
   * Anchors a snapshot through governance (the governor's role), or reports it already anchored. A snapshot 1.0.0
   * anchored without its gap root is anchored again with it.
   */
  async anchorSnapshot(governance: Governance, root: string, parcelCount: number, exportHash: string, absenceRoot: string): Promise<Outcome | "already-done"> {
    const existing = await this.snapshot(root);
    if (existing) {
      if (existing.parcelCount !== parcelCount) throw new InputError(`Snapshot ${root} is anchored with ${existing.parcelCount} parcels, not ${parcelCount}.`);
      const legacy = /^0x0{64}$/.test(existing.absenceRoot) && existing.retiredAt === 0;
      if (!legacy) return "already-done";
    }
    return this.govern(governance, "anchorSnapshot", [root, parcelCount, exportHash, absenceRoot]);
  }

  /** Retires a snapshot through governance (the governor's role), or reports it already retired. */
  async retireSnapshot(governance: Governance, root: string, reason: string): Promise<Outcome | "already-done"> {
    const existing = await this.snapshot(root);
    if (!existing) throw new InputError(`No snapshot ${root} is anchored.`);
    if (existing.retiredAt !== 0) return "already-done";
    return this.govern(governance, "retireSnapshot", [root, reason]);
  }

  async materialise(root: string, record: ParcelRecord, owners: readonly Owner[], proof: readonly string[]): Promise<WriteResult> {
    const existing = await this.parcel(record.ulpin);
    if (existing) return this.sameParcel(existing, record, owners);
    return this.send("materialise", [root, toContractRecord(record), owners, proof]);
  }
}
