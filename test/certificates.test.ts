import { expect } from "chai";
import hre from "hardhat";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import { StandardMerkleTree } from "@openzeppelin/merkle-tree";
import { getBytes, id } from "ethers";
import { MerkleBatchTree } from "../src/certificates/merkle";
import { loadKeccak } from "../src/hashing/keccak";
import { upgradeContract } from "../deploy/upgrade";
import { readDeployment } from "../src/config/deployments";
import { Governance } from "../src/governance/governed";
import { DOC, REASON, certificateSuite, evidence, upgraded } from "./fixtures";

const ROOT = id("batch-1");
const OTHER_ROOT = id("batch-2");
const MAX = 2 ** 24 - 1;
/** The organisation ids of the fixture: the university (keys universityKey and secondKey) and the board (boardKey). */
const W = 1;
const BOARD = 3;

async function issuedSuite() {
  const suite = await certificateSuite();
  await suite.registry.issue(ROOT, 300, 0);
  await suite.registry.issue(OTHER_ROOT, 10, 0);
  return suite;
}

describe("CertificateRegistry", () => {
  describe("deployment", () => {
    it("is deployed behind a proxy, knows the directory and cannot be initialised again", async () => {
      const { registry, deployment } = await loadFixture(certificateSuite);
      expect(await registry.version()).to.equal("2.2.0");
      expect(await registry.directory()).to.equal(deployment.contracts.ParticipantDirectory.address);
      expect(await registry.authority()).to.equal(deployment.contracts.SakshyaAuthority.address);
      await expect(registry.initialize(deployment.contracts.SakshyaAuthority.address)).to.be.revertedWithCustomError(registry, "InvalidInitialization");
    });

    it("refuses a zero directory address", async () => {
      const factory = await hre.ethers.getContractFactory("CertificateRegistry");
      await expect(factory.deploy(hre.ethers.ZeroAddress)).to.be.revertedWithCustomError(factory, "DirectoryGatedZeroDirectory");
    });
  });

  describe("issue", () => {
    it("anchors a batch in one slot and names issuer, signer, count and expiry", async () => {
      const { registry, universityKey } = await loadFixture(certificateSuite);
      const expiry = (await time.latest()) + 3600;
      await expect(registry.issue(ROOT, 12, expiry)).to.emit(registry, "BatchIssued").withArgs(ROOT, 1, universityKey.address, 12, expiry);
      const batch = await registry.batch(W, ROOT);
      expect(batch.signer).to.equal(universityKey.address);
      expect(batch.issuedAt).to.equal(await time.latest());
      expect([batch.expiresAt, batch.documentCount, batch.mark]).to.deep.equal([BigInt(expiry), 12n, 0n]);
    });

    it("accepts the largest batch and refuses empty roots, bad counts, past expiries and a second issue by the same issuer", async () => {
      const { registry, universityKey, secondKey } = await loadFixture(certificateSuite);
      await expect(registry.issue(hre.ethers.ZeroHash, 1, 0)).to.be.revertedWithCustomError(registry, "CertificateRegistryEmptyRoot");
      await expect(registry.issue(ROOT, 0, 0)).to.be.revertedWithCustomError(registry, "CertificateRegistryInvalidDocumentCount").withArgs(0);
      await expect(registry.issue(ROOT, MAX + 1, 0)).to.be.revertedWithCustomError(registry, "CertificateRegistryInvalidDocumentCount").withArgs(MAX + 1);
      const now = await time.latest();
      await expect(registry.issue(ROOT, 1, now)).to.be.revertedWithCustomError(registry, "CertificateRegistryInvalidExpiry").withArgs(now);
      await registry.issue(ROOT, MAX, 0);
      const issuedAt = await time.latest();
      await expect(registry.connect(secondKey).issue(ROOT, 1, 0))
        .to.be.revertedWithCustomError(registry, "CertificateRegistryAlreadyIssued")
        .withArgs(W, ROOT, universityKey.address, issuedAt);
    });

    it("takes the issuer's short-code slot of the root, which no other batch of that issuer may take", async () => {
      const { registry, boardKey } = await loadFixture(certificateSuite);
      const slots = await registry.CODE_SLOTS();
      const slot = BigInt(ROOT) % slots;
      await expect(registry.issue(ROOT, 5, 0)).to.emit(registry, "CodeSlotTaken").withArgs(W, slot, ROOT);
      expect(await registry.codeSlot(W, slot)).to.equal(ROOT);
      expect(await registry.codeSlot(W, (slot + 1n) % slots)).to.equal(hre.ethers.ZeroHash);
      expect(await registry.codeSlot(3, slot), "slots are per issuer").to.equal(hre.ethers.ZeroHash);
      // Another root of this issuer in the same slot is refused, naming the batch that holds it ...
      const sameSlot = hre.ethers.toBeHex(BigInt(ROOT) + slots, 32);
      await expect(registry.issue(sameSlot, 1, 0)).to.be.revertedWithCustomError(registry, "CertificateRegistryCodeSlotTaken").withArgs(W, slot, ROOT);
      // ... but another organisation's batch in that slot is its own, and blocks nobody.
      await expect(registry.connect(boardKey).issue(sameSlot, 1, 0)).to.emit(registry, "CodeSlotTaken").withArgs(3, slot, sameSlot);
    });

    it("asks the directory: outsiders, organisations without the capability and suspended issuers are refused", async () => {
      const { registry, directory, outsider, revenueKey } = await loadFixture(certificateSuite);
      await expect(registry.connect(outsider).issue(ROOT, 1, 0)).to.be.revertedWithCustomError(directory, "ParticipantDirectoryUnknownAccount");
      await expect(registry.connect(revenueKey).issue(ROOT, 1, 0)).to.be.revertedWithCustomError(directory, "ParticipantDirectoryMissingCapability");
      await directory.suspend(1, evidence("audit"));
      await expect(registry.issue(ROOT, 1, 0)).to.be.revertedWithCustomError(directory, "ParticipantDirectoryOrganisationInactive");
    });
  });

  describe("whole batches", () => {
    it("revokes a batch with a reason, once, and only with a revocation reason", async () => {
      const { registry, universityKey } = await loadFixture(issuedSuite);
      await expect(registry.revokeBatch(W, ROOT, REASON.none)).to.be.revertedWithCustomError(registry, "CertificateRegistryInvalidReason").withArgs(REASON.none);
      await expect(registry.revokeBatch(W, ROOT, REASON.superseded)).to.be.revertedWithCustomError(registry, "CertificateRegistryInvalidReason").withArgs(REASON.superseded);
      await expect(registry.revokeBatch(W, id("nope"), REASON.other)).to.be.revertedWithCustomError(registry, "CertificateRegistryUnknownBatch").withArgs(W, id("nope"));
      await expect(registry.revokeBatch(BOARD, ROOT, REASON.other)).to.be.revertedWithCustomError(registry, "CertificateRegistryUnknownBatch").withArgs(BOARD, ROOT);
      await expect(registry.revokeBatch(W, ROOT, REASON.issuedInError)).to.emit(registry, "BatchRevoked").withArgs(ROOT, W, REASON.issuedInError, universityKey.address);
      await expect(registry.revokeBatch(W, ROOT, REASON.other)).to.be.revertedWithCustomError(registry, "CertificateRegistryBatchRevoked").withArgs(ROOT);
      const status = await registry.documentStatus(W, ROOT, 7);
      expect([status.status, status.reason]).to.deep.equal([BigInt(DOC.revoked), BigInt(REASON.issuedInError)]);
    });

    it("suspends and reinstates a batch", async () => {
      const { registry, universityKey } = await loadFixture(issuedSuite);
      await expect(registry.suspendBatch(W, ROOT, REASON.none)).to.be.revertedWithCustomError(registry, "CertificateRegistryInvalidReason");
      await expect(registry.reinstateBatch(W, ROOT)).to.be.revertedWithCustomError(registry, "CertificateRegistryBatchNotSuspended").withArgs(ROOT);
      await expect(registry.suspendBatch(W, ROOT, REASON.underReview)).to.emit(registry, "BatchSuspended").withArgs(ROOT, W, REASON.underReview, universityKey.address);
      await expect(registry.suspendBatch(W, ROOT, REASON.underReview)).to.be.revertedWithCustomError(registry, "CertificateRegistryBatchSuspended").withArgs(ROOT);
      expect((await registry.documentStatus(W, ROOT, 0)).status).to.equal(DOC.suspended);
      await expect(registry.reinstateBatch(W, ROOT)).to.emit(registry, "BatchReinstated").withArgs(ROOT, W, universityKey.address);
      expect((await registry.documentStatus(W, ROOT, 0)).status).to.equal(DOC.valid);
      // A suspended batch can still be revoked; a revoked one can be neither suspended nor reinstated.
      await registry.suspendBatch(W, ROOT, REASON.underReview);
      await registry.revokeBatch(W, ROOT, REASON.misconduct);
      await expect(registry.suspendBatch(W, ROOT, REASON.other)).to.be.revertedWithCustomError(registry, "CertificateRegistryBatchRevoked");
      await expect(registry.reinstateBatch(W, ROOT)).to.be.revertedWithCustomError(registry, "CertificateRegistryBatchRevoked");
    });
  });

  describe("documents", () => {
    it("revokes one document, once, inside the batch's range", async () => {
      const { registry, universityKey } = await loadFixture(issuedSuite);
      await expect(registry.revokeDocument(W, ROOT, 300, REASON.other))
        .to.be.revertedWithCustomError(registry, "CertificateRegistryIndexOutOfRange")
        .withArgs(ROOT, 300, 300);
      await expect(registry.revokeDocument(W, ROOT, 299, REASON.none)).to.be.revertedWithCustomError(registry, "CertificateRegistryInvalidReason");
      await expect(registry.revokeDocument(W, ROOT, 299, REASON.withdrawn)).to.emit(registry, "DocumentRevoked").withArgs(ROOT, W, 299, REASON.withdrawn, universityKey.address);
      await expect(registry.revokeDocument(W, ROOT, 299, REASON.other)).to.be.revertedWithCustomError(registry, "CertificateRegistryDocumentRevoked").withArgs(ROOT, 299);
      expect((await registry.documentStatus(W, ROOT, 298)).status).to.equal(DOC.valid);
      await registry.revokeBatch(W, ROOT, REASON.other);
      await expect(registry.revokeDocument(W, ROOT, 5, REASON.other)).to.be.revertedWithCustomError(registry, "CertificateRegistryBatchRevoked");
    });

    it("revokes many documents from a bitmap, all or nothing, naming a conflicting index", async () => {
      const { registry, universityKey } = await loadFixture(issuedSuite);
      const bitmap = [(1n << 0n) | (1n << 63n) | (1n << 64n) | (1n << 255n), 1n << 43n]; // indices 0, 63, 64, 255, 299
      await expect(registry.revokeDocuments(W, ROOT, 0, bitmap, REASON.duplicate))
        .to.emit(registry, "DocumentsRevoked")
        .withArgs(ROOT, W, 0, bitmap, REASON.duplicate, universityKey.address);
      for (const index of [0, 63, 64, 255, 299]) expect((await registry.documentStatus(W, ROOT, index)).reason).to.equal(REASON.duplicate);
      for (const index of [1, 62, 65, 254, 256, 298]) expect((await registry.documentStatus(W, ROOT, index)).status).to.equal(DOC.valid);
      await expect(registry.revokeDocuments(W, ROOT, 0, [(1n << 1n) | (1n << 64n)], REASON.other))
        .to.be.revertedWithCustomError(registry, "CertificateRegistryDocumentRevoked")
        .withArgs(ROOT, 64);
      expect((await registry.documentStatus(W, ROOT, 1)).status, "nothing of a refused call lands").to.equal(DOC.valid);
    });

    it("checks the bitmap's range and that it selects something", async () => {
      const { registry } = await loadFixture(issuedSuite);
      await expect(registry.revokeDocuments(W, ROOT, 0, [], REASON.other)).to.be.revertedWithCustomError(registry, "CertificateRegistryEmptySelection");
      await expect(registry.revokeDocuments(W, ROOT, 0, [1n, 0n], REASON.other)).to.be.revertedWithCustomError(registry, "CertificateRegistryEmptySelection");
      await expect(registry.revokeDocuments(W, ROOT, 1, [1n << 44n], REASON.other))
        .to.be.revertedWithCustomError(registry, "CertificateRegistryIndexOutOfRange")
        .withArgs(ROOT, 300, 300);
      await expect(registry.revokeDocuments(W, ROOT, hre.ethers.MaxUint256, [1n], REASON.other))
        .to.be.revertedWithCustomError(registry, "CertificateRegistryIndexOutOfRange")
        .withArgs(ROOT, hre.ethers.MaxUint256, 300);
      await expect(registry.revokeDocuments(W, ROOT, 0, [1n], REASON.superseded)).to.be.revertedWithCustomError(registry, "CertificateRegistryInvalidReason");
    });

    it("suspends and reinstates documents, and revokes suspended ones", async () => {
      const { registry, universityKey } = await loadFixture(issuedSuite);
      await expect(registry.suspendDocuments(W, ROOT, 0, [0b110n], REASON.none)).to.be.revertedWithCustomError(registry, "CertificateRegistryInvalidReason");
      await expect(registry.suspendDocuments(W, ROOT, 0, [0b110n], REASON.courtOrder))
        .to.emit(registry, "DocumentsSuspended")
        .withArgs(ROOT, W, 0, [0b110n], REASON.courtOrder, universityKey.address);
      expect((await registry.documentStatus(W, ROOT, 1)).status).to.equal(DOC.suspended);
      await expect(registry.suspendDocuments(W, ROOT, 0, [0b100n], REASON.other)).to.be.revertedWithCustomError(registry, "CertificateRegistryDocumentSuspended").withArgs(ROOT, 2);
      await expect(registry.reinstateDocuments(W, ROOT, 0, [0b1n])).to.be.revertedWithCustomError(registry, "CertificateRegistryDocumentNotSuspended").withArgs(ROOT, 0);
      await registry.revokeDocument(W, ROOT, 2, REASON.misconduct);
      await expect(registry.reinstateDocuments(W, ROOT, 0, [0b100n])).to.be.revertedWithCustomError(registry, "CertificateRegistryDocumentRevoked").withArgs(ROOT, 2);
      await expect(registry.suspendDocuments(W, ROOT, 0, [0b100n], REASON.other)).to.be.revertedWithCustomError(registry, "CertificateRegistryDocumentRevoked").withArgs(ROOT, 2);
      await expect(registry.reinstateDocuments(W, ROOT, 0, [0b10n])).to.emit(registry, "DocumentsReinstated").withArgs(ROOT, W, 0, [0b10n], universityKey.address);
      expect((await registry.documentStatus(W, ROOT, 1)).status).to.equal(DOC.valid);
      expect((await registry.documentStatus(W, ROOT, 2)).status).to.equal(DOC.revoked);
      // A revoked document outranks a suspended batch.
      await registry.suspendBatch(W, ROOT, REASON.underReview);
      expect((await registry.documentStatus(W, ROOT, 2)).status).to.equal(DOC.revoked);
      await registry.revokeBatch(W, ROOT, REASON.other);
      await expect(registry.suspendDocuments(W, ROOT, 0, [1n], REASON.other)).to.be.revertedWithCustomError(registry, "CertificateRegistryBatchRevoked");
    });

    it("supersedes a document with a replacement from the same organisation", async () => {
      const { registry, secondKey, boardKey, universityKey } = await loadFixture(issuedSuite);
      const fix = id("corrections");
      await registry.connect(secondKey).issue(fix, 2, 0);
      await expect(registry.supersede(W, ROOT, 4, fix, 1)).to.emit(registry, "DocumentSuperseded").withArgs(ROOT, W, 4, fix, 1, universityKey.address);
      const status = await registry.documentStatus(W, ROOT, 4);
      expect([status.status, status.reason, status.replacementRoot, status.replacementIndex]).to.deep.equal([BigInt(DOC.superseded), BigInt(REASON.superseded), fix, 1n]);
      expect(await registry.replacementOf(W, ROOT, 4)).to.deep.equal([fix, 1n]);
      expect(await registry.replacementOf(BOARD, ROOT, 4)).to.deep.equal([hre.ethers.ZeroHash, 0n]);
      await expect(registry.supersede(W, ROOT, 4, fix, 0)).to.be.revertedWithCustomError(registry, "CertificateRegistryDocumentRevoked").withArgs(ROOT, 4);

      const invalid = async (root: string, index: number) =>
        expect(registry.supersede(W, ROOT, 5, root, index)).to.be.revertedWithCustomError(registry, "CertificateRegistryInvalidReplacement").withArgs(root, index);
      await invalid(id("never"), 0);
      await invalid(fix, 2);
      await invalid(ROOT, 5);
      await registry.revokeDocument(W, fix, 0, REASON.other);
      await invalid(fix, 0);
      // Another organisation's batch is never this issuer's replacement, even under a root this issuer does not use.
      const board = id("board");
      await registry.connect(boardKey).issue(board, 1, 0);
      await invalid(board, 0);
      await registry.suspendBatch(W, OTHER_ROOT, REASON.underReview);
      await invalid(OTHER_ROOT, 0);
    });
  });

  describe("who may change a batch", () => {
    it("any active key of the issuing organisation, but no other organisation and no outsider", async () => {
      const { registry, secondKey, boardKey, outsider, revenueKey } = await loadFixture(issuedSuite);
      await expect(registry.connect(secondKey).revokeDocument(W, ROOT, 1, REASON.other)).to.emit(registry, "DocumentRevoked");
      for (const caller of [boardKey, outsider, revenueKey]) {
        await expect(registry.connect(caller).revokeDocument(W, ROOT, 2, REASON.other))
          .to.be.revertedWithCustomError(registry, "CertificateRegistryNotIssuer")
          .withArgs(W, ROOT, caller.address);
      }
    });

    it("not a removed key, even the one that signed the batch", async () => {
      const { registry, directory, universityKey } = await loadFixture(issuedSuite);
      await directory.removeAccount(universityKey.address);
      await expect(registry.revokeDocument(W, ROOT, 1, REASON.other)).to.be.revertedWithCustomError(registry, "CertificateRegistryNotIssuer");
      expect((await registry.documentStatus(W, ROOT, 1)).status, "what a removed key signed stays valid").to.equal(DOC.valid);
    });

    it("governance: the governor revokes and supersedes, the operator suspends and reinstates", async () => {
      const { registry, governor, operator } = await loadFixture(issuedSuite);
      await expect(registry.connect(governor).revokeDocument(W, ROOT, 1, REASON.courtOrder)).to.emit(registry, "DocumentRevoked").withArgs(ROOT, W, 1, REASON.courtOrder, governor.address);
      await expect(registry.connect(operator).suspendBatch(W, ROOT, REASON.underReview)).to.emit(registry, "BatchSuspended");
      await expect(registry.connect(operator).reinstateBatch(W, ROOT)).to.emit(registry, "BatchReinstated");
      await expect(registry.connect(operator).revokeBatch(W, ROOT, REASON.other)).to.be.revertedWithCustomError(registry, "CertificateRegistryNotIssuer");
      await expect(registry.connect(governor).supersede(W, ROOT, 2, OTHER_ROOT, 0)).to.emit(registry, "DocumentSuperseded");
    });

    it("a governor with an execution delay schedules, then the operation goes through the manager", async () => {
      const { registry, governor, authority } = await loadFixture(issuedSuite);
      await authority.grantRole(1, governor.address, 3600);
      await expect(registry.connect(governor).revokeBatch(W, ROOT, REASON.misconduct)).to.be.revertedWithCustomError(authority, "AccessManagerNotScheduled");
      const governance = new Governance(authority, governor);
      const data = registry.interface.encodeFunctionData("revokeBatch", [W, ROOT, REASON.misconduct]);
      const scheduled = await governance.call(await registry.getAddress(), data);
      expect(scheduled.status).to.equal("scheduled");
      await time.increase(3600);
      if (scheduled.status !== "scheduled") throw new Error("expected a scheduled operation");
      await governance.execute(scheduled.operationId);
      const [event] = await registry.queryFilter(registry.filters.BatchRevoked(ROOT, W));
      expect([event.args.reason, event.args.actor]).to.deep.equal([BigInt(REASON.misconduct), await authority.getAddress()]);
      expect((await registry.documentStatus(W, ROOT, 0)).status).to.equal(DOC.revoked);
    });
  });

  describe("status", () => {
    it("reports not issued for unknown roots and indices past the end", async () => {
      const { registry } = await loadFixture(issuedSuite);
      expect((await registry.documentStatus(W, id("never"), 0)).status).to.equal(DOC.notIssued);
      expect((await registry.documentStatus(W, OTHER_ROOT, 10)).status).to.equal(DOC.notIssued);
      expect((await registry.verifyDocument(W, id("never"), 0, id("t"), [])).status).to.equal(DOC.notIssued);
    });

    it("reports expiry once the expiry time is reached", async () => {
      const { registry } = await loadFixture(certificateSuite);
      const expiry = (await time.latest()) + 100;
      await registry.issue(ROOT, 1, expiry);
      expect((await registry.documentStatus(W, ROOT, 0)).status).to.equal(DOC.valid);
      await time.increaseTo(expiry);
      const status = await registry.documentStatus(W, ROOT, 0);
      expect([status.status, status.expiresAt]).to.deep.equal([BigInt(DOC.expired), BigInt(expiry)]);
    });

    it("voids what a compromised key issued after its cut-off, and nothing before", async () => {
      const { registry, directory, universityKey } = await loadFixture(certificateSuite);
      await registry.issue(ROOT, 2, 0);
      await time.increase(1000);
      await registry.issue(OTHER_ROOT, 2, 0);
      const cutoff = (await time.latest()) - 10;
      await directory.markAccountCompromised(universityKey.address, cutoff);
      expect((await registry.documentStatus(W, ROOT, 0)).status).to.equal(DOC.valid);
      expect((await registry.documentStatus(W, OTHER_ROOT, 0)).status).to.equal(DOC.keyCompromised);
    });

    it("reports a suspended or offboarded issuer", async () => {
      const { registry, directory, governor } = await loadFixture(issuedSuite);
      await directory.suspend(1, evidence("audit"));
      expect((await registry.documentStatus(W, ROOT, 0)).status).to.equal(DOC.issuerSuspended);
      await directory.reinstate(1, evidence("cleared"));
      expect((await registry.documentStatus(W, ROOT, 0)).status).to.equal(DOC.valid);
      await directory.connect(governor).offboard(1, evidence("closed"));
      const status = await registry.documentStatus(W, ROOT, 0);
      expect([status.status, status.issuerOrgId]).to.deep.equal([BigInt(DOC.issuerOffboarded), 1n]);
    });

    it("answers many documents of several batches in one call", async () => {
      const { registry, boardKey } = await loadFixture(issuedSuite);
      await registry.connect(boardKey).issue(id("board"), 3, 0);
      await registry.revokeDocument(W, ROOT, 1, REASON.other);
      const refs = [
        { issuerOrgId: W, root: ROOT, index: 0 },
        { issuerOrgId: W, root: ROOT, index: 1 },
        { issuerOrgId: BOARD, root: id("board"), index: 2 },
        { issuerOrgId: W, root: id("never"), index: 0 },
        { issuerOrgId: W, root: ROOT, index: 2 },
        { issuerOrgId: W, root: id("board"), index: 0 },
      ];
      const statuses = await registry.documentStatuses(refs);
      expect(statuses.map((s) => Number(s.status))).to.deep.equal([DOC.valid, DOC.revoked, DOC.valid, DOC.notIssued, DOC.valid, DOC.notIssued]);
      expect(statuses.map((s) => Number(s.issuerOrgId))).to.deep.equal([W, W, BOARD, W, W, W]);
    });

    it("answers a range of one batch with two bytes per document, the batch record once", async () => {
      const { registry, universityKey } = await loadFixture(issuedSuite);
      await registry.revokeDocument(W, ROOT, 1, REASON.misconduct);
      await registry.suspendDocuments(W, ROOT, 0, [0b1000n], REASON.underReview);
      const [record, codes] = await registry.documentStatusRange(W, ROOT, 0, 5);
      expect([record.signer, record.documentCount]).to.deep.equal([universityKey.address, 300n]);
      expect(getBytes(codes)).to.deep.equal(
        Uint8Array.from([DOC.valid, 0, DOC.revoked, REASON.misconduct, DOC.valid, 0, DOC.suspended, 0, DOC.valid, 0]),
      );
      const [, past] = await registry.documentStatusRange(W, ROOT, 299, 2);
      expect(getBytes(past)).to.deep.equal(Uint8Array.from([DOC.valid, 0, DOC.notIssued, 0]));
      const [, never] = await registry.documentStatusRange(W, id("never"), 0, 1);
      expect(getBytes(never)).to.deep.equal(Uint8Array.from([DOC.notIssued, 0]));
      const max = 2 ** 24 - 1;
      for (const [first, count] of [[0, 0], [0, max + 1], [max, 1]]) {
        await expect(registry.documentStatusRange(W, ROOT, first, count)).to.be.revertedWithCustomError(registry, "CertificateRegistryInvalidRange").withArgs(first, count);
      }
    });

    it("a range of a revoked or voided batch reads the batch's status for every document", async () => {
      const { registry, directory } = await loadFixture(issuedSuite);
      await registry.revokeBatch(W, ROOT, REASON.issuedInError);
      expect(getBytes((await registry.documentStatusRange(W, ROOT, 0, 2))[1])).to.deep.equal(Uint8Array.from([DOC.revoked, REASON.issuedInError, DOC.revoked, REASON.issuedInError]));
      await directory.suspend(1, evidence("audit"));
      expect(getBytes((await registry.documentStatusRange(W, ROOT, 0, 1))[1])).to.deep.equal(Uint8Array.from([DOC.issuerSuspended, 0]));
    });
  });

  describe("marks remember who made them", () => {
    const mark = (m: { value: bigint; actor: string; markedAt: bigint; counts: boolean }) => [Number(m.value), m.actor, Number(m.markedAt), m.counts];

    it("name the key, the time and whether the mark counts, for documents and batches; governance as the zero address", async () => {
      const { registry, universityKey, secondKey, operator } = await loadFixture(issuedSuite);
      await registry.revokeDocument(W, ROOT, 7, REASON.withdrawn);
      const revokedAt = await time.latest();
      await registry.connect(secondKey).suspendDocuments(W, ROOT, 0, [1n << 8n], REASON.underReview);
      const suspendedAt = await time.latest();
      const [revocation, none] = await registry.documentMarks(W, ROOT, 7);
      expect(mark(revocation)).to.deep.equal([REASON.withdrawn, universityKey.address, revokedAt, true]);
      expect(mark(none)).to.deep.equal([0, hre.ethers.ZeroAddress, 0, false]);
      expect(mark((await registry.documentMarks(W, ROOT, 8))[1])).to.deep.equal([1, secondKey.address, suspendedAt, true]);
      await registry.connect(operator).suspendBatch(W, OTHER_ROOT, REASON.courtOrder);
      const [, batchSuspension] = await registry.batchMarks(W, OTHER_ROOT);
      expect(mark(batchSuspension)).to.deep.equal([1, hre.ethers.ZeroAddress, await time.latest(), true]);
      expect(mark((await registry.batchMarks(W, ROOT))[0])).to.deep.equal([0, hre.ethers.ZeroAddress, 0, false]);
    });

    it("keeps a third author of one word in a record of its own, and still ignores the stolen key's marks there", async () => {
      const { registry, directory, universityKey, secondKey } = await loadFixture(issuedSuite);
      // Documents 0-31 share a word: two entries fit it; the third act, by the first key later, overflows.
      await registry.revokeDocument(W, ROOT, 0, REASON.withdrawn);
      await registry.connect(secondKey).revokeDocument(W, ROOT, 1, REASON.duplicate);
      await time.increase(60);
      await registry.revokeDocuments(W, ROOT, 0, [0b11100n], REASON.misconduct);
      const stolenAt = await time.latest();
      for (const index of [2, 3, 4]) expect((await registry.documentMarks(W, ROOT, index))[0].markedAt).to.equal(stolenAt);
      expect((await registry.documentStatus(W, ROOT, 3)).reason).to.equal(REASON.misconduct);
      // The first key turns out stolen from the third act on: documents 2-4 read valid, 0 and 1 stay revoked.
      await directory.markAccountCompromised(universityKey.address, stolenAt);
      const codes = getBytes((await registry.documentStatusRange(W, ROOT, 0, 6))[1]);
      expect(codes).to.deep.equal(Uint8Array.from([DOC.revoked, REASON.withdrawn, DOC.revoked, REASON.duplicate, DOC.valid, 0, DOC.valid, 0, DOC.valid, 0, DOC.valid, 0]));
      expect(mark((await registry.documentMarks(W, ROOT, 2))[0])).to.deep.equal([REASON.misconduct, universityKey.address, stolenAt, false]);
      // The issuer's good key may revoke them again; the word's entries are reused once nothing points at them.
      await registry.connect(secondKey).revokeDocuments(W, ROOT, 0, [0b11100n], REASON.other);
      expect((await registry.documentStatus(W, ROOT, 4)).reason).to.equal(REASON.other);
    });

    it("reads right the marks of more keys than one read keeps in memory", async () => {
      const { registry, directory, governor } = await loadFixture(issuedSuite);
      const keys = Array.from({ length: 10 }, () => hre.ethers.Wallet.createRandom().connect(hre.ethers.provider));
      for (const [i, key] of keys.entries()) {
        await (await governor.sendTransaction({ to: key.address, value: hre.ethers.parseEther("1") })).wait();
        await directory.addAccount(W, key.address);
        await registry.connect(key).revokeDocument(W, ROOT, 10 + i * 25, REASON.withdrawn);
      }
      // The tenth key turns out stolen: its mark alone stops counting.
      await directory.markAccountCompromised(keys[9].address, (await time.latest()) - 1);
      const codes = getBytes((await registry.documentStatusRange(W, ROOT, 10, 226))[1]);
      expect(keys.map((_, i) => codes[2 * i * 25])).to.deep.equal([...Array(9).fill(DOC.revoked), DOC.valid]);
    });

    it("reuses a word's entries: for marks of one act, and the first once no document points at it", async () => {
      const { registry, governor, universityKey, secondKey } = await loadFixture(issuedSuite);
      const author = async (index: number) => {
        const [revocation] = await registry.documentMarks(W, ROOT, index);
        return [revocation.actor, Number(revocation.markedAt)];
      };
      // Two transactions of each key in one block: one (key, time) each, the word's first and second entries.
      const to = await registry.getAddress();
      const send = (from: string, index: number) =>
        hre.network.provider.send("eth_sendTransaction", [
          { from, to, gas: "0x800000", data: registry.interface.encodeFunctionData("revokeDocument", [W, ROOT, index, REASON.duplicate]) },
        ]);
      await hre.network.provider.send("evm_setAutomine", [false]);
      try {
        for (const [key, index] of [[universityKey, 0], [universityKey, 3], [secondKey, 1], [secondKey, 2]] as const) await send(key.address, index);
        await hre.network.provider.send("evm_mine");
      } finally {
        await hre.network.provider.send("evm_setAutomine", [true]);
      }
      const [zero, one] = [await author(0), await author(1)];
      expect([zero[0], await author(3), one[0], await author(2)]).to.deep.equal([universityKey.address, zero, secondKey.address, one]);
      const [, codes] = await registry.documentStatusRange(W, ROOT, 0, 4);
      expect(getBytes(codes).filter((_, i) => i % 2 === 0)).to.deep.equal(Uint8Array.from([DOC.revoked, DOC.revoked, DOC.revoked, DOC.revoked]));
      // Documents 0 and 3 restored, nothing points at the first entry: a third author takes it instead of a record.
      await registry.connect(governor).restoreDocument(W, ROOT, 0, evidence("restored"));
      await registry.connect(governor).restoreDocument(W, ROOT, 3, evidence("restored"));
      await registry.revokeDocument(W, ROOT, 5, REASON.withdrawn);
      const [revocation] = await registry.documentMarks(W, ROOT, 5);
      expect([revocation.value, revocation.actor, revocation.counts]).to.deep.equal([BigInt(REASON.withdrawn), universityKey.address, true]);
      expect((await registry.documentStatus(W, ROOT, 1)).reason).to.equal(REASON.duplicate);
    });

    it("governance restores a revoked or superseded document and a revoked batch, with a reason; nothing else", async () => {
      const { registry, governor, universityKey, operator } = await loadFixture(issuedSuite);
      const decision = evidence("SBIC 2026/31: revoked in error");
      await registry.revokeDocument(W, ROOT, 3, REASON.misconduct);
      await registry.supersede(W, ROOT, 4, OTHER_ROOT, 0);
      await expect(registry.connect(universityKey).restoreDocument(W, ROOT, 3, decision)).to.be.revertedWithCustomError(registry, "AccessManagedUnauthorized");
      await expect(registry.connect(operator).restoreDocument(W, ROOT, 3, decision)).to.be.revertedWithCustomError(registry, "AccessManagedUnauthorized");
      await expect(registry.connect(operator).restoreBatch(W, ROOT, decision)).to.be.revertedWithCustomError(registry, "AccessManagedUnauthorized");
      const governed = registry.connect(governor);
      await expect(governed.restoreDocument(W, ROOT, 3, hre.ethers.ZeroHash)).to.be.revertedWithCustomError(registry, "CertificateRegistryInvalidReason");
      await expect(governed.restoreDocument(W, ROOT, 5, decision)).to.be.revertedWithCustomError(registry, "CertificateRegistryDocumentNotRevoked").withArgs(ROOT, 5);
      await expect(governed.restoreDocument(W, ROOT, 300, decision)).to.be.revertedWithCustomError(registry, "CertificateRegistryIndexOutOfRange");
      await expect(governed.restoreDocument(BOARD, ROOT, 3, decision)).to.be.revertedWithCustomError(registry, "CertificateRegistryUnknownBatch").withArgs(BOARD, ROOT);
      await expect(governed.restoreDocument(W, ROOT, 3, decision)).to.emit(registry, "DocumentRestored").withArgs(ROOT, W, 3, decision, governor.address);
      await governed.restoreDocument(W, ROOT, 4, decision);
      for (const index of [3, 4]) expect((await registry.documentStatus(W, ROOT, index)).status).to.equal(DOC.valid);
      expect(await registry.replacementOf(W, ROOT, 4)).to.deep.equal([hre.ethers.ZeroHash, 0n]);
      await expect(governed.restoreBatch(W, ROOT, decision)).to.be.revertedWithCustomError(registry, "CertificateRegistryBatchNotRevoked").withArgs(ROOT);
      await registry.revokeBatch(W, ROOT, REASON.issuedInError);
      await expect(governed.restoreBatch(W, ROOT, hre.ethers.ZeroHash)).to.be.revertedWithCustomError(registry, "CertificateRegistryInvalidReason");
      await expect(governed.restoreBatch(W, ROOT, decision)).to.emit(registry, "BatchRestored").withArgs(ROOT, W, decision, governor.address);
      expect((await registry.documentStatus(W, ROOT, 0)).status).to.equal(DOC.valid);
      // Restored is not unmarkable: the issuer may revoke again.
      await expect(registry.revokeDocument(W, ROOT, 3, REASON.other)).to.emit(registry, "DocumentRevoked");
    });

    it("a key lifts its organisation's suspensions; only governance lifts what governance imposed", async () => {
      const { registry, operator, universityKey } = await loadFixture(issuedSuite);
      await registry.connect(operator).suspendDocuments(W, ROOT, 0, [0b11n], REASON.courtOrder);
      await registry.connect(operator).suspendBatch(W, OTHER_ROOT, REASON.courtOrder);
      await expect(registry.reinstateDocuments(W, ROOT, 0, [0b10n])).to.be.revertedWithCustomError(registry, "CertificateRegistrySuspendedByGovernance").withArgs(ROOT, 1);
      await expect(registry.reinstateBatch(W, OTHER_ROOT)).to.be.revertedWithCustomError(registry, "CertificateRegistrySuspendedByGovernance").withArgs(OTHER_ROOT, hre.ethers.MaxUint256);
      await registry.suspendDocuments(W, ROOT, 0, [0b100n], REASON.underReview);
      await expect(registry.reinstateDocuments(W, ROOT, 0, [0b100n])).to.emit(registry, "DocumentsReinstated").withArgs(ROOT, W, 0, [0b100n], universityKey.address);
      const [, lifted] = await registry.documentMarks(W, ROOT, 2);
      expect(mark(lifted)).to.deep.equal([2, universityKey.address, await time.latest(), true]);
      await expect(registry.connect(operator).reinstateDocuments(W, ROOT, 0, [0b11n])).to.emit(registry, "DocumentsReinstated");
      await expect(registry.connect(operator).reinstateBatch(W, OTHER_ROOT)).to.emit(registry, "BatchReinstated");
      for (const index of [0, 1, 2]) expect((await registry.documentStatus(W, ROOT, index)).status).to.equal(DOC.valid);
      expect((await registry.documentStatus(W, OTHER_ROOT, 0)).status).to.equal(DOC.valid);
    });
  });

  describe("Merkle proofs", () => {
    it("are OpenZeppelin StandardMerkleTree proofs, checked by the library and by the contract", async () => {
      const { registry } = await loadFixture(certificateSuite);
      const keccak = await loadKeccak();
      const targets = Array.from({ length: 13 }, (_, i) => Buffer.from(id(`document ${i}`).slice(2), "hex"));
      const ours = MerkleBatchTree.build(Buffer.concat(targets), keccak);
      const values = targets.map((t, i) => [i, `0x${t.toString("hex")}`]);
      const theirs = StandardMerkleTree.of(values, ["uint256", "bytes32"]);
      expect(ours.root).to.equal(theirs.root);
      await registry.issue(ours.root, 13, 0);
      for (const [i, value] of values.entries()) {
        expect(ours.proof(i)).to.deep.equal(theirs.getProof(i));
        expect(StandardMerkleTree.verify(ours.root, ["uint256", "bytes32"], value, ours.proof(i))).to.equal(true);
        expect((await registry.verifyDocument(W, ours.root, i, value[1] as string, ours.proof(i))).status).to.equal(DOC.valid);
      }
      expect((await registry.verifyDocument(W, ours.root, 1, values[2][1] as string, ours.proof(2))).status).to.equal(DOC.invalidProof);
      const single = MerkleBatchTree.build(targets[0], keccak);
      expect(single.root).to.equal(StandardMerkleTree.of([values[0]], ["uint256", "bytes32"]).root);
      expect(single.proof(0)).to.deep.equal([]);
    });
  });

  describe("pause and upgrade", () => {
    it("the guardian pauses every write, the governor unpauses, outsiders can do neither", async () => {
      const { registry, guardian, governor, outsider } = await loadFixture(issuedSuite);
      await expect(registry.connect(outsider).pause()).to.be.revertedWithCustomError(registry, "AccessManagedUnauthorized");
      await registry.connect(guardian).pause();
      const writes = [
        () => registry.issue(id("x"), 1, 0),
        () => registry.revokeBatch(W, ROOT, REASON.other),
        () => registry.suspendBatch(W, ROOT, REASON.other),
        () => registry.reinstateBatch(W, ROOT),
        () => registry.revokeDocument(W, ROOT, 0, REASON.other),
        () => registry.revokeDocuments(W, ROOT, 0, [1n], REASON.other),
        () => registry.suspendDocuments(W, ROOT, 0, [1n], REASON.other),
        () => registry.reinstateDocuments(W, ROOT, 0, [1n]),
        () => registry.supersede(W, ROOT, 0, OTHER_ROOT, 0),
        () => registry.connect(governor).restoreBatch(W, ROOT, evidence("decision")),
        () => registry.connect(governor).restoreDocument(W, ROOT, 0, evidence("decision")),
      ];
      for (const write of writes) await expect(write()).to.be.revertedWithCustomError(registry, "EnforcedPause");
      expect((await registry.documentStatus(W, ROOT, 0)).status, "views keep answering").to.equal(DOC.valid);
      await expect(registry.connect(guardian).unpause()).to.be.revertedWithCustomError(registry, "AccessManagedUnauthorized");
      await registry.connect(governor).unpause();
      await expect(registry.revokeDocument(W, ROOT, 0, REASON.other)).to.emit(registry, "DocumentRevoked");
    });

    it("upgrades through governance with every batch and mark kept", async () => {
      const { registry, governor, deployment, deploymentFile } = await loadFixture(issuedSuite);
      await registry.revokeDocument(W, ROOT, 3, REASON.withdrawn);
      const result = upgraded(await upgradeContract(hre, { signer: governor, deployment, deploymentFile, contract: "CertificateRegistry", to: "CertificateRegistryV2" }));
      expect(result.outcome.status).to.equal("executed");
      expect(await registry.version()).to.equal("2.3.0");
      expect(readDeployment(deploymentFile).contracts.CertificateRegistry!.implementation).to.equal(result.implementation);
      expect((await registry.documentStatus(W, ROOT, 3)).reason).to.equal(REASON.withdrawn);
      expect((await registry.batch(W, OTHER_ROOT)).documentCount).to.equal(10);
      await expect(registry.upgradeToAndCall(result.implementation, "0x")).to.be.revertedWithCustomError(registry, "AccessManagedUnauthorized");
    });
  });
});
