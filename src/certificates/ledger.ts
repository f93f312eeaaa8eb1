import fs from "node:fs";
import path from "node:path";
import { z } from "zod";
import { InputError } from "../errors";

const ledgerFile = z.object({
  format: z.literal("sakshya-ledger/1"),
  /** Identity hash of each issued record → root of the batch that issued it. */
  records: z.record(z.string()),
});

/**
 * The issuer's own record of what it has issued, kept beside its batches: identity hashes only, never the
 * data, so that a new batch can be checked for records issued before without anything personal being stored.
 */
export class IssuedLedger {
  private constructor(
    readonly file: string,
    private readonly records: Map<string, string>,
  ) {}

  static open(file: string): IssuedLedger {
    if (!fs.existsSync(file)) return new IssuedLedger(file, new Map());
    let json: unknown;
    try {
      json = JSON.parse(fs.readFileSync(file, "utf8"));
    } catch {
      throw new InputError(`The ledger ${file} is not valid JSON.`);
    }
    const parsed = ledgerFile.safeParse(json);
    if (!parsed.success) throw new InputError(`The ledger ${file} is not a Sakshya ledger.`);
    return new IssuedLedger(file, new Map(Object.entries(parsed.data.records)));
  }

  /** Root of the batch that already issued this identity, if any. */
  issuedIn(identity: string): string | undefined {
    return this.records.get(identity);
  }

  /** Records a batch's identities (again, harmlessly, if it was recorded before) and saves atomically. */
  recordBatch(root: string, identities: readonly string[]): void {
    for (const identity of identities) this.records.set(identity, root);
    fs.mkdirSync(path.dirname(this.file), { recursive: true });
    const temporary = `${this.file}.${process.pid}.tmp`;
    fs.writeFileSync(temporary, JSON.stringify({ format: "sakshya-ledger/1", records: Object.fromEntries(this.records) }));
    fs.renameSync(temporary, this.file);
  }
}
