import { InputError } from "../errors";

// Compact binary packing for what a QR code carries (verification links): varints, UTF-8 texts, fixed-size hex
// values, and base64url. Pure, so browsers run it as the command line does; every read past the end, or a value out
// of range, throws a RangeError for the caller to turn into its own sentence.

/** Writes values one after another; `bytes()` gives them. A varint is 7 bits a byte, low bits first. */
export class Writer {
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
    if (digits.length !== 2 * length) throw new InputError(`A hash or address has the wrong length (${digits.length / 2} bytes, not ${length}).`);
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

/** Reads what a {@link Writer} wrote, in the same order; `end()` insists nothing is left over. */
export class Reader {
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

/** `<page>#<prefix><base64url(bytes)>`: what a verification link looks like, whatever it carries. */
export function fragmentLink(page: string, prefix: string, bytes: Uint8Array): string {
  return `${page}#${prefix}${toBase64Url(bytes)}`;
}

/**
 * Unpacks what a link's fragment (with or without its `#`) carries after `prefix`, with `unpack`; `what` names it
 * in the sentence for a fragment that carries something else. A damaged link is one sentence, never a crash.
 */
export function fromFragment<T>(fragment: string, prefix: string, what: string, unpack: (input: Reader) => T): T {
  const body = fragment.replace(/^#/, "");
  if (!body.startsWith(prefix)) throw new InputError(`This link does not carry ${what}.`);
  try {
    const input = new Reader(fromBase64Url(body.slice(prefix.length)));
    const value = unpack(input);
    input.end();
    return value;
  } catch {
    throw new InputError("This link is damaged: part of it is missing or changed.");
  }
}
