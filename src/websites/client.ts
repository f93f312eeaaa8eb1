import { ZeroHash, decodeBytes32String, encodeBytes32String, type ContractRunner, type Signer } from "ethers";
import { WebsiteRegistry__factory, type WebsiteRegistry } from "../../typechain-types";
import { ALREADY_DONE, ContractClient, type WriteResult } from "../chain/contract-client";
import { DirectoryClient } from "../directory/client";
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
  /** When governance last moved the site to another organisation (0: never since 2.2.0). */
  readonly reassignedAt: number;
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
  /** The organisation whose keys approved it (0: a 1.0.0 release none has approved since). */
  readonly orgId: number;
  /** Governance's decision affirming the release after a compromise cut-off voided part of it. */
  readonly affirmation?: string;
}

/** Reads the website registry and writes to it as a publisher key; writes already on chain are not sent again. */
export class WebsiteClient extends ContractClient {
  readonly contract: WebsiteRegistry;
  private readonly directory: DirectoryClient;

  constructor(
    readonly deployment: Deployment,
    runner: ContractRunner,
    signer?: Signer,
  ) {
    const address = deployedContractOf(deployment, "WebsiteRegistry").address;
    super(address, WebsiteRegistry__factory.createInterface(), signer, "website registry");
    this.contract = WebsiteRegistry__factory.connect(address, runner);
    this.directory = new DirectoryClient(deployment, runner);
  }

  async site(siteId: string): Promise<SiteView | undefined> {
    const s = await this.read(() => this.contract.site(siteId));
    if (s.orgId === 0n) return undefined;
    return {
      siteId,
      orgId: Number(s.orgId),
      threshold: Number(s.threshold),
      current: Number(s.current),
      releaseCount: Number(s.releaseCount),
      registeredAt: Number(s.registeredAt),
      reassignedAt: Number(s.reassignedAt),
    };
  }

  async requireSite(siteId: string, domain: string): Promise<SiteView> {
    const found = await this.site(siteId);
    if (!found) throw new InputError(`No site ${domain} is registered.`);
    return found;
  }

  async release(siteId: string, id: number): Promise<ReleaseView | undefined> {
    const [r, affirmation] = await this.read(() => Promise.all([this.contract.release(siteId, id), this.contract.releaseAffirmation(siteId, id)]));
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
      orgId: Number(r.orgId),
      ...(affirmation !== ZeroHash ? { affirmation } : {}),
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

  /**
   * Publishes a manifest's release; already done if its root is a release of the site's organisation (one another
   * organisation published before the site was moved is published again). Returns the release id.
   */
  async publish(manifest: SiteManifest, manifestHash: string): Promise<WriteResult & { releaseId: number }> {
    const existing = Number(await this.read(() => this.contract.releaseByRoot(manifest.siteId, manifest.root)));
    if (existing !== 0 && (await this.ownRelease(manifest.siteId, existing))) return { ...(await this.alreadyDone(manifest.siteId, `Release ${existing}`)), releaseId: existing };
    const result = await this.send("publish", [manifest.siteId, encodeBytes32String(manifest.release), manifest.root, manifest.fileCount, manifest.totalBytes, manifestHash]);
    return { ...result, releaseId: Number(await this.read(() => this.contract.releaseByRoot(manifest.siteId, manifest.root))) };
  }

  /**
   * This key's approval of a release. An approval of an approved release adds to it: it makes the current release
   * current again once a stolen key's approval stopped counting. "Already on chain" is said only when this key's
   * approval is there and counts, and it was an approval, not the publishing that counts as one: the publisher asking
   * again is told the release still waits for another key.
   */
  async approve(siteId: string, releaseId: number): Promise<WriteResult> {
    if (!this.signer) return this.send("approve", [siteId, releaseId]);
    const me = (await this.signer.getAddress()).toLowerCase();
    const approvals = await this.read(() => this.contract.approvalsOf(siteId, releaseId));
    const mine = approvals.findIndex((a) => a.approver.toLowerCase() === me);
    if (mine < 0) return this.send("approve", [siteId, releaseId]);
    const site = await this.site(siteId);
    const counting = approvals.filter((a) => a.counts).length;
    const standing = `${counting} of ${site?.threshold ?? "?"} approval${site?.threshold === 1 ? "" : "s"} count now`;
    if (!approvals[mine].counts) {
      throw new InputError(`This key's approval of release ${releaseId} is on chain but does not count (the key was reported compromised, or the release is not the site's organisation's); ${standing}. Nothing was sent.`);
    }
    if (mine === 0 && counting < (site?.threshold ?? 0)) {
      throw new InputError(`This key published release ${releaseId}, which counts as its first approval; it waits for another key of the organisation (${standing}). Nothing was sent.`);
    }
    return ALREADY_DONE;
  }

  /** Makes a release current again; already done if it is current as things count now. */
  async rollback(siteId: string, releaseId: number): Promise<WriteResult> {
    const [current] = await this.read(() => this.contract.currentRelease(siteId));
    if (Number(current) === releaseId) return this.alreadyDone(siteId, `Release ${releaseId} as the current one`);
    return this.send("rollback", [siteId, releaseId]);
  }

  /** Already done, for a publisher key of the site's organisation; refused for any other key. */
  private async alreadyDone(siteId: string, what: string): Promise<WriteResult> {
    const site = await this.site(siteId);
    if (!site) throw new InputError("The site is not registered.");
    return this.alreadyDoneAsKeyOf(this.directory, site.orgId, "publish-websites", what);
  }

  /** Whether a release is the site's organisation's: its approvals count only then (the registry's rule). */
  private async ownRelease(siteId: string, releaseId: number): Promise<boolean> {
    const [site, release] = await Promise.all([this.site(siteId), this.release(siteId, releaseId)]);
    if (!site || !release) return false;
    return release.orgId === site.orgId || (release.orgId === 0 && site.reassignedAt === 0);
  }

  /**
   * Affirms through governance (the governor's, delayed) a release whose approvals or activation a compromise cut-off
   * voided, with the decision's hash. Refused before anything is sent when nothing of it was voided.
   */
  async affirmRelease(governance: Governance, siteId: string, releaseId: number, reason: string): Promise<Outcome> {
    const release = await this.release(siteId, releaseId);
    if (!release) throw new InputError(`The site has no release ${releaseId}.`);
    if (release.affirmation) throw new InputError(`Release ${releaseId} was affirmed already (decision ${release.affirmation}).`);
    const [approvals, site, [current]] = await this.read(() => Promise.all([this.contract.approvalsOf(siteId, releaseId), this.site(siteId), this.contract.currentRelease(siteId)]));
    const voidedApproval = approvals.some((a) => !a.counts) && (await this.ownRelease(siteId, releaseId));
    const voidedActivation = site?.current === releaseId && Number(current) !== releaseId;
    if (!voidedApproval && !voidedActivation) throw new InputError(`Nothing of release ${releaseId} was voided by a compromised key: there is nothing to affirm.`);
    return this.govern(governance, "affirmRelease", [siteId, releaseId, reason]);
  }

  async revoke(siteId: string, releaseId: number, reason: number): Promise<WriteResult> {
    if ((await this.release(siteId, releaseId))?.status === "revoked") return this.alreadyDone(siteId, `The revocation of release ${releaseId}`);
    return this.send("revoke", [siteId, releaseId, reason]);
  }
}
