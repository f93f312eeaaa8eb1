import fs from "node:fs";
import path from "node:path";
import { InputError } from "../errors";
import type { DirectoryClient } from "../directory/client";
import { decodeCode } from "../directory/vocabulary";
import { readManifest, type BatchManifest } from "./batch";
import type { CertificateClient, DocumentRef, WriteResult } from "./client";
import { parseCertificate } from "./document";
import type { IssuedLedger } from "./ledger";

/** The directory code of the organisation a key signs for, or an error naming why it cannot issue. */
export async function organisationCodeOf(directory: DirectoryClient, account: string): Promise<string> {
  const record = await directory.contract.account(account);
  if (record.orgId === 0n) throw new InputError(`${account} is not a key of any organisation in the directory.`);
  return decodeCode((await directory.contract.organisation(record.orgId)).code);
}

/**
 * Anchors a built batch folder, then records its identities in the ledger. Re-running after a crash (or twice) is
 * safe: a root already on chain is reported as already issued and the ledger is brought up to date.
 */
export async function issueBatchFolder(
  dir: string,
  certificates: CertificateClient,
  directory: DirectoryClient,
  signer: string,
  ledger: IssuedLedger,
): Promise<{ manifest: BatchManifest; result: WriteResult }> {
  const manifest = readManifest(dir);
  const code = await organisationCodeOf(directory, signer);
  if (code !== manifest.issuer) {
    throw new InputError(`The batch names issuer "${manifest.issuer}", but ${signer} signs for "${code}".`);
  }
  const result = await certificates.issue(manifest);
  ledger.recordBatch(manifest.root, manifest.identities);
  return { manifest, result };
}

/** Groups certificate files by batch root: what `revoke`, `suspend` and `reinstate` act on. */
export function documentsOf(files: readonly string[]): Map<string, number[]> {
  const byRoot = new Map<string, number[]>();
  for (const file of files) {
    let text: string;
    try {
      text = fs.readFileSync(file, "utf8");
    } catch {
      throw new InputError(`${file} does not exist.`);
    }
    const { proof } = parseCertificate(text, path.basename(file));
    byRoot.set(proof.root, [...(byRoot.get(proof.root) ?? []), proof.index]);
  }
  return byRoot;
}

/** A batch given as its folder or its root. */
export function batchRootOf(target: string): string {
  if (/^0x[0-9a-fA-F]{64}$/.test(target)) return target.toLowerCase();
  if (fs.existsSync(target)) return readManifest(target).root;
  throw new InputError(`"${target}" is neither a batch root (0x + 64 hex digits) nor a batch folder.`);
}

/** The document a certificate file stands for. */
export function documentOf(file: string): DocumentRef {
  const [[root, [index]]] = documentsOf([file]);
  return { root, index };
}
