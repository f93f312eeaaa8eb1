/**
 * Records made under 1.0.0, read and changed under today's contracts: the paths every registry keeps for them, after
 * an in-place upgrade of a suite deployed from 1.0.0's recorded bytecode.
 */
import { expect } from "chai";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { ZeroAddress, id } from "ethers";
import { landJurisdiction } from "../src/land/titles";
import { CertificateRegistry__factory, ILandRegistry__factory, ParticipantDirectory__factory, WebsiteRegistry__factory } from "../typechain-types";
import { CAP, DOC, KIND, REASON, code, evidence } from "./fixtures";
import { BLOCK, DISTRICT, MSTATUS, MUTATION, REJECTION, owners, record, ulpin } from "./helpers/land";
import { legacySuite } from "./helpers/legacy";

const ROOT = id("wbu 2025 degrees");
const SUSPENDED_BATCH = id("wbu 2025 diplomas, under review");
const REVOKED_BATCH = id("wbu 2025 certificates, withdrawn");
const ASHA = owners(["asha", 10_000]);
const BINA = owners(["bina", 10_000]);
const DEED = id("deed A");
const FREEZE = evidence("CS 1/2025");
const SNAPSHOT = id("block 4 register");
const SITE = id("wb.gov.in");
const PORTAL = id("portal.wb.gov.in");

/** A 1.0.0 suite holding every kind of record, then upgraded. */
async function upgradedWithRecords() {
  const suite = await legacySuite();
  const { operator, governor, others, legacy, wireLegacy, upgradeAll } = suite;
  const [university, survey, registrar, officer, court, bank, publisher, secondPublisher] = others;
  const directory = legacy("ParticipantDirectory", operator);
  const district = landJurisdiction(DISTRICT);
  const orgs: Array<[string, number, number, number[], string[]]> = [
    ["wbu", KIND.university, CAP.issueCertificates, [0], [university.address]],
    ["survey-17", KIND.agency, CAP.manageParcels, [district], [survey.address]],
    ["sro-17", KIND.registration, CAP.registerDeeds, [district], [registrar.address]],
    ["bllro-17-4", KIND.landRevenue, CAP.approveMutations, [landJurisdiction(DISTRICT, BLOCK)], [officer.address]],
    ["court-17", KIND.court, CAP.courtOrders, [district], [court.address]],
    ["sbi", KIND.bank, CAP.liens, [0], [bank.address]],
    ["it-dept", KIND.agency, CAP.publishWebsites, [0], [publisher.address, secondPublisher.address]],
  ];
  for (const [i, [name, kind, caps, jurisdictions, keys]] of orgs.entries()) {
    await directory.onboard(code(name), kind, caps, jurisdictions, evidence(name));
    for (const key of keys) await directory.addAccount(i + 1, key);
  }

  const certificates = legacy("CertificateRegistry", university);
  await certificates.issue(ROOT, 100, 0);
  await certificates.revokeDocument(ROOT, 7, REASON.misconduct);
  await certificates.suspendDocuments(ROOT, 0, [(1n << 9n) | (1n << 10n)], REASON.underReview);
  await certificates.supersede(ROOT, 8, ROOT, 50);
  await certificates.issue(SUSPENDED_BATCH, 10, 0);
  await certificates.suspendBatch(SUSPENDED_BATCH, REASON.underReview);
  await certificates.issue(REVOKED_BATCH, 10, 0);
  await certificates.revokeBatch(REVOKED_BATCH, REASON.withdrawn);

  const land = legacy("LandRegistry", survey);
  await land.getFunction("registerParcel")(record(1), ASHA);
  await land.getFunction("registerParcel")(record(2), BINA);
  await land.connect(registrar).getFunction("registerDeed")(DEED, ulpin(1), MUTATION.sale, ASHA, owners(["dev", 10_000]));
  await land.connect(court).getFunction("freeze")(ulpin(2), FREEZE, 0);
  await wireLegacy("LandRegistry", "anchorSnapshot", "governor");
  await land.connect(governor).getFunction("anchorSnapshot")(SNAPSHOT, 3, evidence("export"));

  const sites = legacy("WebsiteRegistry", publisher);
  await sites.connect(operator).getFunction("registerSite")(SITE, 7, 2);
  await sites.publish(SITE, code("v1"), id("release 1"), 10, 1_000, id("manifest 1"));
  await sites.connect(operator).getFunction("registerSite")(PORTAL, 7, 1);
  await sites.publish(PORTAL, code("v1"), id("portal 1"), 10, 1_000, id("portal manifest 1"));
  await sites.publish(PORTAL, code("v2"), id("portal 2"), 10, 1_000, id("portal manifest 2"));

  await upgradeAll();
  const { contracts } = suite;
  return {
    ...suite,
    university,
    survey,
    registrar,
    officer,
    court,
    publisher,
    secondPublisher,
    directory: ParticipantDirectory__factory.connect(contracts.ParticipantDirectory.address, operator),
    certificates: CertificateRegistry__factory.connect(contracts.CertificateRegistry.address, university),
    land: ILandRegistry__factory.connect(contracts.LandRegistry.address, survey),
    sites: WebsiteRegistry__factory.connect(contracts.WebsiteRegistry.address, publisher),
  };
}

describe("Records of 1.0.0 under 2.0.0", function () {
  this.timeout(300_000);

  describe("certificates", () => {
    it("1.0.0's marks read as marks nobody can disown: by no key, at no time, always counting", async () => {
      const { certificates } = await loadFixture(upgradedWithRecords);
      const legacyMark = (value: number) => [BigInt(value), ZeroAddress, 0n, true];
      const [, suspension] = await certificates.batchMarks(1, SUSPENDED_BATCH);
      const [revocation] = await certificates.batchMarks(1, REVOKED_BATCH);
      expect([[...suspension], [...revocation]]).to.deep.equal([legacyMark(1), legacyMark(REASON.withdrawn)]);
      const [revoked] = await certificates.documentMarks(1, ROOT, 7);
      const [, suspended] = await certificates.documentMarks(1, ROOT, 9);
      expect([[...revoked], [...suspended]]).to.deep.equal([legacyMark(REASON.misconduct), legacyMark(1)]);
      const [, codes] = await certificates.documentStatusRange(1, ROOT, 6, 5);
      expect([...Buffer.from(codes.slice(2), "hex")].filter((_, i) => i % 2 === 0)).to.deep.equal([DOC.valid, DOC.revoked, DOC.superseded, DOC.suspended, DOC.suspended]);
      const statuses = await certificates.documentStatuses([
        { issuerOrgId: 1, root: SUSPENDED_BATCH, index: 0 },
        { issuerOrgId: 1, root: ROOT, index: 0 },
        { issuerOrgId: 2, root: ROOT, index: 0 },
        { issuerOrgId: 1, root: REVOKED_BATCH, index: 0 },
      ]);
      // A 1.0.0 batch belongs to the organisation of the key that issued it, not to another asking for it.
      expect(statuses.map((s) => Number(s.status))).to.deep.equal([DOC.suspended, DOC.valid, DOC.notIssued, DOC.revoked]);
    });

    it("1.0.0's marks refuse what they always refused, and are lifted, reinstated and restored like today's", async () => {
      const { certificates, governor } = await loadFixture(upgradedWithRecords);
      const status = async (root: string, index: number) => Number((await certificates.documentStatus(1, root, index)).status);
      await expect(certificates.revokeDocument(1, ROOT, 7, REASON.other)).to.be.revertedWithCustomError(certificates, "CertificateRegistryDocumentRevoked");
      await expect(certificates.suspendDocuments(1, ROOT, 0, [1n << 7n], REASON.underReview)).to.be.revertedWithCustomError(certificates, "CertificateRegistryDocumentRevoked");
      await expect(certificates.suspendDocuments(1, ROOT, 0, [1n << 9n], REASON.underReview)).to.be.revertedWithCustomError(certificates, "CertificateRegistryDocumentSuspended");
      // Documents of the second half of a 1.0.0 word of 64.
      await certificates.revokeDocuments(1, ROOT, 0, [(1n << 35n) | (1n << 36n)], REASON.withdrawn);
      expect([await status(ROOT, 35), await status(ROOT, 36)]).to.deep.equal([DOC.revoked, DOC.revoked]);
      await certificates.reinstateDocuments(1, ROOT, 0, [1n << 9n]);
      expect([await status(ROOT, 9), await status(ROOT, 10)]).to.deep.equal([DOC.valid, DOC.suspended]);
      await certificates.reinstateBatch(1, SUSPENDED_BATCH);
      expect(await status(SUSPENDED_BATCH, 0)).to.equal(DOC.valid);
      const governance = certificates.connect(governor);
      await governance.restoreBatch(1, REVOKED_BATCH, evidence("withdrawal annulled"));
      await governance.restoreDocument(1, ROOT, 7, evidence("appeal allowed"));
      await governance.restoreDocument(1, ROOT, 8, evidence("the original stands"));
      // A mark made since 2.0.0 on a 1.0.0 batch is restored the same way.
      await certificates.revokeDocument(1, ROOT, 20, REASON.withdrawn);
      await governance.restoreDocument(1, ROOT, 20, evidence("withdrawn in error"));
      expect(await status(ROOT, 20)).to.equal(DOC.valid);
      expect([await status(REVOKED_BATCH, 0), await status(ROOT, 7), await status(ROOT, 8)]).to.deep.equal([DOC.valid, DOC.valid, DOC.valid]);
      expect((await certificates.replacementOf(1, ROOT, 8)).root).to.equal(`0x${"00".repeat(32)}`);
    });
  });

  describe("land", () => {
    it("a 1.0.0 mutation is found by parcel and deed, decided, and its deed cannot be opened again there", async () => {
      const { land, officer, registrar } = await loadFixture(upgradedWithRecords);
      expect((await land.mutation(ulpin(1), DEED)).status).to.equal(MSTATUS.open);
      await land.connect(officer).rejectMutation(ulpin(1), DEED, REJECTION.defectiveDeed, evidence("order"));
      await expect(land.connect(registrar).registerDeed(DEED, ulpin(1), MUTATION.sale, ASHA, owners(["dev", 10_000])))
        .to.be.revertedWithCustomError(land, "LandRegistryDeedAlreadyRecorded")
        .withArgs(DEED);
    });

    it("1.0.0's one freeze joins the orders made since, and is lifted like them", async () => {
      const { land, court } = await loadFixture(upgradedWithRecords);
      expect((await land.freezesOf(ulpin(2))).map((f) => f.order)).to.deep.equal([FREEZE]);
      await land.connect(court).freeze(ulpin(2), evidence("CS 2/2026"), 0);
      expect((await land.freezesOf(ulpin(2))).map((f) => f.order)).to.deep.equal([FREEZE, evidence("CS 2/2026")]);
      await land.connect(court).unfreeze(ulpin(2), evidence("CS 2/2026"), evidence("CS 2/2026 final order"));
      await land.connect(court).unfreeze(ulpin(2), FREEZE, evidence("CS 1/2025 final order"));
      expect(await land.freezesOf(ulpin(2))).to.deep.equal([]);
    });

    it("a 1.0.0 snapshot is anchored again only with its own count, and not once retired", async () => {
      const { land, governor } = await loadFixture(upgradedWithRecords);
      const governance = land.connect(governor);
      await expect(governance.anchorSnapshot(SNAPSHOT, 4, evidence("export"), id("gaps"))).to.be.revertedWithCustomError(land, "LandRegistrySnapshotExists").withArgs(SNAPSHOT);
      await governance.retireSnapshot(SNAPSHOT, evidence("migration closed"));
      await expect(governance.anchorSnapshot(SNAPSHOT, 3, evidence("export"), id("gaps"))).to.be.revertedWithCustomError(land, "LandRegistrySnapshotExists").withArgs(SNAPSHOT);
    });
  });

  describe("websites", () => {
    it("a 1.0.0 release keeps its approvals: its publisher cannot approve twice, a second key makes it current", async () => {
      const { sites, publisher, secondPublisher, directory } = await loadFixture(upgradedWithRecords);
      expect([await sites.hasApproved(SITE, 1, publisher.address), await sites.hasApproved(SITE, 1, secondPublisher.address)]).to.deep.equal([true, false]);
      await expect(sites.connect(publisher).approve(SITE, 1)).to.be.revertedWithCustomError(sites, "WebsiteRegistryAlreadyApproved");
      await expect(sites.connect(secondPublisher).approve(SITE, 1)).to.emit(sites, "ReleaseActivated");
      expect((await sites.currentRelease(SITE))[0]).to.equal(1);
      // The second key got its organisation's first number on this, its first act since 2.0.0; the release now names
      // its organisation.
      expect([(await directory.account(secondPublisher.address)).number, (await sites.release(SITE, 1)).orgId]).to.deep.equal([1n, 7n]);
    });

    it("a 1.0.0 key's first act may be a rollback to a 1.0.0 release, which needs the approvals it had then", async () => {
      const { sites, publisher, directory } = await loadFixture(upgradedWithRecords);
      await expect(sites.connect(publisher).rollback(PORTAL, 1)).to.emit(sites, "ReleaseActivated");
      expect([(await sites.currentRelease(PORTAL))[0], (await directory.account(publisher.address)).number]).to.deep.equal([1n, 1n]);
    });

    it("a 1.0.0 release kept no organisation: once its site is moved, its approvals count for nobody and the new owner publishes again", async () => {
      const { sites, directory, governor, others } = await loadFixture(upgradedWithRecords);
      await directory.onboard(code("it-new"), KIND.agency, CAP.publishWebsites, [0], evidence("it-new"));
      const newKey = others[9];
      await directory.addAccount(8, newKey.address);
      expect((await sites.currentRelease(PORTAL))[0]).to.equal(2n);
      await sites.connect(governor).reassignSite(PORTAL, 8);
      expect([(await sites.currentRelease(PORTAL))[0], (await sites.release(PORTAL, 2)).approvals]).to.deep.equal([0n, 0n]);
      await expect(sites.connect(newKey).approve(PORTAL, 2)).to.be.revertedWithCustomError(sites, "WebsiteRegistryReleaseOfAnotherOrganisation").withArgs(PORTAL, 2, 0);
      await expect(sites.connect(newKey).publish(PORTAL, code("v2"), id("portal 2"), 10, 1_000, id("portal manifest 2"))).to.emit(sites, "ReleaseActivated");
    });

    it("a 1.0.0 key's first act may be a revocation", async () => {
      const { sites, secondPublisher, directory } = await loadFixture(upgradedWithRecords);
      await expect(sites.connect(secondPublisher).revoke(PORTAL, 2, 2)).to.emit(sites, "ReleaseRevoked");
      expect((await directory.account(secondPublisher.address)).number).to.equal(1n);
    });
  });
});
