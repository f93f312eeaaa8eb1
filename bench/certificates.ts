import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { buildBatch, writeBatch, type Anchor, type BuiltBatch } from "../src/certificates/batch";
import { parseCsvRecords } from "../src/certificates/records";
import { readSchema } from "../src/certificates/schema";
import { loadKeccak } from "../src/hashing/keccak";

export const SAMPLE_SCHEMA = path.join(__dirname, "..", "scripts", "samples", "certificates", "wbu-degree.schema.json");
const PROGRAMMES = ["B.Sc. Physics", "B.A. English", "B.Com.", "M.Sc. Chemistry", "B.Tech. Computer Science"];
const COLLEGES = ["Presidency College", "Scottish Church College", "Jadavpur Campus", "Bethune College"];

/** `count` distinct graduates in the sample schema's CSV form; deterministic, so runs compare. */
export function graduatesCsv(count: number): string {
  const lines = ["rollNumber,name,dateOfBirth,programme,college,cgpa,division,graduationDate"];
  for (let i = 0; i < count; i++) {
    const birth = `200${i % 5}-${String((i % 12) + 1).padStart(2, "0")}-${String((i % 28) + 1).padStart(2, "0")}`;
    const cgpa = (5 + (i % 500) / 100).toFixed(2);
    lines.push(`WBU-2026-${String(i).padStart(6, "0")},Graduate ${i},${birth},${PROGRAMMES[i % 5]},${COLLEGES[i % 4]},${cgpa},First,2026-06-30`);
  }
  return `${lines.join("\n")}\n`;
}

export interface BatchFigures {
  readonly documents: number;
  readonly parseSeconds: number;
  /** Validate, salt, hash, tree, and every certificate with its proof made in memory. */
  readonly buildSeconds: number;
  /** Per folder measured: the batch's files written there, and plain writes of as many files of the same size. */
  readonly writes: Array<{ folder: string; writeSeconds: number; bareFileSeconds: number }>;
}

function seconds(since: bigint): number {
  return Number(process.hrtime.bigint() - since) / 1e9;
}

/** Writes the batch under `parent`, and then as many same-sized files with nothing else done, as a floor. */
async function timeWrites(parent: string, batch: BuiltBatch): Promise<{ folder: string; writeSeconds: number; bareFileSeconds: number }> {
  const scratch = fs.mkdtempSync(path.join(parent, "sakshya-bench-"));
  try {
    let start = process.hrtime.bigint();
    await writeBatch(path.join(scratch, "batch"), batch);
    const writeSeconds = seconds(start);
    const text = fs.readFileSync(path.join(scratch, "batch", "certificates", fs.readdirSync(path.join(scratch, "batch", "certificates"))[0]));
    fs.mkdirSync(path.join(scratch, "bare"));
    start = process.hrtime.bigint();
    for (let i = 0; i < batch.manifest.documentCount; i++) fs.writeFileSync(path.join(scratch, "bare", `${i}.json`), text);
    return { folder: parent, writeSeconds, bareFileSeconds: seconds(start) };
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}

export async function measureBatch(documents: number, anchor: Anchor): Promise<BatchFigures> {
  const keccak = await loadKeccak();
  const schema = readSchema(SAMPLE_SCHEMA);
  const csv = graduatesCsv(documents);
  let start = process.hrtime.bigint();
  const records = parseCsvRecords(csv, "graduates.csv");
  const parseSeconds = seconds(start);
  start = process.hrtime.bigint();
  const batch = buildBatch({ records, schema, issuer: "wbu", anchor, expiresAt: 0 }, keccak);
  for (let index = 0; index < documents; index++) batch.certificate(index);
  const buildSeconds = seconds(start);
  const folders = [os.tmpdir(), ...(fs.existsSync("/dev/shm") ? ["/dev/shm"] : [])];
  const writes = [];
  for (const folder of folders) writes.push(await timeWrites(folder, batch));
  return { documents, parseSeconds, buildSeconds, writes };
}

/** One run of the real `sakshya cert batch` command, as a user starts it, timed from process start to exit. */
export interface BatchCommandRow {
  readonly documents: number;
  readonly qr: boolean;
  readonly folder: string;
  /** From process start to exit. */
  readonly seconds: number;
  /** What the command reports it took: reading the records to the renamed folder, Node's start-up aside. */
  readonly workSeconds: number;
}

const BIN = path.join(__dirname, "..", "bin", "sakshya.js");

/**
 * `sakshya cert batch` of the sample schema, default (QR codes) and `--no-qr`, for each size, in each folder: the
 * command itself in its own process, so start-up, CSV parsing, writer threads and the final rename all count.
 */
export function measureBatchCommand(deploymentFile: string, sizes: readonly number[]): BatchCommandRow[] {
  const rows: BatchCommandRow[] = [];
  const work = fs.mkdtempSync(path.join(os.tmpdir(), "sakshya-batch-command-"));
  try {
    for (const documents of sizes) {
      const csv = path.join(work, `graduates-${documents}.csv`);
      fs.writeFileSync(csv, graduatesCsv(documents));
      for (const folder of [os.tmpdir(), ...(fs.existsSync("/dev/shm") ? ["/dev/shm"] : [])]) {
        for (const qr of [true, false]) {
          const out = path.join(fs.mkdtempSync(path.join(folder, "sakshya-bench-")), "batch");
          const args = [BIN, "--json", "--deployments", deploymentFile, "cert", "batch", csv, "--schema", SAMPLE_SCHEMA, "--issuer", "wbu", "--out", out, "--ledger", path.join(work, "ledger.json"), ...(qr ? [] : ["--no-qr"])];
          const start = process.hrtime.bigint();
          const printed = execFileSync(process.execPath, args, { encoding: "utf8" });
          rows.push({ documents, qr, folder, seconds: seconds(start), workSeconds: (JSON.parse(printed) as { seconds: number }).seconds });
          fs.rmSync(path.dirname(out), { recursive: true, force: true });
        }
      }
    }
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
  return rows;
}
