import fs from "node:fs";
import { Command } from "commander";
import { action, type ActionIo } from "../../src/cli/action";
import { isoTime, reportWrite, table } from "../../src/cli/output";
import { InputError } from "../../src/errors";
import { loadKeccak } from "../../src/hashing/keccak";
import { WebsiteClient } from "../../src/websites/client";
import { buildManifest, manifestHash, manifestText, normaliseDomain, siteIdOf, type SiteManifest } from "../../src/websites/manifest";
import { REVOCATION_REASONS, parseRevocationReason } from "../../src/websites/vocabulary";

async function websiteClient(io: ActionIo, write: boolean): Promise<WebsiteClient> {
  const context = await io.open();
  return new WebsiteClient(context.deployment, context.provider, write ? await context.wallet() : undefined);
}

function parseReleaseId(raw: string): number {
  if (!/^\d+$/.test(raw) || Number(raw) < 1 || Number(raw) > 0xffffffff) throw new InputError(`"${raw}" is not a release number.`);
  return Number(raw);
}

function readManifest(file: string): { manifest: SiteManifest; hash: string } {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch {
    throw new InputError(`Cannot read the manifest ${file}.`);
  }
  let manifest: SiteManifest;
  try {
    manifest = JSON.parse(text) as SiteManifest;
  } catch {
    throw new InputError(`${file} is not a site manifest: it is not JSON.`);
  }
  if (manifest.kind !== "sakshya-site-manifest" || !Array.isArray(manifest.files)) throw new InputError(`${file} is not a site manifest.`);
  return { manifest, hash: manifestHash(text) };
}

const collect = (value: string, previous: string[]) => [...previous, value];

export function siteCommand(): Command {
  const site = new Command("site").description("government websites: release manifests (publishing, verifying and monitoring follow)");

  site
    .command("manifest <dir>")
    .description("hash every file of a build folder into a release manifest (offline)")
    .requiredOption("--site <domain>", "the site's domain, e.g. wb.gov.in")
    .requiredOption("--release <label>", "the release's version label, e.g. 2026.11.2")
    .requiredOption("--out <file>", "where to write the manifest")
    .option("--exclude <glob>", "a path pattern that may change without a release, declared in the manifest (repeat)", collect, [])
    .action(
      action<{ site: string; release: string; out: string; exclude: string[] }>(async (io, [dir], o) => {
        if (Buffer.byteLength(o.release) > 31) throw new InputError(`The release label "${o.release}" is longer than 31 bytes.`);
        const started = Date.now();
        const manifest = buildManifest(dir, { site: o.site, release: o.release, exclude: o.exclude }, await loadKeccak());
        const text = manifestText(manifest);
        fs.writeFileSync(o.out, text);
        const seconds = (Date.now() - started) / 1000;
        io.out.result({ out: o.out, root: manifest.root, manifestHash: manifestHash(text), fileCount: manifest.fileCount, totalBytes: manifest.totalBytes, seconds }, [
          `✓ Manifest of ${manifest.fileCount} files (${(manifest.totalBytes / 2 ** 20).toFixed(1)} MiB) for ${manifest.site} in ${o.out} (${seconds.toFixed(1)} s)`,
          `  root ${manifest.root}`,
          ...(manifest.exclude.length ? [`  not covered: ${manifest.exclude.join(", ")}`] : []),
        ]);
      }),
    );

  site
    .command("register <domain>")
    .description("assign a site to a publishing organisation (operator)")
    .requiredOption("--org <org>", "the organisation, by code or id")
    .option("--approvals <n>", "approvals a release needs before it is current", "1")
    .action(
      action<{ org: string; approvals: string }>(async (io, [domain], o) => {
        const threshold = Number(o.approvals);
        if (!Number.isInteger(threshold) || threshold < 1 || threshold > 32) throw new InputError("--approvals must be a whole number from 1 to 32.");
        const context = await io.open();
        const orgId = await context.directory().resolveOrganisation(o.org);
        const client = new WebsiteClient(context.deployment, context.provider);
        const outcome = await client.registerSite(await context.governance(), siteIdOf(domain), orgId, threshold);
        if (outcome === "already-done") io.out.result({ status: "already-done", site: normaliseDomain(domain) }, [`✓ ${normaliseDomain(domain)} is already registered to organisation ${orgId}, nothing sent.`]);
        else io.out.outcome(`Registered ${normaliseDomain(domain)} for organisation ${orgId} (${threshold} approval(s) per release)`, outcome, { site: normaliseDomain(domain) });
      }),
    );

  site
    .command("publish <manifest>")
    .description("publish a manifest's release (a key of the site's organisation; safe to re-run)")
    .action(
      action(async (io, [file]) => {
        const { manifest, hash } = readManifest(file);
        const client = await websiteClient(io, true);
        const site = await client.requireSite(manifest.siteId, manifest.site);
        const result = await client.publish(manifest, hash);
        const release = await client.release(manifest.siteId, result.releaseId);
        reportWrite(io.out, `published ${manifest.site} release ${result.releaseId} (${manifest.release}, ${manifest.fileCount} files)`, result, { releaseId: result.releaseId, status: release?.status });
        if (!io.out.json) {
          process.stdout.write(release?.status === "approved" && (await client.site(manifest.siteId))?.current === result.releaseId ? "  it is the current release\n" : `  pending: ${release?.approvals ?? 0} of ${site.threshold} approvals\n`);
        }
      }),
    );

  for (const [verb, description] of [
    ["approve", "approve a pending release (another key of the site's organisation)"],
    ["rollback", "make an earlier approved release current again"],
  ] as const) {
    site
      .command(`${verb} <domain> <release>`)
      .description(description)
      .action(
        action(async (io, [domain, raw]) => {
          const releaseId = parseReleaseId(raw);
          const client = await websiteClient(io, true);
          const siteId = siteIdOf(domain);
          await client.requireSite(siteId, domain);
          const result = verb === "approve" ? await client.approve(siteId, releaseId) : await client.rollback(siteId, releaseId);
          reportWrite(io.out, `${verb === "approve" ? "approved" : "rolled back to"} ${normaliseDomain(domain)} release ${releaseId}`, result, { releaseId });
        }),
      );
  }

  site
    .command("revoke <domain> <release>")
    .description("revoke a release for good (a key of the site's organisation, or the governor)")
    .requiredOption("--reason <reason>", REVOCATION_REASONS.slice(1).join(", "))
    .action(
      action<{ reason: string }>(async (io, [domain, raw], o) => {
        const releaseId = parseReleaseId(raw);
        const reason = parseRevocationReason(o.reason);
        const client = await websiteClient(io, true);
        const siteId = siteIdOf(domain);
        await client.requireSite(siteId, domain);
        reportWrite(io.out, `revoked ${normaliseDomain(domain)} release ${releaseId} (${o.reason})`, await client.revoke(siteId, releaseId, reason), { releaseId });
      }),
    );

  site
    .command("status <domain>")
    .description("the site's owner, current release and every release (no key needed)")
    .action(
      action(async (io, [domain]) => {
        const client = await websiteClient(io, false);
        const siteId = siteIdOf(domain);
        const found = await client.requireSite(siteId, domain);
        const releases = await client.releases(siteId);
        const rows = releases.map((r) => [String(r.id), r.version, r.id === found.current ? `${r.status} (current)` : r.status, String(r.fileCount), `${r.approvals}/${found.threshold}`, isoTime(r.publishedAt), r.status === "revoked" ? r.reason : "-"]);
        io.out.result({ ...found, releases }, [
          `Site ${normaliseDomain(domain)}: organisation ${found.orgId}, ${found.threshold} approval(s) per release, ${found.current ? `current release ${found.current}` : "no current release"}`,
          ...(rows.length ? table(["release", "version", "status", "files", "approvals", "published", "revoked for"], rows) : ["No releases yet."]),
        ]);
      }),
    );

  return site;
}
