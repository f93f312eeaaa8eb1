import { parse } from "csv-parse/sync";
import { InputError } from "../errors";
import { parseShare } from "./parties";
import { MAX_OWNERS, WHOLE } from "./titles";

/** Columns of a register export, in this order. */
export const EXPORT_COLUMNS = ["ulpin", "district", "block", "village", "area_sqm", "land_use", "record_hash", "owners"] as const;
/** Problems listed before the rest are only counted. */
export const SHOWN_PROBLEMS = 10;
export const HASH = /^0x[0-9a-fA-F]{64}$/;

interface Row {
  readonly cells: string[];
  readonly line: number;
}

/**
 * Calls `visit` with each data row of a register export and its line number. An export without a double quote cannot
 * hold a comma or line break inside a field, so its lines and fields are split directly — a fifth of csv-parse's time
 * and garbage on a million rows, measured; a file with quotes goes through csv-parse.
 */
export function forEachRow(
  text: Buffer,
  file: string,
  visit: (cells: string[], line: number) => void,
  { header = true, firstLine = 1 }: { header?: boolean; firstLine?: number } = {},
): void {
  const rows = text.includes(0x22) ? parseQuoted(text, file) : splitPlain(text.toString("utf8"), firstLine);
  let headerSeen = !header;
  const problems: string[] = [];
  for (const { cells, line } of rows) {
    if (!headerSeen) {
      if (cells.join(",") !== EXPORT_COLUMNS.join(",")) throw new InputError(`${file} must start with the header ${EXPORT_COLUMNS.join(",")}.`);
      headerSeen = true;
    } else if (cells.length === 1 && cells[0] === "") continue;
    else if (cells.length !== EXPORT_COLUMNS.length) problems.push(`line ${line}: ${cells.length} columns, not ${EXPORT_COLUMNS.length}`);
    else if (problems.length === 0) visit(cells, line);
  }
  if (!headerSeen) throw new InputError(`${file} is empty.`);
  if (problems.length > 0) throw new InputError(`${file} has rows of the wrong shape: ${problems.slice(0, SHOWN_PROBLEMS).join("; ")}.`);
}

/** Lines split as they are walked; rows are produced lazily so none outlives its visit. */
function* splitPlain(text: string, firstLine: number): Generator<Row> {
  let line = firstLine - 1;
  for (let start = 0; start < text.length; ) {
    let end = text.indexOf("\n", start);
    if (end < 0) end = text.length;
    line++;
    const raw = text.charCodeAt(end - 1) === 13 ? text.slice(start, end - 1) : text.slice(start, end);
    const cells = raw.split(",");
    for (let i = 0; i < cells.length; i++) cells[i] = cells[i].trim();
    yield { cells, line };
    start = end + 1;
  }
}

function parseQuoted(text: Buffer, file: string): Row[] {
  try {
    const records = parse(text, { info: true, relax_column_count: true, trim: true }) as unknown as Array<{ record: string[]; info: { lines: number } }>;
    return records.map(({ record, info }) => ({ cells: record, line: info.lines }));
  } catch (error) {
    throw new InputError(`${file} is not valid CSV: ${(error as Error).message}`);
  }
}

export function wholeNumber(raw: string, column: string, max: number): number {
  const value = Number(raw);
  if (!/^\d+$/.test(raw) || value < 1 || value > max) throw new InputError(`${column} "${raw}" must be a whole number from 1 to ${max}`);
  return value;
}

/** An owner as parsed from an export: the commitment's bytes, which is all the leaf needs. */
export interface ParsedOwner {
  readonly commitment: Uint8Array;
  readonly share: number;
}

/**
 * An owners cell, `who:share;who:share`, each who an identity reference (committed through `commitmentOf`, which
 * finds or draws its salt) or a 0x commitment already made; sorted by commitment, checked, shares whole.
 */
export function parseOwnerCell(cell: string, commitmentOf: (identity: string) => Uint8Array): ParsedOwner[] {
  const parts = cell.split(";");
  const whos = parts.map((part) => part.slice(0, part.lastIndexOf(":")).replace(/[\s-]/g, "").toUpperCase());
  // Two salts would make one person two owners, so the same identity twice is caught before anything is committed.
  if (whos.length > 1 && new Set(whos).size !== whos.length) throw new InputError("the same owner is listed twice");
  const owners = parts.map((part): ParsedOwner => {
    const colon = part.lastIndexOf(":");
    if (colon <= 0) throw new InputError(`owner "${part}" must be written identity:share or commitment:share`);
    const who = part.slice(0, colon).trim();
    const share = parseShare(part.slice(colon + 1));
    const commitment = HASH.test(who) ? Buffer.from(who.slice(2), "hex") : commitmentOf(who.replace(/[\s-]/g, "").toUpperCase());
    return { commitment, share };
  });
  if (owners.length > MAX_OWNERS) throw new InputError(`${owners.length} owners is more than ${MAX_OWNERS}`);
  if (owners.length > 1) owners.sort((a, b) => Buffer.compare(a.commitment, b.commitment));
  let total = 0;
  owners.forEach((o, i) => {
    if (i > 0 && Buffer.compare(owners[i - 1].commitment, o.commitment) === 0) throw new InputError("the same owner is listed twice");
    total += o.share;
  });
  if (total !== WHOLE) throw new InputError(`owners' shares add up to ${total / 100}%, not 100%`);
  return owners;
}
