import fs from "node:fs";
import { InputError } from "../errors";
import type { DirectoryClient } from "../directory/client";
import { decodeCode } from "../directory/vocabulary";
import { readManifest, type BatchManifest } from "./batch";
import type { BatchRef, CertificateClient, DocumentRef, WriteResult } from "./client";
import { readCertificate } from "./verify";
import { IssuedLedger } from "./ledger";

/** The organisation a key signs for, by id and directory code, or an error naming why it cannot issue. */
export async function organisationOf(directory: DirectoryClient, account: string): Promise<{ orgId: number; code: string }> {
  const record = await directory.contract.account(account);
  if (record.orgId === 0n) throw new InputError(`${account} is not a key of any organisation in the directory.`);
  return { orgId: Number(record.orgId), code: decodeCode((await directory.contract.organisation(record.orgId)).code) };
}

/** Turns an issuer's directory code into its organisation id; an unknown code is an error naming it. */
export type IssuerResolver = (code: string) => Promise<number>;

/**
 * Anchors a built batch folder, then records its identities in the ledger, all under the ledger's lock. Re-running
 * after a crash (or twice) is safe: a root already on chain is reported as already issued and the ledger is brought
 * up to date. A batch holding records that another standing batch of the issuer already issued is refused here,
 * whenever and however often it was built: building checks the ledger as it was then, issuing as it is now.
 */
export async function issueBatchFolder(
  dir: string,
  certificates: CertificateClient,
  directory: DirectoryClient,
  signer: string,
  ledgerFile: string,
  lockWaitMs: number,
): Promise<{ manifest: BatchManifest; result: WriteResult }> {
  const manifest = readManifest(dir);
  const { orgId, code } = await organisationOf(directory, signer);
  if (code !== manifest.issuer) {
    throw new InputError(`The batch names issuer "${manifest.issuer}", but ${signer} signs for "${code}".`);
  }
  return IssuedLedger.update(ledgerFile, lockWaitMs, async (ledger) => {
    await refuseReissue(manifest, orgId, ledger, certificates);
    const result = await certificates.issue(manifest, orgId);
    ledger.recordBatch(manifest.root, manifest.identities, manifest.corrects);
    return { manifest, result };
  });
}

/**
 * Refuses a batch whose records the ledger names as issued in another batch that stands on chain: issued by this
 * organisation and not revoked as a whole. A batch revoked as a whole (issued in error) frees its records.
 */
async function refuseReissue(manifest: BatchManifest, orgId: number, ledger: IssuedLedger, certificates: CertificateClient): Promise<void> {
  const clashes = new Map<string, number[]>();
  const corrects = (index: number, root: string) => manifest.corrects?.some((link) => link.index === index && link.root === root) ?? false;
  manifest.identities.forEach((identity, index) => {
    const root = ledger.issuedIn(identity);
    if (root !== undefined && root !== manifest.root && !corrects(index, root)) clashes.set(root, [...(clashes.get(root) ?? []), index]);
  });
  for (const [root, indices] of clashes) {
    if (await certificates.standing({ issuerOrgId: orgId, root })) {
      const shown = indices.slice(0, 5).join(", ") + (indices.length > 5 ? ", …" : "");
      throw new InputError(
        `${indices.length} record(s) of this batch (document ${shown}) were already issued in batch ${root}, which stands on chain; nothing was sent. To change a record, use "cert correct"; to issue them again, revoke that batch first (issued-in-error).`,
      );
    }
  }
}

/** Groups certificate files by batch (issuer and root): what `revoke`, `suspend` and `reinstate` act on. */
export async function documentsOf(files: readonly string[], issuerId: IssuerResolver): Promise<Array<{ batch: BatchRef; indices: number[] }>> {
  const byBatch = new Map<string, { batch: BatchRef; indices: number[] }>();
  for (const file of files) {
    const { issuer, proof } = readCertificate(file);
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
