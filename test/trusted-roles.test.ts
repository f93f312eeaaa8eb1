/**
 * Issue 23's attacks, tried the way a rogue or stolen key of each *trusted* role would act. Each was written first
 * against 2.1.0, where it succeeded (the first lines of each test, as they ran then); each now fails, and the test
 * shows the rule that stops it and the recovery path it leaves.
 */
import { expect } from "chai";
import hre from "hardhat";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import { encodeBytes32String, id } from "ethers";
import { ParticipantDirectory__factory, WebsiteRegistry__factory } from "../typechain-types";
import { upgradeContract } from "../deploy/upgrade";
import { readDeployment } from "../src/config/deployments";
import { delayShortfalls } from "../src/governance/inspect";
import { legacySuite } from "./helpers/legacy";
import { Governance } from "../src/governance/governed";
import { ADMIN_ROLE, ROLES } from "../src/governance/roles";
import { landJurisdiction } from "../src/land/titles";
import { CAP, DOC, KIND, certificateSuite, code, deployedSuite, evidence } from "./fixtures";
import { DAY, MUTATION, REJECTION, owners, parcelSuite, ulpin } from "./helpers/land";

const ASHA = owners(["asha", 10_000]);
const MALLORY = owners(["mallory", 10_000]);
const HOURS_72 = 72 * 3600;

describe("Trusted roles keep to their powers (issue 23)", () => {
  describe("2. a compromise report cannot void the past for good", () => {
    const ROOT = id("wbu degrees 2023");

    async function threeYearsOfWork() {
      const suite = await certificateSuite();
      await suite.registry.issue(ROOT, 100, 0);
      const issuedAt = await time.latest();
      await time.increase(3 * 365 * DAY);
      return { ...suite, issuedAt };
    }

    it("the exploit: the responder alone dated a key's cut-off years back, voiding every batch it ever issued; now a report reaches back 72 hours at most", async () => {
      const { registry, directory, universityKey, operator, issuedAt } = await loadFixture(threeYearsOfWork);
      const reportedAt = (await time.latest()) + 1;
      await time.setNextBlockTimestamp(reportedAt);
      await expect(directory.markAccountCompromised(universityKey.address, issuedAt))
        .to.be.revertedWithCustomError(directory, "ParticipantDirectoryCutoffTooEarly")
        .withArgs(issuedAt, reportedAt - HOURS_72);
      expect((await registry.documentStatus(1, ROOT, 0)).status).to.equal(DOC.valid);
      // The key is stopped at once all the same, with a cut-off the window allows; its earlier work stands.
      await expect(directory.markAccountCompromised(universityKey.address, reportedAt - HOURS_72 + 1))
        .to.emit(directory, "AccountCompromised")
        .withArgs(1, universityKey.address, reportedAt - HOURS_72 + 1, operator.address);
      await expect(registry.issue(id("after"), 1, 0)).to.be.revertedWithCustomError(directory, "ParticipantDirectoryAccountIsCompromised");
      expect((await registry.documentStatus(1, ROOT, 0)).status).to.equal(DOC.valid);
    });

    it("a cut-off further back is the governor's decision: delayed, the guardian may cancel it, and it names its reason", async () => {
      const { registry, directory, authority, governor, guardian, operator, universityKey, issuedAt } = await loadFixture(threeYearsOfWork);
      await directory.markAccountCompromised(universityKey.address, await time.latest());
      await expect(directory.backdateCompromise(universityKey.address, issuedAt, evidence("x"))).to.be.revertedWithCustomError(directory, "AccessManagedUnauthorized").withArgs(operator.address);
      await authority.connect(governor).grantRole(ROLES.governor.id, governor.address, 2 * DAY);
      const governance = new Governance(authority.connect(governor), governor);
      const target = await directory.getAddress();
      const backdate = (cutoff: number, reason = evidence("SBIC decision 2026/31")) => directory.interface.encodeFunctionData("backdateCompromise", [universityKey.address, cutoff, reason]);
      const cancelled = await governance.call(target, backdate(issuedAt));
      if (cancelled.status !== "scheduled") throw new Error("expected the governor's backdating to be scheduled");
      await new Governance(authority.connect(guardian), guardian).cancel(cancelled.operationId);
      const decided = await governance.call(target, backdate(issuedAt));
      if (decided.status !== "scheduled") throw new Error("expected the governor's backdating to be scheduled");
      await time.increase(2 * DAY);
      const cutoffBefore = (await directory.account(universityKey.address)).compromisedAt;
      await expect(governance.execute(decided.operationId))
        .to.emit(directory, "CompromiseBackdated")
        .withArgs(1, universityKey.address, cutoffBefore, issuedAt, evidence("SBIC decision 2026/31"), await authority.getAddress());
      expect((await registry.documentStatus(1, ROOT, 0)).status).to.equal(DOC.keyCompromised);
      // Only earlier, only for a key already reported, never without a reason.
      const direct = directory.connect(governor);
      await authority.connect(governor).grantRole(ROLES.governor.id, governor.address, 0);
      await time.increase(2 * DAY);
      await expect(direct.backdateCompromise(universityKey.address, issuedAt + 1, evidence("later"))).to.be.revertedWithCustomError(directory, "ParticipantDirectoryInvalidCutoff").withArgs(issuedAt + 1);
      await expect(direct.backdateCompromise(universityKey.address, 0, evidence("zero"))).to.be.revertedWithCustomError(directory, "ParticipantDirectoryInvalidCutoff").withArgs(0);
      await expect(direct.backdateCompromise(governor.address, issuedAt, evidence("never reported"))).to.be.revertedWithCustomError(directory, "ParticipantDirectoryAccountNotCompromised").withArgs(governor.address);
      await expect(direct.backdateCompromise(universityKey.address, issuedAt - 1, hre.ethers.ZeroHash)).to.be.revertedWithCustomError(directory, "ParticipantDirectoryEmptyHash");
    });

    it("every voiding has a restore path: the governor affirms a batch the cut-off voided, which then reads valid", async () => {
      const { registry, directory, governor, guardian, universityKey, issuedAt } = await loadFixture(threeYearsOfWork);
      await directory.markAccountCompromised(universityKey.address, await time.latest());
      await expect(registry.connect(governor).affirmBatch(1, ROOT, evidence("affirmed"))).to.be.revertedWithCustomError(registry, "CertificateRegistryBatchNotVoided").withArgs(1, ROOT);
      await directory.connect(governor).backdateCompromise(universityKey.address, issuedAt, evidence("SBIC decision 2026/31"));
      expect((await registry.documentStatus(1, ROOT, 7)).status).to.equal(DOC.keyCompromised);
      await expect(registry.connect(universityKey).affirmBatch(1, ROOT, evidence("x"))).to.be.revertedWithCustomError(registry, "AccessManagedUnauthorized");
      await expect(registry.connect(governor).affirmBatch(1, ROOT, hre.ethers.ZeroHash)).to.be.revertedWithCustomError(registry, "CertificateRegistryInvalidReason");
      await expect(registry.connect(governor).affirmBatch(1, id("no such batch"), evidence("x"))).to.be.revertedWithCustomError(registry, "CertificateRegistryUnknownBatch");
      const decision = evidence("SBIC decision 2026/32: the 2023 degrees stand");
      await expect(registry.connect(governor).affirmBatch(1, ROOT, decision)).to.emit(registry, "BatchAffirmed").withArgs(ROOT, 1, decision, governor.address);
      expect(await registry.batchAffirmation(1, ROOT)).to.equal(decision);
      const [, codes] = await registry.documentStatusRange(1, ROOT, 0, 2);
      expect([(await registry.documentStatus(1, ROOT, 7)).status, codes]).to.deep.equal([BigInt(DOC.valid), "0x00000000"]);
      // Once affirmed it is no longer voided, and the batch's other facts still count: a governance revocation holds.
      await expect(registry.connect(governor).affirmBatch(1, ROOT, decision)).to.be.revertedWithCustomError(registry, "CertificateRegistryBatchNotVoided");
      await registry.connect(governor).revokeDocument(1, ROOT, 3, 5);
      expect((await registry.documentStatus(1, ROOT, 3)).status).to.equal(DOC.revoked);
      // Nothing is affirmed while the registry is paused.
      await registry.connect(guardian).pause();
      await expect(registry.connect(governor).affirmBatch(1, ROOT, decision)).to.be.revertedWithCustomError(registry, "EnforcedPause");
    });
  });

  describe("3. courts, appeals officers and banks keep to their own powers", () => {
    it("the exploit: an appeals officer's key lifted a court's freeze, then filed and allowed an appeal and the parcel moved; now only a court lifts it", async () => {
      const { land, registrar, officer, court, appellate, directory } = await loadFixture(parcelSuite);
      const deed = evidence("sale deed 77/2026");
      await land.connect(registrar).registerDeed(deed, ulpin(1), MUTATION.sale, ASHA, MALLORY);
      await land.connect(officer).rejectMutation(ulpin(1), deed, REJECTION.pendingLitigation, evidence("order"));
      const stay = evidence("CS 9/2026 stay");
      await land.connect(court).freeze(ulpin(1), stay, 0);
      await expect(land.connect(appellate).unfreeze(ulpin(1), stay, evidence("lifted"))).to.be.revertedWithCustomError(directory, "ParticipantDirectoryMissingCapability");
      await land.connect(appellate).fileAppeal(ulpin(1), deed, evidence("appeal"));
      await expect(land.connect(appellate).allowAppeal(ulpin(1), deed, evidence("allowed"), [], ASHA, MALLORY, evidence("RoR v2"))).to.be.revertedWithCustomError(land, "LandRegistryParcelFrozen");
      expect((await land.parcel(ulpin(1))).owners).to.equal(await land.ownersHash(ASHA));
    });

    it("another court lifts a freeze only once the ordering court has left the directory", async () => {
      const { land, court, directory, governor, others, ORG } = await loadFixture(parcelSuite);
      await directory.onboard(code("court-17b"), KIND.court, CAP.courtOrders, [landJurisdiction(17)], evidence("court-17b"));
      await directory.addAccount(9, others[9].address);
      const otherCourt = others[9];
      const stay = evidence("CS 10/2026 stay");
      await land.connect(court).freeze(ulpin(1), stay, 0);
      await expect(land.connect(otherCourt).unfreeze(ulpin(1), stay, evidence("lift"))).to.be.revertedWithCustomError(land, "LandRegistryNotFreezingCourt").withArgs(ulpin(1), stay, ORG.court, 9);
      await directory.suspend(ORG.court, evidence("audit"));
      await expect(land.connect(otherCourt).unfreeze(ulpin(1), stay, evidence("lift"))).to.be.revertedWithCustomError(land, "LandRegistryNotFreezingCourt");
      await directory.connect(governor).offboard(ORG.court, evidence("court abolished"));
      await expect(land.connect(otherCourt).unfreeze(ulpin(1), stay, evidence("lift"))).to.emit(land, "FreezeLifted").withArgs(ulpin(1), stay, evidence("lift"), 9, otherCourt.address);
    });

    it("the exploit: the responder suspended a bank, a court discharged its lien and the sale went through in the same window; now a suspended bank's liens stand", async () => {
      const { land, directory, registrar, officer, court, bank, governor, ORG } = await loadFixture(parcelSuite);
      const loan = id("home loan 8812");
      await land.connect(bank).registerLien(ulpin(1), loan);
      const deed = evidence("sale deed 78/2026");
      await land.connect(registrar).registerDeed(deed, ulpin(1), MUTATION.sale, ASHA, MALLORY);
      await directory.suspend(ORG.bank, evidence("one key, at once"));
      await expect(land.connect(court).dischargeLien(ulpin(1), loan, evidence("order"))).to.be.revertedWithCustomError(land, "LandRegistryLienHolderActive").withArgs(loan, ORG.bank);
      await expect(land.connect(officer).approveMutation(ulpin(1), deed, [], ASHA, MALLORY, evidence("RoR v2"))).to.be.revertedWithCustomError(land, "LandRegistryLiensNotConsented");
      // Offboarded, the bank has left: a court's own order discharges the lien.
      await directory.connect(governor).offboard(ORG.bank, evidence("licence cancelled"));
      await expect(land.connect(court).dischargeLien(ulpin(1), loan, evidence("order"))).to.emit(land, "LienDischarged").withArgs(ulpin(1), loan, evidence("order"), ORG.court, court.address);
    });

    it("the exploit: a successor named in advance released a merely suspended bank's lien; now only offboarding passes the liens on", async () => {
      const { land, directory, otherBank, bank, governor, operator, ORG } = await loadFixture(parcelSuite);
      const loan = id("home loan 8813");
      await land.connect(bank).registerLien(ulpin(1), loan);
      await directory.setSuccessor(ORG.bank, ORG.otherBank);
      await directory.suspend(ORG.bank, evidence("one key, at once"));
      await expect(land.connect(otherBank).releaseLien(ulpin(1), loan)).to.be.revertedWithCustomError(land, "LandRegistryNotLienHolder").withArgs(loan, ORG.bank, ORG.otherBank);
      // Nor does losing the capability or the jurisdiction: the bank is still a member.
      await directory.connect(operator).reinstate(ORG.bank, evidence("cleared"));
      await directory.connect(operator).updateOrganisation(ORG.bank, CAP.registerDeeds, evidence("no longer lends"));
      await expect(land.connect(otherBank).releaseLien(ulpin(1), loan)).to.be.revertedWithCustomError(land, "LandRegistryNotLienHolder");
      await directory.connect(governor).offboard(ORG.bank, evidence("merged into ubi"));
      await expect(land.connect(otherBank).releaseLien(ulpin(1), loan)).to.emit(land, "LienReleased").withArgs(ulpin(1), loan, ORG.otherBank, otherBank.address);
    });
  });

  describe("4. identifiers, approvals and upgrades", () => {
    /** A root of the university whose short-code slot is `slot`. */
    function rootInSlot(slot: bigint, label: string): string {
      for (let salt = 0; ; salt++) {
        const root = id(`${label} ${salt}`);
        if (BigInt(root) % 100_000n === slot) return root;
      }
    }

    it("the exploit: a stolen key's batch held an issuer's short-code slot for good; a voided batch now frees it, and an affirmed one takes it back if free", async () => {
      const { registry, directory, universityKey, secondKey, boardKey, governor } = await loadFixture(certificateSuite);
      const junk = id("thief's batch");
      const cutoff = (await time.latest()) + 1;
      await registry.issue(junk, 1, 0);
      const slot = BigInt(junk) % 100_000n;
      const genuine = rootInSlot(slot, "genuine");
      // Before the report the slot is the batch's, stolen key or not.
      await expect(registry.connect(secondKey).issue(genuine, 1, 0)).to.be.revertedWithCustomError(registry, "CertificateRegistryCodeSlotTaken").withArgs(1, slot, junk);
      await directory.markAccountCompromised(universityKey.address, cutoff);
      await expect(registry.connect(secondKey).issue(genuine, 1, 0)).to.emit(registry, "CodeSlotTaken").withArgs(1, slot, genuine);
      expect(await registry.codeSlot(1, slot)).to.equal(genuine);
      // Affirmed while a standing batch holds its slot, the voided batch stands but its codes stay the holder's.
      await expect(registry.connect(governor).affirmBatch(1, junk, evidence("it was ours after all"))).to.emit(registry, "BatchAffirmed").and.not.to.emit(registry, "CodeSlotTaken");
      expect(await registry.codeSlot(1, slot)).to.equal(genuine);
      // Another issuer never blocks a slot: slots are per issuer.
      await expect(registry.connect(boardKey).issue(rootInSlot(slot, "board"), 1, 0)).to.emit(registry, "CodeSlotTaken").withArgs(3, slot, (value: string) => BigInt(value) % 100_000n === slot);
    });

    it("an affirmed batch takes its slot back when the batch that took it is itself voided", async () => {
      const { registry, directory, universityKey, secondKey, governor } = await loadFixture(certificateSuite);
      const first = id("first batch");
      const cutoff = (await time.latest()) + 1;
      await registry.issue(first, 1, 0);
      const slot = BigInt(first) % 100_000n;
      await directory.markAccountCompromised(universityKey.address, cutoff);
      const second = rootInSlot(slot, "second");
      await registry.connect(secondKey).issue(second, 1, 0);
      await directory.markAccountCompromised(secondKey.address, (await time.latest()) - 10);
      await expect(registry.connect(governor).affirmBatch(1, first, evidence("genuine"))).to.emit(registry, "CodeSlotTaken").withArgs(1, slot, first);
      expect(await registry.codeSlot(1, slot)).to.equal(first);
    });

    /** A site of an IT department (two keys, two approvals needed) with release 1 published and pending; another department with two keys. */
    async function departmentSite() {
      const suite = await deployedSuite();
      const { directory, others, deployment, operator } = suite;
      await directory.onboard(code("it-old"), KIND.agency, CAP.publishWebsites, [0], evidence("old"));
      await directory.onboard(code("it-new"), KIND.agency, CAP.publishWebsites, [0], evidence("new"));
      const [oldKey, oldSecond, newKey, newSecond] = others;
      for (const [orgId, key] of [[1, oldKey], [1, oldSecond], [2, newKey], [2, newSecond]] as const) await directory.addAccount(orgId, key.address);
      const sites = WebsiteRegistry__factory.connect(deployment.contracts.WebsiteRegistry!.address, oldKey);
      const site = id("portal.wb.gov.in");
      await sites.connect(operator).registerSite(site, 1, 2);
      await sites.publish(site, encodeBytes32String("v1"), id("root 1"), 1, 1, id("manifest 1"));
      return { ...suite, sites, site, oldKey, oldSecond, newKey, newSecond };
    }

    /** {@link departmentSite}, moved to the other department by the governor. */
    async function reassignedSite() {
      const suite = await departmentSite();
      await suite.sites.connect(suite.governor).reassignSite(suite.site, 2);
      return suite;
    }

    it("the exploit: after a reassignment the new organisation's key approval was logged under the old one's key and counted twice; now another organisation's release takes no approvals", async () => {
      const { sites, site, newKey } = await loadFixture(reassignedSite);
      await expect(sites.connect(newKey).approve(site, 1)).to.be.revertedWithCustomError(sites, "WebsiteRegistryReleaseOfAnotherOrganisation").withArgs(site, 1, 1);
      expect((await sites.currentRelease(site))[0]).to.equal(0);
    });

    it("approvals count only for the organisation the site belongs to; the new owner publishes the same root again", async () => {
      const { sites, site, oldSecond, newKey, newSecond, governor } = await loadFixture(reassignedSite);
      // The old organisation's keys no longer act on the site at all, and their approvals no longer count.
      await expect(sites.connect(oldSecond).approve(site, 1)).to.be.revertedWithCustomError(sites, "WebsiteRegistryNotSiteOwner");
      expect((await sites.release(site, 1)).approvals).to.equal(0);
      expect((await sites.approvalsOf(site, 1)).map((a) => a.counts)).to.deep.equal([false]);
      await expect(sites.connect(newKey).publish(site, encodeBytes32String("v1"), id("root 1"), 1, 1, id("manifest 1"))).to.emit(sites, "ReleasePublished");
      expect(await sites.releaseByRoot(site, id("root 1"))).to.equal(2);
      await expect(sites.connect(newKey).publish(site, encodeBytes32String("v1"), id("root 1"), 1, 1, id("manifest 1"))).to.be.revertedWithCustomError(sites, "WebsiteRegistryDuplicateRoot").withArgs(site, 2);
      await expect(sites.connect(newKey).approve(site, 2)).to.be.revertedWithCustomError(sites, "WebsiteRegistryAlreadyApproved");
      await expect(sites.connect(newSecond).approve(site, 2)).to.emit(sites, "ReleaseActivated");
      expect((await sites.currentRelease(site))[0]).to.equal(2);
      // Moved back, the first organisation's own approvals count for its own release again.
      await sites.connect(governor).reassignSite(site, 1);
      expect((await sites.release(site, 1)).approvals).to.equal(1);
      expect((await sites.site(site)).reassignedAt).to.equal(await time.latest());
    });

    it("a release a compromise voided is affirmed by the governor: its approvals and its activation count again", async () => {
      const { sites, site, directory, governor, oldKey: alice, oldSecond: bob } = await loadFixture(departmentSite);
      await sites.connect(bob).approve(site, 1);
      await expect(sites.connect(governor).affirmRelease(site, 1, evidence("x"))).to.be.revertedWithCustomError(sites, "WebsiteRegistryReleaseNotVoided").withArgs(site, 1);
      await directory.markAccountCompromised(bob.address, (await time.latest()) - 60);
      expect((await sites.currentRelease(site))[0]).to.equal(0);
      await expect(sites.connect(governor).affirmRelease(site, 1, hre.ethers.ZeroHash)).to.be.revertedWithCustomError(sites, "WebsiteRegistryMissingDecision");
      await expect(sites.connect(alice).affirmRelease(site, 1, evidence("x"))).to.be.revertedWithCustomError(sites, "AccessManagedUnauthorized");
      await expect(sites.connect(governor).affirmRelease(site, 9, evidence("x"))).to.be.revertedWithCustomError(sites, "WebsiteRegistryUnknownRelease");
      const decision = evidence("SBIC decision 2026/33: release 1 was reviewed");
      await expect(sites.connect(governor).affirmRelease(site, 1, decision)).to.emit(sites, "ReleaseAffirmed").withArgs(site, 1, decision, governor.address);
      expect([(await sites.currentRelease(site))[0], (await sites.release(site, 1)).approvals, await sites.releaseAffirmation(site, 1)]).to.deep.equal([1n, 2n, decision]);
      expect((await sites.approvalsOf(site, 1)).map((a) => a.counts)).to.deep.equal([true, true]);
      await expect(sites.connect(governor).affirmRelease(site, 1, decision)).to.be.revertedWithCustomError(sites, "WebsiteRegistryReleaseNotVoided");
      // Its publisher's key reported too, both of its approvals stop counting but for the affirmation.
      await directory.markAccountCompromised(alice.address, (await time.latest()) - 3600);
      expect([(await sites.currentRelease(site))[0], (await sites.release(site, 1)).approvals]).to.deep.equal([1n, 2n]);
    });

    it("a release that is no longer current is affirmed for its approvals alone; nothing is affirmed while paused", async () => {
      const { sites, site, directory, governor, guardian, oldKey: alice, oldSecond: bob } = await loadFixture(departmentSite);
      await sites.connect(bob).approve(site, 1);
      await sites.publish(site, encodeBytes32String("v2"), id("root 2"), 1, 1, id("manifest 2"));
      await sites.connect(bob).approve(site, 2);
      await directory.markAccountCompromised(bob.address, (await time.latest()) - 60);
      expect([(await sites.release(site, 1)).approvals, (await sites.currentRelease(site))[0]]).to.deep.equal([1n, 0n]);
      await sites.connect(guardian).pause();
      await expect(sites.connect(governor).affirmRelease(site, 1, evidence("x"))).to.be.revertedWithCustomError(sites, "EnforcedPause");
      await sites.connect(governor).unpause();
      await sites.connect(governor).affirmRelease(site, 1, evidence("release 1 reviewed"));
      expect((await sites.release(site, 1)).approvals).to.equal(2n);
      // A good key rolls the site back to it.
      await expect(sites.connect(alice).rollback(site, 1)).to.emit(sites, "ReleaseActivated");
    });

    /** A 1.0.0 suite as production ran it: the governor (and ADMIN) waiting two days, the operator not at all. */
    async function legacyProduction() {
      const suite = await legacySuite();
      const { authority, governor } = suite;
      await authority.connect(governor).grantRole(ROLES.governor.id, governor.address, 2 * DAY);
      await authority.connect(governor).grantRole(ADMIN_ROLE, governor.address, 2 * DAY);
      return suite;
    }
    const PLAN = { governor: 2 * DAY, operator: DAY };

    it("the exploit: 1.0.0's operator grants power at once, and the README's upgrade path left it so for days under 2.x; now the upgrade raises its delay first and waits for it", async () => {
      const { authority, governor, operator, contracts, deploymentFile } = await loadFixture(legacyProduction);
      // What the operator could do meanwhile: onboard an office at once (1.0.0's directory, same selector).
      const directory = ParticipantDirectory__factory.connect(contracts.ParticipantDirectory.address, operator);
      await expect(directory.onboard(code("rogue"), KIND.registration, CAP.registerDeeds | CAP.approveMutations, [0], evidence("rogue"))).to.emit(directory, "OrganisationOnboarded");
      expect(await delayShortfalls(authority, readDeployment(deploymentFile), PLAN)).to.deep.equal([{ roleId: ROLES.operator.id, label: "OPERATOR", account: operator.address, delay: 0, planned: DAY }]);

      const upgrade = () => upgradeContract(hre, { signer: governor, deployment: readDeployment(deploymentFile), deploymentFile, contract: "ParticipantDirectory", to: "ParticipantDirectory", delays: PLAN });
      const first = await upgrade();
      if (first.status !== "delays-first") throw new Error("expected the upgrade to wait for the delays");
      const [fix] = first.fixes;
      if (fix.status !== "scheduled") throw new Error("expected the delay fix to be scheduled by the delayed governor");
      expect(await directory.version()).to.equal("1.0.0");
      // Run again meanwhile, it neither schedules the fix twice nor upgrades.
      const again = await upgrade();
      expect(again.status === "delays-first" && again.fixes[0]).to.deep.include({ status: "pending", operationId: fix.operationId });
      await time.increase(2 * DAY);
      await new Governance(authority.connect(governor), governor).execute(fix.operationId);
      expect(await authority.hasRole(ROLES.operator.id, operator.address)).to.deep.equal([true, BigInt(DAY)]);
      const done = await upgrade();
      expect(done.status === "upgrade" && done.outcome.status).to.equal("scheduled");
    });
  });
});
