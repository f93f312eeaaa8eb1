import { z } from "zod/v4";
import { canonicalJson, type JsonValue } from "../hashing/canonical-json";
import type { Keccak } from "../hashing/keccak";
import { InputError } from "../errors";
import { hex } from "./merkle";

export const CERTIFICATE_FORMAT = "sakshya-certificate/1";
export const SALT_BYTES = 16;

const hash32 = z.string().regex(/^0x[0-9a-f]{64}$/, "must be a 32-byte lowercase hex hash");
/**
 * Schemas only produce text and numbers (see schema.ts); anything else in a file is not ours. One type check, not a
 * union: a union tries text first and builds an error for every number before it tries the number.
 */
const fieldValue = z.custom<string | number>((value) => typeof value === "string" || (typeof value === "number" && Number.isFinite(value)), "must be text or a number");

export const certificateSchema = z
  .object({
    format: z.literal(CERTIFICATE_FORMAT),
    /** Header: bound into the target hash and never redacted. */
    schema: z.string().min(1),
    issuer: z.string().min(1),
    fields: z.record(z.string(), fieldValue),
    salts: z.record(z.string(), z.string().regex(new RegExp(`^0x[0-9a-f]{${SALT_BYTES * 2}}$`), "must be a 16-byte hex salt")),
    redacted: z.array(hash32),
    proof: z.object({
      index: z.number().int().nonnegative(),
      targetHash: hash32,
      root: hash32,
      siblings: z.array(hash32),
    }),
    anchor: z.object({ chainId: z.number().int().positive(), registry: z.string().regex(/^0x[0-9a-fA-F]{40}$/) }),
  })
  .strict();

/**
 * A certificate as its holder keeps it. Each field is hashed with its own salt; the target hash covers the header
 * and the sorted field hashes, so hiding a field (keeping only its hash in `redacted`) leaves the target hash — and
 * with it the proof and the on-chain record — unchanged, while the salt stops anyone guessing the hidden value.
 */
export type CertificateFile = z.infer<typeof certificateSchema>;
export type CertificateHeader = Pick<CertificateFile, "schema" | "issuer">;

let scratch = Buffer.allocUnsafe(4096);

/** `keccak256(salt ‖ canonicalJson([name, value]))`. */
export function fieldHash(name: string, value: JsonValue, salt: Uint8Array, keccak: Keccak): Uint8Array {
  // Spelled out rather than canonicalJson([name, value]): the same bytes without a temporary array per field.
  const body = `[${JSON.stringify(name)},${canonicalJson(value)}]`;
  // A UTF-16 code unit is at most 3 UTF-8 bytes, so this bound saves measuring the string before writing it.
  const bound = salt.length + 3 * body.length;
  if (bound > scratch.length) scratch = Buffer.allocUnsafe(2 * bound);
  // One reused buffer: at hundreds of thousands of fields a second, allocation and garbage collection cost more
  // than the hashing itself.
  scratch.set(salt, 0);
  const length = salt.length + scratch.write(body, salt.length, "utf8");
  return keccak(scratch.subarray(0, length));
}

/** `keccak256(canonical header)`: the same for every certificate of a batch. */
export function headerHash(header: CertificateHeader, keccak: Keccak): Uint8Array {
  return keccak(Buffer.from(canonicalJson({ format: CERTIFICATE_FORMAT, issuer: header.issuer, schema: header.schema }), "utf8"));
}

/** `keccak256(header hash ‖ field hashes in ascending order)`; sorting is what lets any field be hidden. Sorts `fieldHashes` in place. */
export function targetHash(headerDigest: Uint8Array, fieldHashes: Uint8Array[], keccak: Keccak): Uint8Array {
  fieldHashes.sort(Buffer.compare);
  const needed = 32 * (fieldHashes.length + 1);
  if (needed > scratch.length) scratch = Buffer.allocUnsafe(2 * needed);
  scratch.set(headerDigest, 0);
  fieldHashes.forEach((h, i) => scratch.set(h, 32 * (i + 1)));
  return keccak(scratch.subarray(0, needed));
}

/** The target hash a certificate's disclosed fields, salts and redacted hashes add up to. */
export function computeTargetHash(certificate: CertificateFile, keccak: Keccak): string {
  const hashes = Object.keys(certificate.fields).map((name) => {
    const salt = certificate.salts[name];
    if (salt === undefined) throw new InputError(`Field "${name}" has no salt.`);
    return fieldHash(name, certificate.fields[name], Buffer.from(salt.slice(2), "hex"), keccak);
  });
  const extraSalts = Object.keys(certificate.salts).filter((name) => !(name in certificate.fields));
  if (extraSalts.length > 0) throw new InputError(`Salt for "${extraSalts[0]}" has no field.`);
  const redacted = certificate.redacted.map((h) => Buffer.from(h.slice(2), "hex"));
  return hex(targetHash(headerHash(certificate, keccak), [...hashes, ...redacted], keccak));
}

/** Hides fields: each leaves the file and only its salted hash stays. The target hash does not change. */
export function redact(certificate: CertificateFile, names: readonly string[], keccak: Keccak): CertificateFile {
  const fields = { ...certificate.fields };
  const salts = { ...certificate.salts };
  const redacted = [...certificate.redacted];
  for (const name of names) {
    if (!(name in fields)) {
      const known = Object.keys(fields).join(", ") || "none";
      throw new InputError(`The certificate has no disclosed field "${name}" (disclosed: ${known}).`);
    }
    redacted.push(hex(fieldHash(name, fields[name], Buffer.from(salts[name].slice(2), "hex"), keccak)));
    delete fields[name];
    delete salts[name];
  }
  return { ...certificate, fields, salts, redacted: redacted.sort() };
}

/** Parses a certificate file's text, naming the file and the first problem if it is not one. */
export function parseCertificate(text: string, source: string): CertificateFile {
  return certificateOf(parseJson(text, source), source);
}

export function parseJson(text: string, source: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    // The printed certificate is the file a person most often has at hand.
    if (text.startsWith("%PDF-")) throw new InputError(`${source} is a PDF, the printed certificate: verify its .json file instead, or scan the QR code printed on it.`);
    throw new InputError(`${source} is not valid JSON.`);
  }
}

/** A certificate from its parsed JSON, or a sentence naming the first field that is wrong. */
export function certificateOf(json: unknown, source: string): CertificateFile {
  const parsed = certificateSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue.path.length > 0 ? `${issue.path.join(".")}: ` : "";
    throw new InputError(`${source} is not a Sakshya certificate (${where}${issue.message}).`);
  }
  return parsed.data;
}
