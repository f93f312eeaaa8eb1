import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { InputError } from "../errors";
import type { Keccak } from "../hashing/keccak";
import { resolveBaseline, type Baseline, type BaselineResult, type FoundManifest, type RememberedManifest } from "./baseline";
import type { WebsiteClient } from "./client";
import { SiteFetcher, mapConcurrently, type Fetched } from "./fetch";
import { isHtmlPath, pageReferences, type ReferenceKind } from "./html";
import { SiteLocation, type Target } from "./location";
import { walkFiles, type SkipNotice } from "../io/walk";
import { WELL_KNOWN_MANIFEST, exclusionMatcher, siteIdOf, type ManifestFile } from "./manifest";
import { conclude, releaseSummary, stopped, type FileFinding, type Injection, type SiteReport } from "./report";

export interface VerifyOptions {
  /** The site's domain; for a folder, the manifest's site when omitted. */
  readonly site?: string;
  /** A manifest file to check against instead of the site's own copy. */
  readonly manifest?: { readonly text: string; readonly source: string };
  /** Told of each thing in a folder that is not a regular file, which is passed over. */
  readonly onSkip?: SkipNotice;
  /** Manifests already tied to chain, by hash (see `ManifestSources.remembered`). */
  readonly remembered?: ReadonlyMap<string, RememberedManifest>;
}

export interface HttpOptions extends VerifyOptions {
  readonly timeoutMs?: number;
  /** Other host names the site is served under: a redirect to one of them is followed, like http → https. */
  readonly aliases?: readonly string[];
  readonly concurrency?: number;
  /** Uncovered pages found by earlier checks, checked again even when no page links to them any more. */
  readonly uncovered?: readonly string[];
}

/** A page's HTML as checked, and how it stands against the release. */
interface Page {
  readonly path: string;
  readonly html: string;
  readonly state: "ok" | "modified" | "not-covered" | "unexpected";
}

/** Kinds that run or capture content: an uncovered page may change its text and images, never these. */
const ACTIVE: readonly ReferenceKind[] = ["script", "stylesheet", "frame", "form"];
const MAX_UNCOVERED_PAGES = 200;
const PAGE_LIMIT = 8 * 2 ** 20;

// A page's references are read once per check: finding uncovered pages and finding injections both need them.
const parsed = new WeakMap<Page, ReturnType<typeof pageReferences>>();
function referencesOf(page: Page): ReturnType<typeof pageReferences> {
  let found = parsed.get(page);
  if (!found) parsed.set(page, (found = pageReferences(page.html)));
  return found;
}

/** What the release covers: its files, and the paths it declares may change without a release. */
function scopeOf(baseline: Baseline): { published: Set<string>; excluded: (path: string) => boolean } {
  return { published: new Set(baseline.manifest.files.map((f) => f.path)), excluded: exclusionMatcher(baseline.manifest.exclude) };
}

/** The report of a check that stopped before the files: the manifest could not be tied to the current release. */
function stoppedAt(target: string, site: string, outcome: Exclude<BaselineResult, { baseline: Baseline }>, started: number): SiteReport {
  return stopped(target, site, outcome.verdict, outcome.summary, started, { manifest: outcome.manifestFinding, release: outcome.release && releaseSummary(outcome.release) });
}

const sha256 = (bytes: Buffer) => `0x${createHash("sha256").update(bytes).digest("hex")}`;
const targetKey = (target: Target) => ("path" in target ? `path:${target.path}` : target.external);

/** The verdict on one file's bytes against its manifest entry. */
function judge(expected: ManifestFile, bytes: Buffer, truncated = false): FileFinding {
  if (truncated || bytes.length !== expected.size) return { path: expected.path, state: "modified", detail: `${truncated ? "more than " : ""}${bytes.length} bytes, published ${expected.size}` };
  if (sha256(bytes) !== expected.sha256) return { path: expected.path, state: "modified", detail: "same size, different content" };
  return { path: expected.path, state: "ok" };
}

/**
 * Content the release does not have that changed or uncovered pages pull in. What the release's intact pages
 * reference counts as published (an outside font or a search endpoint), so only additions are reported.
 */
function findInjections(pages: readonly Page[], baseline: Baseline, location: SiteLocation): Injection[] {
  const { published, excluded } = scopeOf(baseline);
  const resolved = pages.map((page) => {
    const { references, base } = referencesOf(page);
    return { page, targets: references.flatMap((r) => (r.url ? [{ kind: r.kind, target: location.resolve(r.url, page.path, base) }] : [])) };
  });
  const known = new Set(resolved.filter((r) => r.page.state === "ok").flatMap((r) => r.targets.flatMap((t) => (t.target ? [targetKey(t.target)] : []))));
  const injected: Injection[] = [];
  const seen = new Set<string>();
  for (const { page, targets } of resolved) {
    if (page.state === "ok") continue;
    for (const { kind, target } of targets) {
      if (!target || known.has(targetKey(target))) continue;
      const changed = page.state !== "not-covered";
      const suspicious =
        "external" in target
          ? changed
            ? kind !== "link"
            : ACTIVE.includes(kind)
          : !published.has(target.path) && (ACTIVE.includes(kind) || (changed && !excluded(target.path)));
      const url = "external" in target ? target.external : location.urlOf(target.path);
      if (suspicious && !seen.has(`${page.path} ${url}`)) {
        seen.add(`${page.path} ${url}`);
        injected.push({ page: page.path, kind, url });
      }
    }
  }
  return injected;
}

/**
 * Checks a build folder against the site's current release: every file of the manifest present with its hash and
 * size, nothing unexpected beside them, and nothing injected into changed or uncovered pages.
 */
export async function verifyFolder(dir: string, options: VerifyOptions, client: WebsiteClient, keccak: Keccak): Promise<SiteReport> {
  const started = Date.now();
  const listed = walkFiles(dir, options.onSkip);
  const ownCopy = listed.get(WELL_KNOWN_MANIFEST);
  const found: FoundManifest = ownCopy ? { state: "served", text: fs.readFileSync(ownCopy, "utf8"), where: WELL_KNOWN_MANIFEST } : { state: "absent", where: WELL_KNOWN_MANIFEST };
  const site = options.site ?? siteFromManifest(options.manifest?.text ?? (found.state === "served" ? found.text : undefined));
  if (site === undefined) throw new InputError(`${dir} has no ${WELL_KNOWN_MANIFEST}: name the site with --site and give its manifest with --manifest.`);
  const location = SiteLocation.folder(site);
  const outcome = await resolveBaseline(client, location.domain, siteIdOf(site), { given: options.manifest, remembered: options.remembered, found }, keccak);
  if ("verdict" in outcome) return stoppedAt(dir, location.domain, outcome, started);
  const { baseline } = outcome;
  const { published, excluded } = scopeOf(baseline);
  const files: FileFinding[] = [];
  const pages: Page[] = [];
  const keepPage = (relative: string, bytes: Buffer, state: Page["state"]) => {
    if (isHtmlPath(relative)) pages.push({ path: relative, html: bytes.toString("utf8"), state });
  };
  for (const expected of baseline.manifest.files) {
    const real = listed.get(expected.path);
    if (real === undefined) {
      files.push({ path: expected.path, state: "missing" });
      continue;
    }
    const bytes = readOrNull(real);
    const finding = bytes ? judge(expected, bytes) : { path: expected.path, state: "unreachable" as const, detail: `cannot read ${path.join(dir, expected.path)}` };
    files.push(finding);
    if (bytes && (finding.state === "ok" || finding.state === "modified")) keepPage(expected.path, bytes, finding.state);
  }
  for (const [relative, real] of listed) {
    if (published.has(relative) || relative === WELL_KNOWN_MANIFEST) continue;
    const state = excluded(relative) ? "not-covered" : "unexpected";
    files.push({ path: relative, state, ...(state === "not-covered" ? { detail: "matches an exclusion" } : {}) });
    const bytes = isHtmlPath(relative) ? readOrNull(real) : null;
    if (bytes) keepPage(relative, bytes, state);
  }
  return conclude(
    { target: dir, site: location.domain, release: releaseSummary(baseline.release), manifest: outcome.manifestFinding, files, injected: findInjections(pages, baseline, location), exclude: baseline.manifest.exclude },
    started,
  );
}

function readOrNull(file: string): Buffer | null {
  try {
    return fs.readFileSync(file);
  } catch {
    return null;
  }
}

function siteFromManifest(text: string | undefined): string | undefined {
  if (text === undefined) return undefined;
  try {
    const site = (JSON.parse(text) as { site?: unknown }).site;
    return typeof site === "string" ? site : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Checks a served site against its current release: fetches every file of the manifest (and each folder's index at
 * its folder URL), compares the bytes, and reads the pages for injected content, following links into excluded
 * paths so uncovered pages are checked for scripts, stylesheets, frames and forms the release does not have.
 */
export async function verifyServed(url: string, options: HttpOptions, client: WebsiteClient, keccak: Keccak): Promise<SiteReport> {
  return (await checkServed(url, options, client, keccak)).report;
}

/** `verifyServed`, also giving the manifest it checked against (for a monitor to remember). */
export async function checkServed(url: string, options: HttpOptions, client: WebsiteClient, keccak: Keccak): Promise<{ report: SiteReport; baseline?: Baseline }> {
  const started = Date.now();
  const location = SiteLocation.served(url, options.site);
  const fetcher = new SiteFetcher(options.timeoutMs ?? 10_000, options.concurrency ?? 16, options.aliases ?? []);
  try {
    return await checkWith(fetcher, location, options, client, keccak, started);
  } finally {
    fetcher.close();
  }
}

async function checkWith(fetcher: SiteFetcher, location: SiteLocation, options: HttpOptions, client: WebsiteClient, keccak: Keccak, started: number): Promise<{ report: SiteReport; baseline?: Baseline }> {
  const where = location.urlOf(WELL_KNOWN_MANIFEST);
  // The manifest may come from anywhere (a CDN, say): it is trusted only by its hash on chain.
  const served = await fetcher.get(where, { limit: 256 * 2 ** 20, anyOrigin: true });
  const outcome = await resolveBaseline(client, location.domain, siteIdOf(location.domain), { given: options.manifest, remembered: options.remembered, found: foundAt(where, served) }, keccak);
  const target = location.root.href;
  if ("verdict" in outcome) return { report: stoppedAt(target, location.domain, outcome, started) };
  const { baseline } = outcome;
  const pages: Page[] = [];
  const fetchOne = (expected: ManifestFile, path: string) => async (): Promise<FileFinding> => {
    // A page is read whole (to a limit) even when too long, so what was injected into it can be named.
    const limit = isHtmlPath(expected.path) ? Math.max(expected.size, PAGE_LIMIT) : expected.size;
    const fetched = await fetcher.get(location.urlOf(path), { limit });
    const finding = findingFor(expected, path, fetched);
    if (fetched.state === "served" && (finding.state === "ok" || finding.state === "modified") && isHtmlPath(expected.path) && path === expected.path) {
      pages.push({ path, html: fetched.bytes.toString("utf8"), state: finding.state });
    }
    return finding;
  };
  const jobs = baseline.manifest.files.map((f) => fetchOne(f, f.path));
  // A folder's index is also served at the folder's URL, which is the address people visit.
  const folderIndexes = baseline.manifest.files.filter((f) => f.path === "index.html" || f.path.endsWith("/index.html"));
  const aliasJobs = folderIndexes.map((f) => fetchOne(f, f.path.slice(0, -"index.html".length)));
  const results = await mapConcurrently([...jobs, ...aliasJobs], fetcher.concurrency, (job) => job());
  const files = results.slice(0, jobs.length);
  // A server that does not answer at folder addresses is configured so; only what it does answer there counts.
  const aliases = results.slice(jobs.length).filter((f) => f.state !== "missing");
  const uncovered = await uncoveredPages(pages, baseline, location, fetcher, options.uncovered ?? []);
  const report = conclude(
    {
      target,
      site: location.domain,
      release: releaseSummary(baseline.release),
      manifest: outcome.manifestFinding,
      files: [...files, ...aliases.map((a) => ({ ...a, path: a.path || "/" })), ...uncovered.findings],
      injected: findInjections([...pages.sort((a, b) => (a.path < b.path ? -1 : 1)), ...uncovered.pages], baseline, location),
      exclude: baseline.manifest.exclude,
    },
    started,
  );
  return { report, baseline };
}

function foundAt(where: string, fetched: Exclude<Fetched, { state: "redirected" }>): FoundManifest {
  if (fetched.state === "served") return fetched.truncated ? { state: "unreachable", detail: "it is larger than 256 MiB", where } : { state: "served", text: fetched.bytes.toString("utf8"), where };
  if (fetched.state === "absent") return { state: "absent", where };
  return { state: "unreachable", detail: fetched.detail, where };
}

function findingFor(expected: ManifestFile, path: string, fetched: Fetched): FileFinding {
  switch (fetched.state) {
    case "served":
      return { ...judge(expected, fetched.bytes, fetched.truncated), path };
    case "absent":
      return { path, state: "missing", detail: String(fetched.status) };
    case "redirected":
      return { path, state: "redirected", detail: fetched.location };
    case "unreachable":
      return { path, state: "unreachable", detail: fetched.detail };
  }
}

/**
 * Pages under an exclusion that the checked pages link to, and the pages those link to in turn (plus `known` ones, a
 * monitor's memory of earlier checks, since a defaced page no longer links anywhere): fetched so what they load can
 * be checked.
 */
async function uncoveredPages(pages: readonly Page[], baseline: Baseline, location: SiteLocation, fetcher: SiteFetcher, known: readonly string[]) {
  const { published, excluded } = scopeOf(baseline);
  const wanted = new Set<string>();
  let queue = known.filter((p) => excluded(p) && !published.has(p));
  const linkedFrom = (page: Page) => {
    const { references, base } = referencesOf(page);
    return references.flatMap((reference) => {
      if (reference.kind !== "link" && reference.kind !== "frame") return [];
      const target = location.resolve(reference.url, page.path, base);
      return target && "path" in target && !published.has(target.path) && excluded(target.path) && isHtmlPath(target.path) ? [target.path] : [];
    });
  };
  queue.push(...pages.flatMap(linkedFrom));
  const findings: FileFinding[] = [];
  const found: Page[] = [];
  while (queue.length > 0 && wanted.size < MAX_UNCOVERED_PAGES) {
    const paths = [...new Set(queue)].filter((p) => !wanted.has(p)).sort().slice(0, MAX_UNCOVERED_PAGES - wanted.size);
    paths.forEach((p) => wanted.add(p));
    const fetched = await mapConcurrently(paths, fetcher.concurrency, (p) => fetcher.get(location.urlOf(p), { limit: PAGE_LIMIT }));
    queue = [];
    fetched.forEach((result, i) => {
      if (result.state !== "served") return;
      const page: Page = { path: paths[i], html: result.bytes.toString("utf8"), state: "not-covered" };
      findings.push({ path: page.path, state: "not-covered", detail: "matches an exclusion" });
      found.push(page);
      queue.push(...linkedFrom(page));
    });
  }
  return { findings, pages: found };
}
