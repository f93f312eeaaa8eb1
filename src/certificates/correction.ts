import { InputError } from "../errors";
import type { Keccak } from "../hashing/keccak";
import { buildBatch, identityHash, type BuiltBatch } from "./batch";
import type { CertificateFile } from "./document";
import type { IssuedLedger } from "./ledger";
import type { CertificateSchema } from "./schema";

/** `field=value` pairs, as given to `cert correct --set`; an empty value removes an optional field. */
export function parseChanges(pairs: readonly string[]): Record<string, string> {
  const changes: Record<string, string> = {};
  for (const pair of pairs) {
    const at = pair.indexOf("=");
    if (at <= 0) throw new InputError(`"${pair}" is not field=value.`);
    changes[pair.slice(0, at).trim()] = pair.slice(at + 1);
  }
  if (Object.keys(changes).length === 0) throw new InputError("Say what to correct, e.g. --set name=\"Amit Roy\".");
  return changes;
}

/**
 * The replacement of an issued certificate with some fields corrected: a batch of one record, fresh salts, the
 * same issuer and registry, whose manifest names the document it replaces. The ledger lets its record through even
 * though the original's identity is already issued (that is the point), and only for that document.
 */
export function buildCorrection(
  certificate: CertificateFile,
  changes: Record<string, string>,
  request: { schema: CertificateSchema; expiresAt: number; ledger: IssuedLedger },
  keccak: Keccak,
): BuiltBatch {
  const { schema } = request;
  if (certificate.redacted.length > 0) throw new InputError("This copy has hidden fields; correct the issuer's full copy of the certificate.");
  if (certificate.schema !== schema.id) throw new InputError(`The certificate follows schema ${certificate.schema}, not ${schema.id}.`);
  const unknown = Object.keys(changes).filter((name) => !(name in schema.fields));
  if (unknown.length > 0) throw new InputError(`Schema ${schema.id} has no field ${unknown.join(", ")}.`);
  const values: Record<string, string> = Object.fromEntries(Object.entries(certificate.fields).map(([name, value]) => [name, String(value)]));
  const changed = Object.keys(changes).filter((name) => (values[name] ?? "") !== changes[name]);
  if (changed.length === 0) throw new InputError("The changes leave every field as it is: there is nothing to correct.");
  for (const name of changed) {
    if (changes[name] === "") delete values[name];
    else values[name] = changes[name];
  }
  const { root, index } = certificate.proof;
  return buildBatch(
    {
      records: [{ line: 1, values }],
      schema,
      issuer: certificate.issuer,
      anchor: certificate.anchor,
      expiresAt: request.expiresAt,
      ledger: request.ledger,
      corrects: { root, index, identity: identityHash(schema, certificate.issuer, certificate.fields, keccak) },
    },
    keccak,
    `the correction of document ${index} of batch ${root}`,
  );
}
