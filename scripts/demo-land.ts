import fs from "node:fs";
import path from "node:path";
import hre from "hardhat";
import { time } from "@nomicfoundation/hardhat-network-helpers";
import type { Signer } from "ethers";
import type { Deployment } from "../src/config/deployments";
import { DirectoryClient } from "../src/directory/client";
import { SakshyaError } from "../src/errors";
import { Governance } from "../src/governance/governed";
import { evidenceHash } from "../src/hashing/evidence";
import { loadKeccak } from "../src/hashing/keccak";
import { LandClient, type WriteResult } from "../src/land/client";
import { makeExtract, verifyExtract } from "../src/land/extract";
import { writeExtractPdf } from "../src/land/extract-pdf";
import { LOCAL_VERIFY_PAGE } from "../src/config/verify-page";
import { describeOwners, titleHistory } from "../src/land/history";
import { newOwnerCard } from "../src/land/parties";
import { buildSnapshot, snapshotEntry } from "../src/land/snapshot";
import { LAND_USES, REJECTION_REASONS } from "../src/land/vocabulary";
import { SakshyaAuthority__factory } from "../typechain-types";
import { isoDate } from "../src/io/time";

/** Keys of the land offices the demo onboards, by role. */
export interface LandKeys {
  readonly survey: Signer;
  readonly registrar: Signer;
  readonly officer: Signer;
  readonly court: Signer;
  readonly bank: Signer;
  readonly governor: Signer;
}

const DAY = 86_400;
const doc = (text: string) => evidenceHash({ text }, "document");
const ok = (what: string, result: WriteResult) => console.log(`✓ ${what}${result.status === "already-done" ? " (already on chain)" : ` — block ${result.blockNumber}`}`);

/** Runs a step that must be refused, and prints the sentence the registry's refusal becomes. */
async function refused(what: string, step: Promise<unknown>): Promise<void> {
  try {
    await step;
    throw new Error(`${what} went through, but it should have been refused`);
  } catch (error) {
    if (!(error instanceof SakshyaError)) throw error;
    console.log(`✗ ${what}: ${error.message}`);
  }
}

/**
 * A sale through deed, objection window and approval; a rejection with its reason, appealed and allowed; a transfer
 * blocked by a court freeze and by an unconsented lien; a forged deed set aside by a court; a split; a title extract
 * verified; a migration snapshot.
 */
export async function landWalkThrough(deployment: Deployment, keys: LandKeys, workDir: string): Promise<void> {
  const provider = hre.ethers.provider;
  const as = (signer: Signer) => new LandClient(deployment, provider, signer);
  const survey = as(keys.survey);
  const registrar = as(keys.registrar);
  const officer = as(keys.officer);
  const court = as(keys.court);
  const bank = as(keys.bank);
  const reader = new LandClient(deployment, provider);
  const directory = new DirectoryClient(deployment, provider);
  // No migration snapshot is active until the last step: new parcels need no proofs of absence until then.
  const noSnapshots = { folders: [], keccak: await loadKeccak() };

  const cards = Object.fromEntries(
    (["asha", "bina", "dev"] as const).map((name, i) => {
      const card = newOwnerCard(`WB-EPIC-${1001 + i}`, name);
      fs.writeFileSync(path.join(workDir, `${name}.owner.json`), JSON.stringify(card, null, 2));
      return [name, card];
    }),
  ) as Record<"asha" | "bina" | "dev", ReturnType<typeof newOwnerCard>>;
  const owner = (name: keyof typeof cards, share: number) => ({ commitment: cards[name].commitment, share });
  const sorted = <T extends { commitment: string }>(list: T[]) => list.sort((a, b) => (BigInt(a.commitment) < BigInt(b.commitment) ? -1 : 1));
  console.log(`Owner cards for Asha, Bina and Dev in ${workDir}: only their commitments go on chain.`);

  const A = "WB100100000001";
  const B = "WB100100000002";
  const place = { district: 10, block: 1, village: 340_112 };
  ok(`survey-nadia registers ${A}: 4,047 m² agricultural, Asha 100%`, await survey.registerParcel({ ulpin: A, area: 4_047, landUse: 1, ...place, recordHash: doc("RoR A v1") }, [owner("asha", 10_000)], noSnapshots));
  ok(`survey-nadia registers ${B}: 2,500 m² homestead, Bina 60%, Asha 40%`, await survey.registerParcel({ ulpin: B, area: 2_500, landUse: 2, ...place, recordHash: doc("RoR B v1") }, sorted([owner("bina", 6_000), owner("asha", 4_000)]), noSnapshots));

  console.log("\nA sale by the only owner: registered, then approved at once by the block's revenue officer.");
  const sale = doc("Sale deed 501/2026, Krishnagar");
  ok("reg-nadia registers the sale deed Asha → Dev", await registrar.registerDeed(sale, A, 0, { from: [owner("asha", 10_000)], to: [owner("dev", 10_000)] }));
  ok("lr-nadia approves: owners, version and Record of Rights change together", await officer.approve(sale, doc("RoR A v2")));

  console.log("\nA sale without every owner's signature waits for the objection window (30 days).");
  const partial = doc("Sale deed 502/2026, Krishnagar");
  ok("reg-nadia registers Bina selling 30% of B to Dev", await registrar.registerDeed(partial, B, 0, { from: [owner("bina", 3_000)], to: [owner("dev", 3_000)] }));
  await refused("lr-nadia approves at once", officer.approve(partial, doc("RoR B v2")));
  ok("an objection is recorded within the window", await officer.lodgeObjection(partial, doc("Objection by Asha, co-owner")));
  await time.increase(31 * DAY);
  ok(`lr-nadia rejects it: ${REJECTION_REASONS[3]}, with the reasoned order`, await officer.reject(partial, 3, doc("Order 77/2026")));
  const appellate = as(keys.court);
  ok("Bina's appeal is filed with the High Court", await appellate.fileAppeal(partial, doc("Appeal 12/2026")));
  ok("the appeal is allowed: the mutation takes effect", await appellate.allowAppeal(partial, doc("Appellate order 12/2026"), doc("RoR B v2")));
  console.log(`  B is now owned by ${describeOwners(await reader.owners(B))}`);

  console.log("\nA court freeze stops every transfer until it is lifted.");
  ok("hc-calcutta freezes A under a civil suit", await court.freeze(A, doc("CS 44/2026"), 0));
  const back = doc("Sale deed 503/2026, Krishnagar");
  await refused("reg-nadia registers a deed for A", registrar.registerDeed(back, A, 0, { from: [owner("dev", 10_000)], to: [owner("asha", 10_000)] }));
  ok("hc-calcutta lifts the freeze", await court.unfreeze(A, doc("CS 44/2026"), doc("CS 44/2026 final order")));

  console.log("\nA lien without its holder's consent stops the transfer of mortgaged land.");
  const loan = doc("SBI home loan 8812");
  ok("sbi-kolkata registers a lien on A", await bank.registerLien(A, loan));
  ok("reg-nadia registers the deed Dev → Asha", await registrar.registerDeed(back, A, 0, { from: [owner("dev", 10_000)], to: [owner("asha", 10_000)] }));
  await refused("lr-nadia approves", officer.approve(back, doc("RoR A v3")));
  ok("sbi-kolkata consents to this transfer", await bank.consent(A, loan, back));
  ok("lr-nadia approves", await officer.approve(back, doc("RoR A v3")));
  ok("sbi-kolkata releases the lien once repaid", await bank.releaseLien(A, loan));

  console.log("\nA gift deed forged in Asha's name gets through; a court sets it aside and restores her title.");
  const forged = doc("Gift deed 504/2026, Krishnagar (forged)");
  ok("reg-nadia registers the 'gift' Asha → Dev", await registrar.registerDeed(forged, A, 1, { from: [owner("asha", 10_000)], to: [owner("dev", 10_000)] }));
  ok("lr-nadia approves it", await officer.approve(forged, doc("RoR A v4")));
  ok("hc-calcutta rectifies the title under its decree", await court.rectify(A, forged, doc("Title suit 9/2026 decree"), doc("RoR A v5")));
  console.log(`  A is again owned by ${describeOwners(await reader.owners(A))}: Asha's commitment`);

  console.log("\nA split: the parts' areas must add up to the parent's; the parent is retired and linked to them.");
  const parts = [
    { ulpin: "WB100100000011", area: 2_000, landUse: 1, recordHash: doc("RoR A-1") },
    { ulpin: "WB100100000012", area: 2_047, landUse: 1, recordHash: doc("RoR A-2") },
  ];
  await refused("survey-nadia splits A into 2,000 + 2,000 m²", survey.split(A, [parts[0], { ...parts[1], area: 2_000 }], noSnapshots));
  ok("survey-nadia splits A into 2,000 + 2,047 m²", await survey.split(A, parts, noSnapshots));

  const now = (await provider.getBlock("latest"))!.timestamp;
  const history = await titleHistory(reader, directory, parts[1].ulpin, now);
  console.log(`\nChain of title of ${parts[1].ulpin} (from chain data alone, through its parent):`);
  for (const entry of history.entries) console.log(`  ${isoDate(entry.time)} ${entry.ulpin === history.ulpin ? "" : `[${entry.ulpin}] `}${entry.summary}`);
  const bHistory = await titleHistory(reader, directory, B, now);
  for (const m of bHistory.mutations) console.log(`  ${B} mutation ${m.deedHash.slice(0, 10)}…: ${m.outcome} after ${m.days} day(s), ${m.objections} objection(s)${m.rejection ? `; rejected because ${m.rejection.sentence}` : ""}`);

  console.log("\nA title extract, as JSON and PDF, checked by a bank against the chain.");
  const head = (await provider.getBlock("latest"))!;
  const extract = makeExtract(history, { chainId: deployment.chainId, registry: reader.address, block: head.number, blockHash: head.hash! });
  const extractFile = path.join(workDir, `${parts[1].ulpin}.extract.json`);
  fs.writeFileSync(extractFile, JSON.stringify(extract, null, 2));
  await writeExtractPdf(extract, extractFile.replace(/\.json$/, ".pdf"), LOCAL_VERIFY_PAGE);
  console.log(`  written ${extractFile} and its PDF`);
  const verdict = await verifyExtract(extract, reader, cards.asha.commitment);
  console.log(`${verdict.verdict === "current" ? "✓" : "✗"} verify-extract: ${verdict.sentence}; Asha's card holds ${(verdict.ownerShare ?? 0) / 100}%`);
  const edited = { ...extract, parcel: { ...extract.parcel, area: 4_047 } };
  console.log(`✗ the same extract with its area edited: ${(await verifyExtract(edited, reader)).sentence}`);
  ok(`survey-nadia changes ${parts[1].ulpin} to ${LAND_USES[2]}`, await survey.changeLandUse(parts[1].ulpin, 2, doc("RoR A-2 v2")));
  console.log(`✗ the extract now: ${(await verifyExtract(extract, reader)).sentence}`);

  console.log("\nMigration: the existing register is anchored as one Merkle root; a parcel goes live on its first action.");
  const snapshotDir = path.join(workDir, "nadia-snapshot");
  const manifest = await buildSnapshot(path.join(__dirname, "samples", "land", "nadia-register.csv"), snapshotDir, { chainId: deployment.chainId, registry: reader.address }, await loadKeccak());
  console.log(`  built the snapshot of ${manifest.parcelCount} parcels (root ${manifest.root.slice(0, 18)}…), ${manifest.ownerSalts} owner salts to hand out`);
  const governance = new Governance(SakshyaAuthority__factory.connect(deployment.contracts.SakshyaAuthority.address, keys.governor), keys.governor);
  const anchored = await reader.anchorSnapshot(governance, manifest.root, manifest.parcelCount, manifest.exportHash, manifest.absenceRoot!);
  console.log(`✓ the governor anchors it: ${anchored === "already-done" ? "already anchored" : anchored.status}`);
  const { entry, proof } = snapshotEntry(snapshotDir, "WB100100000201", await loadKeccak());
  ok("WB100100000201 is materialised exactly as its entry says", await bank.materialise(manifest.root, entry.record, entry.owners, proof));
  const other = snapshotEntry(snapshotDir, "WB100100000202", await loadKeccak());
  await refused("WB100100000202 with one square metre more than its entry", bank.materialise(manifest.root, { ...other.entry.record, area: other.entry.record.area + 1 }, other.entry.owners, other.proof));

  console.log("\nA file that sits too long is flagged.");
  const slow = doc("Gift deed 504/2026, Krishnagar");
  await registrar.registerDeed(slow, B, 1, { from: [owner("dev", 1_000)], to: [owner("bina", 1_000)] });
  await time.increase(46 * DAY);
  const m = await reader.requireMutation(slow);
  console.log(`✗ gift ${slow.slice(0, 10)}… is ${m.status} after 46 days: ${m.overdue ? "OVERDUE (past the 45-day service level)" : "on time"}`);
}
