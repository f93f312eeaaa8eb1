import fs from "node:fs";
import { keccak256, toUtf8Bytes } from "ethers";
import { InputError } from "../errors";

/** Ways a user names a piece of off-chain evidence (metadata, a decision, an order): only its hash goes on chain. */
export interface EvidenceSource {
  hash?: string;
  file?: string;
  text?: string;
}

/** keccak256 of the file's bytes or the text's UTF-8 bytes, or the given hash; exactly one must be given. */
export function evidenceHash(source: EvidenceSource, what: string): string {
  const given = [source.hash, source.file, source.text].filter((v) => v !== undefined);
  if (given.length !== 1) throw new InputError(`Give the ${what} exactly once: as text, as a file, or as a hash.`);
  if (source.hash !== undefined) {
    if (!/^0x[0-9a-fA-F]{64}$/.test(source.hash)) throw new InputError(`The ${what} hash must be 0x followed by 64 hex digits.`);
    return source.hash.toLowerCase();
  }
  if (source.file !== undefined) {
    let bytes: Buffer;
    try {
      bytes = fs.readFileSync(source.file);
    } catch {
      throw new InputError(`Cannot read the ${what} file ${source.file}.`);
    }
    return keccak256(bytes);
  }
  if (source.text!.trim() === "") throw new InputError(`The ${what} must not be empty.`);
  return keccak256(toUtf8Bytes(source.text!));
}
