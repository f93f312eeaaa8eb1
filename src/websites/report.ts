import type { ReleaseView } from "./client";
import type { ReferenceKind } from "./html";
import { isoNow } from "../io/time";

/**
 * A file's state against the release: `not-covered` files match a declared exclusion (or, over HTTP, are pages the
 * release links to under one); `unreachable` ones could not be fetched, which says nothing about their content.
 */
export type FileState = "ok" | "modified" | "missing" | "unexpected" | "redirected" | "not-covered" | "unreachable";

export interface FileFinding {
  readonly path: string;
  readonly state: FileState;
  readonly detail?: string;
}

/** Content a changed or uncovered page makes a browser load (or, from a changed page, go to) that the release lacks. */
export interface Injection {
  readonly page: string;
  readonly kind: ReferenceKind;
  readonly url: string;
}

/** `clean`: exactly the current release (exit 0); `tampered`: it differs (1); `unchecked`: could not tell (2). */
export type Verdict = "clean" | "tampered" | "unchecked";

export interface ReleaseSummary {
  readonly id: number;
  readonly version: string;
  readonly root: string;
  readonly manifestHash: string;
  readonly approvedAt: number;
  /** Governance's decision affirming the release after a stolen key's cut-off voided part of it. */
  readonly affirmation?: string;
}

export interface SiteReport {
  /** The folder or URL checked. */
  readonly target: string;
  readonly site: string;
  readonly verdict: Verdict;
  /** One sentence saying what was found. */
  readonly summary: string;
  /** The release checked against: the site's current release on chain. */
  readonly release?: ReleaseSummary;
  /** The site's own copy of the manifest (its well-known path), when it has or should have one. */
  readonly manifest?: FileFinding;
  readonly files: FileFinding[];
  readonly injected: Injection[];
  readonly exclude: readonly string[];
  readonly checkedAt: string;
  readonly seconds: number;
}

export function releaseSummary(release: ReleaseView): ReleaseSummary {
  const { id, version, root, manifest, approvedAt, affirmation } = release;
  return { id, version, root, manifestHash: manifest, approvedAt, ...(affirmation ? { affirmation } : {}) };
}

export function describeRelease(release: { id: number; version: string }): string {
  return `release ${release.id} (${release.version})`;
}

/** A path that redirects to another site does not serve the release's file: a difference, like a modified one. */
const TAMPERED_STATES: readonly FileState[] = ["modified", "missing", "unexpected", "redirected"];

/** The verdict and its sentence from the findings; any difference outweighs files that could not be fetched. */
export function conclude(
  base: Omit<SiteReport, "verdict" | "summary" | "seconds" | "checkedAt">,
  started: number,
): SiteReport {
  const all = base.manifest ? [base.manifest, ...base.files] : base.files;
  const count = (state: FileState) => all.filter((f) => f.state === state).length;
  const release = base.release ? describeRelease(base.release) : "its release";
  const differences = [
    ...TAMPERED_STATES.filter((s) => count(s) > 0).map((s) => `${count(s)} ${s}`),
    ...(["script", "stylesheet", "frame", "form", "resource", "link"] as const)
      .map((kind) => [kind, base.injected.filter((i) => i.kind === kind).length] as const)
      .filter(([, n]) => n > 0)
      .map(([kind, n]) => `${n} injected ${kind}${n > 1 ? "s" : ""}`),
  ];
  const unreachable = all.filter((f) => f.state === "unreachable");
  // Folder addresses ("about/") are a folder's index.html served again: counted apart from files.
  const verified = base.files.filter((f) => f.state === "ok");
  const addresses = verified.filter((f) => f.path.endsWith("/")).length;
  const covered = verified.length - addresses;
  const notCovered = count("not-covered");
  let verdict: Verdict;
  let summary: string;
  if (differences.length > 0) {
    verdict = "tampered";
    summary = `${base.site} does not match ${release}: ${differences.join(", ")}.`;
  } else if (unreachable.length > 0) {
    verdict = "unchecked";
    summary = `Could not check ${unreachable.length} file(s) of ${base.site} (${unreachable[0].detail}); the ${covered} checked match ${release}.`;
  } else {
    verdict = "clean";
    summary = `${base.site} matches ${release}: ${covered} files verified${addresses ? ` (and ${addresses} folder address${addresses > 1 ? "es" : ""})` : ""}${notCovered ? `, ${notCovered} not covered by the release` : ""}.`;
  }
  return { ...base, verdict, summary, checkedAt: isoNow(), seconds: (Date.now() - started) / 1000 };
}

/** A report whose check stopped before the files: the site's manifest could not be tied to its current release. */
export function stopped(target: string, site: string, verdict: Exclude<Verdict, "clean">, summary: string, started: number, extra: Partial<SiteReport> = {}): SiteReport {
  return { target, site, verdict, summary, files: [], injected: [], exclude: [], ...extra, checkedAt: isoNow(), seconds: (Date.now() - started) / 1000 };
}

const MARK: Record<FileState, string> = { ok: "✓", modified: "✗", missing: "✗", unexpected: "✗", redirected: "✗", "not-covered": "○", unreachable: "?" };

function findingLine(f: FileFinding): string {
  const state = f.state === "ok" ? "" : `  ${f.state === "not-covered" ? "not covered" : f.state === "unreachable" ? "could not check" : f.state}`;
  return `${MARK[f.state]} ${f.path}${state}${f.detail ? `: ${f.detail}` : ""}`;
}

/**
 * Redirects to other sites, named once per site they lead to rather than once per file: a site moved or hijacked
 * wholesale is one fact, not thousands of modified files.
 */
function redirectLines(redirected: readonly FileFinding[]): string[] {
  const byOrigin = new Map<string, FileFinding[]>();
  for (const f of redirected) {
    const origin = originOf(f.detail ?? "");
    byOrigin.set(origin, [...(byOrigin.get(origin) ?? []), f]);
  }
  return [...byOrigin].map(([origin, files]) => {
    const example = files[0];
    return `✗ ${files.length} path${files.length === 1 ? "" : "s"} redirect${files.length === 1 ? "s" : ""} to another site, ${origin} (e.g. ${example.path || "/"} → ${example.detail}); not followed`;
  });
}

function originOf(location: string): string {
  try {
    return new URL(location).origin;
  } catch {
    return location;
  }
}

/** The report as a person reads it: the release, a line per file, injections, and the verdict. */
export function reportLines(report: SiteReport): string[] {
  const mark = report.verdict === "clean" ? "✓" : report.verdict === "tampered" ? "✗" : "?";
  return [
    ...(report.release ? [`Site ${report.site}, ${describeRelease(report.release)}, root ${report.release.root}`] : []),
    ...(report.release?.affirmation ? [`  affirmed by governance after a key that approved it was reported stolen (decision ${report.release.affirmation})`] : []),
    ...(report.exclude.length ? [`  not covered by the release: ${report.exclude.join(", ")}`] : []),
    ...(report.manifest ? [findingLine(report.manifest)] : []),
    ...report.files.filter((f) => f.state !== "redirected").map(findingLine),
    ...redirectLines(report.files.filter((f) => f.state === "redirected")),
    ...report.injected.map((i) => `✗ ${i.page}  injects ${i.kind} ${i.url}`),
    `${mark} ${report.summary}`,
  ];
}
