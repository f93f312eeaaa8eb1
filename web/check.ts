import { checkOffChain, type Verdict } from "../src/certificates/checks";
import type { CertificateFile } from "../src/certificates/document";
import type { SchemaLabels } from "../src/certificates/labels";
import { formatShortCode, parseShortCode } from "../src/codes/short-code";
import type { Keccak } from "../src/hashing/keccak";
import { ask, ServiceUnreachable, type DeploymentInfo, type Unreachable } from "./service";
import { wordOf, type Strings } from "./strings";

export type StepState = "pass" | "fail" | "unknown" | "skipped";
export type Outcome = "valid" | "invalid" | "could-not-check" | "outdated";

/** How the page writes dates and numbers in the reader's language. */
export interface Formats {
  readonly date: (unixSeconds: number) => string;
  /** A date with its time of day, in IST. */
  readonly dateTime: (unixSeconds: number) => string;
  readonly number: (value: number) => string;
}

/** A sentence for the reader, written when shown: switching language rewrites every step. */
export type Say = (strings: Strings, formats: Formats) => string;

export interface Step {
  readonly name: keyof Strings["steps"];
  readonly state: StepState;
  readonly say: Say;
}

export interface ParcelSummary {
  readonly ulpin: string;
  readonly area: number;
  readonly landUse: string;
  readonly version: number;
  readonly owners: ReadonlyArray<{ readonly commitment: string; readonly share: number }>;
}

export interface Report {
  readonly outcome: Outcome;
  readonly steps: readonly Step[];
  /** The document's short verification code, where it has one. */
  readonly code?: string;
  /** A word on what the checks could not cover. */
  readonly note?: Say;
  /** The certificate as checked, for its fields to be shown beside the verdict. */
  readonly certificate?: CertificateFile;
  readonly parcel?: ParcelSummary;
  /** How old the registry's answer is; not current when the registry could not be reached just now. */
  readonly asOf?: AsOf;
  /** The certificate's schema as the service knows it: each field named as the paper names it. */
  readonly labels?: SchemaLabels;
}

/** The service's word on how old an answer is (see `consistency` in the service). */
export interface AsOf {
  readonly block: number;
  readonly time?: string;
  readonly current: boolean;
}

/** What the service knows of an issuer: its standing, and its names where the operator gave its metadata. */
interface IssuerStanding {
  readonly code: string;
  readonly kind: string;
  readonly status: string;
  readonly name?: string;
  readonly names?: Record<string, string>;
}

interface CheckAnswer {
  readonly asOf?: AsOf;
  readonly verdicts: Array<Verdict & { outcome: string; shortCode?: string }>;
  readonly issuers: Record<string, IssuerStanding>;
}

const pass = (name: Step["name"], say: Say): Step => ({ name, state: "pass", say });
const fail = (name: Step["name"], say: Say): Step => ({ name, state: "fail", say });
const unknown = (name: Step["name"], say: Say): Step => ({ name, state: "unknown", say });
const skipped = (...names: Array<Step["name"]>): Step[] => names.map((name) => ({ name, state: "skipped", say: (s) => s.said.notChecked }));
const short = (hash: string) => `${hash.slice(0, 10)}…${hash.slice(-6)}`;

function unreachableSay(unreachable: Unreachable): Say {
  return (s) => (unreachable.why === "busy" ? s.said.serviceBusy(unreachable.seconds) : unreachable.why === "offline" ? s.said.serviceOffline : s.said.serviceDown);
}

/** The issuer's name in the reader's language, else its own name, else its directory code. */
function nameOf(issuer: IssuerStanding | undefined, code: string, strings: Strings): string {
  return issuer?.names?.[strings.locale.slice(0, 2)] ?? issuer?.name ?? code;
}

/**
 * Checks a certificate as `sakshya cert verify` does, with the same functions: its fields and proof here, in the
 * browser; then the registry's verdict on the document, from the service, which is sent only issuer, root and index.
 */
export async function checkCertificate(json: unknown, deployment: DeploymentInfo | Unreachable, keccak: Keccak): Promise<Report> {
  const known = "chainId" in deployment && deployment.certificateRegistry !== null ? deployment : undefined;
  const anchor = (json as { anchor?: { chainId?: unknown; registry?: unknown } } | null)?.anchor;
  // With no word from the service, the file is still checked against itself; the registry step then says so.
  const here = known ? { chainId: known.chainId, registry: known.certificateRegistry! } : { chainId: Number(anchor?.chainId), registry: String(anchor?.registry) };
  const local = checkOffChain({ file: "certificate", json: () => json }, here, keccak);
  if ("verdict" in local) return offChainFailure(local.verdict);
  const certificate = local.certificate;
  const { root, index } = certificate.proof;
  const steps: Step[] = [
    pass("file", (s) => s.said.fileOk),
    known ? pass("registry", (s) => s.said.registryOk) : unknown("registry", unreachableSay(deployment as Unreachable)),
    pass("integrity", (s) => s.said.integrityOk),
    pass("proof", (s) => s.said.proofOk(index, short(root))),
  ];
  if (!known) {
    const why = unreachableSay(deployment as Unreachable);
    return { outcome: "could-not-check", certificate, steps: [...steps, unknown("issuer", why), unknown("status", why), unknown("expiry", why)] };
  }
  // The schema's labels, asked beside the verdict: without them, fields are named by their names in words.
  const labels = /^[a-z0-9][a-z0-9._-]*\/\d+$/.test(certificate.schema) ? ask<SchemaLabels>(`/v1/schemas/${certificate.schema}`).catch(() => undefined) : Promise.resolve(undefined);
  let answer: CheckAnswer;
  try {
    answer = await ask<CheckAnswer>("/v1/certificates/check", { documents: [{ issuer: certificate.issuer, root, index }] });
  } catch (error) {
    const why: Say = error instanceof ServiceUnreachable ? unreachableSay(error.unreachable) : () => (error as Error).message;
    return { outcome: "could-not-check", certificate, steps: [...steps, unknown("issuer", why), unknown("status", why), unknown("expiry", why)] };
  }
  const verdict = answer.verdicts[0];
  const registry = registrySteps(verdict, answer.issuers[certificate.issuer], certificate.issuer);
  return { outcome: verdict.valid ? "valid" : "invalid", certificate, code: verdict.shortCode, steps: [...steps, ...registry], asOf: answer.asOf, labels: await labels };
}

/** The registry's part of a verdict — the issuer's standing, the document's status, its expiry — as steps. */
function registrySteps(verdict: Verdict, issuer: IssuerStanding | undefined, issuerCode: string): Step[] {
  const name = (s: Strings) => nameOf(issuer, issuerCode, s);
  const onChain = verdict.onChain;
  const reason = (s: Strings) => wordOf(s.reasons, onChain?.reason) ?? onChain?.reason ?? s.reasons.none;
  const kind = (s: Strings) => wordOf(s.kinds, issuer?.kind) ?? s.kinds.other;
  const affirmation = onChain?.affirmation;
  const issuerOk = affirmation
    ? pass("issuer", (s) => s.said.affirmed(name(s), kind(s), short(affirmation)))
    : pass("issuer", (s) => s.said.issuerOk(name(s), kind(s)));
  const issued = pass("status", (s, f) => s.said.statusOk(f.date(onChain!.issuedAt)));
  switch (verdict.status) {
    case "unknown-issuer":
      return [fail("issuer", (s) => s.said.issuerUnknown(issuerCode)), ...skipped("status", "expiry")];
    case "issuer-suspended":
      return [fail("issuer", (s) => s.said.issuerSuspended(name(s))), ...skipped("status", "expiry")];
    case "issuer-offboarded":
      return [fail("issuer", (s) => s.said.issuerOffboarded(name(s))), ...skipped("status", "expiry")];
    case "key-compromised":
      return [fail("issuer", (s) => s.said.keyCompromised(name(s))), ...skipped("status", "expiry")];
    case "not-issued":
    case "invalid-proof":
      return [issuerOk, fail("status", (s) => s.said.notIssued), ...skipped("expiry")];
    case "revoked":
      return [issuerOk, fail("status", (s) => s.said.revoked(reason(s))), ...skipped("expiry")];
    case "suspended":
      return [issuerOk, fail("status", (s) => s.said.suspended(reason(s))), ...skipped("expiry")];
    case "superseded":
      return [issuerOk, fail("status", (s) => s.said.superseded), ...skipped("expiry")];
    case "expired":
      return [issuerOk, issued, fail("expiry", (s, f) => s.said.expired(f.date(onChain!.expiresAt)))];
    default:
      return [issuerOk, issued, pass("expiry", (s, f) => (onChain!.expiresAt === 0 ? s.said.noExpiry : s.said.validUntil(f.date(onChain!.expiresAt))))];
  }
}

interface CodeAnswerBody {
  readonly asOf?: AsOf;
  readonly kind: "certificate" | "title";
  readonly digits: string;
  readonly found: boolean;
  readonly outcome: "valid" | "invalid" | "current" | "outdated" | "not-found";
  readonly verdict?: Verdict;
  readonly issuer?: IssuerStanding;
  readonly parcel?: { readonly ulpin: string; readonly version: number; readonly status: string; readonly liens: number; readonly mutationPending: boolean; readonly area: number; readonly landUse: string };
  readonly version?: number;
}

/**
 * A short code typed in: its check digit here (a mistyped code is never sent), then the registry's word on what it
 * names. A code says nothing of what a certificate says, so the report notes that the printed details are to be
 * compared, or the QR code scanned.
 */
export async function checkCode(text: string): Promise<Report> {
  let digits: string;
  try {
    parseShortCode(text);
    digits = text.replace(/[\s-]/g, "");
  } catch (error) {
    const why = (error as Error).message;
    return { outcome: "invalid", steps: [fail("code", (s) => s.said.codeMistyped(why))] };
  }
  const codeOk = pass("code", (s) => s.said.codeOk(formatShortCode(digits)));
  let answer: CodeAnswerBody;
  try {
    answer = await ask<CodeAnswerBody>(`/v1/codes/${digits}`);
  } catch (error) {
    const why: Say = error instanceof ServiceUnreachable ? unreachableSay(error.unreachable) : () => (error as Error).message;
    return { outcome: "could-not-check", code: digits, steps: [codeOk, unknown("status", why)] };
  }
  const { asOf } = answer;
  if (!answer.found) return { outcome: "invalid", code: digits, steps: [codeOk, fail("status", (s) => s.said.codeNotFound)], asOf };
  if (answer.kind === "certificate") {
    const verdict = answer.verdict!;
    return { outcome: verdict.valid ? "valid" : "invalid", code: digits, note: (s) => s.said.codeOnly, steps: [codeOk, ...registrySteps(verdict, answer.issuer, answer.issuer?.code ?? "")], asOf };
  }
  const parcel = answer.parcel!;
  const version = answer.version!;
  const found = pass("parcel", (s) => s.said.extractMatches(parcel.ulpin, version));
  const status = (s: Strings) => wordOf(s.parcelStatus, parcel.status) ?? s.parcelStatus.unknown;
  if (answer.outcome === "current") return { outcome: "valid", code: digits, steps: [codeOk, found, pass("current", (s) => s.said.extractCurrent(status(s)))], asOf };
  return { outcome: "outdated", code: digits, steps: [codeOk, found, fail("current", (s) => s.said.extractChanged(parcel.version, status(s), parcel.liens, parcel.mutationPending))], asOf };
}

/** A certificate that failed before the registry was asked: the step that failed, the ones before it passed. */
function offChainFailure(verdict: Verdict): Report {
  const order: Array<Step["name"]> = ["file", "registry", "integrity", "proof", "issuer", "status", "expiry"];
  const okSay: Partial<Record<Step["name"], Say>> = { file: (s) => s.said.fileOk, registry: (s) => s.said.registryOk, integrity: (s) => s.said.integrityOk };
  const failed: Record<string, [Step["name"], StepState, Say]> = {
    unreadable: ["file", "fail", (s) => s.said.fileBad(verdict.reason)],
    "other-deployment": ["registry", "unknown", (s) => s.said.registryOther(Number(/chain (\d+)/.exec(verdict.reason)?.[1]))],
    tampered: ["integrity", "fail", (s) => s.said.integrityBad],
    "invalid-proof": ["proof", "fail", (s) => s.said.proofBad],
  };
  const [at, state, say] = failed[verdict.status];
  const position = order.indexOf(at);
  const steps = order.map((name, i): Step => (i < position ? pass(name, okSay[name]!) : i === position ? { name, state, say } : skipped(name)[0]));
  return { outcome: state === "unknown" ? "could-not-check" : "invalid", steps };
}

interface ExtractAnswer {
  readonly asOf?: AsOf;
  readonly verdict: "current" | "outdated" | "not-genuine";
  readonly parcel?: { readonly version: number; readonly status: string; readonly liens: number; readonly mutationPending: boolean };
}

/** A title extract, checked by the service against the land registry (it holds owner commitments, never names). */
export async function checkExtract(json: { anchor?: { chainId?: number; registry?: string }; parcel?: ParcelSummary & { version: number }; owners?: ParcelSummary["owners"] }, deployment: DeploymentInfo | Unreachable): Promise<Report> {
  const parcel = json.parcel && json.owners ? { ...json.parcel, owners: json.owners } : undefined;
  const readable = pass("file", (s) => s.said.extractFileOk);
  if (!("chainId" in deployment) || deployment.landRegistry === null) {
    const why = "chainId" in deployment ? (s: Strings) => s.said.serviceDown : unreachableSay(deployment);
    return { outcome: "could-not-check", parcel, steps: [readable, unknown("registry", why), unknown("parcel", why), unknown("current", why)] };
  }
  if (json.anchor?.chainId !== deployment.chainId || String(json.anchor?.registry).toLowerCase() !== deployment.landRegistry.toLowerCase()) {
    return { outcome: "could-not-check", parcel, steps: [readable, unknown("registry", (s) => s.said.registryOther(Number(json.anchor?.chainId))), ...skipped("parcel", "current")] };
  }
  const registry = pass("registry", (s) => s.said.extractRegistryOk);
  let answer: ExtractAnswer;
  try {
    answer = await ask<ExtractAnswer>("/v1/land/verify-extract", { extract: json });
  } catch (error) {
    if (!(error instanceof ServiceUnreachable)) return { outcome: "invalid", steps: [fail("file", (s) => s.said.fileBad((error as Error).message)), ...skipped("registry", "parcel", "current")] };
    const why = unreachableSay(error.unreachable);
    return { outcome: "could-not-check", parcel, steps: [readable, registry, unknown("parcel", why), unknown("current", why)] };
  }
  const { ulpin, version } = json.parcel!;
  const { asOf } = answer;
  if (answer.verdict === "not-genuine") return { outcome: "invalid", parcel, steps: [readable, registry, fail("parcel", (s) => s.said.extractNotGenuine), ...skipped("current")], asOf };
  const matches = pass("parcel", (s) => s.said.extractMatches(ulpin, version));
  const now = answer.parcel!;
  const status = (s: Strings) => wordOf(s.parcelStatus, now.status) ?? s.parcelStatus.unknown;
  if (answer.verdict === "current") return { outcome: "valid", parcel, steps: [readable, registry, matches, pass("current", (s) => s.said.extractCurrent(status(s)))], asOf };
  return { outcome: "outdated", parcel, steps: [readable, registry, matches, fail("current", (s) => s.said.extractChanged(now.version, status(s), now.liens, now.mutationPending))], asOf };
}
