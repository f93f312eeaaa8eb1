import { randomFillSync } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { z } from "zod";
import { InputError } from "../errors";
import type { Keccak } from "../hashing/keccak";
import { SortedMerkleTree, hex, processProof, proofAt } from "../hashing/merkle";
import type { ParcelRecord } from "./client";
import { commit, ownersHashOf, snapshotLeaf, type LeafFields } from "./leaf-encoding";
import { EXPORT_COLUMNS, HASH, SHOWN_PROBLEMS, forEachRow, parseOwnerCell, wholeNumber, type ParsedOwner } from "./register-export";
import type { Owner } from "./titles";
import { UlpinIndex } from "./ulpin-index";
import { LAND_USES } from "./vocabulary";

const MANIFEST = "snapshot.json";
const TREE = "tree.bin";
const EXPORT = "export.csv";
const SALTS = "owner-salts.csv";
const ULPIN = /^[0-9A-Z]{14}$/;

const manifestSchema = z.object({
  kind: z.literal("sakshya-land-snapshot"),
  version: z.literal(1),
  root: z.string().regex(HASH),
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
 * `tree.bin` (every node, for proofs), `export.csv` (the export itself) and, for owners the export names by identity,
 * `owner-salts.csv` (`ulpin,identity,salt`: their fresh salts, for the office to hand to them; kept private). An
 * entry is rebuilt from the export and its salts when its parcel is materialised.
 *
 * Every row is checked and every problem reported with its line; a ULPIN twice names both lines. Rows are handled as
 * they are read and salts streamed to the folder, so a million parcels leave no million-object arrays behind for the
 * garbage collector. The folder appears complete or not at all.
 */
export function buildSnapshot(file: string, dir: string, anchor: SnapshotManifest["anchor"], keccak: Keccak): SnapshotManifest {
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
    const manifest = buildInto(staging, text, file, anchor, keccak);
    fs.copyFileSync(file, path.join(staging, EXPORT));
    fs.renameSync(staging, dir);
    return manifest;
  } catch (error) {
    fs.rmSync(staging, { recursive: true, force: true });
    throw error;
  }
}

function buildInto(staging: string, text: Buffer, file: string, anchor: SnapshotManifest["anchor"], keccak: Keccak): SnapshotManifest {
  let lineCount = 1;
  for (let at = text.indexOf(10); at >= 0; at = text.indexOf(10, at + 1)) lineCount++;
  const leaves = Buffer.allocUnsafe(32 * lineCount);
  const salts = new FileSink(path.join(staging, SALTS), "ulpin,identity,salt\n", 0o600);
  const pool = new SaltPool();
  const firstLine = new UlpinIndex(lineCount);
  const problems: string[] = [];
  let count = 0;
  let saltCount = 0;
  try {
    forEachRow(text, file, (cells, line) => {
      try {
        const ulpin = cells[0];
        if (!ULPIN.test(ulpin)) throw new InputError(`"${ulpin}" is not a ULPIN (14 digits or capital letters)`);
        const seen = firstLine.add(ulpin, line);
        if (seen !== undefined) throw new InputError(`ULPIN ${ulpin} is already on line ${seen}`);
        const { fields, owners } = parseEntry(cells, (identity) => {
          const salt = pool.next();
          salts.append(`${ulpin},${identity},${salt.hex}\n`);
          saltCount++;
          return commit(identity, salt.bytes, keccak);
        });
        if (problems.length > 0) return;
        leaves.set(snapshotLeaf(fields, ownersHashOf(owners, keccak), keccak), 32 * count++);
      } catch (error) {
        if (!(error instanceof InputError)) throw error;
        problems.push(`line ${line}: ${error.message.replace(/\.$/, "")}`);
      }
    });
  } finally {
    salts.close();
  }
  if (problems.length > 0) {
    const more = problems.length > SHOWN_PROBLEMS ? `; and ${problems.length - SHOWN_PROBLEMS} more` : "";
    throw new InputError(`${file} has ${problems.length} bad row(s), so no snapshot was built: ${problems.slice(0, SHOWN_PROBLEMS).join("; ")}${more}.`);
  }
  if (count === 0) throw new InputError(`${file} has no parcels.`);
  if (saltCount === 0) fs.rmSync(path.join(staging, SALTS));
  const tree = SortedMerkleTree.build(leaves.subarray(0, 32 * count), keccak);
  fs.writeFileSync(path.join(staging, TREE), tree.nodes);
  const manifest: SnapshotManifest = {
    kind: "sakshya-land-snapshot",
    version: 1,
    root: tree.root,
    parcelCount: count,
    ownerSalts: saltCount,
    exportFile: path.basename(file),
    exportHash: hex(keccak(text)),
    builtAt: new Date().toISOString(),
    anchor,
  };
  fs.writeFileSync(path.join(staging, MANIFEST), `${JSON.stringify(manifest, null, 2)}\n`);
  return manifest;
}

/** One export row checked and turned into leaf fields and owners; identities are committed through `commitmentOf`. */
function parseEntry(cells: readonly string[], commitmentOf: (identity: string) => Uint8Array): { fields: LeafFields; owners: ParsedOwner[] } {
  const ulpin = cells[0];
  if (!ULPIN.test(ulpin)) throw new InputError(`"${ulpin}" is not a ULPIN (14 digits or capital letters)`);
  const fields = {
    ulpin,
    district: wholeNumber(cells[1], "district", 0xffff),
    block: wholeNumber(cells[2], "block", 0xffff),
    village: wholeNumber(cells[3], "village", 0xffffffff),
    area: wholeNumber(cells[4], "area_sqm", Number.MAX_SAFE_INTEGER),
    landUse: LAND_USES.indexOf(cells[5] as (typeof LAND_USES)[number]),
    recordHash: cells[6].toLowerCase(),
  };
  if (fields.landUse < 0) throw new InputError(`land use "${cells[5]}" is not one of ${LAND_USES.join(", ")}`);
  if (!HASH.test(fields.recordHash) || /^0x0+$/.test(fields.recordHash)) throw new InputError("record_hash must be a non-zero 0x hash of 64 hex digits");
  return { fields, owners: parseOwnerCell(cells[7], commitmentOf) };
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

/** Fresh salts drawn from one random buffer, hexed once per refill; each is used before the next is drawn. */
class SaltPool {
  private static readonly SIZE = 4096;
  private readonly pool = Buffer.allocUnsafe(32 * SaltPool.SIZE);
  private poolHex = "";
  private used = SaltPool.SIZE;

  next(): { bytes: Buffer; hex: string } {
    if (this.used === SaltPool.SIZE) {
      randomFillSync(this.pool);
      this.poolHex = this.pool.toString("hex");
      this.used = 0;
    }
    const i = this.used++;
    return { bytes: this.pool.subarray(32 * i, 32 * i + 32), hex: `0x${this.poolHex.slice(64 * i, 64 * i + 64)}` };
  }
}

/**
 * Lines appended to a file through one reused megabyte buffer. Gathering lines in a string instead made ropes that
 * cost more in garbage collection than the hashing, and one growing buffer more again in copying, both measured.
 */
class FileSink {
  private static readonly SIZE = 1 << 20;
  private readonly fd: number;
  private readonly buffer = Buffer.allocUnsafe(FileSink.SIZE);
  private length = 0;

  constructor(file: string, first: string, mode = 0o644) {
    this.fd = fs.openSync(file, "w", mode);
    this.append(first);
  }

  append(text: string): void {
    // A UTF-8 character is at most 3 bytes per UTF-16 unit, so this bound never truncates a line.
    if (this.length + 3 * text.length > FileSink.SIZE) this.flush();
    if (3 * text.length > FileSink.SIZE) fs.writeSync(this.fd, text);
    else this.length += this.buffer.write(text, this.length, "utf8");
  }

  close(): void {
    this.flush();
    fs.closeSync(this.fd);
  }

  private flush(): void {
    fs.writeSync(this.fd, this.buffer, 0, this.length);
    this.length = 0;
  }
}
