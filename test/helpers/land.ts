import { StandardMerkleTree } from "@openzeppelin/merkle-tree";
import { id } from "ethers";
import { ILandRegistry__factory } from "../../typechain-types";
import type { ILandRecords } from "../../typechain-types/contracts/interfaces/ILandRegistry";
import { landJurisdiction, ownerCommitment, sortOwners, ulpinBytes, type Owner } from "../../src/land/titles";
import { CAP, KIND, code, deployedSuite, evidence } from "../fixtures";

export const DISTRICT = 17;
export const BLOCK = 4;
export const OTHER_BLOCK = 5;
export const VILLAGE = 100_234;
export const OTHER_VILLAGE = 100_235;
export const DAY = 24 * 60 * 60;

export const LAND_USE = { unclassified: 0, agricultural: 1, homestead: 2, commercial: 3 };
export const PARCEL_STATUS = { none: 0, active: 1, frozen: 2, retired: 3 };
export const ORIGIN = { registered: 0, materialised: 1, split: 2, merged: 3 };
export const MUTATION = { sale: 0, gift: 1, partition: 2, succession: 3 };
export const MSTATUS = { none: 0, open: 1, approved: 2, rejected: 3, appealed: 4, appealAllowed: 5, appealDismissed: 6, rectified: 7 };
export const REJECTION = {
  none: 0,
  defectiveDeed: 1,
  sellerNotRecordedOwner: 2,
  objectionUpheld: 3,
  pendingLitigation: 4,
  prohibitedLand: 5,
  documentsIncomplete: 6,
  stampDutyShortfall: 7,
  other: 8,
};

/** A new parcel of a split or merge: its serial's ULPIN, an area, and a first Record of Rights. */
export function part(serial: number, area: number) {
  return { ulpin: ulpin(serial), area, landUse: LAND_USE.agricultural, recordHash: evidence(`RoR ${serial} v1`) };
}

/** A person's commitment, from a made-up identity reference and a salt derived from it. */
export function person(name: string): string {
  return ownerCommitment(`ID-${name}`, id(`salt-${name}`));
}

/** An owner list from [name, basis points] pairs, sorted as the registry wants it. */
export function owners(...entries: Array<[string, number]>): Owner[] {
  return sortOwners(entries.map(([name, share]) => ({ commitment: person(name), share })));
}

export function ulpin(serial: number): string {
  return ulpinBytes(`WB17040${String(serial).padStart(7, "0")}`);
}

export function record(serial: number, area = 1_000, village = VILLAGE): ILandRecords.ParcelRecordStruct {
  return {
    ulpin: ulpin(serial),
    area,
    landUse: LAND_USE.agricultural,
    district: DISTRICT,
    block: BLOCK,
    village,
    recordHash: evidence(`RoR ${serial} v1`),
  };
}

/**
 * The suite with the organisations land needs, each with one key: survey staff and the registration office for
 * the district, land revenue offices for blocks 4 and 5, a district court, two statewide banks and an appellate
 * authority for the district.
 */
export async function landSuite() {
  const suite = await deployedSuite();
  const { directory, others, deployment } = suite;
  const district = landJurisdiction(DISTRICT);
  const orgs: Array<[string, number, number, number[]]> = [
    ["survey-17", KIND.agency, CAP.manageParcels, [district]],
    ["sro-17", KIND.registration, CAP.registerDeeds, [district]],
    ["bllro-17-4", KIND.landRevenue, CAP.approveMutations, [landJurisdiction(DISTRICT, BLOCK)]],
    ["bllro-17-5", KIND.landRevenue, CAP.approveMutations, [landJurisdiction(DISTRICT, OTHER_BLOCK)]],
    ["court-17", KIND.court, CAP.courtOrders, [district]],
    ["sbi", KIND.bank, CAP.liens, [0]],
    ["ubi", KIND.bank, CAP.liens, [0]],
    ["dlro-17", KIND.landRevenue, CAP.hearAppeals, [district]],
  ];
  for (const [i, [name, kind, caps, jurisdictions]] of orgs.entries()) {
    await directory.onboard(code(name), kind, caps, jurisdictions, evidence(name));
    await directory.addAccount(i + 1, others[i].address);
  }
  const [survey, registrar, officer, otherOfficer, court, bank, otherBank, appellate, outsider] = others;
  const address = deployment.contracts.LandRegistry!.address;
  const land = ILandRegistry__factory.connect(address, survey);
  const ORG = { survey: 1, registrar: 2, officer: 3, otherOfficer: 4, court: 5, bank: 6, otherBank: 7, appellate: 8 };
  return { ...suite, land, survey, registrar, officer, otherOfficer, court, bank, otherBank, appellate, outsider, ORG };
}

/** {@link landSuite} with parcel 1 owned by Asha alone and parcel 2 by Bina (60%) and Chandan (40%). */
export async function parcelSuite() {
  const suite = await landSuite();
  await suite.land.registerParcel(record(1), owners(["asha", 10_000]), []);
  await suite.land.registerParcel(record(2, 2_500), owners(["bina", 6_000], ["chandan", 4_000]), []);
  return suite;
}

/** The owner list after `from` gives its shares to `to`: the registry's rule (`LandTitles.transfer`), as the tests' model. */
export function applyTransfer(owners: readonly Owner[], from: readonly Owner[], to: readonly Owner[]): Owner[] {
  const shares = new Map(owners.map((o) => [o.commitment.toLowerCase(), o.share]));
  for (const giver of from) {
    const held = shares.get(giver.commitment.toLowerCase());
    if (held === undefined) throw new Error(`Transferor ${giver.commitment} is not a recorded owner.`);
    if (giver.share > held) throw new Error(`Transferor ${giver.commitment} holds ${held} basis points and cannot give ${giver.share}.`);
    shares.set(giver.commitment.toLowerCase(), held - giver.share);
  }
  for (const taker of to) shares.set(taker.commitment.toLowerCase(), (shares.get(taker.commitment.toLowerCase()) ?? 0) + taker.share);
  return sortOwners([...shares].filter(([, share]) => share > 0).map(([commitment, share]) => ({ commitment, share })));
}

/**
 * The tree of the gaps between the ULPINs of a migration snapshot holding `serials` (its `absenceRoot`), and the proof
 * that a ULPIN lies in a gap — for a held ULPIN, the gap starting at it, which the registry refuses.
 */
export function gapTree(serials: readonly number[]) {
  const bounds = [`0x${"00".repeat(14)}`, ...serials.map(ulpin).sort(), `0x${"ff".repeat(14)}`];
  const tree = StandardMerkleTree.of(bounds.slice(1).map((above, i) => [bounds[i], above]), ["bytes14", "bytes14"]);
  const proofOf = (serial: number) => {
    const i = bounds.findIndex((b) => b > ulpin(serial)) - 1;
    return { below: bounds[i], above: bounds[i + 1], proof: tree.getProof(i) };
  };
  return { root: tree.root, proofOf };
}
