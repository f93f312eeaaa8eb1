import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { z } from "zod";
import { InputError } from "../errors";
import { BackgroundWriter } from "../io/background-writer";
import { qrModules, qrSvg } from "../io/qr-code";
import { canonicalJson } from "../hashing/canonical-json";
import type { Keccak } from "../hashing/keccak";
import { CERTIFICATE_FORMAT, SALT_BYTES, fieldHash, headerHash, redact, targetHash, type CertificateFile } from "./document";
import type { IssuedLedger } from "./ledger";
import { MerkleBatchTree, hex } from "./merkle";
import { certificateLink } from "./link";
import type { PrintOptions } from "./print";
import { LINKS_FILE, PDF_DIR, QR_DIR } from "./qr";
import type { SourceRecord } from "./records";
import { coerceField, isPrinted, type CertificateSchema, type FieldValue } from "./schema";
import { isoNow } from "../io/time";

export const BATCH_FORMAT = "sakshya-batch/1";
export const MANIFEST_FILE = "batch.json";
export const CERTIFICATES_DIR = "certificates";

export const manifestSchema = z.object({
  format: z.literal(BATCH_FORMAT),
  root: z.string().regex(/^0x[0-9a-f]{64}$/),
  documentCount: z.number().int().positive(),
  expiresAt: z.number().int().nonnegative(),
  schema: z.string(),
  issuer: z.string(),
  anchor: z.object({ chainId: z.number().int().positive(), registry: z.string() }),
  /** Identity hash of each record, by document index: what the ledger keeps once the batch is issued. */
  identities: z.array(z.string()),
  /** Documents of this batch that correct documents of an earlier batch of the issuer (`cert correct`). */
  corrects: z.array(z.object({ index: z.number().int().nonnegative(), root: z.string().regex(/^0x[0-9a-f]{64}$/), oldIndex: z.number().int().nonnegative() })).optional(),
  /** Where its printed short codes point: the issuer's directory id and the batch's code slot (see codes/short-code). */
  codes: z.object({ issuerOrgId: z.number().int().positive(), slot: z.number().int().nonnegative() }).optional(),
  createdAt: z.string(),
});
export type BatchManifest = z.infer<typeof manifestSchema>;

export interface Anchor {
  readonly chainId: number;
  readonly registry: string;
}

export interface BatchRequest {
  readonly records: readonly SourceRecord[];
  readonly schema: CertificateSchema;
  /** The issuing organisation's directory code, bound into every certificate's header. */
  readonly issuer: string;
  readonly anchor: Anchor;
  /** Unix seconds, 0 for never. */
  readonly expiresAt: number;
  readonly ledger?: IssuedLedger;
  /**
   * A one-record batch correcting an issued document: the record may carry that document's identity, which the
   * ledger would otherwise refuse as issued before, and the manifest names the document it replaces.
   */
  readonly corrects?: { readonly root: string; readonly index: number; readonly identity: string };
  readonly onProgress?: (done: number, total: number) => void;
}

export interface RowProblem {
  readonly line: number;
  readonly problem: string;
}

/** The whole batch is refused; `problems` names every bad row by its line. */
export class BatchRejectedError extends InputError {
  constructor(
    readonly source: string,
    readonly problems: readonly RowProblem[],
  ) {
    const shown = problems.slice(0, 20).map((p) => `\n  line ${p.line}: ${p.problem}`).join("");
    const more = problems.length > 20 ? `\n  … and ${problems.length - 20} more` : "";
    super(`${source}: ${problems.length} bad record${problems.length === 1 ? "" : "s"}, nothing was built:${shown}${more}`);
  }
}

export interface BuiltBatch {
  readonly manifest: BatchManifest;
  /** File name (without extension) of each certificate, by document index. */
  readonly names: readonly string[];
  /** The certificate file of one document; made on demand, since a large batch's files do not all fit in memory. */
  certificate(index: number): CertificateFile;
  /**
   * The certificate as its paper carries it in the QR code: every field the schema does not print is redacted (its
   * salted hash stays, so it still verifies), so that scanning the paper discloses only what the paper shows.
   */
  printedCertificate(index: number): CertificateFile;
}

/**
 * Hash of the fields that identify a record, normalised so that neither case, spacing nor the way a script's letters
 * were typed hides a duplicate: Unicode NFC first ("য়" typed as one character or as য + nukta is the same letter).
 */
export function identityHash(schema: CertificateSchema, issuer: string, fields: Record<string, FieldValue>, keccak: Keccak): string {
  const key = schema.identity.map((name) => String(fields[name]).normalize("NFC").trim().replace(/\s+/g, " ").toLowerCase());
  return hex(keccak(Buffer.from(canonicalJson(["sakshya-identity/1", schema.id, issuer, key]), "utf8")));
}

/**
 * Validates every record, refuses the whole batch if any is bad (listing each by line), then salts and hashes each
 * record into a certificate and proves it in one Merkle tree.
 */
export function buildBatch(request: BatchRequest, keccak: Keccak, source = "records"): BuiltBatch {
  const { schema, records } = request;
  if (records.length === 0) throw new InputError(`${source} holds no records.`);
  if (request.corrects && records.length !== 1) throw new RangeError("A correction batch holds exactly one record.");
  const problems: RowProblem[] = [];
  const known = new Set(Object.keys(schema.fields));
  const unknownColumns = Object.keys(records[0].values).filter((column) => !known.has(column));
  if (unknownColumns.length > 0) {
    problems.push({ line: records[0].line, problem: `unknown field${unknownColumns.length > 1 ? "s" : ""} ${unknownColumns.join(", ")} (not in schema ${schema.id})` });
  }
  const rows: Record<string, FieldValue>[] = [];
  const identities: string[] = [];
  const firstLineOf = new Map<string, number>();
  const rules = Object.entries(schema.fields);
  for (const record of records) {
    const fields: Record<string, FieldValue> = {};
    const rowProblems: string[] = [];
    for (const [name, rule] of rules) {
      const raw = record.values[name] ?? "";
      if (raw.trim() === "") {
        if (rule.required) rowProblems.push(`${name} is missing`);
        continue;
      }
      const result = coerceField(rule, raw);
      if ("problem" in result) rowProblems.push(`${name} ${result.problem}`);
      else fields[name] = result.value;
    }
    // A row with other faults can still duplicate another: check identity whenever its identity fields are sound.
    const identity = schema.identity.every((name) => name in fields) ? identityHash(schema, request.issuer, fields, keccak) : "";
    const earlier = identity ? firstLineOf.get(identity) : undefined;
    const corrected = request.corrects !== undefined && identity === request.corrects.identity;
    const issuedIn = identity && !corrected ? request.ledger?.issuedIn(identity) : undefined;
    if (earlier !== undefined) rowProblems.push(`duplicate of line ${earlier} (${schema.identity.join(", ")})`);
    else if (issuedIn !== undefined) rowProblems.push(`already issued in batch ${issuedIn}`);
    else if (identity) firstLineOf.set(identity, record.line);
    if (rowProblems.length > 0) problems.push({ line: record.line, problem: rowProblems.join("; ") });
    rows.push(fields);
    identities.push(identity);
  }
  if (problems.length > 0) throw new BatchRejectedError(source, problems.sort((a, b) => a.line - b.line));

  const header = { schema: schema.id, issuer: request.issuer };
  const headerDigest = headerHash(header, keccak);
  // Salts stay in one pool and become hex only when a certificate is written: 800,000 small strings for a
  // 100,000-record batch would cost more in garbage collection than all the hashing.
  const saltStart = new Uint32Array(rows.length + 1);
  rows.forEach((fields, index) => (saltStart[index + 1] = saltStart[index] + Object.keys(fields).length * SALT_BYTES));
  const saltPool = crypto.randomBytes(saltStart[rows.length]);
  const targets = Buffer.allocUnsafe(32 * rows.length);
  rows.forEach((fields, index) => {
    let offset = saltStart[index];
    const hashes: Uint8Array[] = [];
    for (const name in fields) {
      hashes.push(fieldHash(name, fields[name], saltPool.subarray(offset, offset + SALT_BYTES), keccak));
      offset += SALT_BYTES;
    }
    targets.set(targetHash(headerDigest, hashes, keccak), 32 * index);
    if (index % 1000 === 999) request.onProgress?.(index + 1, rows.length);
  });
  const tree = MerkleBatchTree.build(targets, keccak);
  const root = tree.root;
  const saltsOf = (index: number): Record<string, string> => {
    const salts: Record<string, string> = {};
    let offset = saltStart[index];
    for (const name in rows[index]) {
      salts[name] = `0x${saltPool.toString("hex", offset, offset + SALT_BYTES)}`;
      offset += SALT_BYTES;
    }
    return salts;
  };
  const certificate = (index: number): CertificateFile => ({
    format: CERTIFICATE_FORMAT,
    ...header,
    fields: rows[index],
    salts: saltsOf(index),
    redacted: [],
    proof: { index, targetHash: `0x${targets.toString("hex", 32 * index, 32 * index + 32)}`, root, siblings: tree.proof(index) },
    anchor: { chainId: request.anchor.chainId, registry: request.anchor.registry },
  });
  request.onProgress?.(rows.length, rows.length);
  const width = String(rows.length - 1).length;
  const names = rows.map((fields, index) =>
    schema.fileName ? safeFileName(String(fields[schema.fileName])) : String(index).padStart(width, "0"),
  );
  const manifest: BatchManifest = {
    format: BATCH_FORMAT,
    root,
    documentCount: rows.length,
    expiresAt: request.expiresAt,
    ...header,
    anchor: { ...request.anchor },
    identities,
    ...(request.corrects ? { corrects: [{ index: 0, root: request.corrects.root, oldIndex: request.corrects.index }] } : {}),
    createdAt: isoNow(),
  };
  const unprinted = Object.keys(schema.fields).filter((name) => !isPrinted(schema, name));
  const printedCertificate = (index: number): CertificateFile => {
    const whole = certificate(index);
    return redact(whole, unprinted.filter((name) => name in whole.fields), keccak);
  };
  return { manifest, names, certificate, printedCertificate };
}

function safeFileName(value: string): string {
  return value.replace(/[^A-Za-z0-9._-]+/g, "_").slice(0, 100);
}

/**
 * Writes the batch into a new folder: the manifest, one certificate file per record and, on request, its QR code.
 * Everything goes into a temporary folder renamed into place at the end, so a
 * crash never leaves half a batch that looks whole; an existing folder is never overwritten.
 */
export interface WriteOptions {
  /**
   * The verification page's address (checked by `verificationBase`): each certificate's QR code, `qr/<name>.svg`,
   * carries its link to that page. No QR codes without it.
   */
  readonly verifyPage?: string;
  /** Writes each certificate's printable PDF too, as `pdf/<name>.pdf` (needs `verifyPage`). */
  readonly pdf?: Omit<PrintOptions, "page" | "code"> & { readonly code: (index: number) => string };
  readonly onProgress?: (done: number, total: number) => void;
  /**
   * Writer threads; by default two for batches of 2,000 or more, none (write in line) below. Pass 0 in a process
   * that has Hardhat's EDR loaded: worker threads there crashed the process (Node's napi_threadsafe_function bug,
   * NomicFoundation/hardhat#8322).
   */
  readonly threads?: number;
}

const THREADED_FROM = 2_000;

/** pdfkit takes a sixth of a second to load: only a batch that prints loads it. */
const printer = () => import("./print");

export async function writeBatch(outDir: string, batch: BuiltBatch, { verifyPage, pdf, onProgress, threads }: WriteOptions = {}): Promise<void> {
  if (pdf && !verifyPage) throw new InputError("A printed certificate carries its QR code: give the verification page's address too.");
  const staging = claimStaging(outDir);
  fs.mkdirSync(path.join(staging, CERTIFICATES_DIR));
  if (verifyPage) fs.mkdirSync(path.join(staging, QR_DIR));
  // Each certificate's verification link (what its QR code carries), to open or send without scanning.
  const links = verifyPage ? fs.openSync(path.join(staging, LINKS_FILE), "w") : undefined;
  if (links !== undefined) fs.writeSync(links, "file,index,link\n");
  if (pdf) fs.mkdirSync(path.join(staging, PDF_DIR));
  const total = batch.manifest.documentCount;
  const threadCount = threads ?? (total >= THREADED_FROM ? 2 : 0);
  const writer = threadCount > 0 ? new BackgroundWriter(threadCount) : undefined;
  try {
    const seen = new Set<string>();
    for (let index = 0; index < total; index++) {
      let name = batch.names[index];
      if (seen.has(name)) name = `${name}-${index}`;
      seen.add(name);
      const certificate = batch.certificate(index);
      const file = path.join(staging, CERTIFICATES_DIR, `${name}.json`);
      const text = `${JSON.stringify(certificate, null, 1)}\n`;
      if (writer) await writer.write(file, text);
      else fs.writeFileSync(file, text);
      if (verifyPage) {
        // What is printed discloses only what the paper shows: the QR code carries the printed fields alone.
        const printed = batch.printedCertificate(index);
        const image = path.join(staging, QR_DIR, `${name}.svg`);
        const link = certificateLink(printed, verifyPage);
        fs.writeSync(links!, `${name},${index},${link}\n`);
        if (writer) await writer.writeQrCode(image, link);
        else fs.writeFileSync(image, qrSvg(qrModules(link)));
        if (pdf) await (await printer()).writeCertificatePdf(printed, path.join(staging, PDF_DIR, `${name}.pdf`), { ...pdf, page: verifyPage, code: pdf.code(index) });
      }
      if (index % 1000 === 999) onProgress?.(index + 1, total);
    }
    await writer?.close();
    if (links !== undefined) fs.closeSync(links);
    fs.writeFileSync(path.join(staging, MANIFEST_FILE), `${JSON.stringify(batch.manifest, null, 2)}\n`);
    fs.rmSync(path.join(staging, OWNER_FILE));
    // rename(2) replaces an empty folder and refuses a non-empty one: a batch never lands on top of another.
    try {
      fs.renameSync(staging, outDir);
    } catch {
      throw new InputError(`${outDir} was filled by something else while the batch was written; nothing was written there.`);
    }
    fs.chmodSync(outDir, 0o755);
    onProgress?.(total, total);
  } catch (error) {
    await writer?.close().catch(() => undefined);
    if (links !== undefined) fs.closeSync(links);
    fs.rmSync(staging, { recursive: true, force: true });
    throw error;
  }
}

/** Names the process writing a staging folder, so a later run can tell a live writer from a dead one's leftovers. */
const OWNER_FILE = ".owner";
const STAGING_SUFFIX = ".partial";

/**
 * Claims `<outDir>.partial` for this run: created exclusively (so of two runs writing the same batch folder, the
 * second is refused), readable by its owner only (it holds names, dates of birth and salts until the batch is
 * whole). Staging folders left beside it by runs that died are removed first.
 */
function claimStaging(outDir: string): string {
  const out = outDir.replace(/[\\/]+$/, "");
  if (fs.existsSync(out)) {
    if (!fs.statSync(out).isDirectory()) throw new InputError(`${out} is a file; choose a new folder for the batch.`);
    if (fs.readdirSync(out).length > 0) throw new InputError(`${out} already exists and is not empty; choose a new folder for the batch.`);
  }
  const parent = path.dirname(path.resolve(out));
  // batches/2026-june in a fresh clone: the folders above the batch's are made, as `mkdir -p` would.
  fs.mkdirSync(parent, { recursive: true });
  removeDeadStaging(parent);
  const staging = `${out}${STAGING_SUFFIX}`;
  try {
    fs.mkdirSync(staging, { mode: 0o700 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EEXIST") throw new InputError(`Another cert batch is writing ${out} now; wait for it, or choose another folder.`);
    throw error;
  }
  fs.writeFileSync(path.join(staging, OWNER_FILE), String(process.pid));
  return staging;
}

/** Removes `*.partial` staging folders in `dir` whose writer is no longer running. */
function removeDeadStaging(dir: string): void {
  for (const name of fs.readdirSync(dir)) {
    if (!name.endsWith(STAGING_SUFFIX)) continue;
    const staging = path.join(dir, name);
    let owner: number;
    try {
      owner = Number(fs.readFileSync(path.join(staging, OWNER_FILE), "utf8"));
    } catch {
      continue; // not ours, or finished this instant
    }
    if (Number.isInteger(owner) && owner > 0 && !processRuns(owner)) fs.rmSync(staging, { recursive: true, force: true });
  }
}

function processRuns(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

export function readManifest(dir: string): BatchManifest {
  const file = path.join(dir, MANIFEST_FILE);
  let json: unknown;
  try {
    json = JSON.parse(fs.readFileSync(file, "utf8"));
  } catch {
    throw new InputError(`${dir} is not a batch folder: ${MANIFEST_FILE} is missing or not valid JSON.`);
  }
  const parsed = manifestSchema.safeParse(json);
  if (!parsed.success) throw new InputError(`${file} is malformed: ${parsed.error.issues[0].path.join(".")} ${parsed.error.issues[0].message}.`);
  return parsed.data;
}
