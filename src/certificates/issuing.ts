import fs from "node:fs";
import path from "node:path";
import { InputError } from "../errors";
import type { DirectoryClient } from "../directory/client";
import { decodeCode } from "../directory/vocabulary";
import { readManifest, type BatchManifest } from "./batch";
import type { BatchRef, CertificateClient, DocumentRef, WriteResult } from "./client";
import { parseCertificate } from "./document";
import type { IssuedLedger } from "./ledger";

/** The organisation a key signs for, by id and directory code, or an error naming why it cannot issue. */
export async function organisationOf(directory: DirectoryClient, account: string): Promise<{ orgId: number; code: string }> {
  const record = await directory.contract.account(account);
  if (record.orgId === 0n) throw new InputError(`${account} is not a key of any organisation in the directory.`);
  return { orgId: Number(record.orgId), code: decodeCode((await directory.contract.organisation(record.orgId)).code) };
}

/** Turns an issuer's directory code into its organisation id; an unknown code is an error naming it. */
export type IssuerResolver = (code: string) => Promise<number>;

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
  const { orgId, code } = await organisationOf(directory, signer);
  if (code !== manifest.issuer) {
    throw new InputError(`The batch names issuer "${manifest.issuer}", but ${signer} signs for "${code}".`);
  }
  const result = await certificates.issue(manifest, orgId);
  ledger.recordBatch(manifest.root, manifest.identities);
  return { manifest, result };
}

/** Groups certificate files by batch (issuer and root): what `revoke`, `suspend` and `reinstate` act on. */
export async function documentsOf(files: readonly string[], issuerId: IssuerResolver): Promise<Array<{ batch: BatchRef; indices: number[] }>> {
  const byBatch = new Map<string, { batch: BatchRef; indices: number[] }>();
  for (const file of files) {
    let text: string;
    try {
      text = fs.readFileSync(file, "utf8");
    } catch {
      throw new InputError(`${file} does not exist.`);
    }
    const { issuer, proof } = parseCertificate(text, path.basename(file));
    const key = `${issuer} ${proof.root}`;
    const entry = byBatch.get(key) ?? { batch: { issuerOrgId: await issuerId(issuer), root: proof.root }, indices: [] };
    entry.indices.push(proof.index);
    byBatch.set(key, entry);
  }
  return [...byBatch.values()];
}

/**
 * A batch given as its folder (whose manifest names its issuer) or as its root, of the organisation `issuer` names —
 * by default `own`, the organisation of the key that signs.
 */
export async function batchOf(target: string, issuerId: IssuerResolver, issuer: string | undefined, own: () => Promise<number>): Promise<BatchRef> {
  if (/^0x[0-9a-fA-F]{64}$/.test(target)) {
    return { issuerOrgId: issuer === undefined ? await own() : await issuerId(issuer), root: target.toLowerCase() };
  }
  if (!fs.existsSync(target)) throw new InputError(`"${target}" is neither a batch root (0x + 64 hex digits) nor a batch folder.`);
  const manifest = readManifest(target);
  if (issuer !== undefined && issuer !== manifest.issuer) throw new InputError(`The batch in ${target} was built for issuer "${manifest.issuer}", not "${issuer}".`);
  return { issuerOrgId: await issuerId(manifest.issuer), root: manifest.root };
}

/** The document a certificate file stands for. */
export async function documentOf(file: string, issuerId: IssuerResolver): Promise<DocumentRef> {
  const [{ batch, indices }] = await documentsOf([file], issuerId);
  return { ...batch, index: indices[0] };
}
