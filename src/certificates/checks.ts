import { isoDate } from "../io/time";
import { ExitCode, InputError } from "../errors";
import type { Keccak } from "../hashing/keccak";
import type { Deployment } from "../config/deployments";
import type { DocumentRef, DocumentStatusView } from "./client";
import { certificateOf, computeTargetHash, type CertificateFile } from "./document";
import { processProof } from "./merkle";
import { STATUS_SENTENCES, type StatusName } from "./vocabulary";

// The checks of a certificate, free of files and of Node: `cert verify`, the service and the verification page (in
// the browser) all judge a certificate with these functions, so no rule is written twice.

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

/** The registry a certificate must name to be checked here. */
export interface RegistryAnchor {
  readonly chainId: number;
  readonly registry: string;
}

/** What the chain is asked about one certificate that passed the off-chain checks. */
export interface DocumentClaim {
  readonly file: string;
  readonly issuer: string;
  readonly root: string;
  readonly index: number;
}

/**
 * Checks each certificate: its fields against its target hash, its proof against its root, then — for all that pass,
 * many per call — its status in the registry as a document of the organisation it names: a batch is its issuer's, so
 * the same root anchored by anyone else is not this certificate's batch. A failure to reach or read the chain throws
 * (could not check); it never becomes a verdict.
 */
export async function verifyCertificateTexts(
  inputs: readonly CertificateInput[],
  client: StatusRegistry,
  issuerId: IssuerLookup,
  keccak: Keccak,
  onProgress?: (done: number, total: number) => void,
): Promise<Verdict[]> {
  const verdicts: Verdict[] = new Array(inputs.length);
  const pending: Array<{ slot: number; claim: DocumentClaim }> = [];
  const here = { chainId: client.deployment.chainId, registry: client.address };
  inputs.forEach((input, slot) => {
    const local = checkOffChain(input, here, keccak);
    if ("verdict" in local) verdicts[slot] = local.verdict;
    else pending.push({ slot, claim: claimOf(input.file, local.certificate) });
  });
  onProgress?.(inputs.length - pending.length, inputs.length);
  const judged = await judgeOnChain(pending.map((p) => p.claim), client, issuerId);
  pending.forEach(({ slot }, i) => (verdicts[slot] = judged[i]));
  onProgress?.(inputs.length, inputs.length);
  return verdicts;
}

/** What the chain is asked about a certificate whose fields and proof hold. */
export function claimOf(file: string, certificate: CertificateFile): DocumentClaim {
  return { file, issuer: certificate.issuer, root: certificate.proof.root, index: certificate.proof.index };
}

/**
 * The registry's verdict on documents whose fields and proof were already checked (here, or in a verifier's
 * browser): the issuer must be an organisation of the directory, and the document's status in that organisation's
 * batch decides. Statuses are read many per call.
 */
export async function judgeOnChain(claims: readonly DocumentClaim[], client: StatusRegistry, issuerId: IssuerLookup): Promise<Verdict[]> {
  const verdicts: Verdict[] = new Array(claims.length);
  const ids = new Map<string, number | undefined>();
  for (const { issuer } of claims) if (!ids.has(issuer)) ids.set(issuer, await issuerId(issuer));
  const known: number[] = [];
  claims.forEach(({ file, issuer, root, index }, slot) => {
    if (ids.get(issuer) !== undefined) known.push(slot);
    else verdicts[slot] = { file, valid: false, status: "unknown-issuer", reason: `names issuer "${issuer}", which is no organisation of the directory`, root, index };
  });
  const statuses = await client.statuses(known.map((slot) => ({ issuerOrgId: ids.get(claims[slot].issuer)!, root: claims[slot].root, index: claims[slot].index })));
  known.forEach((slot, i) => {
    const { file, issuer, root, index } = claims[slot];
    const onChain = statuses[i];
    const where = { file, root, index, onChain };
    verdicts[slot] =
      onChain.status === "valid"
        ? { ...where, valid: true, status: "valid", reason: `valid, issued by ${issuer} on ${isoDate(onChain.issuedAt)}${affirmed(onChain)}` }
        : { ...where, valid: false, status: onChain.status, reason: describeStatus(onChain, issuer) };
  });
  return verdicts;
}

/**
 * The checks that need no chain: the file is a certificate, it names this registry, its fields add up to its target
 * hash, and its proof leads from that hash to the root it names.
 */
export function checkOffChain({ file, json }: CertificateInput, here: RegistryAnchor, keccak: Keccak): { verdict: Verdict } | { certificate: CertificateFile } {
  let certificate: CertificateFile;
  try {
    certificate = certificateOf(json(), baseName(file));
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    return { verdict: { file, valid: false, status: "unreadable", reason: error.message } };
  }
  const { proof, anchor } = certificate;
  if (anchor.chainId !== here.chainId || anchor.registry.toLowerCase() !== here.registry.toLowerCase()) {
    return {
      verdict: {
        file,
        valid: false,
        status: OTHER_DEPLOYMENT,
        reason: `could not check: issued in registry ${anchor.registry} on chain ${anchor.chainId}, not this deployment's (${here.registry} on chain ${here.chainId}); check it with that deployment's file (--deployments)`,
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

/** What a valid verdict adds when governance affirmed the batch after its signing key was reported compromised. */
function affirmed(status: DocumentStatusView): string {
  return status.affirmation ? `; affirmed by governance after its signing key was reported compromised (decision ${status.affirmation})` : "";
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

/** The last part of a path, without Node's `path` (this module also runs in browsers). */
function baseName(file: string): string {
  return file.slice(Math.max(file.lastIndexOf("/"), file.lastIndexOf("\\")) + 1);
}
