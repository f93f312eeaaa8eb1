import { fragmentLink, fromFragment, type Reader, Writer } from "../io/packing";
import type { CertificateFile } from "./document";
import { CERTIFICATE_FORMAT, SALT_BYTES } from "./document";

/**
 * A certificate's verification link: the public verification page's address with the whole certificate packed
 * into the fragment (`#C1.<base64url>`). A browser never sends the fragment to the server, so a phone camera that
 * opens the link shows the verdict while the fields stay on the phone — the page hashes them there, as it does a
 * dropped file — and the verifier reads the certificate's own fields beside the printed copy. Packed in binary (hashes
 * as bytes, not hex) so the QR code stays as small as the data allows; the layout, version 1:
 *
 *   varint chainId · 20 bytes registry · text issuer · text schema · varint index · 32 target hash · 32 root ·
 *   varint n + n × 32 siblings · varint n + n × 32 redacted hashes ·
 *   varint n + n × (text name · text value as JSON · 16 bytes salt)
 *
 * where text is a varint length and UTF-8 bytes, and a varint is 7 bits a byte, low bits first.
 */
export const CERTIFICATE_LINK_PREFIX = "C1.";

/** The link a certificate's QR code carries. `base` is the page's address, as `verifyPageAddress` gives it. */
export function certificateLink(certificate: CertificateFile, base: string): string {
  return fragmentLink(base, CERTIFICATE_LINK_PREFIX, packCertificate(certificate));
}

/** The certificate a link's fragment carries (with or without its leading `#`), as the JSON of its file. */
export function certificateFromFragment(fragment: string): unknown {
  return fromFragment(fragment, CERTIFICATE_LINK_PREFIX, "a Sakshya certificate", unpackCertificate);
}

export function packCertificate(certificate: CertificateFile): Uint8Array {
  const out = new Writer();
  out.varint(certificate.anchor.chainId);
  out.hex(certificate.anchor.registry, 20);
  out.text(certificate.issuer);
  out.text(certificate.schema);
  out.varint(certificate.proof.index);
  out.hex(certificate.proof.targetHash, 32);
  out.hex(certificate.proof.root, 32);
  out.hashes(certificate.proof.siblings);
  out.hashes(certificate.redacted);
  const names = Object.keys(certificate.fields);
  out.varint(names.length);
  for (const name of names) {
    out.text(name);
    out.text(JSON.stringify(certificate.fields[name]));
    out.hex(certificate.salts[name] ?? `0x${"00".repeat(SALT_BYTES)}`, SALT_BYTES);
  }
  return out.bytes();
}

function unpackCertificate(input: Reader): unknown {
  const chainId = input.varint();
  const registry = input.hex(20);
  const issuer = input.text();
  const schema = input.text();
  const index = input.varint();
  const targetHash = input.hex(32);
  const root = input.hex(32);
  const siblings = input.hashes();
  const redacted = input.hashes();
  const fields: Array<[string, unknown]> = [];
  const salts: Array<[string, string]> = [];
  for (let n = input.varint(); n > 0; n--) {
    const name = input.text();
    fields.push([name, JSON.parse(input.text())]);
    salts.push([name, input.hex(SALT_BYTES)]);
  }
  // fromEntries defines each name as an own field, so a field called __proto__ stays a field.
  return { format: CERTIFICATE_FORMAT, schema, issuer, fields: Object.fromEntries(fields), salts: Object.fromEntries(salts), redacted, proof: { index, targetHash, root, siblings }, anchor: { chainId, registry } };
}
