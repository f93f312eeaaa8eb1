import { randomBytes } from "node:crypto";
import fs from "node:fs";
import { SigningKey, computeAddress } from "ethers";
import { InputError } from "../errors";

/** A node's secp256k1 key pair as Besu uses it: the public key is the enode id, its address the validator address. */
export interface NodeKey {
  readonly privateKey: string;
  /** 128 hex digits, no prefix: the id in `enode://<id>@host:port`. */
  readonly enodeId: string;
  readonly address: string;
}

function fromPrivateKey(privateKey: string): NodeKey {
  const signing = new SigningKey(privateKey);
  return { privateKey: signing.privateKey, enodeId: signing.publicKey.slice(4), address: computeAddress(signing.publicKey) };
}

export function newNodeKey(): NodeKey {
  for (;;) {
    try {
      return fromPrivateKey(`0x${randomBytes(32).toString("hex")}`);
    } catch {
      // Zero or above the curve order: draw again (a chance of about 2^-128).
    }
  }
}

/** The `key` file Besu writes and reads: one line, the private key as 0x-prefixed hex, nothing else. */
export function nodeKeyFileText(key: NodeKey): string {
  return key.privateKey;
}

/** Reads a Besu `key` file the way Besu does (exactly one line of 32 bytes of hex), naming the file when it is not. */
export function readNodeKeyFile(file: string): NodeKey {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch {
    throw new InputError(`Cannot read the node key file ${file}.`);
  }
  const lines = text.split(/\r?\n/).filter((line, i, all) => line !== "" || i < all.length - 1);
  const hex = lines.length === 1 ? lines[0].trim().replace(/^0x/i, "") : "";
  if (!/^[0-9a-fA-F]{64}$/.test(hex)) throw new InputError(`${file} is not a Besu node key file: it must hold one line of 32 bytes in hex.`);
  try {
    return fromPrivateKey(`0x${hex.toLowerCase()}`);
  } catch {
    throw new InputError(`${file} does not hold a valid secp256k1 private key.`);
  }
}
