import { decodeBytes32String, encodeBytes32String, type ContractRunner, type Signer } from "ethers";
import { WebsiteRegistry__factory, type WebsiteRegistry } from "../../typechain-types";
import { ALREADY_DONE, ContractClient, type WriteResult } from "../chain/contract-client";
import { deployedContractOf, type Deployment } from "../config/deployments";
import { InputError } from "../errors";
import type { Governance, Outcome } from "../governance/governed";
import type { SiteManifest } from "./manifest";
import { releaseStatusName, revocationReasonName, type ReleaseStatusName, type RevocationReasonName } from "./vocabulary";

export interface SiteView {
  readonly siteId: string;
  readonly orgId: number;
  readonly threshold: number;
  readonly current: number;
  readonly releaseCount: number;
  readonly registeredAt: number;
}

export interface ReleaseView {
  readonly id: number;
  readonly version: string;
  readonly root: string;
  readonly manifest: string;
  readonly fileCount: number;
  readonly totalBytes: number;
  readonly publishedAt: number;
  readonly approvedAt: number;
  readonly approvals: number;
  readonly status: ReleaseStatusName;
  readonly reason: RevocationReasonName;
}

/** Reads the website registry and writes to it as a publisher key; writes already on chain are not sent again. */
export class WebsiteClient extends ContractClient {
  readonly contract: WebsiteRegistry;

  constructor(
    readonly deployment: Deployment,
    runner: ContractRunner,
    signer?: Signer,
  ) {
    const address = deployedContractOf(deployment, "WebsiteRegistry").address;
    super(address, WebsiteRegistry__factory.createInterface(), signer, "website registry");
    this.contract = WebsiteRegistry__factory.connect(address, runner);
  }

  async site(siteId: string): Promise<SiteView | undefined> {
    const s = await this.read(() => this.contract.site(siteId));
    if (s.orgId === 0n) return undefined;
    return { siteId, orgId: Number(s.orgId), threshold: Number(s.threshold), current: Number(s.current), releaseCount: Number(s.releaseCount), registeredAt: Number(s.registeredAt) };
  }

  async requireSite(siteId: string, domain: string): Promise<SiteView> {
    const found = await this.site(siteId);
    if (!found) throw new InputError(`No site ${domain} is registered.`);
    return found;
  }

  async release(siteId: string, id: number): Promise<ReleaseView | undefined> {
    const r = await this.read(() => this.contract.release(siteId, id));
    const status = releaseStatusName(r.status);
    if (status === "none") return undefined;
    return {
      id,
      version: decodeBytes32String(r.version),
      root: r.root,
      manifest: r.manifest,
      fileCount: Number(r.fileCount),
      totalBytes: Number(r.totalBytes),
      publishedAt: Number(r.publishedAt),
      approvedAt: Number(r.approvedAt),
      approvals: Number(r.approvals),
      status,
      reason: revocationReasonName(r.reason),
    };
  }

  /** Every release of the site, oldest first. */
  async releases(siteId: string): Promise<ReleaseView[]> {
    const site = await this.site(siteId);
    if (!site) return [];
    const all = await Promise.all(Array.from({ length: site.releaseCount }, (_, i) => this.release(siteId, i + 1)));
    return all.filter((r): r is ReleaseView => r !== undefined);
  }

  /** Registers a site for an organisation through governance (the operator's role). */
  async registerSite(governance: Governance, siteId: string, orgId: number, threshold: number): Promise<Outcome | "already-done"> {
    const existing = await this.site(siteId);
    if (existing) {
      if (existing.orgId !== orgId) throw new InputError(`The site is already registered to organisation ${existing.orgId}.`);
      return "already-done";
    }
    return this.govern(governance, "registerSite", [siteId, orgId, threshold]);
  }

  /** Publishes a manifest's release; already done if its root is a release of the site. Returns the release id. */
  async publish(manifest: SiteManifest, manifestHash: string): Promise<WriteResult & { releaseId: number }> {
    const existing = Number(await this.read(() => this.contract.releaseByRoot(manifest.siteId, manifest.root)));
    if (existing !== 0) return { ...ALREADY_DONE, releaseId: existing };
    const result = await this.send("publish", [manifest.siteId, encodeBytes32String(manifest.release), manifest.root, manifest.fileCount, manifest.totalBytes, manifestHash]);
    return { ...result, releaseId: Number(await this.read(() => this.contract.releaseByRoot(manifest.siteId, manifest.root))) };
  }

  /** This key's approval of a release; already done if it approved it before. An approval of an approved release
   * adds to it: it makes the current release current again once a stolen key's approval stopped counting. */
  async approve(siteId: string, releaseId: number): Promise<WriteResult> {
    if (this.signer && (await this.read(async () => this.contract.hasApproved(siteId, releaseId, await this.signer!.getAddress())))) {
      return ALREADY_DONE;
    }
    return this.send("approve", [siteId, releaseId]);
  }

  /** Makes a release current again; already done if it is current as things count now. */
  async rollback(siteId: string, releaseId: number): Promise<WriteResult> {
    const [current] = await this.read(() => this.contract.currentRelease(siteId));
    if (Number(current) === releaseId) return ALREADY_DONE;
    return this.send("rollback", [siteId, releaseId]);
  }

  async revoke(siteId: string, releaseId: number, reason: number): Promise<WriteResult> {
    if ((await this.release(siteId, releaseId))?.status === "revoked") return ALREADY_DONE;
    return this.send("revoke", [siteId, releaseId, reason]);
  }
}
