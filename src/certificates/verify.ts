import fs from "node:fs";
import path from "node:path";
import { InputError } from "../errors";
import type { Keccak } from "../hashing/keccak";
import { collectFiles, type SkipNotice } from "../io/walk";
import { verifyCertificateTexts, type IssuerLookup, type StatusRegistry, type Verdict } from "./checks";
import { parseCertificate, parseJson, type CertificateFile } from "./document";

/**
 * Certificate files named directly, or every `.json` under a folder except batch manifests. A symbolic-link loop is
 * passed over with a notice (the rest is still verified; the caller says not everything was checked).
 */
export function collectCertificateFiles(targets: readonly string[], onSkip?: SkipNotice): string[] {
  const files = collectFiles(targets, (relative) => relative.endsWith(".json") && path.posix.basename(relative) !== "batch.json", onSkip, { skipLoops: true });
  if (files.length === 0) throw new InputError(`${targets.join(", ")} hold${targets.length === 1 ? "s" : ""} no certificate files.`);
  return files;
}

/** {@link verifyCertificateTexts} over certificate files, each read when its check starts. */
export function verifyCertificates(
  files: readonly string[],
  client: StatusRegistry,
  issuerId: IssuerLookup,
  keccak: Keccak,
  onProgress?: (done: number, total: number) => void,
): Promise<Verdict[]> {
  return verifyCertificateTexts(
    files.map((file) => ({ file, json: () => parseJson(fs.readFileSync(file, "utf8"), path.basename(file)) })),
    client,
    issuerId,
    keccak,
    onProgress,
  );
}

/** A certificate file read and checked; a missing file is one sentence, like a malformed one. */
export function readCertificate(file: string): CertificateFile {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch {
    throw new InputError(`"${file}" does not exist.`);
  }
  return parseCertificate(text, path.basename(file));
}
