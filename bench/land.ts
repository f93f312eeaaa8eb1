import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { encodeBytes32String, id as textHash, type Signer } from "ethers";
import { loadKeccak } from "../src/hashing/keccak";
import { landJurisdiction } from "../src/land/titles";
import { buildSnapshot, snapshotEntry, snapshotThreads } from "../src/land/snapshot";
import type { ParticipantDirectory } from "../typechain-types";

const REGISTER_DEEDS = 1 << 2;
const APPROVE_MUTATIONS = 1 << 3;
const COURT_ORDERS = 1 << 4;
const LIENS = 1 << 5;
const MANAGE_PARCELS = 1 << 8;

/**
 * Onboards the land offices of district 17 — survey, sub-registrar, the block 4 revenue office, the district court,
 * a statewide bank — each with the key of the same position in `keys`; returns their organisation ids.
 */
export async function onboardLandOffices(directory: ParticipantDirectory, keys: Signer[]): Promise<number[]> {
  const district = landJurisdiction(17);
  const offices: Array<[string, number, number, number]> = [
    ["survey-17", 6, MANAGE_PARCELS, district],
    ["sro-17", 4, REGISTER_DEEDS, district],
    ["bllro-17-4", 5, APPROVE_MUTATIONS, landJurisdiction(17, 4)],
    ["court-17", 7, COURT_ORDERS, district],
    ["sbi", 8, LIENS, 0],
  ];
  const firstId = Number(await directory.organisationCount()) + 1;
  for (const [i, [name, kind, capabilities, jurisdiction]] of offices.entries()) {
    await (await directory.onboard(encodeBytes32String(name), kind, capabilities, [jurisdiction], textHash(name))).wait();
    await (await directory.addAccount(firstId + i, await keys[i].getAddress())).wait();
  }
  return offices.map((_, i) => firstId + i);
}

/**
 * A register export of `count` parcels as the Land Revenue department would hand it over: one owner in most parcels,
 * three co-owners in one of five, all named by identity reference. Deterministic for a given count.
 */
export function registerExportCsv(count: number): string {
  const lines = ["ulpin,district,block,village,area_sqm,land_use,record_hash,owners"];
  const record = textHash("RoR");
  for (let i = 0; i < count; i++) {
    const ulpin = `WB${String(10 + (i % 23)).padStart(2, "0")}${String(i).padStart(10, "0")}`;
    const owners = i % 5 === 0 ? `EPIC${i}A:50%;EPIC${i}B:30%;EPIC${i}C:20%` : `EPIC${i}:100%`;
    lines.push(`${ulpin},${10 + (i % 23)},${1 + (i % 40)},${100_000 + (i % 5_000)},${400 + (i % 9_000)},agricultural,${record},${owners}`);
  }
  return `${lines.join("\n")}\n`;
}

/** As `sakshya land snapshot` runs: one thread per core, this process having no Hardhat in it. */
const SNAPSHOT_THREADS = snapshotThreads();

export interface SnapshotFigures {
  readonly parcels: number;
  readonly owners: number;
  readonly exportMegabytes: number;
  readonly threads: number;
  readonly buildSeconds: number;
  readonly lookupMilliseconds: number;
}

/** Builds the snapshot of a `count`-parcel export into a temporary folder, then looks one parcel's proof up. */
export async function measureSnapshot(count: number, anchor: { chainId: number; registry: string }): Promise<SnapshotFigures> {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), "sakshya-snapshot-"));
  try {
    const file = path.join(work, "export.csv");
    fs.writeFileSync(file, registerExportCsv(count));
    const keccak = await loadKeccak();
    const started = process.hrtime.bigint();
    const manifest = await buildSnapshot(file, path.join(work, "snapshot"), anchor, keccak, { threads: SNAPSHOT_THREADS });
    const buildSeconds = Number(process.hrtime.bigint() - started) / 1e9;
    const lookup = process.hrtime.bigint();
    snapshotEntry(path.join(work, "snapshot"), "WB100000000000", keccak);
    const lookupMilliseconds = Number(process.hrtime.bigint() - lookup) / 1e6;
    return { parcels: manifest.parcelCount, owners: manifest.ownerSalts, exportMegabytes: fs.statSync(file).size / 2 ** 20, threads: SNAPSHOT_THREADS, buildSeconds, lookupMilliseconds };
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}
