import type { ContractRunner, Provider, Result, Signer } from "ethers";
import { LandRegistry__factory, ParticipantDirectory__factory, type LandRegistry } from "../../typechain-types";
import type { ILandRegistry } from "../../typechain-types/contracts/land/LandRegistry";
import { ALREADY_DONE, ContractClient, type WriteResult } from "../chain/contract-client";
import { deployedContractOf, type Deployment } from "../config/deployments";
import { InputError } from "../errors";
import type { Governance, Outcome } from "../governance/governed";
import { currentOwners, mutationOpenedEvent, ownersOf, parcelEvents, type LandEvent } from "./events";
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
  readonly freeze?: FreezeView;
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

const toContractRecord = (r: ParcelRecord): ILandRegistry.ParcelRecordStruct => ({ ...r, ulpin: ulpinBytes(r.ulpin) });
const toContractPart = (p: NewParcel): ILandRegistry.NewParcelStruct => ({ ...p, ulpin: ulpinBytes(p.ulpin) });

/**
 * Reads the land registry and writes to it as the department, court or bank whose key signs. Writes are safe to run
 * again: what is already on chain is reported as already done and not sent twice.
 */
export class LandClient extends ContractClient {
  readonly contract: LandRegistry;

  constructor(
    readonly deployment: Deployment,
    private readonly provider: Provider & ContractRunner,
    signer?: Signer,
  ) {
    const address = deployedContractOf(deployment, "LandRegistry").address;
    super(address, LandRegistry__factory.createInterface(), signer, "land registry");
    this.contract = LandRegistry__factory.connect(address, provider);
  }

  // ---------------------------------------------------------------- reads

  /** The parcel, or undefined if it is not on chain. */
  async parcel(ulpin: string): Promise<ParcelView | undefined> {
    const key = ulpinBytes(ulpin);
    const [p, status] = await this.read(() => Promise.all([this.contract.parcel(key), this.contract.parcelStatus(key)]));
    const name = parcelStatusName(status);
    if (name === "none") return undefined;
    const freeze = p.frozen ? await this.read(() => this.contract.freezeOf(key)) : undefined;
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
      ...(freeze && name === "frozen"
        ? { freeze: { order: freeze.order, court: Number(freeze.court), frozenAt: Number(freeze.frozenAt), expiresAt: Number(freeze.expiresAt) } }
        : {}),
    };
  }

  /** The parcel, or a sentence saying it is not on chain. */
  async requireParcel(ulpin: string): Promise<ParcelView> {
    const parcel = await this.parcel(ulpin);
    if (!parcel) throw new InputError(`No parcel ${ulpin} is on chain.`);
    return parcel;
  }

  /** The mutation opened by a deed or succession certificate, or undefined. */
  async mutation(deedHash: string): Promise<MutationView | undefined> {
    const m = await this.read(() => this.contract.mutation(deedHash));
    const status = mutationStatusName(m.status);
    if (status === "none") return undefined;
    const overdue = await this.read(() => this.contract.isOverdue(deedHash));
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

  async requireMutation(deedHash: string): Promise<MutationView> {
    const m = await this.mutation(deedHash);
    if (!m) throw new InputError(`No mutation was opened by ${deedHash}.`);
    return m;
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

  /** The transfer a deed registered. */
  async transfer(deedHash: string): Promise<Transfer> {
    const opened = await this.read(() => mutationOpenedEvent(this.contract, this.provider, this.deployment.deployBlock, deedHash));
    if (!opened) throw new InputError(`No mutation was opened by ${deedHash}.`);
    return { from: ownersOf(opened.args.from as Result), to: ownersOf(opened.args.to as Result) };
  }

  // ---------------------------------------------------------------- parcels

  async registerParcel(record: ParcelRecord, owners: readonly Owner[]): Promise<WriteResult> {
    const existing = await this.parcel(record.ulpin);
    if (existing) {
      const same =
        existing.ownersHash === ownersHash(owners) &&
        existing.area === record.area &&
        existing.district === record.district &&
        existing.block === record.block &&
        existing.village === record.village;
      if (same) return ALREADY_DONE;
      throw new InputError(`Parcel ${record.ulpin} is already on chain with other details (version ${existing.version}).`);
    }
    return this.send("registerParcel", [toContractRecord(record), owners]);
  }

  async changeLandUse(ulpin: string, landUse: number, recordHash: string): Promise<WriteResult> {
    const parcel = await this.requireParcel(ulpin);
    if (landUseName(landUse) === parcel.landUse && parcel.recordHash === recordHash) return ALREADY_DONE;
    return this.send("changeLandUse", [ulpinBytes(ulpin), landUse, recordHash]);
  }

  async split(ulpin: string, parts: readonly NewParcel[]): Promise<WriteResult> {
    const parcel = await this.requireParcel(ulpin);
    if (parcel.status === "retired") return this.alreadySucceededBy(ulpin, parts.map((p) => p.ulpin));
    const owners = currentOwners(await this.events(ulpin), parcel.ownersHash, parcel.ulpin);
    return this.send("split", [ulpinBytes(ulpin), owners, parts.map(toContractPart)]);
  }

  async merge(ulpins: readonly string[], merged: NewParcel): Promise<WriteResult> {
    if (ulpins.length === 0) throw new InputError("Name the parcels to merge.");
    const first = await this.requireParcel(ulpins[0]);
    if (first.status === "retired") return this.alreadySucceededBy(ulpins[0], [merged.ulpin]);
    const owners = currentOwners(await this.events(ulpins[0]), first.ownersHash, first.ulpin);
    return this.send("merge", [ulpins.map((u) => ulpinBytes(u)), owners, toContractPart(merged)]);
  }

  /** A retired parcel is "already done" only if it was retired into exactly these parcels. */
  private async alreadySucceededBy(ulpin: string, successors: readonly string[]): Promise<WriteResult> {
    const children = (await this.read(() => this.contract.childrenOf(ulpinBytes(ulpin)))).map(ulpinText);
    if (children.length === successors.length && children.every((c, i) => c === successors[i])) return ALREADY_DONE;
    throw new InputError(`Parcel ${ulpin} is retired: it became ${children.join(", ")}.`);
  }

  // ---------------------------------------------------------------- mutations

  async registerDeed(deedHash: string, ulpin: string, kind: number, transfer: Transfer): Promise<WriteResult> {
    if (await this.sameMutation(deedHash, ulpin, kind)) return ALREADY_DONE;
    return this.send("registerDeed", [deedHash, ulpinBytes(ulpin), kind, transfer.from, transfer.to]);
  }

  async openSuccession(certificateHash: string, ulpin: string, transfer: Transfer): Promise<WriteResult> {
    if (await this.sameMutation(certificateHash, ulpin, 3)) return ALREADY_DONE;
    return this.send("openSuccession", [certificateHash, ulpinBytes(ulpin), transfer.from, transfer.to]);
  }

  /** True if `deedHash` already opened this mutation; a different one under the same hash is refused. */
  private async sameMutation(deedHash: string, ulpin: string, kind: number): Promise<boolean> {
    const existing = await this.mutation(deedHash);
    if (!existing) return false;
    if (existing.ulpin !== ulpin || existing.kind !== mutationKindName(kind)) {
      throw new InputError(`${deedHash} already opened a ${existing.kind} of parcel ${existing.ulpin}.`);
    }
    return true;
  }

  lodgeObjection(deedHash: string, objection: string): Promise<WriteResult> {
    return this.send("lodgeObjection", [deedHash, objection]);
  }

  /** Approves with the transfer the deed registered and the current owners; sends none if every owner gives all. */
  async approve(deedHash: string, recordHash: string): Promise<WriteResult> {
    const m = await this.requireMutation(deedHash);
    if (m.status === "approved" || m.status === "appeal-allowed") return ALREADY_DONE;
    return this.send("approveMutation", [deedHash, ...(await this.applyArgs(m)), recordHash]);
  }

  async reject(deedHash: string, reason: number, order: string): Promise<WriteResult> {
    const m = await this.requireMutation(deedHash);
    if (m.status === "rejected") return ALREADY_DONE;
    return this.send("rejectMutation", [deedHash, reason, order]);
  }

  async fileAppeal(deedHash: string, appeal: string): Promise<WriteResult> {
    const m = await this.requireMutation(deedHash);
    if (m.status === "appealed") return ALREADY_DONE;
    return this.send("fileAppeal", [deedHash, appeal]);
  }

  async allowAppeal(deedHash: string, order: string, recordHash: string): Promise<WriteResult> {
    const m = await this.requireMutation(deedHash);
    if (m.status === "appeal-allowed") return ALREADY_DONE;
    return this.send("allowAppeal", [deedHash, order, ...(await this.applyArgs(m)), recordHash]);
  }

  async dismissAppeal(deedHash: string, order: string): Promise<WriteResult> {
    const m = await this.requireMutation(deedHash);
    if (m.status === "appeal-dismissed") return ALREADY_DONE;
    return this.send("dismissAppeal", [deedHash, order]);
  }

  /** `[owners, from, to]` for applying a mutation: owners left empty when the transferors are every owner. */
  private async applyArgs(m: MutationView): Promise<[Owner[], Owner[], Owner[]]> {
    const { from, to } = await this.transfer(m.deedHash);
    const parcel = await this.requireParcel(m.ulpin);
    if (ownersHash(from) === parcel.ownersHash.toLowerCase()) return [[], from, to];
    return [currentOwners(await this.events(m.ulpin), parcel.ownersHash, parcel.ulpin), from, to];
  }

  // ---------------------------------------------------------------- courts and banks

  async freeze(ulpin: string, order: string, expiresAt: number): Promise<WriteResult> {
    const parcel = await this.requireParcel(ulpin);
    if (parcel.freeze?.order === order) return ALREADY_DONE;
    return this.send("freeze", [ulpinBytes(ulpin), order, expiresAt]);
  }

  async unfreeze(ulpin: string, order: string): Promise<WriteResult> {
    return this.send("unfreeze", [ulpinBytes(ulpin), order]);
  }

  /** Already done if this lien is on the parcel and held by the signer's own bank. */
  async registerLien(ulpin: string, lien: string): Promise<WriteResult> {
    const existing = await this.read(() => this.contract.lienOf(ulpinBytes(ulpin), lien));
    if (existing.holder !== 0n && existing.holder === (await this.signerOrganisation())) return ALREADY_DONE;
    return this.send("registerLien", [ulpinBytes(ulpin), lien]);
  }

  async consent(ulpin: string, lien: string, deedHash: string): Promise<WriteResult> {
    const existing = await this.read(() => this.contract.lienOf(ulpinBytes(ulpin), lien));
    if (existing.consentedTo === deedHash) return ALREADY_DONE;
    return this.send("consentToMutation", [ulpinBytes(ulpin), lien, deedHash]);
  }

  releaseLien(ulpin: string, lien: string): Promise<WriteResult> {
    return this.send("releaseLien", [ulpinBytes(ulpin), lien]);
  }

  private async signerOrganisation(): Promise<bigint> {
    if (!this.signer) return 0n;
    const directory = ParticipantDirectory__factory.connect(this.deployment.contracts.ParticipantDirectory.address, this.provider);
    const account = await this.read(async () => directory.account(await this.signer!.getAddress()));
    return account.orgId;
  }

  // ---------------------------------------------------------------- migration

  /** Whether a snapshot root is anchored, and with how many parcels. */
  async snapshot(root: string): Promise<{ parcelCount: number; anchoredAt: number } | undefined> {
    const found = await this.read(() => this.contract.snapshot(root));
    return found.anchoredAt === 0n ? undefined : { parcelCount: Number(found.parcelCount), anchoredAt: Number(found.anchoredAt) };
  }

  /** Anchors a snapshot through governance (the governor's role), or reports it already anchored. */
  async anchorSnapshot(governance: Governance, root: string, parcelCount: number, exportHash: string): Promise<Outcome | "already-done"> {
    const existing = await this.snapshot(root);
    if (existing) {
      if (existing.parcelCount !== parcelCount) throw new InputError(`Snapshot ${root} is anchored with ${existing.parcelCount} parcels, not ${parcelCount}.`);
      return "already-done";
    }
    return governance.call(this.address, this.contract.interface.encodeFunctionData("anchorSnapshot", [root, parcelCount, exportHash]));
  }

  async materialise(root: string, record: ParcelRecord, owners: readonly Owner[], proof: readonly string[]): Promise<WriteResult> {
    const existing = await this.parcel(record.ulpin);
    if (existing) {
      if (existing.ownersHash === ownersHash(owners) && existing.area === record.area) return ALREADY_DONE;
      throw new InputError(`Parcel ${record.ulpin} is already on chain and differs from its snapshot entry.`);
    }
    return this.send("materialise", [root, toContractRecord(record), owners, proof]);
  }
}
