import { randomFillSync } from "node:crypto";
import type { MessagePort } from "node:worker_threads";
import { InputError } from "../errors";
import { loadKeccak, type Keccak } from "../hashing/keccak";
import { commit, ownersHashOf, snapshotLeaf, type LeafFields } from "./leaf-encoding";
import { HASH, forEachRow, parseOwnerCell, wholeNumber, type ParsedOwner } from "./register-export";
import { LAND_USES } from "./vocabulary";

const ULPIN = /^[0-9A-Z]{14}$/;
const ULPIN_LENGTH = 14;

/** What hashing a run of export rows gives: leaves, the rows' ULPINs and lines (for duplicates), salts, problems. */
export interface RowsResult {
  /** 32 bytes a row, in row order; only rows without problems. */
  readonly leaves: Uint8Array;
  readonly count: number;
  /** 14 characters for each row with a well-formed ULPIN, bad rows included, so a duplicate is found either way. */
  readonly ulpins: Uint8Array;
  readonly lines: Int32Array;
  readonly named: number;
  /** `ulpin,identity,salt` lines for owners named by identity. */
  readonly salts: Uint8Array;
  readonly saltCount: number;
  readonly problems: Array<[number, string]>;
}

/**
 * Checks and hashes export rows: each row's owners committed (a fresh salt for each owner named by identity), its
 * leaf computed. `header` says whether `text` starts with the header row; lines are numbered from `firstLine`.
 */
export function hashRows(text: Buffer, file: string, keccak: Keccak, header: boolean, firstLine: number): RowsResult {
  let rows = 1;
  for (let at = text.indexOf(10); at >= 0; at = text.indexOf(10, at + 1)) rows++;
  // Buffers of their own (never Node's shared pool), so a worker can transfer them rather than copy.
  const leaves = Buffer.from(new ArrayBuffer(32 * rows));
  const ulpins = Buffer.from(new ArrayBuffer(ULPIN_LENGTH * rows));
  const lines = new Int32Array(rows);
  // Salt lines take about as many bytes as the export rows they come from; the sink grows if they take more.
  const salts = new MemorySink(text.length + (1 << 20));
  const pool = new SaltPool();
  const problems: Array<[number, string]> = [];
  let count = 0;
  let named = 0;
  let saltCount = 0;
  forEachRow(
    text,
    file,
    (cells, line) => {
      try {
        if (ULPIN.test(cells[0])) {
          ulpins.write(cells[0], ULPIN_LENGTH * named, "latin1");
          lines[named++] = line;
        }
        const { fields, owners } = parseEntry(cells, (identity) => {
          const salt = pool.next();
          salts.append(`${cells[0]},${identity},${salt.hex}\n`);
          saltCount++;
          return commit(identity, salt.bytes, keccak);
        });
        leaves.set(snapshotLeaf(fields, ownersHashOf(owners, keccak), keccak), 32 * count++);
      } catch (error) {
        if (!(error instanceof InputError)) throw error;
        problems.push([line, error.message.replace(/\.$/, "")]);
      }
    },
    { header, firstLine },
  );
  return {
    leaves: leaves.subarray(0, 32 * count),
    count,
    ulpins: ulpins.subarray(0, ULPIN_LENGTH * named),
    lines: lines.subarray(0, named),
    named,
    salts: salts.contents(),
    saltCount,
    problems,
  };
}

/** One export row checked and turned into leaf fields and owners; identities are committed through `commitmentOf`. */
export function parseEntry(cells: readonly string[], commitmentOf: (identity: string) => Uint8Array): { fields: LeafFields; owners: ParsedOwner[] } {
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

/** What a snapshot worker thread is given: its share of the export (whole lines, no header) and where it starts. */
export interface RowsTask {
  readonly text: Uint8Array;
  readonly file: string;
  readonly firstLine: number;
}

/** The body of a snapshot worker thread, run from the compiled module (see snapshot.ts). */
export async function runRowsWorker(port: MessagePort, task: RowsTask): Promise<void> {
  const result = hashRows(Buffer.from(task.text.buffer, task.text.byteOffset, task.text.byteLength), task.file, await loadKeccak(), false, task.firstLine);
  port.postMessage(result, [result.leaves.buffer, result.ulpins.buffer, result.lines.buffer, result.salts.buffer] as ArrayBuffer[]);
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
 * Lines written straight into one buffer sized ahead, growing only if it must: gathering them as strings cost more
 * in garbage collection than the hashing, measured.
 */
class MemorySink {
  private buffer: Buffer;
  private length = 0;

  constructor(size: number) {
    this.buffer = Buffer.from(new ArrayBuffer(size));
  }

  append(text: string): void {
    if (this.length + 3 * text.length > this.buffer.length) {
      const grown = Buffer.from(new ArrayBuffer(2 * this.buffer.length + 3 * text.length));
      this.buffer.copy(grown, 0, 0, this.length);
      this.buffer = grown;
    }
    this.length += this.buffer.write(text, this.length, "utf8");
  }

  contents(): Buffer {
    return this.buffer.subarray(0, this.length);
  }
}
