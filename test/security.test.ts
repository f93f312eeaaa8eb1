/**
 * The attacks of the security review (issue 14), each tried the way one stolen or rogue key would: written first
 * against the code as it stood, then shown refused or neutralised.
 */
import { expect } from "chai";
import hre from "hardhat";
import { ZeroHash, encodeBytes32String, getBytes, id, type Interface } from "ethers";
import { StandardMerkleTree } from "@openzeppelin/merkle-tree";
import { landJurisdiction } from "../src/land/titles";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import { rolePlan } from "../deploy/config";
import { newNodeKey } from "../src/besu/node-keys";
import { NODE_PERMISSIONS_ADDRESS, permissionsContractAccount } from "../src/besu/permission-contracts";
import { installGenesisAlloc } from "../src/besu/stand-in";
import { VALIDATOR_CONTRACT_ADDRESS, validatorContractAccount } from "../src/besu/validator-contract";
import { enodeHalves } from "../src/directory/enode";
import { Governance } from "../src/governance/governed";
import { ROLES } from "../src/governance/roles";
import { NodePermissions__factory, ValidatorSet__factory, WebsiteRegistry__factory } from "../typechain-types";
import { CertificateClient } from "../src/certificates/client";
import { CAP, DOC, KIND, REASON, certificateSuite, code, deployedSuite, evidence, rejects } from "./fixtures";
import { DAY, MSTATUS, MUTATION, REJECTION, gapTree, landSuite, owners, parcelSuite, part, record, ulpin } from "./helpers/land";
import { restoreChainAfter } from "./helpers/chain";

describe("Security: one key cannot do what the suite promises it cannot", () => {
  describe("1. no single governance key confers power at once", () => {
    /** The operator's four transactions: a statewide deeds-and-mutations office, its key, a deed, the approval. */
    async function operatorTransfersParcel(suite: Awaited<ReturnType<typeof parcelSuite>>) {
      const { directory, land, operator } = suite;
      const governance = new Governance(suite.authority.connect(operator), operator);
      const target = await directory.getAddress();
      const onboard = await governance.call(
        target,
        directory.interface.encodeFunctionData("onboard", [code("rogue"), KIND.registration, CAP.registerDeeds | CAP.approveMutations, [0], evidence("rogue")]),
      );
      return { governance, onboard, land: land.connect(operator) };
    }

    it("the exploit: an operator without a delay (1.0.0 on every network) moves a parcel in four transactions", async () => {
      const suite = await loadFixture(parcelSuite);
      const { onboard, land } = await operatorTransfersParcel(suite);
      expect(onboard.status).to.equal("executed");
      const rogue = Number(await suite.directory.organisationCount());
      await suite.directory.addAccount(rogue, suite.operator.address);
      const deed = evidence("forged sale deed");
      await land.registerDeed(deed, ulpin(1), MUTATION.sale, owners(["asha", 10_000]), owners(["mallory", 10_000]));
      await land.approveMutation(ulpin(1), deed, [], owners(["asha", 10_000]), owners(["mallory", 10_000]), evidence("RoR forged"));
      expect((await suite.land.parcel(ulpin(1))).owners).to.equal(await suite.land.ownersHash(owners(["mallory", 10_000])));
    });

    it("with the production delays, the operator's grant waits a day and the guardian cancels it: nothing moves", async () => {
      const suite = await loadFixture(parcelSuite);
      const { authority, governor, operator, guardian, directory } = suite;
      await authority.connect(governor).grantRole(ROLES.operator.id, operator.address, DAY);
      const { governance, onboard } = await operatorTransfersParcel(suite);
      expect(onboard.status).to.equal("scheduled");
      if (onboard.status !== "scheduled") return;
      expect(onboard.executableAt).to.equal((await time.latest()) + DAY);
      const before = await directory.organisationCount();
      await rejects(governance.execute(onboard.operationId), /AccessManagerNotReady/);
      await new Governance(authority.connect(guardian), guardian).cancel(onboard.operationId);
      await time.increase(DAY);
      await rejects(governance.execute(onboard.operationId), /AccessManagerNotScheduled/);
      expect(await directory.organisationCount()).to.equal(before);
      // The operator's own key cannot be made an office's key at once either.
      const addKey = await governance.call(await directory.getAddress(), directory.interface.encodeFunctionData("addAccount", [2, operator.address]));
      expect(addKey.status).to.equal("scheduled");
    });

    it("every grant of power is delayed; every protective act stays immediate for the responder", async () => {
      const suite = await loadFixture(parcelSuite);
      const { authority, governor, operator, directory, survey } = suite;
      await authority.connect(governor).grantRole(ROLES.operator.id, operator.address, DAY);
      const governance = new Governance(authority.connect(operator), operator);
      const target = await directory.getAddress();
      const call = (fn: string, args: unknown[]) => governance.call(target, (directory.interface as Interface).encodeFunctionData(fn, args));
      const grants: Array<[string, unknown[]]> = [
        ["onboard", [code("x"), KIND.court, CAP.courtOrders, [0], evidence("x")]],
        ["updateOrganisation", [1, CAP.manageParcels | CAP.registerDeeds, evidence("more")]],
        ["setJurisdictions", [1, [0]]],
        ["addAccount", [1, operator.address]],
        ["addNode", [1, `0x${"11".repeat(32)}`, `0x${"22".repeat(32)}`, "10.0.0.1", 30303, false]],
        ["setSuccessor", [6, 7]],
      ];
      for (const [fn, args] of grants) expect((await call(fn, args)).status, fn).to.equal("scheduled");
      expect((await call("suspend", [2, evidence("incident")])).status).to.equal("executed");
      expect((await call("reinstate", [2, evidence("cleared")])).status).to.equal("scheduled");
      expect((await call("markAccountCompromised", [survey.address, await time.latest()])).status).to.equal("executed");
      expect((await call("removeAccount", [suite.registrar.address])).status).to.equal("executed");
    });

    it("the deployment refuses a zero delay outside the local chains unless it is meant", async () => {
      const env = { ...process.env };
      try {
        Object.assign(process.env, {
          SAKSHYA_GOVERNOR: "0x0000000000000000000000000000000000000001",
          SAKSHYA_OPERATOR: "0x0000000000000000000000000000000000000002",
          SAKSHYA_GUARDIAN: "0x0000000000000000000000000000000000000003",
          SAKSHYA_GOVERNOR_DELAY: "",
          SAKSHYA_OPERATOR_DELAY: "",
          SAKSHYA_RESPONDER: "",
        });
        const plan = rolePlan("besu", []);
        expect([plan.governorDelay, plan.operatorDelay, plan.responder]).to.deep.equal([2 * DAY, DAY, "0x0000000000000000000000000000000000000002"]);
        process.env.SAKSHYA_OPERATOR_DELAY = "0";
        expect(() => rolePlan("besu", [])).to.throw(/SAKSHYA_OPERATOR_DELAY is 0 on network "besu".*--allow-zero-delay/);
        expect(rolePlan("besu", [], { allowZeroDelay: true }).operatorDelay).to.equal(0);
        expect(rolePlan("localhost", ["0x1", "0x2", "0x3"]).operatorDelay).to.equal(0);
        process.env.SAKSHYA_OPERATOR_DELAY = "1 day";
        expect(() => rolePlan("besu", [])).to.throw(/whole number of seconds/);
      } finally {
        process.env = env;
      }
    });
  });

  describe("2. a compromised key's acts after its cut-off do not count (certificates)", () => {
    const ROOT = id("batch of 2026");
    const FIX = id("corrections");
    const W = 1;

    async function stolenKeySuite() {
      const suite = await certificateSuite();
      await suite.registry.issue(ROOT, 100, 0);
      await suite.registry.issue(FIX, 5, 0);
      // Before the theft: a legitimate revocation and a legitimate suspension.
      await suite.registry.revokeDocument(W, ROOT, 10, REASON.misconduct);
      await suite.registry.suspendDocuments(W, ROOT, 0, [1n << 11n], REASON.underReview);
      await time.increase(3600);
      return suite;
    }

    it("the exploit: a stolen key revokes, suspends and supersedes its organisation's documents; once reported, none of it counts", async () => {
      const { registry, directory, universityKey: stolen } = await loadFixture(stolenKeySuite);
      const thief = registry.connect(stolen);
      const theft = (await time.latest()) + 1;
      await thief.revokeDocuments(W, ROOT, 0, [0b1111n], REASON.misconduct); // documents 0-3
      await thief.suspendDocuments(W, ROOT, 0, [1n << 20n], REASON.underReview);
      await thief.supersede(W, ROOT, 30, FIX, 0);
      await thief.reinstateDocuments(W, ROOT, 0, [1n << 11n]); // lifting the legitimate suspension
      await thief.revokeDocument(W, ROOT, 11, REASON.other); // and revoking over it
      await thief.revokeBatch(W, FIX, REASON.issuedInError);
      const status = async (root: string, index: number) => Number((await registry.documentStatus(W, root, index)).status);
      expect([await status(ROOT, 0), await status(ROOT, 20), await status(ROOT, 30), await status(FIX, 1)]).to.deep.equal([DOC.revoked, DOC.suspended, DOC.superseded, DOC.revoked]);

      await directory.markAccountCompromised(stolen.address, theft);
      expect([await status(ROOT, 0), await status(ROOT, 3), await status(ROOT, 20), await status(ROOT, 30), await status(FIX, 1)]).to.deep.equal([
        DOC.valid,
        DOC.valid,
        DOC.valid,
        DOC.valid,
        DOC.valid,
      ]);
      // What the key did before the cut-off stands: the legitimate revocation, and the suspension the thief tried to bury.
      expect([await status(ROOT, 10), await status(ROOT, 11)]).to.deep.equal([DOC.revoked, DOC.suspended]);
      expect((await registry.documentStatus(W, ROOT, 30)).replacementRoot).to.equal(hre.ethers.ZeroHash);
      const codes = getBytes((await registry.documentStatusRange(W, ROOT, 0, 4))[1]);
      expect(codes).to.deep.equal(Uint8Array.from([DOC.valid, 0, DOC.valid, 0, DOC.valid, 0, DOC.valid, 0]));
    });

    it("governance may undo a revocation with a reason, only through the governor's delayed path", async () => {
      const { registry, authority, governor, guardian } = await loadFixture(stolenKeySuite);
      await authority.connect(governor).grantRole(ROLES.governor.id, governor.address, 2 * DAY);
      const governance = new Governance(authority.connect(governor), governor);
      const outcome = await governance.call(await registry.getAddress(), registry.interface.encodeFunctionData("restoreDocument", [W, ROOT, 10, evidence("appeal upheld")]));
      expect(outcome.status).to.equal("scheduled");
      if (outcome.status !== "scheduled") return;
      await time.increase(2 * DAY);
      await expect(governance.execute(outcome.operationId)).to.emit(registry, "DocumentRestored");
      expect((await registry.documentStatus(W, ROOT, 10)).status).to.equal(DOC.valid);
      // The guardian could have cancelled it.
      const again = await governance.call(await registry.getAddress(), registry.interface.encodeFunctionData("restoreDocument", [W, ROOT, 10, evidence("twice")]));
      if (again.status !== "scheduled") throw new Error("expected a scheduled operation");
      await new Governance(authority.connect(guardian), guardian).cancel(again.operationId);
    });
  });

  describe("2. a compromised key's acts after its cut-off do not count (websites)", () => {
    const SITE = id("wb.gov.in");
    const v = (label: string) => encodeBytes32String(label);

    /** The IT department's portal needs two of its three keys; release 1 is current, release 2 waits for review. */
    async function portalSuite() {
      const suite = await deployedSuite();
      const { directory, others, deployment, operator } = suite;
      await directory.onboard(code("it-dept"), KIND.agency, CAP.publishWebsites, [0], evidence("IT department"));
      const [alice, bob, carol] = others;
      for (const key of [alice, bob, carol]) await directory.addAccount(1, key.address);
      const sites = WebsiteRegistry__factory.connect(deployment.contracts.WebsiteRegistry!.address, alice);
      await sites.connect(operator).registerSite(SITE, 1, 2);
      await sites.publish(SITE, v("2026.11.1"), id("root-1"), 10, 1000, id("manifest-1"));
      await sites.connect(bob).approve(SITE, 1);
      await sites.publish(SITE, v("2026.11.2"), id("root-2"), 10, 1000, id("manifest-2"));
      await time.increase(3600);
      return { ...suite, sites, alice, bob, carol };
    }

    it("the exploit: a stolen key's approval makes a release current; once reported, the site has no current release, not an older one", async () => {
      const { sites, directory, carol } = await loadFixture(portalSuite);
      const theft = (await time.latest()) + 1;
      await sites.connect(carol).approve(SITE, 2);
      expect((await sites.currentRelease(SITE))[0]).to.equal(2);
      await directory.markAccountCompromised(carol.address, theft);
      const [current, release] = await sites.currentRelease(SITE);
      expect([current, release.root]).to.deep.equal([0n, hre.ethers.ZeroHash]);
      expect((await sites.release(SITE, 2)).approvals).to.equal(1);
      expect((await sites.approvalsOf(SITE, 2)).map((a) => a.counts)).to.deep.equal([true, false]);
    });

    it("a stolen key's rollback and revocation stop counting; a good key's approval or rollback restores the site", async () => {
      const { sites, directory, alice, bob, carol } = await loadFixture(portalSuite);
      await sites.connect(bob).approve(SITE, 2); // release 2 current, legitimately
      const theft = (await time.latest()) + 1;
      await sites.connect(carol).rollback(SITE, 1); // back to the old release
      await sites.connect(carol).revoke(SITE, 2, 1); // and the new one revoked
      await directory.markAccountCompromised(carol.address, theft);
      // The thief's rollback made release 1 current: it no longer counts, so nothing is current.
      expect((await sites.currentRelease(SITE))[0]).to.equal(0);
      // Its revocation of release 2 does not count either: a good key rolls back to it.
      expect((await sites.release(SITE, 2)).status).to.equal(2);
      await expect(sites.connect(alice).rollback(SITE, 2)).to.emit(sites, "ReleaseActivated");
      expect((await sites.currentRelease(SITE))[0]).to.equal(2);
    });
  });

  describe("2. a court rectifies a wrongful mutation (land)", () => {
    const FORGED = evidence("forged sale deed 999/2026");
    const DECREE = evidence("Title suit 7/2026 decree");
    async function stolenSale() {
      const suite = await parcelSuite();
      const { land, registrar, officer } = suite;
      // Stolen keys of the registration office and the block's land revenue office: Asha's parcel goes to Mallory.
      await land.connect(registrar).registerDeed(FORGED, ulpin(1), MUTATION.sale, owners(["asha", 10_000]), owners(["mallory", 10_000]));
      await land.connect(officer).approveMutation(ulpin(1), FORGED, [], owners(["asha", 10_000]), owners(["mallory", 10_000]), evidence("RoR forged"));
      return suite;
    }

    it("the exploit: stolen office keys transfer a parcel; the district court restores the earlier owners through the same event trail", async () => {
      const { land, court, ORG } = await loadFixture(stolenSale);
      expect((await land.parcel(ulpin(1))).owners).to.equal(await land.ownersHash(owners(["mallory", 10_000])));
      const restored = owners(["asha", 10_000]);
      const record = evidence("RoR restored");
      await expect(land.connect(court).rectify(ulpin(1), FORGED, restored, DECREE, record))
        .to.emit(land, "TitleRectified")
        .withArgs(ulpin(1), FORGED, restored.map((o) => [o.commitment, o.share]), 3, record, DECREE, ORG.court, court.address);
      const p = await land.parcel(ulpin(1));
      expect([p.owners, p.version, p.recordHash]).to.deep.equal([await land.ownersHash(restored), 3n, record]);
      expect((await land.mutation(ulpin(1), FORGED)).status).to.equal(MSTATUS.rectified);
      await expect(land.connect(court).rectify(ulpin(1), FORGED, restored, DECREE, record))
        .to.be.revertedWithCustomError(land, "LandRegistryUnexpectedMutationStatus")
        .withArgs(FORGED, MSTATUS.rectified);
    });

    it("restores only the owners the mutation replaced, only by a court of the parcel's district, never by governance, and waits for another order's freeze", async () => {
      const { land, court, bank, governor, directory, others, registrar } = await loadFixture(stolenSale);
      const restored = owners(["asha", 10_000]);
      const record = evidence("RoR restored");
      await expect(land.connect(court).rectify(ulpin(1), FORGED, owners(["eve", 10_000]), DECREE, record))
        .to.be.revertedWithCustomError(land, "LandRegistryNotEarlierOwners")
        .withArgs(ulpin(1), FORGED);
      await expect(land.connect(bank).rectify(ulpin(1), FORGED, restored, DECREE, record)).to.be.revertedWithCustomError(directory, "ParticipantDirectoryMissingCapability");
      await expect(land.connect(governor).rectify(ulpin(1), FORGED, restored, DECREE, record)).to.be.revertedWithCustomError(directory, "ParticipantDirectoryUnknownAccount");
      await directory.onboard(code("court-18"), KIND.court, CAP.courtOrders, [landJurisdiction(18)], evidence("court-18"));
      await directory.addAccount(9, others[9].address);
      await expect(land.connect(others[9]).rectify(ulpin(1), FORGED, restored, DECREE, record)).to.be.revertedWithCustomError(directory, "ParticipantDirectoryOutsideJurisdiction");
      await expect(land.connect(court).rectify(ulpin(1), FORGED, restored, ZeroHash, record)).to.be.revertedWithCustomError(land, "LandRegistryEmptyHash");
      await expect(land.connect(court).rectify(ulpin(1), FORGED, restored, DECREE, ZeroHash)).to.be.revertedWithCustomError(land, "LandRegistryEmptyHash");
      await expect(land.connect(court).rectify(ulpin(1), evidence("no such deed"), restored, DECREE, record)).to.be.revertedWithCustomError(land, "LandRegistryUnknownMutation");
      // A mutation that has not taken effect has nothing to set aside.
      await land.connect(registrar).registerDeed(id("pending"), ulpin(2), MUTATION.sale, owners(["bina", 6_000], ["chandan", 4_000]), owners(["dev", 10_000]));
      await expect(land.connect(court).rectify(ulpin(2), id("pending"), owners(["bina", 6_000], ["chandan", 4_000]), DECREE, record))
        .to.be.revertedWithCustomError(land, "LandRegistryUnexpectedMutationStatus")
        .withArgs(id("pending"), MSTATUS.open);
      await land.connect(court).freeze(ulpin(1), evidence("CS 1/2026"), 0);
      await expect(land.connect(court).rectify(ulpin(1), FORGED, restored, DECREE, record)).to.be.revertedWithCustomError(land, "LandRegistryParcelFrozen");
    });
  });

  describe("3. identifiers belong to whoever owns them (certificates)", () => {
    it("the exploit: another organisation anchors the real issuer's root first; it neither blocks the issuer nor gets a say over its documents", async () => {
      const { registry, boardKey, universityKey, deployment } = await loadFixture(certificateSuite);
      const root = id("wbu 2026 degrees");
      await registry.connect(boardKey).issue(root, 500, 0); // squatted by organisation 3
      await expect(registry.issue(root, 500, 0)).to.emit(registry, "BatchIssued").withArgs(root, 1, universityKey.address, 500, 0);
      await registry.connect(boardKey).revokeBatch(3, root, REASON.other);
      await expect(registry.connect(boardKey).revokeDocument(1, root, 7, REASON.other)).to.be.revertedWithCustomError(registry, "CertificateRegistryNotIssuer").withArgs(1, root, boardKey.address);
      // A verifier asks for the issuer a certificate names: the university's documents are valid, the squatter's revoked.
      const client = new CertificateClient(deployment, hre.ethers.provider);
      const [ours, theirs] = await client.statuses([
        { issuerOrgId: 1, root, index: 7 },
        { issuerOrgId: 3, root, index: 7 },
      ]);
      expect([ours.status, theirs.status]).to.deep.equal(["valid", "revoked"]);
    });
  });

  describe("3. identifiers belong to whoever owns them (land)", () => {
    it("the exploit: an office elsewhere records a deed's hash first; the real office still opens its mutation, and neither touches the other", async () => {
      const { land, directory, others, outsider, registrar, officer } = await loadFixture(parcelSuite);
      const [surveyElsewhere, registrarElsewhere] = [outsider, others[9]];
      await directory.onboard(code("survey-18"), KIND.agency, CAP.manageParcels, [landJurisdiction(18)], evidence("survey-18"));
      await directory.onboard(code("sro-18"), KIND.registration, CAP.registerDeeds, [landJurisdiction(18)], evidence("sro-18"));
      await directory.addAccount(9, surveyElsewhere.address);
      await directory.addAccount(10, registrarElsewhere.address);
      await land.connect(surveyElsewhere).registerParcel({ ...record(50), district: 18 }, owners(["zed", 10_000]), []);
      const deed = evidence("sale deed 1234/2026, Krishnagar"); // the real deed's hash, seen before it was registered
      await land.connect(registrarElsewhere).registerDeed(deed, ulpin(50), MUTATION.sale, owners(["zed", 10_000]), owners(["mallory", 10_000]));
      // 1.0.0 refused this with LandRegistryDeedAlreadyRecorded: one deed hash per registry.
      await land.connect(registrar).registerDeed(deed, ulpin(1), MUTATION.sale, owners(["asha", 10_000]), owners(["dev", 10_000]));
      await land.connect(officer).approveMutation(ulpin(1), deed, [], owners(["asha", 10_000]), owners(["dev", 10_000]), evidence("RoR 1 v2"));
      expect([(await land.mutation(ulpin(1), deed)).status, (await land.mutation(ulpin(50), deed)).status]).to.deep.equal([BigInt(MSTATUS.approved), BigInt(MSTATUS.open)]);
      await expect(land.connect(registrarElsewhere).registerDeed(deed, ulpin(2), MUTATION.sale, owners(["bina", 6_000], ["chandan", 4_000]), owners(["mallory", 10_000])))
        .to.be.revertedWithCustomError(directory, "ParticipantDirectoryOutsideJurisdiction");
    });

    it("the exploit: survey staff register a ULPIN a migration snapshot holds, before its recorded owners materialise it; now refused", async () => {
      const { land, governor, survey, outsider } = await loadFixture(landSuite);
      const held = owners(["asha", 10_000]);
      const entries = StandardMerkleTree.of(
        [[ulpin(100), await land.ownersHash(held), 1_000, 1, 17, 4, 100_234, record(100).recordHash]],
        ["bytes14", "bytes32", "uint64", "uint8", "uint16", "uint16", "uint32", "bytes32"],
      );
      const gaps = gapTree([100]);
      await land.connect(governor).anchorSnapshot(entries.root, 1, evidence("export"), gaps.root);
      await expect(land.connect(survey).registerParcel(record(100), owners(["mallory", 10_000]), [])).to.be.revertedWithCustomError(land, "LandRegistryHeldBySnapshot").withArgs(ulpin(100), entries.root);
      const made = { below: ulpin(99), above: ulpin(101), proof: [] }; // a gap the snapshot does not have
      await expect(land.connect(survey).registerParcel(record(100), owners(["mallory", 10_000]), [made])).to.be.revertedWithCustomError(land, "LandRegistryHeldBySnapshot");
      await land.connect(outsider).materialise(entries.root, record(100), held, entries.getProof(0));
      // A second snapshot holding the same ULPIN for other owners cannot materialise it again.
      const rival = StandardMerkleTree.of(
        [[ulpin(100), await land.ownersHash(owners(["mallory", 10_000])), 1_000, 1, 17, 4, 100_234, record(100).recordHash]],
        ["bytes14", "bytes32", "uint64", "uint8", "uint16", "uint16", "uint32", "bytes32"],
      );
      await land.connect(governor).anchorSnapshot(rival.root, 1, evidence("export 2"), gaps.root);
      await expect(land.connect(outsider).materialise(rival.root, record(100), owners(["mallory", 10_000]), rival.getProof(0)))
        .to.be.revertedWithCustomError(land, "LandRegistryParcelExists")
        .withArgs(ulpin(100));
      await land.connect(survey).registerParcel(record(7), held, [gaps.proofOf(7), gaps.proofOf(7)]);
    });
  });

  describe("4. nothing gets stuck forever (certificates)", () => {
    it("a suspension records who imposed it: an issuer's key cannot lift what governance imposed", async () => {
      const { registry, operator, universityKey } = await loadFixture(certificateSuite);
      const root = id("under review");
      await registry.issue(root, 10, 0);
      await registry.connect(operator).suspendBatch(1, root, REASON.courtOrder);
      const [, suspension] = await registry.batchMarks(1, root);
      expect([suspension.value, suspension.actor]).to.deep.equal([1n, hre.ethers.ZeroAddress]);
      await expect(registry.connect(universityKey).reinstateBatch(1, root)).to.be.revertedWithCustomError(registry, "CertificateRegistrySuspendedByGovernance");
      await registry.connect(operator).reinstateBatch(1, root);
      expect((await registry.documentStatus(1, root, 0)).status).to.equal(DOC.valid);
    });
  });

  describe("4. nothing gets stuck forever (websites)", () => {
    it("lowering a threshold makes the pending release that already has enough counted approvals current", async () => {
      const suite = await deployedSuite();
      const { directory, others, deployment, operator } = suite;
      await directory.onboard(code("it-dept"), KIND.agency, CAP.publishWebsites, [0], evidence("IT department"));
      for (const key of others.slice(0, 3)) await directory.addAccount(1, key.address);
      const sites = WebsiteRegistry__factory.connect(deployment.contracts.WebsiteRegistry!.address, others[0]);
      const site = id("wb.gov.in");
      await sites.connect(operator).registerSite(site, 1, 3);
      await sites.publish(site, encodeBytes32String("v1"), id("root-1"), 1, 1, id("m-1"));
      await sites.connect(others[1]).approve(site, 1);
      expect((await sites.currentRelease(site))[0]).to.equal(0);
      // The third key left the department: with a threshold of 3 the release would wait for ever.
      await directory.removeAccount(others[2].address);
      await expect(sites.connect(operator).setThreshold(site, 2))
        .to.emit(sites, "ReleaseActivated")
        .withArgs(site, 1, 0, 3, operator.address);
      expect((await sites.currentRelease(site))[0]).to.equal(1);
    });
  });

  describe("4. nothing gets stuck forever (land)", () => {
    const LOAN = id("home loan 8812");
    const OTHER_LOAN = id("crop loan 17");

    it("the exploit: a bank offboarded with liens on a parcel kept it encumbered for ever; its successor releases them, or a court discharges them", async () => {
      const { land, bank, otherBank, court, directory, operator, governor, survey, ORG } = await loadFixture(parcelSuite);
      await land.connect(bank).registerLien(ulpin(1), LOAN);
      await land.connect(bank).registerLien(ulpin(1), OTHER_LOAN);
      const order = evidence("Execution case 3/2026");
      await expect(land.connect(court).dischargeLien(ulpin(1), LOAN, order)).to.be.revertedWithCustomError(land, "LandRegistryLienHolderActive").withArgs(LOAN, ORG.bank);
      await directory.connect(governor).offboard(ORG.bank, evidence("merged into ubi"));
      await expect(land.connect(bank).releaseLien(ulpin(1), LOAN)).to.be.revertedWithCustomError(directory, "ParticipantDirectoryOrganisationInactive");
      await expect(land.connect(otherBank).releaseLien(ulpin(1), LOAN)).to.be.revertedWithCustomError(land, "LandRegistryNotLienHolder").withArgs(LOAN, ORG.bank, ORG.otherBank);
      await directory.connect(operator).setSuccessor(ORG.bank, ORG.otherBank);
      await expect(land.connect(otherBank).releaseLien(ulpin(1), LOAN)).to.emit(land, "LienReleased").withArgs(ulpin(1), LOAN, ORG.otherBank, otherBank.address);
      await expect(land.connect(bank).dischargeLien(ulpin(1), OTHER_LOAN, order)).to.be.revertedWithCustomError(directory, "ParticipantDirectoryOrganisationInactive");
      await expect(land.connect(court).dischargeLien(ulpin(1), OTHER_LOAN, ZeroHash)).to.be.revertedWithCustomError(land, "LandRegistryEmptyHash");
      await expect(land.connect(court).dischargeLien(ulpin(1), LOAN, order)).to.be.revertedWithCustomError(land, "LandRegistryUnknownLien").withArgs(ulpin(1), LOAN);
      await expect(land.connect(court).dischargeLien(ulpin(9), LOAN, order)).to.be.revertedWithCustomError(land, "LandRegistryUnknownParcel").withArgs(ulpin(9));
      await expect(land.connect(court).dischargeLien(ulpin(1), OTHER_LOAN, order))
        .to.emit(land, "LienDischarged")
        .withArgs(ulpin(1), OTHER_LOAN, order, ORG.court, court.address);
      expect((await land.parcel(ulpin(1))).liens).to.equal(0);
      await land.connect(survey).split(ulpin(1), owners(["asha", 10_000]), [part(11, 400), part(12, 600)], []);
    });

    it("a suspended bank, or one that lost the capability or the jurisdiction, has not left: its liens stand until it is offboarded", async () => {
      const { land, bank, court, directory, operator, governor, ORG } = await loadFixture(parcelSuite);
      const order = evidence("order");
      await land.connect(bank).registerLien(ulpin(1), LOAN);
      const dischargeable = async (yes: boolean) => {
        const attempt = land.connect(court).dischargeLien.staticCall(ulpin(1), LOAN, order);
        if (yes) await attempt;
        else await expect(attempt).to.be.revertedWithCustomError(land, "LandRegistryLienHolderActive");
      };
      await directory.connect(operator).suspend(ORG.bank, evidence("licence under review"));
      await dischargeable(false);
      await directory.connect(operator).reinstate(ORG.bank, evidence("review closed"));
      await directory.connect(operator).setJurisdictions(ORG.bank, [landJurisdiction(18)]);
      await dischargeable(false);
      await directory.connect(operator).setJurisdictions(ORG.bank, [0]);
      await directory.connect(operator).updateOrganisation(ORG.bank, CAP.registerDeeds, evidence("no longer lends"));
      await dischargeable(false);
      await directory.connect(governor).offboard(ORG.bank, evidence("licence cancelled"));
      await dischargeable(true);
    });

    it("the exploit: a transfer to more recipients than it removes grew an owner list past 64, which nothing could then move; now refused", async () => {
      const { land, survey, registrar, officer } = await loadFixture(landSuite);
      const names = Array.from({ length: 64 }, (_, i) => `heir ${i}`);
      const full = owners(...names.map((n, i): [string, number] => [n, i === 0 ? 10_000 - 63 * 156 : 156]));
      await land.connect(survey).registerParcel(record(1), full, []);
      const giver = full.find((o) => o.share === 156)!;
      const from = [giver];
      const to = owners(["newcomer a", 78], ["newcomer b", 78]);
      await land.connect(registrar).registerDeed(id("deed"), ulpin(1), MUTATION.sale, from, to);
      await time.increase(31 * DAY);
      await expect(land.connect(officer).approveMutation(ulpin(1), id("deed"), full, from, to, evidence("RoR v2")))
        .to.be.revertedWithCustomError(land, "LandRegistryInvalidOwnerCount")
        .withArgs(65);
      // A succession goes through the same rule.
      await land.connect(officer).rejectMutation(ulpin(1), id("deed"), REJECTION.other, evidence("order"));
      await land.connect(officer).openSuccession(id("certificate"), ulpin(1), from, to);
      await time.increase(31 * DAY);
      await expect(land.connect(officer).approveMutation(ulpin(1), id("certificate"), full, from, to, evidence("RoR v2")))
        .to.be.revertedWithCustomError(land, "LandRegistryInvalidOwnerCount")
        .withArgs(65);
    });

    it("the exploit: any court of the district lifted another court's freeze, and a second order could not be added; now only the ordering court lifts, orders stack, and a lapse reads the same everywhere", async () => {
      const { land, court, directory, others, ORG } = await loadFixture(parcelSuite);
      await directory.onboard(code("court-17b"), KIND.court, CAP.courtOrders, [landJurisdiction(17)], evidence("court-17b"));
      await directory.addAccount(9, others[9].address);
      const otherCourt = others[9];
      const order = evidence("CS 12/2026");
      const now = await time.latest();
      await land.connect(court).freeze(ulpin(1), order, 0);
      await expect(land.connect(otherCourt).unfreeze(ulpin(1), order, evidence("lift"))).to.be.revertedWithCustomError(land, "LandRegistryNotFreezingCourt").withArgs(ulpin(1), order, ORG.court, 9);
      await land.connect(otherCourt).freeze(ulpin(1), evidence("OS 3/2026"), now + DAY);
      await land.connect(court).unfreeze(ulpin(1), order, evidence("final order"));
      expect([(await land.parcel(ulpin(1))).frozen, await land.parcelStatus(ulpin(1))]).to.deep.equal([true, 2n]);
      await time.increaseTo(now + DAY);
      expect([(await land.parcel(ulpin(1))).frozen, await land.parcelStatus(ulpin(1))]).to.deep.equal([false, 1n]);
    });
  });

  describe("5. validators cannot be thinned by one key", () => {
    restoreChainAfter();

    /** A network generated with five validators (minimum four) run by the State Data Centre, plus one RPC node. */
    async function networkSuite() {
      const suite = await deployedSuite();
      const { directory, authority, governor, others } = suite;
      const bootstrap = others[0];
      await directory.onboard(code("sdc"), KIND.nodeOperator, CAP.runNode | CAP.validate, [0], evidence("State Data Centre"));
      const keys = Array.from({ length: 6 }, () => newNodeKey());
      for (const [i, key] of keys.entries()) {
        const [high, low] = enodeHalves(`0x${key.enodeId}`);
        await directory.addNode(1, high, low, `10.20.0.${i + 1}`, 30303, i < 5);
      }
      const validators = keys.slice(0, 5).map((k) => k.address);
      await installGenesisAlloc(hre, {
        [VALIDATOR_CONTRACT_ADDRESS]: validatorContractAccount(validators, bootstrap.address, 4),
        [NODE_PERMISSIONS_ADDRESS]: permissionsContractAccount("NodePermissions", bootstrap.address),
      });
      const set = ValidatorSet__factory.connect(VALIDATOR_CONTRACT_ADDRESS, bootstrap);
      const nodePermissions = NodePermissions__factory.connect(NODE_PERMISSIONS_ADDRESS, bootstrap);
      await set.bind(await authority.getAddress(), await directory.getAddress());
      await nodePermissions.bind(await authority.getAddress(), await directory.getAddress(), []);
      const selectors = (["addValidator", "removeValidator"] as const).map((f) => set.interface.getFunction(f)!.selector);
      await authority.connect(governor).setTargetFunctionRole(VALIDATOR_CONTRACT_ADDRESS, selectors, ROLES.governor.id);
      const nodeIds = keys.map((k) => hre.ethers.keccak256(`0x${k.enodeId}`));
      return { ...suite, keys, nodeIds, validators, set, nodePermissions, anyone: others[5] };
    }

    it("a suspension, which one responder key imposes at once, prunes nobody and disconnects no validator", async () => {
      const { directory, set, nodePermissions, keys, validators, anyone } = await loadFixture(networkSuite);
      await directory.suspend(1, evidence("one key, at once"));
      for (const validator of validators) {
        await expect(set.connect(anyone).prune(validator)).to.be.revertedWithCustomError(set, "ValidatorSetNotPrunable").withArgs(validator);
      }
      expect(await set.getValidators()).to.deep.equal(validators);
      // Validators keep connecting; the suspended organisation's plain RPC node does not.
      expect(await nodePermissions.connectionAllowed(keys[0].enodeId, "10.20.0.1", 30303)).to.equal(true);
      expect(await nodePermissions.connectionAllowed(keys[5].enodeId, "10.20.0.6", 30303)).to.equal(false);
    });

    it("removing validator nodes (immediate) lets anyone prune only down to the generated minimum; below it is the governor's delayed decision", async () => {
      const { directory, set, nodeIds, validators, anyone, governor } = await loadFixture(networkSuite);
      for (const id of nodeIds.slice(0, 3)) await directory.removeNode(id);
      await expect(set.connect(anyone).prune(validators[0])).to.emit(set, "ValidatorRemoved").withArgs(validators[0], true, anyone.address);
      await expect(set.connect(anyone).prune(validators[1])).to.be.revertedWithCustomError(set, "ValidatorSetAtMinimum").withArgs(validators[1], 4, 4);
      expect((await set.getValidators()).length).to.equal(4);
      await expect(set.connect(governor).removeValidator(validators[1])).to.emit(set, "ValidatorRemoved").withArgs(validators[1], false, governor.address);
    });
  });
});
