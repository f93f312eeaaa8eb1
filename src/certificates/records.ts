import fs from "node:fs";
import path from "node:path";
import { parse } from "csv-parse/sync";
import { InputError } from "../errors";

/** One input record with the line it starts on (1-based, the header being line 1 of a CSV). */
export interface SourceRecord {
  readonly line: number;
  readonly values: Record<string, string>;
}

/** Reads records from a CSV file (header row first) or a JSON array of flat objects. */
export function readRecords(file: string): SourceRecord[] {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch {
    throw new InputError(`The records file ${file} does not exist or cannot be read.`);
  }
  const extension = path.extname(file).toLowerCase();
  if (extension === ".csv") return parseCsvRecords(text, file);
  if (extension === ".json") return parseJsonRecords(text, file);
  throw new InputError(`Records must be a .csv or .json file, not ${path.basename(file)}.`);
}

export function parseCsvRecords(text: string, source: string): SourceRecord[] {
  let rows: Array<{ record: Record<string, string>; info: { lines: number } }>;
  try {
    rows = parse(text, { columns: true, bom: true, skip_empty_lines: true, trim: false, info: true });
  } catch (error) {
    const problem = error instanceof Error ? error.message.replace(/^Invalid Record Length: /, "") : String(error);
    throw new InputError(`${source} is not well-formed CSV: ${problem}`);
  }
  return rows.map((row) => ({ line: row.info.lines, values: row.record }));
}

export function parseJsonRecords(text: string, source: string): SourceRecord[] {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new InputError(`${source} is not valid JSON.`);
  }
  if (!Array.isArray(json)) throw new InputError(`${source} must hold a JSON array of records.`);
  return json.map((item: unknown, i) => {
    if (item === null || typeof item !== "object" || Array.isArray(item)) {
      throw new InputError(`${source}: record ${i + 1} is not an object.`);
    }
    const values: Record<string, string> = {};
    for (const [key, value] of Object.entries(item)) {
      if (value !== null && typeof value === "object") throw new InputError(`${source}: record ${i + 1}, field "${key}" must be a plain value.`);
      values[key] = value === null ? "" : String(value);
    }
    // JSON has no useful line numbers once parsed: records are numbered from 1.
    return { line: i + 1, values };
  });
}
