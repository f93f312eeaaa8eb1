import { InputError } from "../errors";
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
  return `${base}#${CERTIFICATE_LINK_PREFIX}${toBase64Url(packCertificate(certificate))}`;
}

/** The certificate a link's fragment carries (with or without its leading `#`), as the JSON of its file. */
export function certificateFromFragment(fragment: string): unknown {
  const body = fragment.replace(/^#/, "");
  if (!body.startsWith(CERTIFICATE_LINK_PREFIX)) throw new InputError("This link does not carry a Sakshya certificate.");
  let bytes: Uint8Array;
  try {
    bytes = fromBase64Url(body.slice(CERTIFICATE_LINK_PREFIX.length));
    return unpackCertificate(bytes);
  } catch (error) {
    if (error instanceof InputError) throw error;
    throw new InputError("This link is damaged: part of it is missing or changed.");
  }
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

export function unpackCertificate(bytes: Uint8Array): unknown {
  const input = new Reader(bytes);
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
  input.end();
  // fromEntries defines each name as an own field, so a field called __proto__ stays a field.
  return { format: CERTIFICATE_FORMAT, schema, issuer, fields: Object.fromEntries(fields), salts: Object.fromEntries(salts), redacted, proof: { index, targetHash, root, siblings }, anchor: { chainId, registry } };
}

class Writer {
  private readonly parts: number[] = [];
  private static readonly encoder = new TextEncoder();

  varint(value: number): void {
    let rest = value;
    while (rest >= 0x80) {
      this.parts.push((rest % 0x80) | 0x80);
      rest = Math.floor(rest / 0x80);
    }
    this.parts.push(rest);
  }

  text(value: string): void {
    const bytes = Writer.encoder.encode(value);
    this.varint(bytes.length);
    this.parts.push(...bytes);
  }

  hex(value: string, length: number): void {
    const digits = value.replace(/^0x/, "");
    if (digits.length !== 2 * length) throw new InputError(`A certificate hash or address has the wrong length (${digits.length / 2} bytes, not ${length}).`);
    for (let i = 0; i < length; i++) this.parts.push(parseInt(digits.slice(2 * i, 2 * i + 2), 16));
  }

  hashes(values: readonly string[]): void {
    this.varint(values.length);
    for (const value of values) this.hex(value, 32);
  }

  bytes(): Uint8Array {
    return Uint8Array.from(this.parts);
  }
}

class Reader {
  private at = 0;
  private static readonly decoder = new TextDecoder("utf-8", { fatal: true });

  constructor(private readonly input: Uint8Array) {}

  private take(length: number): Uint8Array {
    if (this.at + length > this.input.length) throw new RangeError("past the end");
    const part = this.input.subarray(this.at, this.at + length);
    this.at += length;
    return part;
  }

  varint(): number {
    let value = 0;
    for (let scale = 1; ; scale *= 0x80) {
      const [byte] = this.take(1);
      value += (byte & 0x7f) * scale;
      if (byte < 0x80) return value;
      if (scale > 2 ** 42) throw new RangeError("number too long");
    }
  }

  text(): string {
    return Reader.decoder.decode(this.take(this.varint()));
  }

  hex(length: number): string {
    return `0x${Array.from(this.take(length), (b) => b.toString(16).padStart(2, "0")).join("")}`;
  }

  hashes(): string[] {
    const count = this.varint();
    if (count > 64) throw new RangeError("too many hashes");
    return Array.from({ length: count }, () => this.hex(32));
  }

  end(): void {
    if (this.at !== this.input.length) throw new RangeError("bytes left over");
  }
}

const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/** RFC 4648 §5 base64url without padding; written out because browsers' btoa works on strings, not bytes. */
export function toBase64Url(bytes: Uint8Array): string {
  let out = "";
  for (let i = 0; i < bytes.length; i += 3) {
    const chunk = (bytes[i] << 16) | ((bytes[i + 1] ?? 0) << 8) | (bytes[i + 2] ?? 0);
    const chars = Math.min(4, Math.ceil(((bytes.length - i) * 8) / 6));
    for (let c = 0; c < chars; c++) out += ALPHABET[(chunk >> (18 - 6 * c)) & 63];
  }
  return out;
}

export function fromBase64Url(text: string): Uint8Array {
  if (!/^[A-Za-z0-9_-]*$/.test(text) || text.length % 4 === 1) throw new RangeError("not base64url");
  const out = new Uint8Array(Math.floor((text.length * 6) / 8));
  let bits = 0;
  let value = 0;
  let at = 0;
  for (const char of text) {
    value = ((value << 6) | ALPHABET.indexOf(char)) & 0xffffff;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[at++] = (value >> bits) & 0xff;
    }
  }
  return out;
}
