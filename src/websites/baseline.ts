import { InputError } from "../errors";
import type { Keccak } from "../hashing/keccak";
import type { ReleaseView, WebsiteClient } from "./client";
import { manifestHash, manifestTree, parseManifest, type SiteManifest } from "./manifest";
import { describeRelease, type FileFinding, type Verdict } from "./report";

/** The manifest a check compares against: the one whose hash the site's current release carries on chain. */
export interface Baseline {
  readonly manifest: SiteManifest;
  readonly text: string;
  readonly release: ReleaseView;
}

/** The site's own copy of its manifest, as found at its well-known path (`where`). */
export type FoundManifest =
  | { readonly state: "served"; readonly text: string; readonly where: string }
  | { readonly state: "absent"; readonly where: string }
  | { readonly state: "unreachable"; readonly detail: string; readonly where: string };

export interface ManifestSources {
  /** A manifest file the verifier supplied: it must be the current release's, or the check cannot start. */
  readonly given?: { readonly text: string; readonly source: string };
  /**
   * Manifests already tied to chain, by hash (a monitor's memory), and whether the site served them: used when the
   * site stops serving its own copy, which is then missing.
   */
  readonly remembered?: ReadonlyMap<string, RememberedManifest>;
  readonly found: FoundManifest;
}

/** A manifest a previous check tied to chain (hash and root), kept parsed so later checks do not redo that work. */
export interface RememberedManifest {
  readonly manifest: SiteManifest;
  readonly text: string;
  readonly served: boolean;
}

export type BaselineResult =
  | { readonly baseline: Baseline; readonly manifestFinding?: FileFinding }
  | { readonly verdict: Exclude<Verdict, "clean">; readonly summary: string; readonly release?: ReleaseView; readonly manifestFinding?: FileFinding };

/** What a manifest is on chain: the current release's, another release's, or none. */
async function identify(client: WebsiteClient, siteId: string, hash: string, current: ReleaseView | undefined): Promise<ReleaseView | undefined> {
  if (current?.manifest === hash) return current;
  return (await client.releases(siteId)).find((r) => r.manifest === hash);
}

function standing(release: ReleaseView, current: ReleaseView | undefined): string {
  if (release.status === "revoked") return `${describeRelease(release)}, revoked for ${release.reason}`;
  if (release.status === "pending") return `${describeRelease(release)}, still waiting for approvals`;
  return current ? `${describeRelease(release)}, while ${describeRelease(current)} is current` : `${describeRelease(release)}, while no release is current`;
}

/**
 * Ties the check to the site's current release on chain: a manifest is trusted only when keccak256 of its bytes is the
 * release's manifest hash and its files lead to the release's root. A site serving anything else is tampered; a site
 * whose manifest cannot be had is unchecked. A supplied manifest that is not the current one is the verifier's
 * mistake and is refused.
 */
export async function resolveBaseline(client: WebsiteClient, domain: string, siteId: string, sources: ManifestSources, keccak: Keccak): Promise<BaselineResult> {
  const site = await client.requireSite(siteId, domain);
  const current = site.current ? await client.release(siteId, site.current) : undefined;
  const found = sources.found;
  let baseline: Baseline | undefined;
  let expectCopy = false;

  if (sources.given) {
    const { text, source } = sources.given;
    const manifest = parseManifest(text, source);
    if (manifest.siteId !== siteId) throw new InputError(`${source} is the manifest of ${manifest.site}, not of ${domain}.`);
    const release = await identify(client, siteId, manifestHash(text), current);
    if (!release) throw new InputError(`${source} is not the manifest of any release of ${domain} on chain.`);
    if (release !== current) throw new InputError(`${source} is the manifest of ${standing(release, current)}; check against the current release's manifest.`);
    baseline = checkRoot({ manifest, text, release }, keccak);
  } else if (current && sources.remembered?.has(current.manifest)) {
    const { manifest, text, served } = sources.remembered.get(current.manifest)!;
    baseline = { manifest, text, release: current };
    expectCopy = served;
  }

  if (baseline) return { baseline, manifestFinding: copyFinding(found, baseline, expectCopy) };
  if (found.state === "unreachable") {
    return { verdict: "unchecked", summary: `Could not fetch ${domain}'s manifest at ${found.where}: ${found.detail}.`, manifestFinding: { path: found.where, state: "unreachable", detail: found.detail } };
  }
  if (found.state === "absent") {
    return { verdict: "unchecked", summary: `${domain} has no manifest at ${found.where}; give the current release's manifest with --manifest.` };
  }
  let manifest: SiteManifest;
  try {
    manifest = parseManifest(found.text, found.where);
  } catch (error) {
    return tamperedCopy(found.where, (error as Error).message.replace(/\.$/, ""));
  }
  if (manifest.siteId !== siteId) return tamperedCopy(found.where, `it is the manifest of ${manifest.site}, not of ${domain}`);
  const release = await identify(client, siteId, manifestHash(found.text), current);
  if (release && release === current) return { baseline: checkRoot({ manifest, text: found.text, release }, keccak), manifestFinding: { path: found.where, state: "ok", detail: "its hash is the release's on chain" } };
  if (!release && !current) return { verdict: "unchecked", summary: `${domain} has no current release on chain to check against.` };
  return tamperedCopy(found.where, release ? `it is the manifest of ${standing(release, current)}` : `it is not the manifest of any release of ${domain} on chain`, current);
}

function tamperedCopy(where: string, detail: string, release?: ReleaseView): BaselineResult {
  return { verdict: "tampered", summary: `The manifest at ${where} is not the current release's: ${detail}.`, release, manifestFinding: { path: where, state: "modified", detail } };
}

/** The site's copy of the manifest, when the check's manifest came from elsewhere. */
function copyFinding(found: FoundManifest, baseline: Baseline, expected: boolean): FileFinding | undefined {
  if (found.state === "unreachable") return { path: found.where, state: "unreachable", detail: found.detail };
  if (found.state === "absent") return expected ? { path: found.where, state: "missing", detail: "the site served it before" } : undefined;
  if (found.text === baseline.text) return { path: found.where, state: "ok", detail: "its hash is the release's on chain" };
  return { path: found.where, state: "modified", detail: "it differs from the current release's manifest" };
}

/** A manifest whose hash is on chain but whose files do not lead to the on-chain root was published broken. */
function checkRoot(baseline: Baseline, keccak: Keccak): Baseline {
  const { manifest, release } = baseline;
  if (manifestTree(manifest.files, keccak).root !== release.root || manifest.fileCount !== release.fileCount) {
    throw new InputError(`The manifest of ${describeRelease(release)} does not lead to the release's on-chain root; the release was published broken and cannot be checked against.`);
  }
  return baseline;
}
