import { getAddress, isAddress, type ContractRunner, type Interface, type TransactionReceipt } from "ethers";
import { ParticipantDirectory__factory, type ParticipantDirectory } from "../../typechain-types";
import { asSakshyaError } from "../chain/transact";
import type { Deployment } from "../config/deployments";
import { InputError, RevertError } from "../errors";
import type { Governance, Outcome } from "../governance/governed";
import { enodeHalves, formatEnode, nodeId as computeNodeId, type Enode } from "./enode";
import {
  capabilityNames,
  decodeCode,
  encodeCode,
  kindName,
  parseCapabilities,
  parseKind,
  statusName,
  type CapabilityName,
  type KindName,
  type StatusName,
} from "./vocabulary";
import { isoTime } from "../io/time";

export interface AccountView {
  readonly address: string;
  readonly orgId: number;
  readonly active: boolean;
  readonly addedAt: number;
  /** Unix time after which what this key signed is void; 0 if never reported compromised. */
  readonly compromisedAt: number;
}

export interface NodeView {
  readonly nodeId: string;
  readonly orgId: number;
  readonly enode: string;
  readonly validator: boolean;
  readonly allowed: boolean;
}

export interface OrganisationView {
  readonly id: number;
  readonly code: string;
  readonly kind: KindName | "unknown";
  readonly status: StatusName | "unknown";
  readonly capabilities: CapabilityName[];
  readonly jurisdictions: number[];
  readonly metadataHash: string;
  /** The organisation named to act for it once it can no longer act itself (its liens), or 0. */
  readonly successor: number;
  readonly onboardedAt: number;
  readonly updatedAt: number;
}

export interface OrganisationDetail extends OrganisationView {
  readonly accounts: AccountView[];
  readonly nodes: NodeView[];
}

export interface OnboardRequest {
  readonly code: string;
  readonly kind: string;
  readonly capabilities: string;
  readonly jurisdictions: number[];
  readonly metadataHash: string;
}

export interface Authorization {
  readonly authorized: boolean;
  readonly orgId?: number;
  /** Why not, as the directory's decoded custom error. */
  readonly reason?: RevertError;
}

/** Parses a user-supplied address; mixed-case input must carry a valid checksum. */
export function parseAddress(value: string): string {
  if (!isAddress(value)) throw new InputError(`"${value}" is not a valid address (or its checksum is wrong).`);
  return getAddress(value);
}

function requireHash(value: string, what: string): string {
  if (!/^0x[0-9a-fA-F]{64}$/.test(value)) throw new InputError(`The ${what} must be a 32-byte hex hash (0x + 64 digits).`);
  if (/^0x0{64}$/.test(value)) throw new InputError(`The ${what} must not be zero.`);
  return value.toLowerCase();
}

/** Reads and (through governance) writes the participant directory. */
export class DirectoryClient {
  readonly contract: ParticipantDirectory;

  constructor(
    readonly deployment: Deployment,
    runner: ContractRunner,
    private readonly governance?: Governance,
  ) {
    this.contract = ParticipantDirectory__factory.connect(deployment.contracts.ParticipantDirectory.address, runner);
  }

  get address(): string {
    return this.deployment.contracts.ParticipantDirectory.address;
  }

  // ------------------------------------------------------------------ reads

  /** Accepts an organisation code ("wbu") or its numeric id ("3"). */
  async resolveOrganisation(reference: string): Promise<number> {
    if (/^\d+$/.test(reference)) {
      const id = Number(reference);
      const count = Number(await this.read(() => this.contract.organisationCount()));
      if (id < 1 || id > count) throw new InputError(`No organisation has id ${reference}.`);
      return id;
    }
    const id = await this.organisationIdOf(reference);
    if (id === undefined) throw new InputError(`No organisation has code "${reference}".`);
    return id;
  }

  /** The id of the organisation with this code, or undefined if the directory has none (a malformed code included). */
  async organisationIdOf(code: string): Promise<number | undefined> {
    let encoded: string;
    try {
      encoded = encodeCode(code);
    } catch {
      return undefined;
    }
    try {
      return Number(await this.contract.organisationIdByCode(encoded));
    } catch (error) {
      const decoded = asSakshyaError(error);
      if (decoded instanceof RevertError) return undefined;
      throw decoded;
    }
  }

  async organisation(id: number): Promise<OrganisationView> {
    const [org, jurisdictions, successor] = await this.read(() =>
      Promise.all([this.contract.organisation(id), this.contract.jurisdictionsOf(id), this.contract.successorOf(id)]),
    );
    return {
      id,
      code: decodeCode(org.code),
      kind: kindName(Number(org.kind)),
      status: statusName(Number(org.status)),
      capabilities: capabilityNames(Number(org.capabilities)),
      jurisdictions: jurisdictions.map(Number),
      metadataHash: org.metadataHash,
      successor: Number(successor),
      onboardedAt: Number(org.onboardedAt),
      updatedAt: Number(org.updatedAt),
    };
  }

  /** The organisation with its keys and nodes, or undefined when the directory never gave this id. */
  async findDetail(id: number): Promise<OrganisationDetail | undefined> {
    try {
      return await this.detail(id);
    } catch (error) {
      if (error instanceof RevertError && error.errorName === "ParticipantDirectoryUnknownOrganisation") return undefined;
      throw error;
    }
  }

  /** Only the organisation's code: one call, not {@link organisation}'s three. */
  async codeOf(id: number): Promise<string> {
    return decodeCode((await this.read(() => this.contract.organisation(id))).code);
  }

  async detail(id: number): Promise<OrganisationDetail> {
    const [view, accounts, nodeIds] = await this.read(() =>
      Promise.all([this.organisation(id), this.contract.accountsOf(id), this.contract.nodesOf(id)]),
    );
    return {
      ...view,
      accounts: await Promise.all(accounts.map((address) => this.account(address))),
      nodes: await Promise.all(nodeIds.map((nodeId) => this.node(nodeId))),
    };
  }

  async list(): Promise<OrganisationView[]> {
    const count = Number(await this.read(() => this.contract.organisationCount()));
    return Promise.all(Array.from({ length: count }, (_, i) => this.organisation(i + 1)));
  }

  async account(address: string): Promise<AccountView> {
    const record = await this.read(() => this.contract.account(address));
    return {
      address: getAddress(address),
      orgId: Number(record.orgId),
      active: record.active,
      addedAt: Number(record.addedAt),
      compromisedAt: Number(record.compromisedAt),
    };
  }

  async node(nodeId: string): Promise<NodeView> {
    const [record, allowed] = await this.read(() =>
      Promise.all([this.contract.node(nodeId), this.contract.isNodeAllowed(nodeId)]),
    );
    const enode: Enode = { publicKey: `${record.enodeHigh}${record.enodeLow.slice(2)}`, host: record.host, port: Number(record.port) };
    return { nodeId, orgId: Number(record.orgId), enode: formatEnode(enode), validator: record.validator, allowed };
  }

  /** The check every registry makes: may `account` act with these capabilities in this jurisdiction? */
  async authorization(account: string, capabilities: string, jurisdiction: number): Promise<Authorization> {
    const mask = parseCapabilities(capabilities);
    try {
      const orgId = Number(await this.contract.authorizedOrganisation(account, mask, jurisdiction));
      return { authorized: true, orgId };
    } catch (error) {
      const decoded = asSakshyaError(error);
      if (!(decoded instanceof RevertError)) throw decoded;
      const orgId = decoded.args.orgId !== undefined ? Number(decoded.args.orgId) : undefined;
      return { authorized: false, orgId, reason: decoded };
    }
  }

  // ------------------------------------------------------------------ writes (governance)

  async onboard(request: OnboardRequest): Promise<Outcome & { orgId?: number }> {
    const args = [
      encodeCode(request.code),
      parseKind(request.kind),
      parseCapabilities(request.capabilities),
      request.jurisdictions,
      requireHash(request.metadataHash, "metadata hash"),
    ] as const;
    const outcome = await this.write("onboard", args);
    const event = outcome.status === "executed" ? this.findEvent(outcome.receipt, "OrganisationOnboarded") : undefined;
    return { ...outcome, orgId: event ? Number(event.orgId) : undefined };
  }

  updateOrganisation(orgId: number, capabilities: string, metadataHash: string): Promise<Outcome> {
    return this.write("updateOrganisation", [orgId, parseCapabilities(capabilities), requireHash(metadataHash, "metadata hash")]);
  }

  setJurisdictions(orgId: number, jurisdictions: number[]): Promise<Outcome> {
    return this.write("setJurisdictions", [orgId, jurisdictions]);
  }

  setSuccessor(orgId: number, successor: number): Promise<Outcome> {
    return this.write("setSuccessor", [orgId, successor]);
  }

  changeStatus(action: "suspend" | "reinstate" | "offboard", orgId: number, reason: string): Promise<Outcome> {
    return this.write(action, [orgId, requireHash(reason, "reason hash")]);
  }

  addAccount(orgId: number, account: string): Promise<Outcome> {
    return this.write("addAccount", [orgId, parseAddress(account)]);
  }

  removeAccount(account: string): Promise<Outcome> {
    return this.write("removeAccount", [parseAddress(account)]);
  }

  compromiseAccount(account: string, cutoff: number): Promise<Outcome> {
    if (!Number.isSafeInteger(cutoff) || cutoff <= 0) throw new InputError("The compromise cut-off must be a positive Unix time.");
    return this.write("markAccountCompromised", [parseAddress(account), cutoff]);
  }

  async addNode(orgId: number, enode: Enode, validator: boolean): Promise<Outcome & { nodeId: string }> {
    const [high, low] = enodeHalves(enode.publicKey);
    const outcome = await this.write("addNode", [orgId, high, low, enode.host, enode.port, validator]);
    return { ...outcome, nodeId: computeNodeId(enode.publicKey) };
  }

  /**
   * Moves a reported key's cut-off earlier (the governor's decision, delayed), voiding what it signed from then on.
   * Refused before anything is sent for a key never reported, or a cut-off not earlier than the reported one.
   */
  async backdateCompromise(account: string, cutoff: number, reason: string): Promise<Outcome> {
    const address = parseAddress(account);
    const { compromisedAt } = await this.account(address);
    if (compromisedAt === 0) throw new InputError(`${address} was never reported compromised: report it first (org compromise-account).`);
    if (!Number.isSafeInteger(cutoff) || cutoff <= 0 || cutoff >= compromisedAt) {
      throw new InputError(`The new cut-off must be a positive time earlier than the reported one (${isoTime(compromisedAt)}).`);
    }
    return this.write("backdateCompromise", [address, cutoff, requireHash(reason, "reason hash")]);
  }

  removeNode(nodeId: string): Promise<Outcome> {
    return this.write("removeNode", [requireHash(nodeId, "node id")]);
  }

  // ------------------------------------------------------------------ internals

  private async write(method: string, args: readonly unknown[]): Promise<Outcome> {
    if (!this.governance) throw new InputError("This command changes the directory: it needs a signer.");
    const data = (this.contract.interface as Interface).encodeFunctionData(method, args);
    return this.governance.call(this.address, data);
  }

  private async read<T>(call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (error) {
      throw asSakshyaError(error);
    }
  }

  private findEvent(receipt: TransactionReceipt, name: string): Record<string, unknown> | undefined {
    for (const log of receipt.logs) {
      if (log.address.toLowerCase() !== this.address.toLowerCase()) continue;
      const parsed = this.contract.interface.parseLog(log);
      if (parsed?.name === name) return parsed.args.toObject();
    }
    return undefined;
  }
}
