import fs from "node:fs";
import { z } from "zod";
import path from "node:path";
import { InputError } from "../errors";
import { fieldLabel, type SchemaLabels } from "./labels";

const fieldRule = z
  .object({
    type: z.enum(["string", "date", "number", "integer", "enum"]),
    required: z.boolean().default(false),
    pattern: z.string().optional(),
    values: z.array(z.string()).optional(),
    min: z.number().optional(),
    max: z.number().optional(),
    maxLength: z.number().int().positive().default(200),
    /** How the field is named on a printed certificate (its name, in words, by default). */
    label: z.string().min(1).max(60).optional(),
    /** Printed on the certificate's PDF: once any field says, only those saying true are (`cert batch --pdf`). */
    printed: z.boolean().optional(),
  })
  .strict();

const schemaFile = z
  .object({
    id: z.string().regex(/^[a-z0-9][a-z0-9._-]*\/\d+$/, 'must look like "name/version", e.g. "wbu-degree/1"'),
    title: z.string().min(1),
    fields: z.record(z.string().regex(/^[A-Za-z][A-Za-z0-9_]*$/, "field names are letters, digits and _"), fieldRule),
    /** Fields that together identify one record: two rows (or an earlier batch) with the same values are duplicates. */
    identity: z.array(z.string()).min(1),
    /** Field whose value names each certificate's file; the document index otherwise. */
    fileName: z.string().optional(),
  })
  .strict();

export type CertificateSchema = z.infer<typeof schemaFile>;
/** What a field holds once checked: dates and enums stay text. */
export type FieldValue = string | number;
type FieldRule = z.infer<typeof fieldRule>;

export function readSchema(file: string): CertificateSchema {
  let json: unknown;
  try {
    json = JSON.parse(fs.readFileSync(file, "utf8"));
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === "ENOENT" ? "does not exist" : "is not valid JSON";
    throw new InputError(`The schema file ${file} ${reason}.`);
  }
  return parseSchema(json, file);
}

export function parseSchema(json: unknown, source: string): CertificateSchema {
  const parsed = schemaFile.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new InputError(`The schema ${source} is malformed: ${issue.path.join(".")} ${issue.message}.`);
  }
  const schema = parsed.data;
  for (const name of [...schema.identity, ...(schema.fileName ? [schema.fileName] : [])]) {
    const rule = schema.fields[name];
    if (!rule?.required) throw new InputError(`The schema ${source} names "${name}" as identity or file name, but it is not a required field.`);
  }
  for (const [name, rule] of Object.entries(schema.fields)) {
    if (rule.type === "enum" && !rule.values?.length) throw new InputError(`The schema ${source}: enum field "${name}" lists no values.`);
    if (rule.pattern !== undefined) {
      try {
        new RegExp(rule.pattern);
      } catch {
        throw new InputError(`The schema ${source}: field "${name}" has an invalid pattern.`);
      }
    }
  }
  return schema;
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** YYYY-MM-DD naming a day that exists (so 2025-02-29 does not). */
export function isCalendarDate(text: string): boolean {
  const match = DATE.exec(text);
  if (match === null) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  return month >= 1 && month <= 12 && day >= 1 && day <= DAYS_IN_MONTH[month - 1] + (month === 2 && leap ? 1 : 0);
}
const compiled = new Map<string, RegExp>();

function patternOf(source: string): RegExp {
  let pattern = compiled.get(source);
  if (pattern === undefined) compiled.set(source, (pattern = new RegExp(source)));
  return pattern;
}

/**
 * Checks one raw value against its rule and returns the value as it goes into the certificate (trimmed text,
 * numbers as numbers), or a short description of what is wrong.
 */
export function coerceField(rule: FieldRule, raw: string): { value: FieldValue } | { problem: string } {
  const text = raw.trim();
  if (text.length > rule.maxLength) return { problem: `is longer than ${rule.maxLength} characters` };
  switch (rule.type) {
    case "string":
      if (rule.pattern !== undefined && !patternOf(rule.pattern).test(text)) return { problem: `"${text}" does not match ${rule.pattern}` };
      return { value: text };
    case "enum":
      return rule.values!.includes(text) ? { value: text } : { problem: `"${text}" is not one of ${rule.values!.join(", ")}` };
    case "date":
      return isCalendarDate(text) ? { value: text } : { problem: `"${text}" is not a date (YYYY-MM-DD)` };
    case "number":
    case "integer": {
      const number = Number(text);
      if (text === "" || !Number.isFinite(number)) return { problem: `"${text}" is not a number` };
      if (rule.type === "integer" && !Number.isInteger(number)) return { problem: `"${text}" is not a whole number` };
      if (rule.min !== undefined && number < rule.min) return { problem: `${number} is below ${rule.min}` };
      if (rule.max !== undefined && number > rule.max) return { problem: `${number} is above ${rule.max}` };
      return { value: number };
    }
  }
}

/** Whether a schema prints this field: those it marks `printed`, or every field when it marks none. */
export function isPrinted(schema: CertificateSchema, name: string): boolean {
  const marked = Object.values(schema.fields).some((rule) => rule.printed !== undefined);
  return marked ? schema.fields[name]?.printed === true : name in schema.fields;
}

/** A schema as a reader of its certificates needs it: labels, and what the paper prints. */
export function labelsOf(schema: CertificateSchema): SchemaLabels {
  const fields = Object.fromEntries(Object.entries(schema.fields).map(([name, rule]) => [name, { label: fieldLabel(name, rule.label), printed: isPrinted(schema, name) }]));
  return { id: schema.id, title: schema.title, fields };
}

/** The certificate schemas a service knows (`serve --schemas`), by id: each `*.schema.json` of a folder. */
export function loadSchemas(folder: string): Map<string, CertificateSchema> {
  let files: string[];
  try {
    files = fs.readdirSync(folder).filter((file) => file.endsWith(".schema.json"));
  } catch {
    throw new InputError(`Cannot read the folder of certificate schemas ${folder}.`);
  }
  const schemas = new Map<string, CertificateSchema>();
  for (const file of files) {
    const schema = readSchema(path.join(folder, file));
    if (schemas.has(schema.id)) throw new InputError(`Two schema files in ${folder} have the id "${schema.id}".`);
    schemas.set(schema.id, schema);
  }
  return schemas;
}
