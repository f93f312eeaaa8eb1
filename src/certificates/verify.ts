import fs from "node:fs";
import path from "node:path";
import { ExitCode, InputError } from "../errors";
import type { Keccak } from "../hashing/keccak";
import { collectFiles, type SkipNotice } from "../io/walk";
import type { Deployment } from "../config/deployments";
import type { DocumentRef, DocumentStatusView } from "./client";
import { certificateOf, computeTargetHash, parseJson, type CertificateFile } from "./document";
import { processProof } from "./merkle";
import { STATUS_SENTENCES, type StatusName } from "./vocabulary";

/** Why a certificate failed before the chain was asked. */
export type OffChainFailure = "unreadable" | "tampered" | "invalid-proof";

export interface Verdict {
  readonly file: string;
  readonly valid: boolean;
  /** The registry's status, the off-chain check that failed first, or an issuer the directory does not know. */
  readonly status: StatusName | OffChainFailure | "unknown-issuer" | typeof OTHER_DEPLOYMENT;
  readonly reason: string;
  readonly root?: string;
  readonly index?: number;
  readonly onChain?: DocumentStatusView;
}

/** The directory id of the organisation with this code, or undefined if it has none. */
export type IssuerLookup = (code: string) => Promise<number | undefined>;

/**
 * Where documents' statuses come from: the registry itself (`CertificateClient`, over JSON-RPC) or the service's
 * index of it. Either way the status is the registry's; a verdict is built from it here, once.
 */
export interface StatusRegistry {
  readonly deployment: Pick<Deployment, "chainId">;
  readonly address: string;
  statuses(documents: readonly DocumentRef[]): Promise<DocumentStatusView[]>;
}

/** A certificate to check: a name for its verdict, and its parsed JSON (read when the check starts). */
export interface CertificateInput {
  readonly file: string;
  readonly json: () => unknown;
}

/** Certificate files named directly, or every `.json` under a folder except batch manifests. */
export function collectCertificateFiles(targets: readonly string[], onSkip?: SkipNotice): string[] {
  const files = collectFiles(targets, (relative) => relative.endsWith(".json") && path.posix.basename(relative) !== "batch.json", onSkip);
  if (files.length === 0) throw new InputError(`${targets.join(", ")} hold${targets.length === 1 ? "s" : ""} no certificate files.`);
  return files;
}

/** A certificate of another registry or chain: this deployment cannot speak for it, so it is not checked. */
export const OTHER_DEPLOYMENT = "other-deployment";

/** Not a verdict on the document: it could not be checked here. */
export function couldNotCheck(verdict: Verdict): boolean {
  return verdict.status === OTHER_DEPLOYMENT;
}

export interface VerdictSummary {
  readonly checked: number;
  readonly valid: number;
  readonly invalid: number;
  readonly couldNotCheck: number;
}

/** How many were checked, and of those how many are valid and invalid; the rest could not be checked here. */
export function summariseVerdicts(verdicts: readonly Verdict[]): VerdictSummary {
  const couldNot = verdicts.filter(couldNotCheck).length;
  const valid = verdicts.filter((v) => v.valid).length;
  return { checked: verdicts.length - couldNot, valid, invalid: verdicts.length - valid - couldNot, couldNotCheck: couldNot };
}

/** Exit 1 if any certificate is invalid, else 2 if any could not be checked, else 0. */
export function verdictsExitCode(verdicts: readonly Verdict[]): ExitCode {
  if (verdicts.some((v) => !v.valid && !couldNotCheck(v))) return ExitCode.No;
  return verdicts.some(couldNotCheck) ? ExitCode.CouldNotRun : ExitCode.Ok;
}

/**
 * Checks each certificate: its fields against its target hash, its proof against its root, then — for all that pass,
 * many per call — its status in the registry as a document of the organisation it names: a batch is its issuer's, so
 * the same root anchored by anyone else is not this certificate's batch. A failure to reach or read the chain throws
 * (could not check); it never becomes a verdict.
 */
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

/** {@link verifyCertificates} for certificates already parsed: the service's verification of posted files. */
export async function verifyCertificateTexts(
  inputs: readonly CertificateInput[],
  client: StatusRegistry,
  issuerId: IssuerLookup,
  keccak: Keccak,
  onProgress?: (done: number, total: number) => void,
): Promise<Verdict[]> {
  const files = inputs.map((input) => input.file);
  const verdicts: Verdict[] = new Array(files.length);
  const pending: Array<{ slot: number; certificate: CertificateFile }> = [];
  inputs.forEach((input, slot) => {
    const local = checkOffChain(input, client, keccak);
    if ("verdict" in local) verdicts[slot] = local.verdict;
    else pending.push({ slot, certificate: local.certificate });
  });
  onProgress?.(files.length - pending.length, files.length);
  const ids = new Map<string, number | undefined>();
  for (const { certificate } of pending) if (!ids.has(certificate.issuer)) ids.set(certificate.issuer, await issuerId(certificate.issuer));
  const known = pending.filter(({ slot, certificate }) => {
    if (ids.get(certificate.issuer) !== undefined) return true;
    const { root, index } = certificate.proof;
    verdicts[slot] = { file: files[slot], valid: false, status: "unknown-issuer", reason: `names issuer "${certificate.issuer}", which is no organisation of the directory`, root, index };
    return false;
  });
  const statuses = await client.statuses(known.map(({ certificate }) => ({ issuerOrgId: ids.get(certificate.issuer)!, root: certificate.proof.root, index: certificate.proof.index })));
  for (const [i, { slot, certificate }] of known.entries()) {
    const onChain = statuses[i];
    const where = { file: files[slot], root: certificate.proof.root, index: certificate.proof.index, onChain };
    verdicts[slot] =
      onChain.status === "valid"
        ? { ...where, valid: true, status: "valid", reason: `valid, issued by ${certificate.issuer} on ${isoDate(onChain.issuedAt)}` }
        : { ...where, valid: false, status: onChain.status, reason: describeStatus(onChain, certificate.issuer) };
  }
  onProgress?.(files.length, files.length);
  return verdicts;
}

function checkOffChain({ file, json }: CertificateInput, client: StatusRegistry, keccak: Keccak): { verdict: Verdict } | { certificate: CertificateFile } {
  let certificate: CertificateFile;
  try {
    certificate = certificateOf(json(), path.basename(file));
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    return { verdict: { file, valid: false, status: "unreadable", reason: error.message } };
  }
  const { proof, anchor } = certificate;
  if (anchor.chainId !== client.deployment.chainId || anchor.registry.toLowerCase() !== client.address.toLowerCase()) {
    return {
      verdict: {
        file,
        valid: false,
        status: OTHER_DEPLOYMENT,
        reason: `could not check: issued in registry ${anchor.registry} on chain ${anchor.chainId}, not this deployment's (${client.address} on chain ${client.deployment.chainId}); check it with that deployment's file (--deployments)`,
        root: proof.root,
        index: proof.index,
      },
    };
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

function describeStatus(status: DocumentStatusView, issuer: string): string {
  if (status.status === "not-issued") return `${issuer} issued no such document in this registry`;
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
