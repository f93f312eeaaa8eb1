import fs from "node:fs";
import { z } from "zod";
import { InputError } from "../errors";
import { acquireLock, writeDurably } from "../io/durable";

const ledgerFile = z.object({
  format: z.literal("sakshya-ledger/1"),
  /** Identity hash of each issued record → root of the batch that issued it. */
  records: z.record(z.string()),
  /** `<root>:<index>` of each issued correction → `<root>:<index>` of the document it replaces. */
  corrections: z.record(z.string()).optional(),
});

/**
 * The issuer's own record of what it has issued, kept beside its batches: identity hashes only, never the
 * data, so that a new batch can be checked for records issued before without anything personal being stored.
 * Every change is made under a lock, on the file as it is on disk then, and written atomically and durably, so
 * runs at the same time never lose each other's entries and a crash never leaves half a ledger.
 */
export class IssuedLedger {
  private constructor(
    readonly file: string,
    private readonly records: Map<string, string>,
    private readonly corrections: Map<string, string>,
  ) {}

  static open(file: string): IssuedLedger {
    if (!fs.existsSync(file)) return new IssuedLedger(file, new Map(), new Map());
    let text: string;
    try {
      text = fs.readFileSync(file, "utf8");
    } catch {
      throw new InputError(`The ledger ${file} cannot be read (is it a folder?).`);
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw new InputError(`The ledger ${file} is not valid JSON.`);
    }
    const parsed = ledgerFile.safeParse(json);
    if (!parsed.success) throw new InputError(`The ledger ${file} is not a Sakshya ledger.`);
    return new IssuedLedger(file, new Map(Object.entries(parsed.data.records)), new Map(Object.entries(parsed.data.corrections ?? {})));
  }

  /**
   * Runs `change` on the ledger as it is on disk, holding the ledger's lock (waiting up to `waitMs` for another run
   * to let go of it), and saves what it leaves. Whatever `change` throws leaves the file as it was.
   */
  static async update<T>(file: string, waitMs: number, change: (ledger: IssuedLedger) => Promise<T>): Promise<T> {
    const release = await acquireLock(file, waitMs, `Another run held the ledger ${file} for ${Math.round(waitMs / 1000)} s; try again when it has finished.`);
    try {
      const ledger = IssuedLedger.open(file);
      const result = await change(ledger);
      const corrections = ledger.corrections.size > 0 ? { corrections: Object.fromEntries(ledger.corrections) } : {};
      writeDurably(file, JSON.stringify({ format: "sakshya-ledger/1", records: Object.fromEntries(ledger.records), ...corrections }));
      return result;
    } finally {
      await release();
    }
  }

  /** Root of the batch that already issued this identity, if any. */
  issuedIn(identity: string): string | undefined {
    return this.records.get(identity);
  }

  /**
   * Records a batch's identities (again, harmlessly, if it was recorded before) and the documents it corrects;
   * saved when the update ends. A corrected record's identity now points to its correction.
   */
  recordBatch(root: string, identities: readonly string[], corrects: ReadonlyArray<{ index: number; root: string; oldIndex: number }> = []): void {
    for (const identity of identities) this.records.set(identity, root);
    for (const link of corrects) this.corrections.set(`${root}:${link.index}`, `${link.root}:${link.oldIndex}`);
  }

  /** The document `root`/`index` corrects, if it is an issued correction. */
  correctedBy(root: string, index: number): { root: string; index: number } | undefined {
    const old = this.corrections.get(`${root}:${index}`);
    if (old === undefined) return undefined;
    const [oldRoot, oldIndex] = old.split(":");
    return { root: oldRoot, index: Number(oldIndex) };
  }
}
