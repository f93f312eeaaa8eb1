import type { Signer } from "ethers";
import { AbiCoder, concat, id as textHash, keccak256 } from "ethers";
import type { Deployment } from "../src/config/deployments";
import { ownerCommitment, ownersHash, ulpinBytes } from "../src/land/titles";
import { ILandRegistry__factory, type ParticipantDirectory } from "../typechain-types";
import type { GasSnapshot } from "./gas";
import { onboardLandOffices } from "./land";

const SNAPSHOT_DEPTH = 20;

type Sent = Promise<{ wait(): Promise<{ gasUsed: bigint } | null> }>;
const gasOf = async (tx: Sent) => Number((await (await tx).wait())!.gasUsed);

/** The land registry's main operations, on a parcel in district 17, block 4, with one owner unless said. */
export async function measureLandGas(deployment: Deployment, directory: ParticipantDirectory, keys: Signer[]): Promise<GasSnapshot> {
  const [survey, registrar, officer, court, bank, governor] = keys;
  const [, , , , bankOrg] = await onboardLandOffices(directory, keys);
  const land = ILandRegistry__factory.connect(deployment.contracts.LandRegistry!.address, survey);
  const person = (name: string) => [{ commitment: ownerCommitment(`ID-${name}`, textHash(name)), share: 10_000 }];
  const ulpin = (serial: number) => ulpinBytes(`WB17040${String(serial).padStart(7, "0")}`);
  const record = (serial: number) => ({
    ulpin: ulpin(serial),
    area: 4_047,
    landUse: 1,
    district: 17,
    block: 4,
    village: 100_234,
    recordHash: textHash(`RoR ${serial}`),
  });
  const asha = person("asha");
  const dev = person("dev");

  const snapshot: GasSnapshot = {};
  snapshot["land.registerParcel (one owner)"] = await gasOf(land.registerParcel(record(1), asha, []));
  const deed = await gasOf(land.connect(registrar).registerDeed(textHash("deed 1"), ulpin(1), 0, asha, dev));
  const approval = await gasOf(land.connect(officer).approveMutation(ulpin(1), textHash("deed 1"), [], asha, dev, textHash("RoR 1 v2")));
  snapshot["land.registerDeed (one owner sells all)"] = deed;
  snapshot["land.approveMutation (one owner sells all)"] = approval;
  snapshot["land deed + approval (one-owner transfer)"] = deed + approval;
  snapshot["land.freeze"] = await gasOf(land.connect(court).freeze(ulpin(1), textHash("CS 1/2026"), 0));
  snapshot["land.freeze (a second order while one holds)"] = await gasOf(land.connect(court).freeze(ulpin(1), textHash("CS 2/2026"), 0));
  await (await land.connect(court).unfreeze(ulpin(1), textHash("CS 2/2026"), textHash("CS 2/2026 order"))).wait();
  snapshot["land.unfreeze"] = await gasOf(land.connect(court).unfreeze(ulpin(1), textHash("CS 1/2026"), textHash("CS 1/2026 order")));
  snapshot["land.rectify (restoring one owner)"] = await gasOf(land.connect(court).rectify(ulpin(1), textHash("deed 1"), asha, textHash("decree"), textHash("RoR 1 v3")));
  snapshot["land.registerLien"] = await gasOf(land.connect(bank).registerLien(ulpin(1), textHash("loan 1")));
  snapshot["land.releaseLien"] = await gasOf(land.connect(bank).releaseLien(ulpin(1), textHash("loan 1")));
  // The lien of a bank that has left the directory (offboarded, by the governor) is discharged by a court.
  await (await land.connect(bank).registerLien(ulpin(1), textHash("loan 2"))).wait();
  await (await directory.connect(governor).offboard(bankOrg, textHash("licence cancelled"))).wait();
  snapshot["land.dischargeLien"] = await gasOf(land.connect(court).dischargeLien(ulpin(1), textHash("loan 2"), textHash("execution order")));
  const parts = [2, 3].map((serial) => ({ ulpin: ulpin(serial), area: serial === 2 ? 2_000 : 2_047, landUse: 1, recordHash: textHash(`RoR ${serial}`) }));
  snapshot["land.split (into 2)"] = await gasOf(land.split(ulpin(1), asha, parts, []));

  // Proofs as long as those into a snapshot of 1,000,000 parcels (2^20 leaves), each built around its leaf: the
  // snapshot's entry for parcel 9, and the gap between parcels 10 and 12 that proves parcel 11 not in it.
  const entry = record(9);
  const leafOf = (types: string[], values: unknown[]) => keccak256(keccak256(AbiCoder.defaultAbiCoder().encode(types, values)));
  const leaf = leafOf(
    ["bytes14", "bytes32", "uint64", "uint8", "uint16", "uint16", "uint32", "bytes32"],
    [entry.ulpin, ownersHash(asha), entry.area, entry.landUse, entry.district, entry.block, entry.village, entry.recordHash],
  );
  const gap = { below: ulpin(10), above: ulpin(12) };
  const [root, proof] = rootAround(leaf, "entry");
  const [absenceRoot, absenceProof] = rootAround(leafOf(["bytes14", "bytes14"], [gap.below, gap.above]), "gap");
  await (await land.connect(keys[5]).anchorSnapshot(root, 1_000_000, textHash("register export"), absenceRoot)).wait();
  snapshot["land.materialise (proof of 20, a 1,000,000-parcel snapshot)"] = await gasOf(land.materialise(root, entry, asha, proof));
  snapshot["land.registerParcel (one owner, proved absent from one 1,000,000-parcel snapshot)"] = await gasOf(
    land.registerParcel(record(11), asha, [{ ...gap, proof: absenceProof }]),
  );
  return snapshot;
}

/** A Merkle root over `leaf` with {@link SNAPSHOT_DEPTH} made-up siblings (sorted pairs, as OpenZeppelin's), and its proof. */
function rootAround(leaf: string, label: string): [string, string[]] {
  const proof = Array.from({ length: SNAPSHOT_DEPTH }, (_, i) => textHash(`${label} sibling ${i}`));
  const root = proof.reduce((node, sibling) => keccak256(BigInt(node) < BigInt(sibling) ? concat([node, sibling]) : concat([sibling, node])), leaf);
  return [root, proof];
}
