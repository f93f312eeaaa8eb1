import { expect } from "chai";
import hre from "hardhat";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import { StandardMerkleTree } from "@openzeppelin/merkle-tree";
import { ZeroHash, id } from "ethers";
import { upgradeContract } from "../deploy/upgrade";
import { readDeployment } from "../src/config/deployments";
import { LandRegistryExtension__factory } from "../typechain-types";
import { landJurisdiction, ownersHash, transferHash, type Owner } from "../src/land/titles";
import { CAP, KIND, code, evidence, upgraded } from "./fixtures";
import {
  BLOCK,
  DAY,
  DISTRICT,
  LAND_USE,
  MSTATUS,
  MUTATION,
  ORIGIN,
  OTHER_VILLAGE,
  PARCEL_STATUS,
  REJECTION,
  gapTree,
  landSuite,
  owners,
  parcelSuite,
  part,
  person,
  record,
  ulpin,
} from "./helpers/land";

const DEED = id("deed-1");
const RECORD_V2 = evidence("RoR v2");
const ASHA = owners(["asha", 10_000]);
const DEV = owners(["dev", 10_000]);
const BINA_CHANDAN = owners(["bina", 6_000], ["chandan", 4_000]);

/** Sale of parcel 1 by its only owner to Dev: may be approved at once. */
async function saleOpened() {
  const suite = await parcelSuite();
  await suite.land.connect(suite.registrar).registerDeed(DEED, ulpin(1), MUTATION.sale, ASHA, DEV);
  return suite;
}

/** Bina sells half her share of parcel 2 to Dev: Chandan did not sign, so the objection window runs. */
const PARTIAL_FROM = owners(["bina", 3_000]);
const PARTIAL_TO = owners(["dev", 3_000]);
async function partialSaleOpened() {
  const suite = await parcelSuite();
  await suite.land.connect(suite.registrar).registerDeed(DEED, ulpin(2), MUTATION.sale, PARTIAL_FROM, PARTIAL_TO);
  return suite;
}

async function rejected() {
  const suite = await saleOpened();
  await suite.land.connect(suite.officer).rejectMutation(ulpin(1), DEED, REJECTION.defectiveDeed, evidence("order"));
  return suite;
}

async function liened() {
  const suite = await saleOpened();
  await suite.land.connect(suite.bank).registerLien(ulpin(1), id("loan-1"));
  return suite;
}

describe("LandRegistry", () => {
  describe("deployment", () => {
    it("is deployed behind a proxy with its defaults and cannot be initialised again", async () => {
      const { land, deployment } = await loadFixture(landSuite);
      expect(await land.version()).to.equal("2.2.0");
      expect(await land.directory()).to.equal(deployment.contracts.ParticipantDirectory.address);
      expect(await land.objectionWindow()).to.equal(30 * DAY);
      expect(await land.serviceLevel()).to.equal(45 * DAY);
      await expect(land.initialize(deployment.contracts.SakshyaAuthority.address)).to.be.revertedWithCustomError(land, "InvalidInitialization");
    });

    it("hands splits, merges, court orders and liens to its extension, which called directly touches no parcel", async () => {
      const { land, court } = await loadFixture(parcelSuite);
      const extension = LandRegistryExtension__factory.connect(await land.extension(), court);
      expect(await extension.getAddress()).to.not.equal(await land.getAddress());
      // At its own address it has storage of its own, where no parcel was ever registered.
      await expect(extension.freeze(ulpin(1), evidence("order"), 0)).to.be.revertedWithCustomError(extension, "LandRegistryUnknownParcel").withArgs(ulpin(1));
      await land.connect(court).freeze(ulpin(1), evidence("order"), 0);
      expect(await land.parcelStatus(ulpin(1))).to.equal(PARCEL_STATUS.frozen);
    });
  });

  describe("registerParcel", () => {
    it("records the parcel in three slots and announces it with its owners", async () => {
      const { land, survey, ORG } = await loadFixture(landSuite);
      const r = record(1);
      await expect(land.registerParcel(r, ASHA, []))
        .to.emit(land, "ParcelCreated")
        .withArgs(r.ulpin, ORIGIN.registered, Object.values(r), ASHA.map((o) => [o.commitment, o.share]), ZeroHash, [], ORG.survey, survey.address);
      const p = await land.parcel(r.ulpin);
      expect([p.area, p.district, p.block, p.village, p.landUse, p.state, p.version]).to.deep.equal([1000n, 17n, 4n, 100_234n, 1n, 1n, 1n]);
      expect([p.liens, p.mutationPending, p.frozen, p.owners, p.recordHash]).to.deep.equal([0n, false, false, ownersHash(ASHA), r.recordHash]);
      expect(await land.parcelStatus(r.ulpin)).to.equal(PARCEL_STATUS.active);
      expect(await land.ownersHash(ASHA)).to.equal(ownersHash(ASHA));
    });

    it("refuses a malformed ULPIN, a zero area, a missing location or record, and a second registration", async () => {
      const { land } = await loadFixture(landSuite);
      const lower = "0x" + Buffer.from("wb170400000001").toString("hex");
      await expect(land.registerParcel({ ...record(1), ulpin: lower }, ASHA, [])).to.be.revertedWithCustomError(land, "LandRegistryInvalidUlpin").withArgs(lower);
      const spaced = "0x" + Buffer.from("WB17 400000001").toString("hex");
      await expect(land.registerParcel({ ...record(1), ulpin: spaced }, ASHA, [])).to.be.revertedWithCustomError(land, "LandRegistryInvalidUlpin");
      await expect(land.registerParcel(record(1, 0), ASHA, [])).to.be.revertedWithCustomError(land, "LandRegistryZeroArea").withArgs(ulpin(1));
      await expect(land.registerParcel({ ...record(1), village: 0 }, ASHA, []))
        .to.be.revertedWithCustomError(land, "LandRegistryInvalidLocation")
        .withArgs(DISTRICT, BLOCK, 0);
      await expect(land.registerParcel({ ...record(1), recordHash: ZeroHash }, ASHA, [])).to.be.revertedWithCustomError(land, "LandRegistryEmptyHash");
      expect(await land.parcelStatus(ulpin(1))).to.equal(PARCEL_STATUS.none);
      await land.registerParcel(record(1), ASHA, []);
      await expect(land.registerParcel(record(1), ASHA, [])).to.be.revertedWithCustomError(land, "LandRegistryParcelExists").withArgs(ulpin(1));
    });

    it("checks the district and block codes are set through the directory's jurisdiction", async () => {
      const { land, directory } = await loadFixture(landSuite);
      await expect(land.registerParcel({ ...record(1), block: 0 }, ASHA, []))
        .to.be.revertedWithCustomError(land, "LandRegistryInvalidLocation")
        .withArgs(DISTRICT, 0, record(1).village);
      await expect(land.registerParcel({ ...record(1), district: 0 }, ASHA, []))
        .to.be.revertedWithCustomError(land, "LandRegistryInvalidLocation")
        .withArgs(0, BLOCK, record(1).village);
      await expect(land.registerParcel({ ...record(1), district: 18 }, ASHA, []))
        .to.be.revertedWithCustomError(directory, "ParticipantDirectoryOutsideJurisdiction")
        .withArgs(1, landJurisdiction(18, BLOCK));
    });

    it("refuses owner lists that are empty, too long, unsorted, repeated, with a zero share or not whole", async () => {
      const { land } = await loadFixture(landSuite);
      const r = record(1);
      await expect(land.registerParcel(r, [], [])).to.be.revertedWithCustomError(land, "LandRegistryInvalidOwnerCount").withArgs(0);
      const many = owners(...Array.from({ length: 65 }, (_, i): [string, number] => [`p${i}`, 100]));
      await expect(land.registerParcel(r, many, [])).to.be.revertedWithCustomError(land, "LandRegistryInvalidOwnerCount").withArgs(65);
      const pair = owners(["bina", 6_000], ["chandan", 4_000]);
      await expect(land.registerParcel(r, [pair[1], pair[0]], [])).to.be.revertedWithCustomError(land, "LandRegistryOwnersUnsorted").withArgs(1);
      await expect(land.registerParcel(r, [pair[0], pair[0]], [])).to.be.revertedWithCustomError(land, "LandRegistryOwnersUnsorted").withArgs(1);
      await expect(land.registerParcel(r, [{ commitment: ZeroHash, share: 10_000 }], [])).to.be.revertedWithCustomError(land, "LandRegistryOwnersUnsorted").withArgs(0);
      await expect(land.registerParcel(r, [{ ...pair[0], share: 10_000 }, { ...pair[1], share: 0 }], []))
        .to.be.revertedWithCustomError(land, "LandRegistryZeroShare")
        .withArgs(1);
      await expect(land.registerParcel(r, [{ ...pair[0], share: 5_000 }, { ...pair[1], share: 4_000 }], []))
        .to.be.revertedWithCustomError(land, "LandRegistrySharesNotWhole")
        .withArgs(9_000);
    });

    it("belongs to survey staff of the parcel's district or block, not to other departments", async () => {
      const { land, registrar, officer, directory, outsider } = await loadFixture(landSuite);
      await expect(land.connect(registrar).registerParcel(record(1), ASHA, [])).to.be.revertedWithCustomError(directory, "ParticipantDirectoryMissingCapability");
      await expect(land.connect(outsider).registerParcel(record(1), ASHA, [])).to.be.revertedWithCustomError(directory, "ParticipantDirectoryUnknownAccount");
      // A block office with the capability may register in its block only.
      await directory.updateOrganisation(3, 1 << 8 | 1 << 3, evidence("bllro-17-4 v2"));
      await land.connect(officer).registerParcel(record(1), ASHA, []);
      await expect(land.connect(officer).registerParcel({ ...record(2), block: 5 }, ASHA, []))
        .to.be.revertedWithCustomError(directory, "ParticipantDirectoryOutsideJurisdiction")
        .withArgs(3, landJurisdiction(DISTRICT, 5));
    });
  });

  describe("changeLandUse", () => {
    it("changes the class and the Record of Rights, and raises the version", async () => {
      const { land, survey, ORG } = await loadFixture(parcelSuite);
      await expect(land.changeLandUse(ulpin(1), LAND_USE.homestead, RECORD_V2))
        .to.emit(land, "LandUseChanged")
        .withArgs(ulpin(1), LAND_USE.agricultural, LAND_USE.homestead, RECORD_V2, 2, ORG.survey, survey.address);
      const p = await land.parcel(ulpin(1));
      expect([p.landUse, p.version, p.recordHash]).to.deep.equal([BigInt(LAND_USE.homestead), 2n, RECORD_V2]);
    });

    it("refuses an unchanged class, an empty record, an unknown parcel and another department", async () => {
      const { land, registrar, directory } = await loadFixture(parcelSuite);
      await expect(land.changeLandUse(ulpin(1), LAND_USE.agricultural, RECORD_V2)).to.be.revertedWithCustomError(land, "LandRegistryUnchangedLandUse").withArgs(ulpin(1));
      await expect(land.changeLandUse(ulpin(1), LAND_USE.homestead, ZeroHash)).to.be.revertedWithCustomError(land, "LandRegistryEmptyHash");
      await expect(land.changeLandUse(ulpin(9), LAND_USE.homestead, RECORD_V2)).to.be.revertedWithCustomError(land, "LandRegistryUnknownParcel").withArgs(ulpin(9));
      await expect(land.connect(registrar).changeLandUse(ulpin(1), LAND_USE.homestead, RECORD_V2)).to.be.revertedWithCustomError(directory, "ParticipantDirectoryMissingCapability");
    });
  });

  describe("deeds and approval", () => {
    it("a deed by every recorded owner may be approved at once: owners, version and record change together", async () => {
      const { land, registrar, officer, ORG } = await loadFixture(parcelSuite);
      const now = (await time.latest()) + 1;
      await time.setNextBlockTimestamp(now);
      await expect(land.connect(registrar).registerDeed(DEED, ulpin(1), MUTATION.sale, ASHA, DEV))
        .to.emit(land, "MutationOpened")
        .withArgs(ulpin(1), DEED, MUTATION.sale, [[person("asha"), 10_000]], [[person("dev"), 10_000]], now, ORG.registrar, registrar.address);
      const m = await land.mutation(ulpin(1), DEED);
      expect([m.ulpin, m.kind, m.status, m.openedAt, m.objectionDeadline, m.transfer]).to.deep.equal([
        ulpin(1),
        0n,
        BigInt(MSTATUS.open),
        BigInt(now),
        BigInt(now),
        transferHash(ASHA, DEV),
      ]);
      expect((await land.parcel(ulpin(1))).mutationPending).to.equal(true);

      await expect(land.connect(officer).approveMutation(ulpin(1), DEED, [], ASHA, DEV, RECORD_V2))
        .to.emit(land, "MutationApproved")
        .withArgs(ulpin(1), DEED, [[person("dev"), 10_000]], 2, RECORD_V2, ORG.officer, officer.address);
      const p = await land.parcel(ulpin(1));
      expect([p.owners, p.version, p.recordHash, p.mutationPending]).to.deep.equal([ownersHash(DEV), 2n, RECORD_V2, false]);
      const decided = await land.mutation(ulpin(1), DEED);
      // Once applied, the field keeps the owners it replaced, for a court that sets the mutation aside.
      expect([decided.status, decided.transfer]).to.deep.equal([BigInt(MSTATUS.approved), ownersHash(ASHA)]);
    });

    it("a deed without every owner waits for the objection window, during which objections are lodged", async () => {
      const { land, officer, ORG } = await loadFixture(partialSaleOpened);
      const m = await land.mutation(ulpin(2), DEED);
      expect(m.objectionDeadline - m.openedAt).to.equal(30n * BigInt(DAY));
      await expect(land.connect(officer).lodgeObjection(ulpin(2), DEED, evidence("objection by Chandan")))
        .to.emit(land, "ObjectionLodged")
        .withArgs(ulpin(2), DEED, evidence("objection by Chandan"), ORG.officer, officer.address);
      expect((await land.mutation(ulpin(2), DEED)).objections).to.equal(1);
      await expect(land.connect(officer).lodgeObjection(ulpin(2), DEED, ZeroHash)).to.be.revertedWithCustomError(land, "LandRegistryEmptyHash");
      await expect(land.connect(officer).approveMutation(ulpin(2), DEED, BINA_CHANDAN, PARTIAL_FROM, PARTIAL_TO, RECORD_V2))
        .to.be.revertedWithCustomError(land, "LandRegistryObjectionWindowOpen")
        .withArgs(DEED, m.objectionDeadline);
      await time.increaseTo(m.objectionDeadline);
      await expect(land.connect(officer).lodgeObjection(ulpin(2), DEED, evidence("late")))
        .to.be.revertedWithCustomError(land, "LandRegistryObjectionWindowClosed")
        .withArgs(DEED, m.objectionDeadline);
      const next = owners(["bina", 3_000], ["chandan", 4_000], ["dev", 3_000]);
      await expect(land.connect(officer).approveMutation(ulpin(2), DEED, BINA_CHANDAN, PARTIAL_FROM, PARTIAL_TO, RECORD_V2))
        .to.emit(land, "MutationApproved")
        .withArgs(ulpin(2), DEED, next.map((o) => [o.commitment, o.share]), 2, RECORD_V2, ORG.officer, officer.address);
      expect((await land.parcel(ulpin(2))).owners).to.equal(ownersHash(next));
    });

    it("adds a buyer's share to what the buyer already holds, and drops a seller left with nothing", async () => {
      const { land, registrar, officer } = await loadFixture(parcelSuite);
      const from = owners(["bina", 6_000]);
      const to = owners(["chandan", 6_000]);
      await land.connect(registrar).registerDeed(DEED, ulpin(2), MUTATION.gift, from, to);
      await time.increase(30 * DAY);
      await land.connect(officer).approveMutation(ulpin(2), DEED, BINA_CHANDAN, from, to, RECORD_V2);
      expect((await land.parcel(ulpin(2))).owners).to.equal(ownersHash(owners(["chandan", 10_000])));
    });

    it("refuses a bad deed: empty hash, succession kind, unbalanced or malformed transfer, repeated deed", async () => {
      const { land, registrar, officer } = await loadFixture(parcelSuite);
      const deed = land.connect(registrar);
      await expect(deed.registerDeed(ZeroHash, ulpin(1), MUTATION.sale, ASHA, DEV)).to.be.revertedWithCustomError(land, "LandRegistryEmptyHash");
      await expect(deed.registerDeed(DEED, ulpin(1), MUTATION.succession, ASHA, DEV))
        .to.be.revertedWithCustomError(land, "LandRegistryInvalidKind")
        .withArgs(MUTATION.succession);
      await expect(deed.registerDeed(DEED, ulpin(1), MUTATION.sale, ASHA, owners(["dev", 9_000])))
        .to.be.revertedWithCustomError(land, "LandRegistryTransferUnbalanced")
        .withArgs(10_000, 9_000);
      await expect(deed.registerDeed(DEED, ulpin(1), MUTATION.sale, [], DEV)).to.be.revertedWithCustomError(land, "LandRegistryInvalidOwnerCount").withArgs(0);
      await expect(deed.registerDeed(DEED, ulpin(9), MUTATION.sale, ASHA, DEV)).to.be.revertedWithCustomError(land, "LandRegistryUnknownParcel").withArgs(ulpin(9));
      await deed.registerDeed(DEED, ulpin(1), MUTATION.sale, ASHA, DEV);
      await expect(deed.registerDeed(DEED, ulpin(1), MUTATION.sale, ASHA, DEV)).to.be.revertedWithCustomError(land, "LandRegistryDeedAlreadyRecorded").withArgs(DEED);
      await expect(deed.registerDeed(id("deed-2"), ulpin(1), MUTATION.sale, ASHA, DEV)).to.be.revertedWithCustomError(land, "LandRegistryMutationPending").withArgs(ulpin(1));
      await land.connect(officer).rejectMutation(ulpin(1), DEED, REJECTION.defectiveDeed, evidence("order"));
      // A decided deed stays recorded for its parcel: it cannot be opened there again.
      await expect(deed.registerDeed(DEED, ulpin(1), MUTATION.sale, ASHA, DEV)).to.be.revertedWithCustomError(land, "LandRegistryDeedAlreadyRecorded").withArgs(DEED);
    });

    it("one deed conveys several parcels, each its own mutation, decided apart", async () => {
      const { land, registrar, officer } = await loadFixture(parcelSuite);
      const deed = land.connect(registrar);
      await deed.registerDeed(DEED, ulpin(1), MUTATION.sale, ASHA, DEV);
      await deed.registerDeed(DEED, ulpin(2), MUTATION.sale, BINA_CHANDAN, DEV);
      await land.connect(officer).approveMutation(ulpin(2), DEED, [], BINA_CHANDAN, DEV, RECORD_V2);
      expect([(await land.mutation(ulpin(1), DEED)).status, (await land.mutation(ulpin(2), DEED)).status]).to.deep.equal([BigInt(MSTATUS.open), BigInt(MSTATUS.approved)]);
      expect((await land.parcel(ulpin(2))).owners).to.equal(ownersHash(DEV));
    });

    it("refuses an approval with the wrong owners, transfer or record, or a seller who does not hold the share", async () => {
      const { land, officer } = await loadFixture(partialSaleOpened);
      await time.increase(30 * DAY);
      const approve = land.connect(officer);
      await expect(approve.approveMutation(ulpin(2), DEED, BINA_CHANDAN, PARTIAL_FROM, PARTIAL_TO, ZeroHash)).to.be.revertedWithCustomError(land, "LandRegistryEmptyHash");
      await expect(approve.approveMutation(ulpin(2), DEED, BINA_CHANDAN, PARTIAL_FROM, owners(["eve", 3_000]), RECORD_V2))
        .to.be.revertedWithCustomError(land, "LandRegistryTransferMismatch")
        .withArgs(DEED);
      await expect(approve.approveMutation(ulpin(2), DEED, ASHA, PARTIAL_FROM, PARTIAL_TO, RECORD_V2)).to.be.revertedWithCustomError(land, "LandRegistryOwnersMismatch").withArgs(ulpin(2));
      await expect(approve.approveMutation(ulpin(2), DEED, [], PARTIAL_FROM, PARTIAL_TO, RECORD_V2)).to.be.revertedWithCustomError(land, "LandRegistryOwnersMismatch").withArgs(ulpin(2));
      await expect(approve.approveMutation(ulpin(1), id("nothing"), [], ASHA, DEV, RECORD_V2)).to.be.revertedWithCustomError(land, "LandRegistryUnknownMutation").withArgs(id("nothing"));
    });

    it("refuses a transferor who is not an owner or gives more than they hold, when the mutation is approved", async () => {
      const { land, registrar, officer } = await loadFixture(parcelSuite);
      const deeds = land.connect(registrar);
      const stranger = owners(["eve", 1_000]);
      await deeds.registerDeed(id("a"), ulpin(2), MUTATION.sale, stranger, owners(["dev", 1_000]));
      await time.increase(30 * DAY);
      await expect(land.connect(officer).approveMutation(ulpin(2), id("a"), BINA_CHANDAN, stranger, owners(["dev", 1_000]), RECORD_V2))
        .to.be.revertedWithCustomError(land, "LandRegistryNotAnOwner")
        .withArgs(person("eve"));
      await land.connect(officer).rejectMutation(ulpin(2), id("a"), REJECTION.sellerNotRecordedOwner, evidence("order a"));
      const greedy = owners(["chandan", 5_000]);
      await deeds.registerDeed(id("b"), ulpin(2), MUTATION.sale, greedy, owners(["dev", 5_000]));
      await time.increase(30 * DAY);
      await expect(land.connect(officer).approveMutation(ulpin(2), id("b"), BINA_CHANDAN, greedy, owners(["dev", 5_000]), RECORD_V2))
        .to.be.revertedWithCustomError(land, "LandRegistryShareExceeded")
        .withArgs(person("chandan"), 4_000, 5_000);
    });

    it("merges recipients before, among and after the remaining owners, keeping the list sorted", async () => {
      const { land, registrar, officer } = await loadFixture(parcelSuite);
      const low = "0x" + "00".repeat(31) + "01";
      const high = "0x" + "ff".repeat(32);
      const from = owners(["bina", 3_000]);
      const to = [{ commitment: low, share: 1_000 }, ...owners(["chandan", 1_000]), { commitment: high, share: 1_000 }];
      await land.connect(registrar).registerDeed(DEED, ulpin(2), MUTATION.sale, from, to);
      await time.increase(30 * DAY);
      await land.connect(officer).approveMutation(ulpin(2), DEED, BINA_CHANDAN, from, to, RECORD_V2);
      const expected = [{ commitment: low, share: 1_000 }, ...owners(["bina", 3_000], ["chandan", 5_000]), { commitment: high, share: 1_000 }];
      expect((await land.parcel(ulpin(2))).owners).to.equal(ownersHash(expected));
    });

    it("is decided only by the land revenue office of the parcel's block", async () => {
      const { land, otherOfficer, registrar, appellate, directory } = await loadFixture(saleOpened);
      await expect(land.connect(otherOfficer).approveMutation(ulpin(1), DEED, [], ASHA, DEV, RECORD_V2))
        .to.be.revertedWithCustomError(directory, "ParticipantDirectoryOutsideJurisdiction")
        .withArgs(4, landJurisdiction(DISTRICT, BLOCK));
      await expect(land.connect(registrar).approveMutation(ulpin(1), DEED, [], ASHA, DEV, RECORD_V2)).to.be.revertedWithCustomError(directory, "ParticipantDirectoryMissingCapability");
      await expect(land.connect(appellate).rejectMutation(ulpin(1), DEED, REJECTION.other, evidence("x"))).to.be.revertedWithCustomError(directory, "ParticipantDirectoryMissingCapability");
    });

    it("lets a partition only redistribute shares among the recorded owners", async () => {
      const { land, registrar, officer } = await loadFixture(parcelSuite);
      const deeds = land.connect(registrar);
      await deeds.registerDeed(id("p1"), ulpin(2), MUTATION.partition, owners(["bina", 1_000]), owners(["eve", 1_000]));
      await time.increase(30 * DAY);
      await expect(land.connect(officer).approveMutation(ulpin(2), id("p1"), BINA_CHANDAN, owners(["bina", 1_000]), owners(["eve", 1_000]), RECORD_V2))
        .to.be.revertedWithCustomError(land, "LandRegistryPartitionOutsider")
        .withArgs(person("eve"));
      await land.connect(officer).rejectMutation(ulpin(2), id("p1"), REJECTION.defectiveDeed, evidence("order p1"));
      const nobody = [{ commitment: "0x" + "00".repeat(31) + "01", share: 1_000 }];
      await deeds.registerDeed(id("p0"), ulpin(2), MUTATION.partition, owners(["bina", 1_000]), nobody);
      await time.increase(30 * DAY);
      await expect(land.connect(officer).approveMutation(ulpin(2), id("p0"), BINA_CHANDAN, owners(["bina", 1_000]), nobody, RECORD_V2))
        .to.be.revertedWithCustomError(land, "LandRegistryPartitionOutsider")
        .withArgs(nobody[0].commitment);
      await land.connect(officer).rejectMutation(ulpin(2), id("p0"), REJECTION.defectiveDeed, evidence("order p0"));

      await deeds.registerDeed(id("p2"), ulpin(2), MUTATION.partition, BINA_CHANDAN, owners(["eve", 10_000]));
      await expect(land.connect(officer).approveMutation(ulpin(2), id("p2"), [], BINA_CHANDAN, owners(["eve", 10_000]), RECORD_V2))
        .to.be.revertedWithCustomError(land, "LandRegistryPartitionOutsider")
        .withArgs(person("eve"));
      await land.connect(officer).rejectMutation(ulpin(2), id("p2"), REJECTION.defectiveDeed, evidence("order p2"));

      const even = owners(["bina", 5_000], ["chandan", 5_000]);
      await deeds.registerDeed(id("p3"), ulpin(2), MUTATION.partition, BINA_CHANDAN, even);
      await land.connect(officer).approveMutation(ulpin(2), id("p3"), [], BINA_CHANDAN, even, RECORD_V2);
      expect((await land.parcel(ulpin(2))).owners).to.equal(ownersHash(even));
    });
  });

  describe("succession", () => {
    it("is opened by the land revenue office and always waits for objections", async () => {
      const { land, officer, registrar, ORG, directory } = await loadFixture(parcelSuite);
      const heirs = owners(["heir-1", 5_000], ["heir-2", 5_000]);
      const certificate = evidence("succession certificate");
      await expect(land.connect(registrar).openSuccession(certificate, ulpin(1), ASHA, heirs)).to.be.revertedWithCustomError(directory, "ParticipantDirectoryMissingCapability");
      await expect(land.connect(officer).openSuccession(certificate, ulpin(1), ASHA, heirs)).to.emit(land, "MutationOpened");
      const m = await land.mutation(ulpin(1), certificate);
      expect([m.kind, m.objectionDeadline - m.openedAt]).to.deep.equal([BigInt(MUTATION.succession), 30n * BigInt(DAY)]);
      await expect(land.connect(officer).approveMutation(ulpin(1), certificate, [], ASHA, heirs, RECORD_V2)).to.be.revertedWithCustomError(land, "LandRegistryObjectionWindowOpen");
      await time.increase(30 * DAY);
      await expect(land.connect(officer).approveMutation(ulpin(1), certificate, [], ASHA, heirs, RECORD_V2))
        .to.emit(land, "MutationApproved")
        .withArgs(ulpin(1), certificate, heirs.map((o) => [o.commitment, o.share]), 2, RECORD_V2, ORG.officer, officer.address);
    });
  });

  describe("rejection and appeal", () => {
    it("a rejection carries a reason and an order, and frees the parcel for another deed", async () => {
      const { land, officer, registrar, ORG } = await loadFixture(saleOpened);
      const reject = land.connect(officer);
      await expect(reject.rejectMutation(ulpin(1), DEED, REJECTION.none, evidence("order"))).to.be.revertedWithCustomError(land, "LandRegistryMissingReason");
      await expect(reject.rejectMutation(ulpin(1), DEED, REJECTION.prohibitedLand, ZeroHash)).to.be.revertedWithCustomError(land, "LandRegistryEmptyHash");
      await expect(reject.rejectMutation(ulpin(1), DEED, REJECTION.prohibitedLand, evidence("order")))
        .to.emit(land, "MutationRejected")
        .withArgs(ulpin(1), DEED, REJECTION.prohibitedLand, evidence("order"), ORG.officer, officer.address);
      expect((await land.mutation(ulpin(1), DEED)).status).to.equal(MSTATUS.rejected);
      await expect(reject.approveMutation(ulpin(1), DEED, [], ASHA, DEV, RECORD_V2))
        .to.be.revertedWithCustomError(land, "LandRegistryUnexpectedMutationStatus")
        .withArgs(DEED, MSTATUS.rejected);
      await land.connect(registrar).registerDeed(id("deed-2"), ulpin(1), MUTATION.sale, ASHA, DEV);
    });

    it("is appealed once to the appellate authority, which may allow it: the mutation then takes effect", async () => {
      const { land, appellate, officer, ORG, directory } = await loadFixture(rejected);
      await expect(land.connect(officer).fileAppeal(ulpin(1), DEED, evidence("appeal"))).to.be.revertedWithCustomError(directory, "ParticipantDirectoryMissingCapability");
      await expect(land.connect(appellate).fileAppeal(ulpin(1), DEED, ZeroHash)).to.be.revertedWithCustomError(land, "LandRegistryEmptyHash");
      const at = (await time.latest()) + 1;
      await time.setNextBlockTimestamp(at);
      await expect(land.connect(appellate).fileAppeal(ulpin(1), DEED, evidence("appeal")))
        .to.emit(land, "AppealFiled")
        .withArgs(ulpin(1), DEED, evidence("appeal"), ORG.appellate, appellate.address);
      const m = await land.mutation(ulpin(1), DEED);
      expect([m.status, m.appealedAt]).to.deep.equal([BigInt(MSTATUS.appealed), BigInt(at)]);
      expect((await land.parcel(ulpin(1))).mutationPending).to.equal(true);
      await expect(land.connect(appellate).allowAppeal(ulpin(1), DEED, ZeroHash, [], ASHA, DEV, RECORD_V2)).to.be.revertedWithCustomError(land, "LandRegistryEmptyHash");
      await expect(land.connect(appellate).allowAppeal(ulpin(1), DEED, evidence("appellate order"), [], ASHA, DEV, RECORD_V2))
        .to.emit(land, "AppealDecided")
        .withArgs(ulpin(1), DEED, true, evidence("appellate order"), ORG.appellate, appellate.address)
        .and.to.emit(land, "MutationApproved")
        .withArgs(ulpin(1), DEED, [[person("dev"), 10_000]], 2, RECORD_V2, ORG.appellate, appellate.address);
      expect((await land.mutation(ulpin(1), DEED)).status).to.equal(MSTATUS.appealAllowed);
    });

    it("a dismissed appeal ends it for good", async () => {
      const { land, appellate, ORG } = await loadFixture(rejected);
      await land.connect(appellate).fileAppeal(ulpin(1), DEED, evidence("appeal"));
      await expect(land.connect(appellate).dismissAppeal(ulpin(1), DEED, ZeroHash)).to.be.revertedWithCustomError(land, "LandRegistryEmptyHash");
      await expect(land.connect(appellate).dismissAppeal(ulpin(1), DEED, evidence("dismissal")))
        .to.emit(land, "AppealDecided")
        .withArgs(ulpin(1), DEED, false, evidence("dismissal"), ORG.appellate, appellate.address);
      expect((await land.parcel(ulpin(1))).mutationPending).to.equal(false);
      await expect(land.connect(appellate).fileAppeal(ulpin(1), DEED, evidence("again")))
        .to.be.revertedWithCustomError(land, "LandRegistryUnexpectedMutationStatus")
        .withArgs(DEED, MSTATUS.appealDismissed);
      await expect(land.connect(appellate).dismissAppeal(ulpin(1), DEED, evidence("again")))
        .to.be.revertedWithCustomError(land, "LandRegistryUnexpectedMutationStatus")
        .withArgs(DEED, MSTATUS.appealDismissed);
    });

    it("cannot be appealed while another mutation is pending, or once the parcel is retired", async () => {
      const { land, appellate, registrar, officer, survey } = await loadFixture(rejected);
      await land.connect(registrar).registerDeed(id("deed-2"), ulpin(1), MUTATION.sale, ASHA, DEV);
      await expect(land.connect(appellate).fileAppeal(ulpin(1), DEED, evidence("appeal"))).to.be.revertedWithCustomError(land, "LandRegistryMutationPending").withArgs(ulpin(1));
      await land.connect(officer).rejectMutation(ulpin(1), id("deed-2"), REJECTION.other, evidence("order 2"));
      await land.connect(survey).split(ulpin(1), ASHA, [part(11, 400), part(12, 600)], []);
      await expect(land.connect(appellate).fileAppeal(ulpin(1), DEED, evidence("appeal"))).to.be.revertedWithCustomError(land, "LandRegistryParcelRetired").withArgs(ulpin(1));
    });
  });

  describe("service level", () => {
    it("shows a pending mutation overdue after the service level, counting an appeal from its filing", async () => {
      const { land, officer, appellate } = await loadFixture(partialSaleOpened);
      expect(await land.isOverdue(ulpin(2), DEED)).to.equal(false);
      await time.increase(45 * DAY + 1);
      expect(await land.isOverdue(ulpin(2), DEED)).to.equal(true);
      await land.connect(officer).rejectMutation(ulpin(2), DEED, REJECTION.objectionUpheld, evidence("order"));
      expect(await land.isOverdue(ulpin(2), DEED)).to.equal(false);
      await land.connect(appellate).fileAppeal(ulpin(2), DEED, evidence("appeal"));
      expect(await land.isOverdue(ulpin(2), DEED)).to.equal(false);
      await time.increase(45 * DAY + 1);
      expect(await land.isOverdue(ulpin(2), DEED)).to.equal(true);
      await expect(land.isOverdue(ulpin(1), id("nothing"))).to.be.revertedWithCustomError(land, "LandRegistryUnknownMutation");
    });

    it("governance sets the objection window and the service level, within a year", async () => {
      const { land, governor, registrar } = await loadFixture(parcelSuite);
      const governed = land.connect(governor);
      await expect(governed.setObjectionWindow(7 * DAY)).to.emit(land, "ObjectionWindowSet").withArgs(7 * DAY, governor.address);
      await expect(governed.setServiceLevel(10 * DAY)).to.emit(land, "ServiceLevelSet").withArgs(10 * DAY, governor.address);
      expect([await land.objectionWindow(), await land.serviceLevel()]).to.deep.equal([BigInt(7 * DAY), BigInt(10 * DAY)]);
      await expect(governed.setObjectionWindow(0)).to.be.revertedWithCustomError(land, "LandRegistryInvalidDuration").withArgs(0);
      await expect(governed.setServiceLevel(366 * DAY)).to.be.revertedWithCustomError(land, "LandRegistryInvalidDuration").withArgs(366 * DAY);
      await expect(land.connect(registrar).setObjectionWindow(DAY)).to.be.revertedWithCustomError(land, "AccessManagedUnauthorized");
      await expect(land.connect(registrar).setServiceLevel(DAY)).to.be.revertedWithCustomError(land, "AccessManagedUnauthorized");
      await land.connect(registrar).registerDeed(DEED, ulpin(2), MUTATION.sale, PARTIAL_FROM, PARTIAL_TO);
      const m = await land.mutation(ulpin(2), DEED);
      expect(m.objectionDeadline - m.openedAt).to.equal(BigInt(7 * DAY));
    });
  });

  describe("court freezes", () => {
    const ORDER = evidence("CS 12/2026");
    const LIFTED = evidence("CS 12/2026 final order");

    it("a frozen parcel takes no deed, approval, land-use change, lien, split or merge", async () => {
      const { land, court, registrar, officer, bank, survey, ORG } = await loadFixture(saleOpened);
      const now = (await time.latest()) + 1;
      await time.setNextBlockTimestamp(now);
      await expect(land.connect(court).freeze(ulpin(1), ORDER, 0)).to.emit(land, "ParcelFrozen").withArgs(ulpin(1), ORDER, 0, ORG.court, court.address);
      expect(await land.parcelStatus(ulpin(1))).to.equal(PARCEL_STATUS.frozen);
      const [f] = await land.freezesOf(ulpin(1));
      expect([f.order, f.court, f.frozenAt, f.expiresAt]).to.deep.equal([ORDER, BigInt(ORG.court), BigInt(now), 0n]);
      const frozen = (p: Promise<unknown>) => expect(p).to.be.revertedWithCustomError(land, "LandRegistryParcelFrozen").withArgs(ulpin(1), ORDER, 0);
      await frozen(land.connect(officer).approveMutation(ulpin(1), DEED, [], ASHA, DEV, RECORD_V2));
      await frozen(land.connect(survey).changeLandUse(ulpin(1), LAND_USE.homestead, RECORD_V2));
      await frozen(land.connect(bank).registerLien(ulpin(1), id("loan")));
      await land.connect(officer).rejectMutation(ulpin(1), DEED, REJECTION.pendingLitigation, evidence("order"));
      await frozen(land.connect(registrar).registerDeed(id("deed-2"), ulpin(1), MUTATION.sale, ASHA, DEV));
      await frozen(land.connect(survey).split(ulpin(1), ASHA, [part(11, 400), part(12, 600)], []));
      await frozen(land.connect(survey).merge([ulpin(1), ulpin(2)], ASHA, part(13, 3_500), []));
      await expect(land.connect(court).unfreeze(ulpin(1), ORDER, LIFTED)).to.emit(land, "FreezeLifted").withArgs(ulpin(1), ORDER, LIFTED, ORG.court, court.address);
      expect(await land.parcelStatus(ulpin(1))).to.equal(PARCEL_STATUS.active);
      expect([(await land.parcel(ulpin(1))).frozen, await land.freezesOf(ulpin(1))]).to.deep.equal([false, []]);
      await land.connect(registrar).registerDeed(id("deed-2"), ulpin(1), MUTATION.sale, ASHA, DEV);
    });

    it("several orders freeze a parcel at once; it stays frozen until the last is lifted or lapses", async () => {
      const { land, court, survey } = await loadFixture(parcelSuite);
      const now = await time.latest();
      const interim = evidence("IA 3/2026");
      await land.connect(court).freeze(ulpin(1), ORDER, 0);
      await land.connect(court).freeze(ulpin(1), interim, now + DAY);
      await expect(land.connect(court).freeze(ulpin(1), ORDER, 0)).to.be.revertedWithCustomError(land, "LandRegistryFreezeExists").withArgs(ulpin(1), ORDER);
      expect((await land.freezesOf(ulpin(1))).map((f) => f.order)).to.deep.equal([ORDER, interim]);
      await land.connect(court).unfreeze(ulpin(1), ORDER, LIFTED);
      // The interim order still holds the parcel.
      await expect(land.connect(survey).changeLandUse(ulpin(1), LAND_USE.homestead, RECORD_V2))
        .to.be.revertedWithCustomError(land, "LandRegistryParcelFrozen")
        .withArgs(ulpin(1), interim, now + DAY);
      await time.increaseTo(now + DAY);
      expect([await land.parcelStatus(ulpin(1)), await land.freezesOf(ulpin(1))]).to.deep.equal([BigInt(PARCEL_STATUS.active), []]);
      await land.connect(survey).changeLandUse(ulpin(1), LAND_USE.homestead, RECORD_V2);
      // A lapsed order is gone: lifting it is refused, making it again is a new freeze.
      await expect(land.connect(court).unfreeze(ulpin(1), interim, LIFTED)).to.be.revertedWithCustomError(land, "LandRegistryUnknownFreeze").withArgs(ulpin(1), interim);
      await land.connect(court).freeze(ulpin(1), interim, 0);
      expect((await land.freezesOf(ulpin(1))).map((f) => f.order)).to.deep.equal([interim]);
    });

    it("holds at most eight orders in force; lapsed ones make room", async () => {
      const { land, court } = await loadFixture(parcelSuite);
      const now = await time.latest();
      for (let i = 0; i < 8; i++) await land.connect(court).freeze(ulpin(1), evidence(`order ${i}`), i < 2 ? now + DAY : 0);
      await expect(land.connect(court).freeze(ulpin(1), evidence("ninth"), 0)).to.be.revertedWithCustomError(land, "LandRegistryTooManyFreezes").withArgs(ulpin(1));
      await time.increaseTo(now + DAY);
      await land.connect(court).freeze(ulpin(1), evidence("ninth"), 0);
      await land.connect(court).freeze(ulpin(1), evidence("tenth"), 0);
      expect(await land.freezesOf(ulpin(1))).to.have.length(8);
    });

    it("only the ordering court lifts a freeze: not another court, not an appellate authority", async () => {
      const { land, court, appellate, outsider, directory, bank, ORG } = await loadFixture(parcelSuite);
      await directory.onboard(code("court-17b"), KIND.court, CAP.courtOrders, [landJurisdiction(DISTRICT)], evidence("court-17b"));
      await directory.addAccount(9, outsider.address);
      await land.connect(court).freeze(ulpin(1), ORDER, 0);
      await expect(land.connect(outsider).unfreeze(ulpin(1), ORDER, LIFTED))
        .to.be.revertedWithCustomError(land, "LandRegistryNotFreezingCourt")
        .withArgs(ulpin(1), ORDER, ORG.court, 9);
      await expect(land.connect(bank).unfreeze(ulpin(1), ORDER, LIFTED)).to.be.revertedWithCustomError(directory, "ParticipantDirectoryMissingCapability");
      await expect(land.connect(appellate).unfreeze(ulpin(1), ORDER, LIFTED)).to.be.revertedWithCustomError(directory, "ParticipantDirectoryMissingCapability");
      await expect(land.connect(court).unfreeze(ulpin(1), ORDER, LIFTED)).to.emit(land, "FreezeLifted").withArgs(ulpin(1), ORDER, LIFTED, ORG.court, court.address);
    });

    it("a freeze with an expiry must end in the future; orders are named", async () => {
      const { land, court, bank, directory } = await loadFixture(parcelSuite);
      const now = await time.latest();
      await expect(land.connect(court).freeze(ulpin(1), ORDER, now)).to.be.revertedWithCustomError(land, "LandRegistryInvalidExpiry").withArgs(now);
      await expect(land.connect(court).freeze(ulpin(1), ZeroHash, 0)).to.be.revertedWithCustomError(land, "LandRegistryEmptyHash");
      await expect(land.connect(court).unfreeze(ulpin(1), ZeroHash, LIFTED)).to.be.revertedWithCustomError(land, "LandRegistryEmptyHash");
      await expect(land.connect(court).unfreeze(ulpin(1), ORDER, ZeroHash)).to.be.revertedWithCustomError(land, "LandRegistryEmptyHash");
      await expect(land.connect(court).unfreeze(ulpin(1), ORDER, LIFTED)).to.be.revertedWithCustomError(land, "LandRegistryUnknownFreeze").withArgs(ulpin(1), ORDER);
      await expect(land.connect(bank).freeze(ulpin(1), ORDER, 0)).to.be.revertedWithCustomError(directory, "ParticipantDirectoryMissingCapability");
      await expect(land.connect(court).freeze(ulpin(9), ORDER, 0)).to.be.revertedWithCustomError(land, "LandRegistryUnknownParcel");
    });
  });

  describe("liens", () => {
    it("a lien blocks the transfer until its holder consents", async () => {
      const { land, bank, officer, ORG } = await loadFixture(liened);
      expect((await land.parcel(ulpin(1))).liens).to.equal(1);
      const l = await land.lienOf(ulpin(1), id("loan-1"));
      expect([l.holder, l.consentedTo]).to.deep.equal([BigInt(ORG.bank), ZeroHash]);
      await expect(land.connect(officer).approveMutation(ulpin(1), DEED, [], ASHA, DEV, RECORD_V2))
        .to.be.revertedWithCustomError(land, "LandRegistryLiensNotConsented")
        .withArgs(ulpin(1), 1, 0);
      await expect(land.connect(bank).consentToMutation(ulpin(1), id("loan-1"), DEED))
        .to.emit(land, "LienConsented")
        .withArgs(ulpin(1), id("loan-1"), DEED, ORG.bank, bank.address);
      expect((await land.mutation(ulpin(1), DEED)).consents).to.equal(1);
      await land.connect(officer).approveMutation(ulpin(1), DEED, [], ASHA, DEV, RECORD_V2);
    });

    it("registration and release belong to the holding bank, with a reference; release takes back a consent", async () => {
      const { land, bank, otherBank, officer, ORG, directory } = await loadFixture(liened);
      await expect(land.connect(bank).registerLien(ulpin(1), ZeroHash)).to.be.revertedWithCustomError(land, "LandRegistryEmptyHash");
      await expect(land.connect(otherBank).registerLien(ulpin(1), id("loan-1"))).to.be.revertedWithCustomError(land, "LandRegistryLienExists").withArgs(ulpin(1), id("loan-1"));
      await expect(land.connect(otherBank).registerLien(ulpin(1), id("loan-2"))).to.emit(land, "LienRegistered").withArgs(ulpin(1), id("loan-2"), ORG.otherBank, otherBank.address);
      await land.connect(otherBank).registerLien(ulpin(1), id("loan-3"));
      await land.connect(otherBank).releaseLien(ulpin(1), id("loan-3"));
      await expect(land.connect(otherBank).releaseLien(ulpin(1), id("loan-1")))
        .to.be.revertedWithCustomError(land, "LandRegistryNotLienHolder")
        .withArgs(id("loan-1"), ORG.bank, ORG.otherBank);
      await expect(land.connect(otherBank).consentToMutation(ulpin(1), id("loan-1"), DEED)).to.be.revertedWithCustomError(land, "LandRegistryNotLienHolder");
      await land.connect(bank).consentToMutation(ulpin(1), id("loan-1"), DEED);
      await expect(land.connect(bank).consentToMutation(ulpin(1), id("loan-1"), DEED))
        .to.be.revertedWithCustomError(land, "LandRegistryLienAlreadyConsented")
        .withArgs(id("loan-1"), DEED);
      await land.connect(otherBank).consentToMutation(ulpin(1), id("loan-2"), DEED);
      await expect(land.connect(bank).releaseLien(ulpin(1), id("loan-1"))).to.emit(land, "LienReleased").withArgs(ulpin(1), id("loan-1"), ORG.bank, bank.address);
      expect([(await land.parcel(ulpin(1))).liens, (await land.mutation(ulpin(1), DEED)).consents]).to.deep.equal([1n, 1n]);
      await expect(land.connect(bank).releaseLien(ulpin(1), id("loan-1"))).to.be.revertedWithCustomError(land, "LandRegistryUnknownLien").withArgs(ulpin(1), id("loan-1"));
      await expect(land.connect(bank).releaseLien(ulpin(9), id("loan-1"))).to.be.revertedWithCustomError(land, "LandRegistryUnknownParcel");
      await expect(land.connect(officer).registerLien(ulpin(1), id("x"))).to.be.revertedWithCustomError(directory, "ParticipantDirectoryMissingCapability");
      await land.connect(officer).approveMutation(ulpin(1), DEED, [], ASHA, DEV, RECORD_V2);
    });

    it("a consent names a pending mutation of the same parcel, and moves with the lien holder's choice", async () => {
      const { land, bank, officer, registrar } = await loadFixture(liened);
      await expect(land.connect(bank).consentToMutation(ulpin(1), id("loan-1"), id("nothing"))).to.be.revertedWithCustomError(land, "LandRegistryUnknownMutation");
      await land.connect(registrar).registerDeed(id("deed-2"), ulpin(2), MUTATION.sale, BINA_CHANDAN, DEV);
      await expect(land.connect(bank).consentToMutation(ulpin(1), id("loan-1"), id("deed-2"))).to.be.revertedWithCustomError(land, "LandRegistryUnknownMutation");
      await land.connect(bank).consentToMutation(ulpin(1), id("loan-1"), DEED);
      await land.connect(officer).rejectMutation(ulpin(1), DEED, REJECTION.other, evidence("order"));
      await expect(land.connect(bank).consentToMutation(ulpin(1), id("loan-1"), DEED))
        .to.be.revertedWithCustomError(land, "LandRegistryUnexpectedMutationStatus")
        .withArgs(DEED, MSTATUS.rejected);
      await land.connect(registrar).registerDeed(id("deed-3"), ulpin(1), MUTATION.sale, ASHA, DEV);
      await land.connect(bank).consentToMutation(ulpin(1), id("loan-1"), id("deed-3"));
      expect([(await land.mutation(ulpin(1), DEED)).consents, (await land.mutation(ulpin(1), id("deed-3"))).consents]).to.deep.equal([0n, 1n]);
    });

    it("a parcel carries at most 255 liens", async () => {
      const { land, bank } = await loadFixture(parcelSuite);
      for (let i = 0; i < 255; i++) await land.connect(bank).registerLien(ulpin(1), id(`loan-${i}`));
      await expect(land.connect(bank).registerLien(ulpin(1), id("one too many"))).to.be.revertedWithCustomError(land, "LandRegistryTooManyLiens").withArgs(ulpin(1));
    });
  });

  describe("split and merge", () => {
    it("a split makes parcels whose areas add up, with the parent's owners and place, linked both ways", async () => {
      const { land, survey, ORG } = await loadFixture(parcelSuite);
      const parts = [part(11, 400), part(12, 600)];
      const tx = land.split(ulpin(1), ASHA, parts, []);
      await expect(tx)
        .to.emit(land, "ParcelCreated")
        .withArgs(ulpin(11), ORIGIN.split, [ulpin(11), 400, LAND_USE.agricultural, DISTRICT, BLOCK, record(1).village, parts[0].recordHash], [[person("asha"), 10_000]], ZeroHash, [ulpin(1)], ORG.survey, survey.address);
      await expect(tx).to.emit(land, "ParcelRetired").withArgs(ulpin(1), ORIGIN.split, [ulpin(11), ulpin(12)], ORG.survey, survey.address);
      expect(await land.parcelStatus(ulpin(1))).to.equal(PARCEL_STATUS.retired);
      expect(await land.childrenOf(ulpin(1))).to.deep.equal([ulpin(11), ulpin(12)]);
      expect(await land.parentsOf(ulpin(12))).to.deep.equal([ulpin(1)]);
      const child = await land.parcel(ulpin(12));
      expect([child.area, child.owners, child.version, child.village]).to.deep.equal([600n, ownersHash(ASHA), 1n, BigInt(record(1).village)]);
      await expect(land.changeLandUse(ulpin(1), LAND_USE.homestead, RECORD_V2)).to.be.revertedWithCustomError(land, "LandRegistryParcelRetired").withArgs(ulpin(1));
    });

    it("refuses areas that do not add up, one part or too many, an existing ULPIN, the wrong owners, liens and pending deeds", async () => {
      const { land, bank, registrar } = await loadFixture(parcelSuite);
      await expect(land.split(ulpin(1), ASHA, [part(11, 400), part(12, 599)], [])).to.be.revertedWithCustomError(land, "LandRegistryAreaMismatch").withArgs(1_000, 999);
      await expect(land.split(ulpin(1), ASHA, [part(11, 1_000)], [])).to.be.revertedWithCustomError(land, "LandRegistryInvalidPartCount").withArgs(1);
      const many = Array.from({ length: 65 }, (_, i) => part(100 + i, 1));
      await expect(land.split(ulpin(1), ASHA, many, [])).to.be.revertedWithCustomError(land, "LandRegistryInvalidPartCount").withArgs(65);
      await expect(land.split(ulpin(1), ASHA, [part(2, 400), part(12, 600)], [])).to.be.revertedWithCustomError(land, "LandRegistryParcelExists").withArgs(ulpin(2));
      await expect(land.split(ulpin(1), ASHA, [part(11, 400), part(11, 600)], [])).to.be.revertedWithCustomError(land, "LandRegistryParcelExists").withArgs(ulpin(11));
      await expect(land.split(ulpin(1), ASHA, [part(11, 0), part(12, 1_000)], [])).to.be.revertedWithCustomError(land, "LandRegistryZeroArea").withArgs(ulpin(11));
      await expect(land.split(ulpin(1), DEV, [part(11, 400), part(12, 600)], [])).to.be.revertedWithCustomError(land, "LandRegistryOwnersMismatch").withArgs(ulpin(1));
      await land.connect(bank).registerLien(ulpin(1), id("loan"));
      await expect(land.split(ulpin(1), ASHA, [part(11, 400), part(12, 600)], [])).to.be.revertedWithCustomError(land, "LandRegistryParcelEncumbered").withArgs(ulpin(1), 1);
      await land.connect(registrar).registerDeed(DEED, ulpin(2), MUTATION.sale, BINA_CHANDAN, DEV);
      await expect(land.split(ulpin(2), BINA_CHANDAN, [part(11, 400), part(12, 2_100)], [])).to.be.revertedWithCustomError(land, "LandRegistryMutationPending").withArgs(ulpin(2));
    });

    it("a merge joins parcels of the same owners in one village; their areas add up", async () => {
      const { land, survey, ORG } = await loadFixture(parcelSuite);
      await land.registerParcel(record(3, 500), ASHA, []);
      const merged = part(20, 1_500);
      const tx = land.merge([ulpin(1), ulpin(3)], ASHA, merged, []);
      await expect(tx).to.emit(land, "ParcelRetired").withArgs(ulpin(3), ORIGIN.merged, [ulpin(20)], ORG.survey, survey.address);
      await expect(tx)
        .to.emit(land, "ParcelCreated")
        .withArgs(ulpin(20), ORIGIN.merged, [ulpin(20), 1_500, LAND_USE.agricultural, DISTRICT, BLOCK, record(1).village, merged.recordHash], [[person("asha"), 10_000]], ZeroHash, [ulpin(1), ulpin(3)], ORG.survey, survey.address);
      expect(await land.parentsOf(ulpin(20))).to.deep.equal([ulpin(1), ulpin(3)]);
      expect(await land.childrenOf(ulpin(3))).to.deep.equal([ulpin(20)]);
      expect((await land.parcel(ulpin(20))).area).to.equal(1_500);
    });

    it("refuses different owners or villages, a parcel twice, areas that differ and a lone parcel", async () => {
      const { land } = await loadFixture(parcelSuite);
      await land.registerParcel(record(3, 500, OTHER_VILLAGE), ASHA, []);
      await land.registerParcel(record(4, 500), ASHA, []);
      await expect(land.merge([ulpin(1), ulpin(3)], ASHA, part(20, 1_500), [])).to.be.revertedWithCustomError(land, "LandRegistryMergeMismatch").withArgs(ulpin(3));
      await expect(land.merge([ulpin(1), ulpin(2)], ASHA, part(20, 3_500), [])).to.be.revertedWithCustomError(land, "LandRegistryOwnersMismatch").withArgs(ulpin(2));
      await expect(land.merge([ulpin(1), ulpin(1)], ASHA, part(20, 2_000), [])).to.be.revertedWithCustomError(land, "LandRegistryParcelRetired").withArgs(ulpin(1));
      await expect(land.merge([ulpin(1), ulpin(4)], ASHA, part(20, 1_400), [])).to.be.revertedWithCustomError(land, "LandRegistryAreaMismatch").withArgs(1_500, 1_400);
      await expect(land.merge([ulpin(1)], ASHA, part(20, 1_000), [])).to.be.revertedWithCustomError(land, "LandRegistryInvalidPartCount").withArgs(1);
      const many = Array.from({ length: 65 }, (_, i) => ulpin(100 + i));
      await expect(land.merge(many, ASHA, part(20, 1_000), [])).to.be.revertedWithCustomError(land, "LandRegistryInvalidPartCount").withArgs(65);
      // Same village code under another block is a data error; the merge refuses it too.
      await land.registerParcel({ ...record(5, 500), block: 5 }, ASHA, []);
      await expect(land.merge([ulpin(1), ulpin(5)], ASHA, part(20, 1_500), [])).to.be.revertedWithCustomError(land, "LandRegistryMergeMismatch").withArgs(ulpin(5));
    });
  });

  describe("migration snapshot", () => {
    const TYPES = ["bytes14", "bytes32", "uint64", "uint8", "uint16", "uint16", "uint32", "bytes32"];
    const entryOf = (serial: number, list: Owner[]) => {
      const r = record(serial);
      return [r.ulpin, ownersHash(list), r.area, r.landUse, r.district, r.block, r.village, r.recordHash];
    };
    async function anchored() {
      const suite = await landSuite();
      const tree = StandardMerkleTree.of([entryOf(100, ASHA), entryOf(101, BINA_CHANDAN), entryOf(102, DEV)], TYPES);
      const gaps = gapTree([100, 101, 102]);
      await suite.land.connect(suite.governor).anchorSnapshot(tree.root, 3, evidence("export.csv"), gaps.root);
      return { ...suite, tree, gaps };
    }

    it("governance anchors a root once; nobody else can", async () => {
      const { land, governor, survey } = await loadFixture(landSuite);
      const root = id("root");
      const gaps = id("gaps");
      await expect(land.connect(survey).anchorSnapshot(root, 3, evidence("x"), gaps)).to.be.revertedWithCustomError(land, "AccessManagedUnauthorized");
      await expect(land.connect(governor).anchorSnapshot(ZeroHash, 3, evidence("x"), gaps)).to.be.revertedWithCustomError(land, "LandRegistryEmptySnapshot");
      await expect(land.connect(governor).anchorSnapshot(root, 0, evidence("x"), gaps)).to.be.revertedWithCustomError(land, "LandRegistryEmptySnapshot");
      await expect(land.connect(governor).anchorSnapshot(root, 3, ZeroHash, gaps)).to.be.revertedWithCustomError(land, "LandRegistryEmptyHash");
      await expect(land.connect(governor).anchorSnapshot(root, 3, evidence("x"), ZeroHash)).to.be.revertedWithCustomError(land, "LandRegistryEmptyHash");
      await expect(land.connect(governor).anchorSnapshot(root, 3, evidence("x"), gaps)).to.emit(land, "SnapshotAnchored").withArgs(root, 3, evidence("x"), gaps, governor.address);
      const s = await land.snapshot(root);
      expect([s.parcelCount, s.anchoredAt, s.retiredAt, s.absenceRoot]).to.deep.equal([3n, BigInt(await time.latest()), 0n, gaps]);
      expect(await land.activeSnapshots()).to.deep.equal([root]);
      await expect(land.connect(governor).anchorSnapshot(root, 3, evidence("x"), gaps)).to.be.revertedWithCustomError(land, "LandRegistrySnapshotExists").withArgs(root);
    });

    it("keeps at most sixteen snapshots active", async () => {
      const { land, governor } = await loadFixture(landSuite);
      for (let i = 0; i < 16; i++) await land.connect(governor).anchorSnapshot(id(`root ${i}`), 1, evidence("x"), id("gaps"));
      await expect(land.connect(governor).anchorSnapshot(id("one more"), 1, evidence("x"), id("gaps"))).to.be.revertedWithCustomError(land, "LandRegistryTooManySnapshots");
      await land.connect(governor).retireSnapshot(id("root 3"), evidence("migration finished"));
      await land.connect(governor).anchorSnapshot(id("one more"), 1, evidence("x"), id("gaps"));
    });

    it("anyone materialises a parcel exactly as its entry says, once", async () => {
      const { land, tree, outsider } = await loadFixture(anchored);
      const proof = tree.getProof(1);
      await expect(land.connect(outsider).materialise(tree.root, record(101), BINA_CHANDAN, proof))
        .to.emit(land, "ParcelCreated")
        .withArgs(ulpin(101), ORIGIN.materialised, Object.values(record(101)), BINA_CHANDAN.map((o) => [o.commitment, o.share]), tree.root, [], 0, outsider.address);
      const p = await land.parcel(ulpin(101));
      expect([p.owners, p.area, p.version, p.recordHash]).to.deep.equal([ownersHash(BINA_CHANDAN), 1_000n, 1n, record(101).recordHash]);
      await expect(land.materialise(tree.root, record(101), BINA_CHANDAN, proof)).to.be.revertedWithCustomError(land, "LandRegistryParcelExists").withArgs(ulpin(101));
    });

    it("refuses any other form of the entry, an unknown root and a malformed owner list", async () => {
      const { land, tree } = await loadFixture(anchored);
      const proof = tree.getProof(0);
      await expect(land.materialise(id("other"), record(100), ASHA, proof)).to.be.revertedWithCustomError(land, "LandRegistryUnknownSnapshot").withArgs(id("other"));
      await expect(land.materialise(tree.root, record(100, 1_001), ASHA, proof))
        .to.be.revertedWithCustomError(land, "LandRegistryInvalidProof")
        .withArgs(tree.root, ulpin(100));
      await expect(land.materialise(tree.root, record(100), DEV, proof)).to.be.revertedWithCustomError(land, "LandRegistryInvalidProof");
      await expect(land.materialise(tree.root, { ...record(100), landUse: LAND_USE.commercial }, ASHA, proof)).to.be.revertedWithCustomError(land, "LandRegistryInvalidProof");
      await expect(land.materialise(tree.root, record(100), [{ ...ASHA[0], share: 9_999 }], proof)).to.be.revertedWithCustomError(land, "LandRegistrySharesNotWhole");
    });

    it("takes no proofs of absence while no snapshot is active", async () => {
      const { land } = await loadFixture(landSuite);
      const gaps = gapTree([100]);
      await expect(land.registerParcel(record(1), ASHA, [gaps.proofOf(1)])).to.be.revertedWithCustomError(land, "LandRegistryHeldBySnapshot").withArgs(ulpin(1), ZeroHash);
    });

    it("while a snapshot is active, a new ULPIN needs proof that the snapshot does not hold it", async () => {
      const { land, tree, gaps, survey } = await loadFixture(anchored);
      await expect(land.registerParcel(record(1), ASHA, [])).to.be.revertedWithCustomError(land, "LandRegistryHeldBySnapshot").withArgs(ulpin(1), tree.root);
      await expect(land.registerParcel(record(101), DEV, [gaps.proofOf(100)])).to.be.revertedWithCustomError(land, "LandRegistryHeldBySnapshot").withArgs(ulpin(101), tree.root);
      await expect(land.registerParcel(record(1), ASHA, [{ ...gaps.proofOf(1), proof: gaps.proofOf(103).proof }]))
        .to.be.revertedWithCustomError(land, "LandRegistryHeldBySnapshot")
        .withArgs(ulpin(1), tree.root);
      await expect(land.connect(survey).registerParcel(record(1), ASHA, [gaps.proofOf(1)])).to.emit(land, "ParcelCreated");
      // The gap at a held ULPIN starts at the ULPIN itself, so nothing lies strictly inside it.
      await expect(land.registerParcel(record(101), DEV, [gaps.proofOf(101)])).to.be.revertedWithCustomError(land, "LandRegistryHeldBySnapshot").withArgs(ulpin(101), tree.root);
      await land.registerParcel(record(103), DEV, [gaps.proofOf(103)]);
      await land.split(ulpin(103), DEV, [part(11, 400), part(12, 600)], [gaps.proofOf(11), gaps.proofOf(12)]);
      await expect(land.split(ulpin(11), DEV, [part(13, 200), part(101, 200)], [gaps.proofOf(13), gaps.proofOf(100)]))
        .to.be.revertedWithCustomError(land, "LandRegistryHeldBySnapshot")
        .withArgs(ulpin(101), tree.root);
      await land.registerParcel(record(5, 500), DEV, [gaps.proofOf(5)]);
      await expect(land.merge([ulpin(12), ulpin(5)], DEV, part(102, 1_100), [gaps.proofOf(101)]))
        .to.be.revertedWithCustomError(land, "LandRegistryHeldBySnapshot")
        .withArgs(ulpin(102), tree.root);
      await land.merge([ulpin(12), ulpin(5)], DEV, part(20, 1_100), [gaps.proofOf(20)]);
    });

    it("retiring a snapshot frees its unmaterialised ULPINs and stops materialising from it", async () => {
      const { land, tree, governor, survey } = await loadFixture(anchored);
      const reason = evidence("migration closed: remaining entries re-surveyed");
      await expect(land.connect(survey).retireSnapshot(tree.root, reason)).to.be.revertedWithCustomError(land, "AccessManagedUnauthorized");
      await expect(land.connect(governor).retireSnapshot(tree.root, ZeroHash)).to.be.revertedWithCustomError(land, "LandRegistryEmptyHash");
      await expect(land.connect(governor).retireSnapshot(id("other"), reason)).to.be.revertedWithCustomError(land, "LandRegistryUnknownSnapshot").withArgs(id("other"));
      await expect(land.connect(governor).retireSnapshot(tree.root, reason)).to.emit(land, "SnapshotRetired").withArgs(tree.root, reason, governor.address);
      expect([(await land.snapshot(tree.root)).retiredAt, await land.activeSnapshots()]).to.deep.equal([BigInt(await time.latest()), []]);
      await expect(land.connect(governor).retireSnapshot(tree.root, reason)).to.be.revertedWithCustomError(land, "LandRegistrySnapshotRetired").withArgs(tree.root);
      await expect(land.materialise(tree.root, record(100), ASHA, tree.getProof(0))).to.be.revertedWithCustomError(land, "LandRegistrySnapshotRetired").withArgs(tree.root);
      await land.registerParcel(record(100), DEV, []);
    });
  });

  describe("pause and upgrade", () => {
    it("the guardian pauses every write; views keep answering", async () => {
      const { land, guardian, governor, registrar } = await loadFixture(parcelSuite);
      await land.connect(guardian).pause();
      await expect(land.registerParcel(record(5), ASHA, [])).to.be.revertedWithCustomError(land, "EnforcedPause");
      await expect(land.connect(registrar).registerDeed(DEED, ulpin(1), MUTATION.sale, ASHA, DEV)).to.be.revertedWithCustomError(land, "EnforcedPause");
      expect(await land.parcelStatus(ulpin(1))).to.equal(PARCEL_STATUS.active);
      await expect(land.connect(guardian).unpause()).to.be.revertedWithCustomError(land, "AccessManagedUnauthorized");
      await land.connect(governor).unpause();
      await land.registerParcel(record(5), ASHA, []);
    });

    it("refuses every write while paused", async () => {
      const { land, guardian, governor, registrar, officer, court, bank, appellate } = await loadFixture(liened);
      await land.connect(guardian).pause();
      const writes: Array<() => Promise<unknown>> = [
        () => land.registerParcel(record(5), ASHA, []),
        () => land.materialise(id("root"), record(5), ASHA, []),
        () => land.changeLandUse(ulpin(1), LAND_USE.homestead, RECORD_V2),
        () => land.split(ulpin(2), BINA_CHANDAN, [part(21, 1_000), part(22, 1_500)], []),
        () => land.merge([ulpin(1), ulpin(2)], ASHA, part(20, 3_500), []),
        () => land.connect(registrar).registerDeed(id("d"), ulpin(2), MUTATION.sale, BINA_CHANDAN, DEV),
        () => land.connect(officer).openSuccession(id("s"), ulpin(2), BINA_CHANDAN, DEV),
        () => land.connect(officer).lodgeObjection(ulpin(1), DEED, evidence("objection")),
        () => land.connect(officer).approveMutation(ulpin(1), DEED, [], ASHA, DEV, RECORD_V2),
        () => land.connect(officer).rejectMutation(ulpin(1), DEED, REJECTION.other, evidence("order")),
        () => land.connect(appellate).fileAppeal(ulpin(1), DEED, evidence("appeal")),
        () => land.connect(appellate).allowAppeal(ulpin(1), DEED, evidence("order"), [], ASHA, DEV, RECORD_V2),
        () => land.connect(appellate).dismissAppeal(ulpin(1), DEED, evidence("order")),
        () => land.connect(court).freeze(ulpin(1), evidence("order"), 0),
        () => land.connect(court).unfreeze(ulpin(1), evidence("order"), evidence("lifted")),
        () => land.connect(bank).registerLien(ulpin(1), id("loan-2")),
        () => land.connect(bank).consentToMutation(ulpin(1), id("loan-1"), DEED),
        () => land.connect(bank).releaseLien(ulpin(1), id("loan-1")),
        () => land.connect(court).dischargeLien(ulpin(1), id("loan-1"), evidence("order")),
        () => land.connect(court).rectify(ulpin(1), DEED, ASHA, evidence("decree"), RECORD_V2),
        () => land.connect(governor).anchorSnapshot(id("root"), 1, evidence("export"), id("gaps")),
        () => land.connect(governor).retireSnapshot(id("root"), evidence("reason")),
      ];
      for (const write of writes) await expect(write()).to.be.revertedWithCustomError(land, "EnforcedPause");
    });

    it("upgrades through governance with parcels, mutations and links kept", async () => {
      const { land, governor, deployment, deploymentFile, survey } = await loadFixture(saleOpened);
      await land.connect(survey).split(ulpin(2), BINA_CHANDAN, [part(21, 1_000), part(22, 1_500)], []);
      const result = upgraded(await upgradeContract(hre, { signer: governor, deployment, deploymentFile, contract: "LandRegistry", to: "LandRegistryV2" }));
      expect(result.outcome.status).to.equal("executed");
      expect(await land.version()).to.equal("2.3.0");
      expect(readDeployment(deploymentFile).contracts.LandRegistry!.implementation).to.equal(result.implementation);
      expect((await land.mutation(ulpin(1), DEED)).status).to.equal(MSTATUS.open);
      expect(await land.childrenOf(ulpin(2))).to.deep.equal([ulpin(21), ulpin(22)]);
      expect((await land.parcel(ulpin(1))).owners).to.equal(ownersHash(ASHA));
    });
  });
});
