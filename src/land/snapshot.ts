import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { Worker } from "node:worker_threads";
import { z } from "zod";
import { InputError } from "../errors";
import type { Keccak } from "../hashing/keccak";
import { SortedMerkleTree, hex, processProof, proofAt } from "../hashing/merkle";
import type { ParcelRecord } from "./client";
import { commit, ownersHashOf, snapshotLeaf } from "./leaf-encoding";
import { EXPORT_COLUMNS, HASH, SHOWN_PROBLEMS, forEachRow } from "./register-export";
import { writeAbsenceTree } from "./absence";
import { hashRows, parseEntry, type RowsResult, type RowsTask } from "./snapshot-rows";
import type { Owner } from "./titles";
import { UlpinIndex } from "./ulpin-index";
import { isoNow } from "../io/time";

const MANIFEST = "snapshot.json";
const TREE = "tree.bin";
const EXPORT = "export.csv";
const SALTS = "owner-salts.csv";

const manifestSchema = z.object({
  kind: z.literal("sakshya-land-snapshot"),
  // Version 2 adds the gaps between the snapshot's ULPINs, which anchoring needs since contracts 2.0.0.
  version: z.union([z.literal(1), z.literal(2)]),
  root: z.string().regex(HASH),
  absenceRoot: z.string().regex(HASH).optional(),
  parcelCount: z.number().int().positive(),
  ownerSalts: z.number().int().nonnegative(),
  exportFile: z.string(),
  exportHash: z.string().regex(HASH),
  builtAt: z.string(),
  anchor: z.object({ chainId: z.number().int().positive(), registry: z.string() }),
});
export type SnapshotManifest = z.infer<typeof manifestSchema>;

/** A parcel of the snapshot: its record and owners exactly as its leaf commits to them. */
export interface SnapshotEntry {
  readonly record: ParcelRecord;
  readonly owners: Owner[];
}

/**
 * Builds the migration tree of a register export into a new folder: `snapshot.json` (root, count, the export's hash),
 * `tree.bin` (every node, for proofs), `export.csv` (the export itself), `ulpins.bin` and `absence.bin` (the sorted
 * ULPINs and the tree of the gaps between them, which prove a new ULPIN is not one the snapshot holds; see
 * absence.ts) and, for owners the export names by identity,
 * `owner-salts.csv` (`ulpin,identity,salt`: their fresh salts, for the office to hand to them; kept private). An
 * entry is rebuilt from the export and its salts when its parcel is materialised.
 *
 * Every row is checked and every problem reported with its line; a ULPIN twice names both lines. Rows are handled as
 * they are read and salts streamed to the folder, so a million parcels leave no million-object arrays behind for the
 * garbage collector. The folder appears complete or not at all.
 */
export async function buildSnapshot(
  file: string,
  dir: string,
  anchor: SnapshotManifest["anchor"],
  keccak: Keccak,
  { threads = 0 }: { threads?: number } = {},
): Promise<SnapshotManifest> {
  let text: Buffer;
  try {
    text = fs.readFileSync(file);
  } catch {
    throw new InputError(`Cannot read the register export ${file}.`);
  }
  if (fs.existsSync(dir)) throw new InputError(`${dir} already exists; a snapshot is written to a new folder.`);
  const staging = `${dir}.partial-${process.pid}`;
  fs.mkdirSync(staging, { recursive: true });
  try {
    const parts = await hashExport(text, file, keccak, threads);
    const manifest = writeFolder(staging, parts, text, file, anchor, keccak);
    keepExport(file, path.join(staging, EXPORT));
    fs.renameSync(staging, dir);
    return manifest;
  } catch (error) {
    fs.rmSync(staging, { recursive: true, force: true });
    throw error;
  }
}

/** Threads for a snapshot in a process without Hardhat: one a core, at most four. */
export function snapshotThreads(): number {
  return Math.min(4, os.availableParallelism());
}

/**
 * The export's rows hashed in `threads` worker threads, each taking an equal run of whole lines — or here, in this
 * thread, when `threads` is below 2, when the export has quotes (csv-parse reads it whole), or when the compiled
 * worker module is missing or older than its sources (a worker starting through ts-node takes longer than it saves).
 * Threads must stay 0 in a process running Hardhat: its EDR crashed with worker threads beside it.
 */
async function hashExport(text: Buffer, file: string, keccak: Keccak, threads: number): Promise<RowsResult[]> {
  const module = threads > 1 && !text.includes(0x22) ? compiledRowsModule() : undefined;
  const headerEnd = text.indexOf(10);
  if (!module || headerEnd < 0) return [hashRows(text, file, keccak, true, 1)];
  const header = text.toString("utf8", 0, headerEnd).replace(/\r$/, "").split(",").map((c) => c.trim());
  if (header.join(",") !== EXPORT_COLUMNS.join(",")) throw new InputError(`${file} must start with the header ${EXPORT_COLUMNS.join(",")}.`);
  const tasks: RowsTask[] = [];
  let start = headerEnd + 1;
  let line = 2;
  for (let i = 0; i < threads && start < text.length; i++) {
    const cut = i === threads - 1 ? -1 : text.indexOf(10, start + Math.floor((text.length - start) / (threads - i)));
    const end = cut < 0 ? text.length : cut + 1;
    const chunk = text.subarray(start, end);
    tasks.push({ text: new Uint8Array(chunk), file, firstLine: line });
    for (let at = chunk.indexOf(10); at >= 0; at = chunk.indexOf(10, at + 1)) line++;
    start = end;
  }
  return Promise.all(tasks.map((task) => runWorker(module, task)));
}

function runWorker(module: string, task: RowsTask): Promise<RowsResult> {
  return new Promise((resolve, reject) => {
    const code = `const { parentPort, workerData } = require("node:worker_threads"); require(${JSON.stringify(module)}).runRowsWorker(parentPort, workerData);`;
    const worker = new Worker(code, { eval: true, workerData: task, transferList: [task.text.buffer as ArrayBuffer] });
    worker.once("message", (result: RowsResult) => {
      resolve(result);
      void worker.terminate();
    });
    worker.once("error", reject);
    worker.once("exit", (code) => code !== 0 && reject(new Error(`a snapshot thread stopped with code ${code}`)));
  });
}

/** The compiled worker module, if it is at least as new as every source it is built from. */
function compiledRowsModule(): string | undefined {
  if (__filename.endsWith(".js")) return path.join(__dirname, "snapshot-rows.js");
  const compiled = path.join(__dirname, "..", "..", "dist", "src", "land", "snapshot-rows.js");
  const built = fs.statSync(compiled, { throwIfNoEntry: false });
  if (!built) return undefined;
  const sources = [__dirname, path.join(__dirname, "..", "hashing")].flatMap((dir) => fs.readdirSync(dir).map((name) => path.join(dir, name)));
  sources.push(path.join(__dirname, "..", "errors.ts"));
  return sources.every((source) => fs.statSync(source).mtimeMs <= built.mtimeMs) ? compiled : undefined;
}

/**
 * Writes the folder from hashed rows: refuses any bad row (every one named by its line, and a ULPIN twice with both
 * lines), then writes the salts, the tree and the manifest.
 */
function writeFolder(staging: string, parts: readonly RowsResult[], text: Buffer, file: string, anchor: SnapshotManifest["anchor"], keccak: Keccak): SnapshotManifest {
  const count = parts.reduce((sum, p) => sum + p.count, 0);
  const problems = parts.flatMap((p) => p.problems);
  const seen = new UlpinIndex(parts.reduce((sum, p) => sum + p.named, 0));
  for (const part of parts) {
    const ulpins = Buffer.from(part.ulpins.buffer, part.ulpins.byteOffset, part.ulpins.byteLength).toString("latin1");
    for (let i = 0; i < part.named; i++) {
      const ulpin = ulpins.slice(14 * i, 14 * i + 14);
      const first = seen.add(ulpin, part.lines[i]);
      if (first !== undefined) problems.push([part.lines[i], `ULPIN ${ulpin} is already on line ${first}`]);
    }
  }
  if (problems.length > 0) {
    problems.sort((a, b) => a[0] - b[0]);
    const shown = problems.slice(0, SHOWN_PROBLEMS).map(([line, message]) => `line ${line}: ${message}`);
    const more = problems.length > SHOWN_PROBLEMS ? `; and ${problems.length - SHOWN_PROBLEMS} more` : "";
    throw new InputError(`${file} has ${problems.length} bad row(s), so no snapshot was built: ${shown.join("; ")}${more}.`);
  }
  if (count === 0) throw new InputError(`${file} has no parcels.`);
  const saltCount = parts.reduce((sum, p) => sum + p.saltCount, 0);
  if (saltCount > 0) {
    const fd = fs.openSync(path.join(staging, SALTS), "w", 0o600);
    try {
      fs.writeSync(fd, "ulpin,identity,salt\n");
      for (const part of parts) fs.writeSync(fd, part.salts);
    } finally {
      fs.closeSync(fd);
    }
  }
  const leaves = parts.length === 1 ? parts[0].leaves : Buffer.concat(parts.map((p) => p.leaves));
  const tree = SortedMerkleTree.build(leaves, keccak);
  fs.writeFileSync(path.join(staging, TREE), tree.nodes);
  const ulpins = Buffer.concat(parts.map((p) => Buffer.from(p.ulpins.buffer, p.ulpins.byteOffset, 14 * p.named)));
  const manifest: SnapshotManifest = {
    kind: "sakshya-land-snapshot",
    version: 2,
    root: tree.root,
    absenceRoot: writeAbsenceTree(staging, ulpins, keccak),
    parcelCount: count,
    ownerSalts: saltCount,
    exportFile: path.basename(file),
    exportHash: hex(keccak(text)),
    builtAt: isoNow(),
    anchor,
  };
  fs.writeFileSync(path.join(staging, MANIFEST), `${JSON.stringify(manifest, null, 2)}\n`);
  return manifest;
}

/**
 * The export goes into the folder as a hard link where the file system allows (no copy of a large file), else as a
 * copy. A link would follow later edits of the original, but an edited row no longer leads to the root, which
 * {@link snapshotEntry} checks, so nothing wrong can be materialised from it.
 */
function keepExport(file: string, target: string): void {
  try {
    fs.linkSync(file, target);
  } catch {
    fs.copyFileSync(file, target);
  }
}

export function readSnapshotManifest(dir: string): SnapshotManifest {
  let raw: unknown;
  try {
    raw = JSON.parse(fs.readFileSync(path.join(dir, MANIFEST), "utf8"));
  } catch {
    throw new InputError(`${dir} is not a snapshot folder: ${MANIFEST} is missing or not JSON.`);
  }
  const parsed = manifestSchema.safeParse(raw);
  if (!parsed.success) throw new InputError(`${path.join(dir, MANIFEST)} is not a snapshot manifest.`);
  return parsed.data;
}

/**
 * A parcel's entry in a snapshot folder and its proof: its export row, re-read with the salts the build drew for it,
 * gives the leaf; the leaf is found in the stored tree by binary search (leaves are sorted) and only the nodes on its
 * path are read, so a million-parcel snapshot answers in well under a second. A leaf not in the tree means the
 * folder was altered, and is said so before any transaction is tried.
 */
export function snapshotEntry(dir: string, ulpin: string, keccak: Keccak): { manifest: SnapshotManifest; entry: SnapshotEntry; proof: string[] } {
  const manifest = readSnapshotManifest(dir);
  const row = findLine(readPart(dir, EXPORT), ulpin);
  if (row === undefined) throw new InputError(`Parcel ${ulpin} is not in the snapshot ${manifest.root}.`);
  const salts = new Map<string, string>();
  if (manifest.ownerSalts > 0) {
    const text = readPart(dir, SALTS).toString("utf8");
    for (let at = text.indexOf(`\n${ulpin},`); at >= 0; at = text.indexOf(`\n${ulpin},`, at + 1)) {
      const [, identity, salt] = text.slice(at + 1, text.indexOf("\n", at + 1)).split(",");
      salts.set(identity, salt);
    }
  }
  let cells: string[] = [];
  forEachRow(Buffer.from(`${EXPORT_COLUMNS.join(",")}\n${row}\n`), manifest.exportFile, (c) => (cells = c));
  const { fields, owners } = parseEntry(cells, (identity) => {
    const salt = salts.get(identity);
    if (!salt) throw new InputError(`The snapshot folder ${dir} has no salt for an owner of ${ulpin}; owner-salts.csv is incomplete.`);
    return commit(identity, Buffer.from(salt.slice(2), "hex"), keccak);
  });
  const leaf = Buffer.from(snapshotLeaf(fields, ownersHashOf(owners, keccak), keccak));
  const entry = { record: fields, owners: owners.map((o) => ({ commitment: hex(o.commitment), share: o.share })) };

  const size = 2 * manifest.parcelCount - 1;
  const fd = fs.openSync(path.join(dir, TREE), "r");
  try {
    const node = (index: number) => {
      const bytes = Buffer.alloc(32);
      if (fs.readSync(fd, bytes, 0, 32, index * 32) !== 32) throw new InputError(`The snapshot folder ${dir} is incomplete: its tree is short.`);
      return bytes;
    };
    // The k-th smallest leaf sits at position size - 1 - k.
    let low = 0;
    let high = manifest.parcelCount - 1;
    while (low <= high) {
      const middle = (low + high) >>> 1;
      const order = Buffer.compare(node(size - 1 - middle), leaf);
      if (order === 0) {
        const proof = proofAt(size - 1 - middle, node);
        if (processProof(leaf, proof, keccak) !== manifest.root) break;
        return { manifest, entry, proof };
      }
      if (order < 0) low = middle + 1;
      else high = middle - 1;
    }
  } finally {
    fs.closeSync(fd);
  }
  throw new InputError(`The snapshot folder ${dir} has been altered: the entry of ${ulpin} does not lead to its root.`);
}

/** The export line of `ulpin`, written plain or quoted. */
function findLine(text: Buffer, ulpin: string): string | undefined {
  for (const start of [`\n${ulpin},`, `\n"${ulpin}",`]) {
    const at = text.indexOf(start);
    if (at >= 0) {
      const end = text.indexOf(10, at + 1);
      return text.toString("utf8", at + 1, end < 0 ? text.length : end).replace(/\r$/, "");
    }
  }
  return undefined;
}

function readPart(dir: string, name: string): Buffer {
  try {
    return fs.readFileSync(path.join(dir, name));
  } catch {
    throw new InputError(`The snapshot folder ${dir} is incomplete: ${name} is missing.`);
  }
}
