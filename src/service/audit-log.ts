import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { acquireLock } from "../io/durable";
import { InputError } from "../errors";

/** One answered request, as the audit log keeps it: never a body, never a key (only its public id). */
export interface AuditFields {
  readonly time: string;
  readonly request: string;
  readonly key: string | null;
  readonly client: string;
  readonly method: string;
  readonly route: string;
  readonly status: number;
  readonly ms: number;
}

export interface AuditEntry extends AuditFields {
  readonly seq: number;
  /** The hash of the entry before (64 zeros for the first). */
  readonly prev: string;
  /** SHA-256 of `prev` and this entry's fields: changing, removing or reordering any entry breaks the chain after it. */
  readonly hash: string;
}

const GENESIS = "0".repeat(64);

function entryHash(seq: number, prev: string, fields: AuditFields): string {
  const { time, request, key, client, method, route, status, ms } = fields;
  return createHash("sha256").update(JSON.stringify([seq, prev, time, request, key, client, method, route, status, ms])).digest("hex");
}

/** The last entry of an audit file, to continue its chain; undefined for a new or empty file. */
function lastEntry(file: string): AuditEntry | undefined {
  if (!fs.existsSync(file)) return undefined;
  const size = fs.statSync(file).size;
  if (size === 0) return undefined;
  const fd = fs.openSync(file, "r");
  try {
    const length = Math.min(size, 64 * 1024);
    const tail = Buffer.alloc(length);
    fs.readSync(fd, tail, 0, length, size - length);
    const lines = tail.toString("utf8").trimEnd().split("\n");
    return JSON.parse(lines[lines.length - 1]) as AuditEntry;
  } catch {
    throw new InputError(`The audit log ${file} does not end in a whole entry; check it with \`sakshya audit verify ${file}\` before the service writes to it again.`);
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * The service's append-only audit log: one JSON line per answered request, each chained to the one before by hash.
 * Lines are gathered and appended a few times a second (one write, not one per request); `close` writes what is left.
 * One process writes a file: a second is refused by its lock.
 */
export class AuditLog {
  private seq: number;
  private prev: string;
  private buffer: string[] = [];
  private timer?: NodeJS.Timeout;
  private writing: Promise<void> = Promise.resolve();

  private constructor(
    readonly file: string,
    private readonly release: () => Promise<void>,
    last: AuditEntry | undefined,
  ) {
    this.seq = last ? last.seq : 0;
    this.prev = last ? last.hash : GENESIS;
    this.timer = setInterval(() => void this.flush(), 200);
    this.timer.unref();
  }

  static async open(file: string): Promise<AuditLog> {
    fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
    if (!fs.existsSync(file)) fs.writeFileSync(file, "", { mode: 0o640 });
    const release = await acquireLock(file, 0, `The audit log ${file} is being written by another service process; give each process its own file (--audit).`);
    return new AuditLog(file, release, lastEntry(file));
  }

  append(fields: AuditFields): void {
    const seq = ++this.seq;
    const hash = entryHash(seq, this.prev, fields);
    const entry: AuditEntry = { seq, ...fields, prev: this.prev, hash };
    this.prev = hash;
    this.buffer.push(`${JSON.stringify(entry)}\n`);
  }

  /** Appends what has been gathered; appends run one after another, so lines keep their order. */
  flush(): Promise<void> {
    if (this.buffer.length === 0) return this.writing;
    const text = this.buffer.join("");
    this.buffer = [];
    this.writing = this.writing.then(() => fs.promises.appendFile(this.file, text));
    return this.writing;
  }

  async close(): Promise<void> {
    clearInterval(this.timer);
    await this.flush();
    await this.release();
  }
}

export interface AuditCheck {
  readonly entries: number;
  /** The first entry that breaks the chain, and how; undefined when the whole log holds. */
  readonly broken?: { readonly line: number; readonly seq?: number; readonly problem: string };
}

/**
 * Walks an audit log from its first line: each entry must follow the one before (its `seq` one more, its `prev` the
 * earlier hash) and hash to its own `hash`. The first entry that does not is named, with what is wrong with it.
 */
export function verifyAuditLog(file: string): AuditCheck {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch {
    throw new InputError(`Cannot read the audit log ${file}.`);
  }
  const lines = text.split("\n");
  if (lines[lines.length - 1] === "") lines.pop();
  let prev = GENESIS;
  let seq = 0;
  for (const [i, line] of lines.entries()) {
    const at = (problem: string, entrySeq?: number) => ({ entries: i, broken: { line: i + 1, seq: entrySeq, problem } });
    let entry: AuditEntry;
    try {
      entry = JSON.parse(line) as AuditEntry;
    } catch {
      return at("it is not a whole JSON entry");
    }
    if (entry.seq !== seq + 1) {
      return at(entry.seq > seq + 1 ? `entries ${seq + 1}–${entry.seq - 1} are missing before it` : `it is out of order (entry ${entry.seq} after entry ${seq})`, entry.seq);
    }
    if (entry.prev !== prev) return at("it does not follow the entry before it (removed or reordered entries)", entry.seq);
    if (entryHash(entry.seq, entry.prev, entry) !== entry.hash) return at("its contents were changed after it was written", entry.seq);
    prev = entry.hash;
    seq = entry.seq;
  }
  return { entries: lines.length };
}
