import fs from "node:fs";
import path from "node:path";
import { Wallet, getAddress, isHexString } from "ethers";
import { InputError } from "../errors";

/** An encrypted JSON keystore (Web3 Secret Storage v3) and the address it holds. */
export interface Keystore {
  readonly address: string;
  readonly json: string;
}

const MIN_PASSWORD_LENGTH = 8;

function requireStrongEnough(password: string): void {
  if (password.length < MIN_PASSWORD_LENGTH) {
    throw new InputError(`A keystore password must have at least ${MIN_PASSWORD_LENGTH} characters.`);
  }
}

/** Creates a new random key, encrypted with `password`. */
export async function createKeystore(password: string): Promise<Keystore> {
  requireStrongEnough(password);
  const wallet = Wallet.createRandom();
  return { address: wallet.address, json: await wallet.encrypt(password) };
}

/** Encrypts an existing private key (hex, with or without 0x) with `password`. */
export async function importPrivateKey(privateKey: string, password: string): Promise<Keystore> {
  requireStrongEnough(password);
  const hex = privateKey.trim().startsWith("0x") ? privateKey.trim() : `0x${privateKey.trim()}`;
  if (!isHexString(hex, 32)) throw new InputError("The private key must be 32 bytes of hexadecimal.");
  let wallet: Wallet;
  try {
    wallet = new Wallet(hex);
  } catch {
    throw new InputError("The private key is not a valid secp256k1 key.");
  }
  return { address: wallet.address, json: await wallet.encrypt(password) };
}

/** Reads the address a keystore holds without decrypting it. */
export function keystoreAddress(file: string): string {
  const json = readKeystoreFile(file);
  const parsed = JSON.parse(json) as { address?: unknown };
  const address = typeof parsed.address === "string" ? (parsed.address.startsWith("0x") ? parsed.address : `0x${parsed.address}`) : "";
  if (!isHexString(address, 20)) throw new InputError(`The keystore ${file} does not name its address.`);
  return getAddress(address.toLowerCase());
}

function readKeystoreFile(file: string): string {
  let json: string;
  try {
    json = fs.readFileSync(file, "utf8");
  } catch {
    throw new InputError(`No keystore file at "${file}".`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    throw new InputError(`The keystore ${file} is not valid JSON.`);
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) throw new InputError(`The keystore ${file} is not an encrypted key: it holds no JSON object.`);
  return json;
}

/** Decrypts a keystore file; a wrong password is a plain input error, never a stack trace. */
export async function decryptKeystore(file: string, password: string): Promise<Wallet> {
  const json = readKeystoreFile(file);
  try {
    const wallet = await Wallet.fromEncryptedJson(json, password);
    return new Wallet(wallet.privateKey);
  } catch (error) {
    const message = error instanceof Error ? error.message : "";
    if (/password/i.test(message)) throw new InputError(`Wrong password for keystore ${file}.`);
    throw new InputError(`The keystore ${file} could not be read: it is not a valid encrypted key.`);
  }
}

/** Writes a keystore readable by its owner only; an existing file is never overwritten. */
export function writeKeystore(file: string, keystore: Keystore): void {
  fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  try {
    fs.writeFileSync(file, keystore.json, { mode: 0o600, flag: "wx" });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EEXIST") {
      throw new InputError(`${file} already exists; refusing to overwrite a keystore.`);
    }
    throw new InputError(`Could not write the keystore to ${file}.`);
  }
}
