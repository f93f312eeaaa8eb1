import { expect } from "chai";
import hre from "hardhat";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import { ZeroHash, encodeBytes32String, id } from "ethers";
import { upgradeContract } from "../deploy/upgrade";
import { WebsiteRegistry__factory } from "../typechain-types";
import { CAP, KIND, code, deployedSuite, evidence, upgraded } from "./fixtures";

const SITE = id("wb.gov.in");
const OTHER_SITE = id("wbpolice.gov.in");
const STATUS = { none: 0, pending: 1, approved: 2, revoked: 3 };
const REASON = { none: 0, keyCompromise: 1, tampered: 2, publishedInError: 3 };
const HOW = { published: 0, approved: 1, rolledBack: 2, thresholdLowered: 3 };
const version = (label: string) => encodeBytes32String(label);
const ORG = { it: 1, other: 2, bank: 3 };

/** The IT department (three publisher keys) owns the state portal; another department and a bank exist beside it. */
async function websiteSuite() {
  const suite = await deployedSuite();
  const { directory, others, deployment, operator } = suite;
  await directory.onboard(code("it-dept"), KIND.agency, CAP.publishWebsites, [0], evidence("IT department"));
  await directory.onboard(code("police"), KIND.agency, CAP.publishWebsites, [0], evidence("Police department"));
  await directory.onboard(code("sbi"), KIND.bank, CAP.liens, [0], evidence("bank"));
  const [alice, bob, carol, dana, banker, erin] = others;
  for (const key of [alice, bob, carol]) await directory.addAccount(ORG.it, key.address);
  for (const key of [dana, erin]) await directory.addAccount(ORG.other, key.address);
  await directory.addAccount(ORG.bank, banker.address);
  const sites = WebsiteRegistry__factory.connect(deployment.contracts.WebsiteRegistry!.address, alice);
  await sites.connect(operator).registerSite(SITE, ORG.it, 1);
  return { ...suite, sites, alice, bob, carol, dana, banker };
}

async function published() {
  const suite = await websiteSuite();
  await suite.sites.publish(SITE, version("2026.11.1"), id("root-1"), 120, 4_000_000, id("manifest-1"));
  return suite;
}

describe("WebsiteRegistry", () => {
  it("is deployed behind a proxy and cannot be initialised again", async () => {
    const { sites, deployment } = await loadFixture(websiteSuite);
    expect(await sites.version()).to.equal("2.2.0");
    expect(await sites.directory()).to.equal(deployment.contracts.ParticipantDirectory.address);
    await expect(sites.initialize(deployment.contracts.SakshyaAuthority.address)).to.be.revertedWithCustomError(sites, "InvalidInitialization");
  });

  describe("sites", () => {
    it("the operator registers a site for an organisation that may publish, once", async () => {
      const { sites, operator } = await loadFixture(websiteSuite);
      const registering = sites.connect(operator);
      await expect(registering.registerSite(OTHER_SITE, ORG.other, 2)).to.emit(sites, "SiteRegistered").withArgs(OTHER_SITE, ORG.other, 2, operator.address);
      const s = await sites.site(OTHER_SITE);
      expect([s.orgId, s.threshold, s.current, s.releaseCount, s.registeredAt]).to.deep.equal([2n, 2n, 0n, 0n, BigInt(await time.latest())]);
      await expect(registering.registerSite(OTHER_SITE, ORG.it, 1)).to.be.revertedWithCustomError(sites, "WebsiteRegistrySiteExists").withArgs(OTHER_SITE, ORG.other);
      await expect(registering.registerSite(ZeroHash, ORG.it, 1)).to.be.revertedWithCustomError(sites, "WebsiteRegistryEmptyValue");
      await expect(registering.registerSite(id("x"), ORG.it, 0)).to.be.revertedWithCustomError(sites, "WebsiteRegistryInvalidThreshold").withArgs(0);
      await expect(registering.registerSite(id("x"), ORG.it, 33)).to.be.revertedWithCustomError(sites, "WebsiteRegistryInvalidThreshold").withArgs(33);
      await expect(registering.registerSite(id("x"), ORG.bank, 1)).to.be.revertedWithCustomError(sites, "WebsiteRegistryOrganisationCannotPublish").withArgs(ORG.bank);
      // A threshold the organisation's active keys cannot reach would leave every release pending for ever.
      await expect(registering.registerSite(id("x"), ORG.other, 3)).to.be.revertedWithCustomError(sites, "WebsiteRegistryThresholdUnreachable").withArgs(3, 2);
      await expect(sites.registerSite(id("x"), ORG.it, 1)).to.be.revertedWithCustomError(sites, "AccessManagedUnauthorized");
    });

    it("governance reassigns a site and sets its threshold; a suspended organisation cannot take a site", async () => {
      const { sites, governor, operator, directory } = await loadFixture(websiteSuite);
      await expect(sites.connect(governor).reassignSite(SITE, ORG.other)).to.emit(sites, "SiteReassigned").withArgs(SITE, ORG.it, ORG.other, governor.address);
      await expect(sites.connect(operator).setThreshold(SITE, 3)).to.be.revertedWithCustomError(sites, "WebsiteRegistryThresholdUnreachable").withArgs(3, 2);
      await expect(sites.connect(operator).setThreshold(SITE, 2)).to.emit(sites, "ThresholdSet").withArgs(SITE, 2, operator.address);
      await expect(sites.connect(operator).setThreshold(SITE, 0)).to.be.revertedWithCustomError(sites, "WebsiteRegistryInvalidThreshold");
      await expect(sites.connect(operator).setThreshold(OTHER_SITE, 1)).to.be.revertedWithCustomError(sites, "WebsiteRegistryUnknownSite").withArgs(OTHER_SITE);
      await directory.suspend(ORG.it, evidence("audit"));
      await expect(sites.connect(governor).reassignSite(SITE, ORG.it)).to.be.revertedWithCustomError(sites, "WebsiteRegistryOrganisationCannotPublish").withArgs(ORG.it);
      await expect(sites.connect(operator).reassignSite(SITE, ORG.it)).to.be.revertedWithCustomError(sites, "AccessManagedUnauthorized");
      await expect(sites.connect(governor).setThreshold(SITE, 2)).to.be.revertedWithCustomError(sites, "AccessManagedUnauthorized");
    });
  });

  describe("releases", () => {
    it("a release of a one-approval site is current as soon as it is published", async () => {
      const { sites, alice } = await loadFixture(websiteSuite);
      const tx = sites.publish(SITE, version("2026.11.1"), id("root-1"), 120, 4_000_000, id("manifest-1"));
      await expect(tx)
        .to.emit(sites, "ReleasePublished")
        .withArgs(SITE, 1, version("2026.11.1"), id("root-1"), 120, 4_000_000, id("manifest-1"), ORG.it, alice.address);
      await expect(tx).to.emit(sites, "ReleaseActivated").withArgs(SITE, 1, 0, HOW.published, alice.address);
      const [current, r] = await sites.currentRelease(SITE);
      expect(current).to.equal(1);
      expect([r.root, r.manifest, r.version, r.fileCount, r.totalBytes, r.approvals, r.status]).to.deep.equal([
        id("root-1"),
        id("manifest-1"),
        version("2026.11.1"),
        120n,
        4_000_000n,
        1n,
        BigInt(STATUS.approved),
      ]);
      expect(r.approvedAt).to.equal(r.publishedAt);
      expect(await sites.releaseByRoot(SITE, id("root-1"))).to.equal(1);
      expect(await sites.hasApproved(SITE, 1, alice.address)).to.equal(true);
    });

    it("refuses empty values, an empty release, a root published before, and keys of other organisations", async () => {
      const { sites, dana, banker } = await loadFixture(published);
      await expect(sites.publish(SITE, ZeroHash, id("r"), 1, 1, id("m"))).to.be.revertedWithCustomError(sites, "WebsiteRegistryEmptyValue");
      await expect(sites.publish(SITE, version("v"), ZeroHash, 1, 1, id("m"))).to.be.revertedWithCustomError(sites, "WebsiteRegistryEmptyValue");
      await expect(sites.publish(SITE, version("v"), id("r"), 1, 1, ZeroHash)).to.be.revertedWithCustomError(sites, "WebsiteRegistryEmptyValue");
      await expect(sites.publish(SITE, version("v"), id("r"), 0, 0, id("m"))).to.be.revertedWithCustomError(sites, "WebsiteRegistryEmptyRelease");
      await expect(sites.publish(SITE, version("v"), id("root-1"), 1, 1, id("m"))).to.be.revertedWithCustomError(sites, "WebsiteRegistryDuplicateRoot").withArgs(SITE, 1);
      await expect(sites.publish(OTHER_SITE, version("v"), id("r"), 1, 1, id("m"))).to.be.revertedWithCustomError(sites, "WebsiteRegistryUnknownSite");
      await expect(sites.connect(dana).publish(SITE, version("v"), id("r"), 1, 1, id("m")))
        .to.be.revertedWithCustomError(sites, "WebsiteRegistryNotSiteOwner")
        .withArgs(SITE, ORG.it, ORG.other);
      const directory = await hre.ethers.getContractAt("ParticipantDirectory", await sites.directory());
      await expect(sites.connect(banker).publish(SITE, version("v"), id("r"), 1, 1, id("m"))).to.be.revertedWithCustomError(directory, "ParticipantDirectoryMissingCapability");
    });

    it("a site needing three approvals keeps a release pending until the third", async () => {
      const { sites, operator, bob, carol } = await loadFixture(published);
      await sites.connect(operator).setThreshold(SITE, 3);
      await sites.publish(SITE, version("2026.11.2"), id("root-2"), 121, 4_100_000, id("manifest-2"));
      await sites.connect(bob).approve(SITE, 2);
      expect([(await sites.release(SITE, 2)).status, (await sites.site(SITE)).current]).to.deep.equal([BigInt(STATUS.pending), 1n]);
      await expect(sites.connect(carol).approve(SITE, 2)).to.emit(sites, "ReleaseActivated").withArgs(SITE, 2, 1, HOW.approved, carol.address);
    });

    it("a site needing two approvals makes a release current with the second key's approval", async () => {
      const { sites, operator, alice, bob, carol } = await loadFixture(published);
      await sites.connect(operator).setThreshold(SITE, 2);
      await sites.publish(SITE, version("2026.11.2"), id("root-2"), 121, 4_100_000, id("manifest-2"));
      expect((await sites.release(SITE, 2)).status).to.equal(STATUS.pending);
      expect((await sites.site(SITE)).current).to.equal(1);
      await expect(sites.approve(SITE, 2)).to.be.revertedWithCustomError(sites, "WebsiteRegistryAlreadyApproved");
      await expect(sites.connect(bob).approve(SITE, 2)).to.emit(sites, "ReleaseApproved").withArgs(SITE, 2, 2, bob.address);
      expect((await sites.site(SITE)).current).to.equal(2);
      // A third approval of an approved release only adds to it.
      await expect(sites.connect(carol).approve(SITE, 2)).to.emit(sites, "ReleaseApproved").withArgs(SITE, 2, 3, carol.address);
      expect((await sites.release(SITE, 2)).approvals).to.equal(3);
      await expect(sites.connect(carol).approve(SITE, 9)).to.be.revertedWithCustomError(sites, "WebsiteRegistryUnknownRelease").withArgs(SITE, 9);
      const approvals = await sites.approvalsOf(SITE, 2);
      expect(approvals.map((a) => [a.approver, a.counts])).to.deep.equal([
        [alice.address, true],
        [bob.address, true],
        [carol.address, true],
      ]);
    });
  });

  describe("rollback and revocation", () => {
    async function twoReleases() {
      const suite = await published();
      await suite.sites.publish(SITE, version("2026.11.2"), id("root-2"), 121, 4_100_000, id("manifest-2"));
      return suite;
    }

    it("rolls back to an earlier approved release, not to the current one or a pending one", async () => {
      const { sites, bob, operator } = await loadFixture(twoReleases);
      await expect(sites.connect(bob).rollback(SITE, 1)).to.emit(sites, "ReleaseActivated").withArgs(SITE, 1, 2, HOW.rolledBack, bob.address);
      expect((await sites.site(SITE)).current).to.equal(1);
      await expect(sites.rollback(SITE, 1)).to.be.revertedWithCustomError(sites, "WebsiteRegistryAlreadyCurrent").withArgs(SITE, 1);
      await sites.connect(operator).setThreshold(SITE, 2);
      await sites.publish(SITE, version("2026.11.3"), id("root-3"), 1, 1, id("manifest-3"));
      await expect(sites.rollback(SITE, 3)).to.be.revertedWithCustomError(sites, "WebsiteRegistryUnexpectedStatus").withArgs(SITE, 3, STATUS.pending);
      await expect(sites.rollback(SITE, 7)).to.be.revertedWithCustomError(sites, "WebsiteRegistryUnknownRelease");
    });

    it("a revoked release is never current again; revoking the current one leaves the site with none", async () => {
      const { sites, carol, bob } = await loadFixture(twoReleases);
      await expect(sites.connect(carol).revoke(SITE, 1, REASON.tampered)).to.emit(sites, "ReleaseRevoked").withArgs(SITE, 1, REASON.tampered, carol.address);
      await expect(sites.connect(bob).rollback(SITE, 1)).to.be.revertedWithCustomError(sites, "WebsiteRegistryUnexpectedStatus").withArgs(SITE, 1, STATUS.revoked);
      await expect(sites.revoke(SITE, 1, REASON.tampered)).to.be.revertedWithCustomError(sites, "WebsiteRegistryUnexpectedStatus").withArgs(SITE, 1, STATUS.revoked);
      await sites.revoke(SITE, 2, REASON.keyCompromise);
      const [current, r] = await sites.currentRelease(SITE);
      expect([current, r.root]).to.deep.equal([0n, ZeroHash]);
      expect((await sites.release(SITE, 2)).reason).to.equal(REASON.keyCompromise);
      await expect(sites.revoke(SITE, 2, REASON.none)).to.be.revertedWithCustomError(sites, "WebsiteRegistryMissingReason");
    });

    it("governance may revoke too; anyone else is refused", async () => {
      const { sites, governor, dana, operator } = await loadFixture(twoReleases);
      await expect(sites.connect(dana).revoke(SITE, 2, REASON.tampered)).to.be.revertedWithCustomError(sites, "WebsiteRegistryNotAuthorized").withArgs(SITE, dana.address);
      await expect(sites.connect(operator).revoke(SITE, 2, REASON.tampered)).to.be.revertedWithCustomError(sites, "WebsiteRegistryNotAuthorized");
      await expect(sites.connect(governor).revoke(SITE, 2, REASON.publishedInError)).to.emit(sites, "ReleaseRevoked").withArgs(SITE, 2, REASON.publishedInError, governor.address);
    });

    it("a key of a suspended organisation can do nothing", async () => {
      const { sites, directory, bob } = await loadFixture(twoReleases);
      await directory.suspend(ORG.it, evidence("audit"));
      const registry = await hre.ethers.getContractAt("ParticipantDirectory", await sites.directory());
      await expect(sites.connect(bob).rollback(SITE, 1)).to.be.revertedWithCustomError(registry, "ParticipantDirectoryOrganisationInactive");
      await expect(sites.connect(bob).revoke(SITE, 1, REASON.tampered)).to.be.revertedWithCustomError(sites, "WebsiteRegistryNotAuthorized");
    });
  });

  describe("when a key turns out stolen", () => {
    /** A site needing two approvals; release 1 made current by Alice's publication and Bob's approval. */
    async function twoApprovals() {
      const suite = await websiteSuite();
      await suite.sites.connect(suite.operator).setThreshold(SITE, 2);
      await suite.sites.publish(SITE, version("2026.11.1"), id("root-1"), 120, 4_000_000, id("manifest-1"));
      const cutoff = await time.latest();
      await suite.sites.connect(suite.bob).approve(SITE, 1);
      return { ...suite, cutoff };
    }

    it("the current release that lost an approval is current again on a good key's approval", async () => {
      const { sites, directory, bob, carol, cutoff } = await loadFixture(twoApprovals);
      await directory.markAccountCompromised(bob.address, cutoff);
      expect((await sites.currentRelease(SITE))[0]).to.equal(0);
      await expect(sites.connect(carol).approve(SITE, 1)).to.emit(sites, "ReleaseActivated").withArgs(SITE, 1, 1, HOW.approved, carol.address);
      expect((await sites.currentRelease(SITE))[0]).to.equal(1);
    });

    it("a rollback needs a release whose approvals still count; a revocation by the stolen key stops counting", async () => {
      const { sites, directory, bob, carol, operator, cutoff } = await loadFixture(twoApprovals);
      await sites.publish(SITE, version("2026.11.2"), id("root-2"), 1, 1, id("manifest-2"));
      await sites.connect(carol).approve(SITE, 2);
      await sites.connect(bob).revoke(SITE, 2, REASON.tampered);
      // Raising a threshold activates nothing; nor does lowering it when the latest release is not pending.
      await expect(sites.connect(operator).setThreshold(SITE, 3)).to.not.emit(sites, "ReleaseActivated");
      await expect(sites.connect(operator).setThreshold(SITE, 2)).to.not.emit(sites, "ReleaseActivated");
      await directory.markAccountCompromised(bob.address, cutoff);
      await expect(sites.rollback(SITE, 1)).to.be.revertedWithCustomError(sites, "WebsiteRegistryTooFewApprovals").withArgs(SITE, 1, 1, 2);
      // Release 2's revocation was the stolen key's: it reads approved, as it was.
      expect((await sites.release(SITE, 2)).status).to.equal(STATUS.approved);
      expect((await sites.release(SITE, 9)).status).to.equal(STATUS.none);
    });

    it("what a key did before its cut-off still counts; a pending release it revoked afterwards reads pending", async () => {
      const { sites, directory, bob, alice } = await loadFixture(twoApprovals);
      await sites.connect(alice).publish(SITE, version("2026.11.2"), id("root-2"), 1, 1, id("manifest-2"));
      const cutoff = (await time.latest()) + 1;
      await sites.connect(bob).revoke(SITE, 2, REASON.tampered);
      await directory.markAccountCompromised(bob.address, cutoff);
      // Bob approved release 1 before the cut-off: it stays current.
      expect((await sites.currentRelease(SITE))[0]).to.equal(1);
      expect((await sites.release(SITE, 2)).status).to.equal(STATUS.pending);
    });

    it("a lowered threshold holds for the current release too: it stays current with fewer approvals counting", async () => {
      const { sites, directory, operator, bob, carol } = await loadFixture(websiteSuite);
      await sites.connect(operator).setThreshold(SITE, 3);
      await sites.publish(SITE, version("2026.11.1"), id("root-1"), 1, 1, id("manifest-1"));
      const cutoff = await time.latest();
      await sites.connect(bob).approve(SITE, 1);
      await sites.connect(carol).approve(SITE, 1);
      expect((await sites.currentRelease(SITE))[0]).to.equal(1);
      await sites.connect(operator).setThreshold(SITE, 2);
      // Bob's approval stops counting: two remain, which the lowered threshold asks.
      await directory.markAccountCompromised(bob.address, cutoff);
      expect((await sites.currentRelease(SITE))[0]).to.equal(1);
    });

    it("lowering the threshold of a site without releases activates nothing", async () => {
      const { sites, operator } = await loadFixture(websiteSuite);
      await sites.connect(operator).setThreshold(SITE, 2);
      await expect(sites.connect(operator).setThreshold(SITE, 1)).to.emit(sites, "ThresholdSet").and.not.to.emit(sites, "ReleaseActivated");
    });

    it("a revoked release takes no more approvals", async () => {
      const { sites, carol } = await loadFixture(twoApprovals);
      await sites.revoke(SITE, 1, REASON.tampered);
      await expect(sites.connect(carol).approve(SITE, 1)).to.be.revertedWithCustomError(sites, "WebsiteRegistryUnexpectedStatus").withArgs(SITE, 1, STATUS.revoked);
    });
  });

  describe("pause and upgrade", () => {
    it("the guardian pauses every write; the governor unpauses", async () => {
      const { sites, guardian, governor, operator, bob } = await loadFixture(published);
      await sites.connect(guardian).pause();
      for (const write of [
        () => sites.publish(SITE, version("v"), id("r"), 1, 1, id("m")),
        () => sites.connect(bob).approve(SITE, 1),
        () => sites.connect(bob).rollback(SITE, 1),
        () => sites.connect(bob).revoke(SITE, 1, REASON.tampered),
        () => sites.connect(operator).registerSite(OTHER_SITE, ORG.other, 1),
        () => sites.connect(governor).reassignSite(SITE, ORG.other),
        () => sites.connect(operator).setThreshold(SITE, 2),
      ]) {
        await expect(write()).to.be.revertedWithCustomError(sites, "EnforcedPause");
      }
      expect((await sites.site(SITE)).current).to.equal(1);
      await sites.connect(governor).unpause();
      await sites.publish(SITE, version("v"), id("r"), 1, 1, id("m"));
    });

    it("upgrades through governance with sites, releases and approvals kept", async () => {
      const { sites, governor, deployment, deploymentFile, alice } = await loadFixture(published);
      const result = upgraded(await upgradeContract(hre, { signer: governor, deployment, deploymentFile, contract: "WebsiteRegistry", to: "WebsiteRegistryV2" }));
      expect(result.outcome.status).to.equal("executed");
      expect(await sites.version()).to.equal("2.3.0");
      expect((await sites.currentRelease(SITE))[1].root).to.equal(id("root-1"));
      expect(await sites.hasApproved(SITE, 1, alice.address)).to.equal(true);
    });
  });
});
