import fs from "node:fs";
import path from "node:path";
import { ChainError, InputError } from "../errors";
import type { Keccak } from "../hashing/keccak";
import type { CertificateClient, DocumentStatusView } from "./client";
import { computeTargetHash, parseCertificate, type CertificateFile } from "./document";
import { processProof } from "./merkle";
import { STATUS_SENTENCES, type StatusName } from "./vocabulary";

/** Why a certificate failed before the chain was asked. */
export type OffChainFailure = "unreadable" | "tampered" | "invalid-proof";

export interface Verdict {
  readonly file: string;
  readonly valid: boolean;
  /** The registry's status, or the off-chain check that failed first. */
  readonly status: StatusName | OffChainFailure | "issuer-mismatch";
  readonly reason: string;
  readonly root?: string;
  readonly index?: number;
  readonly onChain?: DocumentStatusView;
}

/** Resolves an organisation id to its directory code (cached by the caller). */
export type IssuerCode = (orgId: number) => Promise<string>;

/** Certificate files named directly, or every `.json` under a folder except batch manifests. */
export function collectCertificateFiles(target: string): string[] {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(target);
  } catch {
    throw new InputError(`${target} does not exist.`);
  }
  if (stat.isFile()) return [target];
  const files = (fs.readdirSync(target, { recursive: true, encoding: "utf8" }) as string[])
    .filter((name) => name.endsWith(".json") && path.basename(name) !== "batch.json")
    .sort()
    .map((name) => path.join(target, name));
  if (files.length === 0) throw new InputError(`${target} holds no certificate files.`);
  return files;
}

/**
 * Checks each certificate: its fields against its target hash, its proof against its root, then — for all that pass,
 * many per call — its status in the registry and that the organisation which issued it is the one it names.
 * A failure to reach or read the chain throws (could not check); it never becomes a verdict.
 */
export async function verifyCertificates(
  files: readonly string[],
  client: CertificateClient,
  issuerCode: IssuerCode,
  keccak: Keccak,
  onProgress?: (done: number, total: number) => void,
): Promise<Verdict[]> {
  const verdicts: Verdict[] = new Array(files.length);
  const pending: Array<{ slot: number; certificate: CertificateFile }> = [];
  files.forEach((file, slot) => {
    const local = checkOffChain(file, client, keccak);
    if ("verdict" in local) verdicts[slot] = local.verdict;
    else pending.push({ slot, certificate: local.certificate });
  });
  onProgress?.(files.length - pending.length, files.length);
  const statuses = await client.statuses(pending.map(({ certificate }) => ({ root: certificate.proof.root, index: certificate.proof.index })));
  const codes = new Map<number, Promise<string>>();
  for (const [i, { slot, certificate }] of pending.entries()) {
    const onChain = statuses[i];
    const where = { file: files[slot], root: certificate.proof.root, index: certificate.proof.index, onChain };
    if (onChain.status !== "valid") {
      verdicts[slot] = { ...where, valid: false, status: onChain.status, reason: describeStatus(onChain) };
      continue;
    }
    if (!codes.has(onChain.issuerOrgId)) codes.set(onChain.issuerOrgId, issuerCode(onChain.issuerOrgId));
    const actual = await codes.get(onChain.issuerOrgId)!;
    verdicts[slot] =
      actual === certificate.issuer
        ? { ...where, valid: true, status: "valid", reason: `valid, issued by ${actual} on ${isoDate(onChain.issuedAt)}` }
        : { ...where, valid: false, status: "issuer-mismatch", reason: `names issuer "${certificate.issuer}" but was issued by "${actual}"` };
  }
  onProgress?.(files.length, files.length);
  return verdicts;
}

function checkOffChain(file: string, client: CertificateClient, keccak: Keccak): { verdict: Verdict } | { certificate: CertificateFile } {
  let certificate: CertificateFile;
  try {
    certificate = parseCertificate(fs.readFileSync(file, "utf8"), path.basename(file));
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    return { verdict: { file, valid: false, status: "unreadable", reason: error.message } };
  }
  const { proof, anchor } = certificate;
  if (anchor.chainId !== client.deployment.chainId || anchor.registry.toLowerCase() !== client.address.toLowerCase()) {
    // Not a verdict on the document: it belongs to another deployment, which this one cannot speak for.
    throw new ChainError(
      `${file} was issued in registry ${anchor.registry} on chain ${anchor.chainId}; this deployment is ${client.address} on chain ${client.deployment.chainId}. Pass that deployment's file with --deployments.`,
    );
  }
  let computed: string;
  try {
    computed = computeTargetHash(certificate, keccak);
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    return { verdict: { file, valid: false, status: "tampered", reason: error.message } };
  }
  if (computed !== proof.targetHash) {
    return { verdict: { file, valid: false, status: "tampered", reason: "its fields do not match its target hash: the file was altered", root: proof.root, index: proof.index } };
  }
  if (processProof(proof.index, Buffer.from(proof.targetHash.slice(2), "hex"), proof.siblings, keccak) !== proof.root) {
    return { verdict: { file, valid: false, status: "invalid-proof", reason: "its proof does not lead to the batch root it names", root: proof.root, index: proof.index } };
  }
  return { certificate };
}

function describeStatus(status: DocumentStatusView): string {
  const base = STATUS_SENTENCES[status.status];
  if (status.status === "revoked") return `${base} (${status.reason})`;
  if (status.status === "superseded" && status.replacement) {
    return `${base}: document ${status.replacement.index} of batch ${status.replacement.root}`;
  }
  if (status.status === "expired") return `${base} on ${isoDate(status.expiresAt)}`;
  return base;
}

function isoDate(seconds: number): string {
  return new Date(seconds * 1000).toISOString().slice(0, 10);
}
