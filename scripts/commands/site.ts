import fs from "node:fs";
import path from "node:path";
import { Command } from "commander";
import { deadlinesFrom } from "../../src/chain/deadlines";
import { action, type ActionIo } from "../../src/cli/action";
import { reportWrite, skipped, table } from "../../src/cli/output";
import { documentHash, withDocument, type DocumentOptions } from "../../src/cli/documents";
import { isoTime } from "../../src/io/time";
import { ExitCode, InputError } from "../../src/errors";
import { loadKeccak } from "../../src/hashing/keccak";
import { AlertSinks, alertPayload } from "../../src/websites/alerts";
import { WebsiteClient } from "../../src/websites/client";
import { writeSubresourceIntegrity, type IntegrityReport } from "../../src/websites/integrity";
import { walkFiles } from "../../src/io/walk";
import { WELL_KNOWN_MANIFEST, buildManifest, manifestHash, manifestText, normaliseDomain, readManifestFile, siteIdOf } from "../../src/websites/manifest";
import { monitorLines, monitorSite } from "../../src/websites/monitor";
import { reportLines, type Verdict } from "../../src/websites/report";
import { verifyFolder, verifyServed } from "../../src/websites/verify";
import { REVOCATION_REASONS, parseRevocationReason } from "../../src/websites/vocabulary";

async function websiteClient(io: ActionIo, write: boolean): Promise<WebsiteClient> {
  const context = await io.open();
  return new WebsiteClient(context.deployment, context.provider, write ? await context.wallet() : undefined);
}

function parseReleaseId(raw: string): number {
  if (!/^\d+$/.test(raw) || Number(raw) < 1 || Number(raw) > 0xffffffff) throw new InputError(`"${raw}" is not a release number.`);
  return Number(raw);
}

const VERDICT_EXIT: Record<Verdict, ExitCode> = { clean: ExitCode.Ok, tampered: ExitCode.No, unchecked: ExitCode.CouldNotRun };

const isUrl = (target: string) => /^https?:\/\//i.test(target);

function parseSeconds(raw: string, option: string): number {
  const seconds = Number(raw);
  if (!Number.isFinite(seconds) || seconds <= 0 || seconds > 86_400) throw new InputError(`${option} must be a number of seconds above 0, not "${raw}".`);
  return seconds;
}

function parseCount(raw: string): number {
  if (!/^\d+$/.test(raw) || Number(raw) < 1) throw new InputError(`--checks must be a whole number above 0, not "${raw}".`);
  return Number(raw);
}

function givenManifest(file: string | undefined): { text: string; source: string } | undefined {
  return file === undefined ? undefined : { text: readManifestFile(file).text, source: file };
}

function integrityLines(report: IntegrityReport): string[] {
  return [
    `✓ Subresource Integrity written into ${report.tags} script and stylesheet tags of ${report.pages.length} pages`,
    ...report.external.map((e) => `  ! ${e.page}: ${e.url} is on another origin and has no integrity attribute`),
    ...report.missing.map((m) => `  ! ${m.page}: ${m.url} is not in the folder`),
  ];
}

const collect = (value: string, previous: string[]) => [...previous, value];

/** `--alias` host names, each checked to be a domain name (or an address) and lower-cased. */
const aliases = (hosts: readonly string[]) => hosts.map((host) => normaliseDomain(host));

export function siteCommand(): Command {
  const site = new Command("site").description("government websites: release manifests, publishing, verification and monitoring");

  site
    .command("manifest <dir>")
    .description("hash every file of a build folder into a release manifest (offline)")
    .requiredOption("--site <domain>", "the site's domain, e.g. wb.gov.in")
    .requiredOption("--release <label>", "the release's version label, e.g. 2026.11.2")
    .option("--out <file>", "where to write the manifest")
    .option("--emit", `also write it into the folder at ${WELL_KNOWN_MANIFEST}, where verifiers look for it`)
    .option("--sri", "first write Subresource Integrity attributes into the pages' script and stylesheet tags (changes the pages)")
    .option("--exclude <glob>", "a path pattern that may change without a release, declared in the manifest (repeat)", collect, [])
    .action(
      action<{ site: string; release: string; out?: string; emit?: boolean; sri?: boolean; exclude: string[] }>(async (io, [dir], o) => {
        if (!o.out && !o.emit) throw new InputError("Say where the manifest goes: --out <file>, --emit, or both.");
        if (Buffer.byteLength(o.release) > 31) throw new InputError(`The release label "${o.release}" is longer than 31 bytes.`);
        const started = Date.now();
        const integrity = o.sri ? writeSubresourceIntegrity(walkFiles(dir, skipped), o.site) : undefined;
        const manifest = buildManifest(dir, { site: o.site, release: o.release, exclude: o.exclude, onSkip: o.sri ? undefined : skipped }, await loadKeccak());
        const text = manifestText(manifest);
        const written = [...(o.out ? [o.out] : []), ...(o.emit ? [path.join(dir, WELL_KNOWN_MANIFEST)] : [])];
        for (const file of written) {
          fs.mkdirSync(path.dirname(file), { recursive: true });
          fs.writeFileSync(file, text);
        }
        const seconds = (Date.now() - started) / 1000;
        io.out.result({ written, root: manifest.root, manifestHash: manifestHash(text), fileCount: manifest.fileCount, totalBytes: manifest.totalBytes, integrity, seconds }, [
          ...(integrity ? integrityLines(integrity) : []),
          `✓ Manifest of ${manifest.fileCount} files (${(manifest.totalBytes / 2 ** 20).toFixed(1)} MiB) for ${manifest.site} in ${written.join(" and ")} (${seconds.toFixed(1)} s)`,
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
        const { manifest, hash } = readManifestFile(file);
        const client = await websiteClient(io, true);
        const site = await client.requireSite(manifest.siteId, manifest.site);
        const result = await client.publish(manifest, hash);
        const release = await client.release(manifest.siteId, result.releaseId);
        reportWrite(io.out, `published ${manifest.site} release ${result.releaseId} (${manifest.release}, ${manifest.fileCount} files)`, result, { releaseId: result.releaseId, status: release?.status });
        if (!io.out.json) {
          io.out.lines([release?.status === "approved" && (await client.site(manifest.siteId))?.current === result.releaseId ? "  it is the current release" : `  pending: ${release?.approvals ?? 0} of ${site.threshold} approvals`]);
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

  withDocument(
    site.command("affirm <domain> <release>").description("affirm a release whose approvals or activation a stolen key's cut-off voided: they count again (governor; delayed)"),
    "reason",
    "the decision affirming it",
  ).action(
    action<DocumentOptions>(async (io, [domain, raw], o) => {
      const releaseId = parseReleaseId(raw);
      const reason = documentHash(o, "reason", "reason");
      const context = await io.open();
      const client = new WebsiteClient(context.deployment, context.provider);
      const siteId = siteIdOf(domain);
      await client.requireSite(siteId, domain);
      io.out.outcome(`Affirmed ${normaliseDomain(domain)} release ${releaseId}`, await client.affirmRelease(await context.governance(), siteId, releaseId, reason), { releaseId });
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

  site
    .command("verify <target>")
    .description("check a build folder or a served site (URL) against the site's current release on chain (exit 0 matches, 1 tampered, 2 could not check)")
    .option("--site <domain>", "the site's domain (default: the URL's host, or the folder's manifest)")
    .option("--manifest <file>", `the current release's manifest, when the site does not serve it at ${WELL_KNOWN_MANIFEST}`)
    .option("--alias <host>", "another host name the site is served under; redirects to it are followed (repeatable)", collect, [])
    .action(
      action<{ site?: string; manifest?: string; alias: string[] }>(async (io, [target], o) => {
        const options = { site: o.site, manifest: givenManifest(o.manifest), timeoutMs: deadlinesFrom(io.global.timeout).requestMs, onSkip: skipped, aliases: aliases(o.alias) };
        if (!isUrl(target) && !fs.existsSync(target) && /^[\w-]+(\.[\w-]+)+$/.test(target)) {
          throw new InputError(`${target} is neither a URL nor a folder; to check the live site, give its URL, e.g. https://${target}/.`);
        }
        const client = await websiteClient(io, false);
        const keccak = await loadKeccak();
        const report = isUrl(target) ? await verifyServed(target, options, client, keccak) : await verifyFolder(target, options, client, keccak);
        io.out.result(report, reportLines(report));
        return VERDICT_EXIT[report.verdict];
      }),
    );

  site
    .command("monitor <url>")
    .description("check a served site again and again against its current release on chain; alert on any difference until it matches again")
    .option("--interval <seconds>", "time between the starts of two checks", "60")
    .option("--site <domain>", "the site's domain (default: the URL's host)")
    .option("--manifest <file>", `the current release's manifest, when the site does not serve it at ${WELL_KNOWN_MANIFEST}`)
    .option("--log <file>", "append every check to this file as a line of JSON")
    .option("--webhook <url>", "POST each alert (and the restoration) as JSON to this URL")
    .option("--checks <n>", "stop after this many checks (default: run until interrupted)")
    .option("--alias <host>", "another host name the site is served under; redirects to it are followed (repeatable)", collect, [])
    .action(
      action<{ interval: string; site?: string; manifest?: string; log?: string; webhook?: string; checks?: string; alias: string[] }>(async (io, [url], o) => {
        const intervalMs = parseSeconds(o.interval, "--interval") * 1000;
        const maxChecks = o.checks === undefined ? undefined : parseCount(o.checks);
        if (o.webhook && !isUrl(o.webhook)) throw new InputError(`The webhook "${o.webhook}" is not an http or https URL.`);
        const client = await websiteClient(io, false);
        const sinks = new AlertSinks({ logFile: o.log, webhook: o.webhook }, (message) => process.stderr.write(`warning: ${message}\n`));
        const stop = new AbortController();
        const interrupt = () => stop.abort();
        process.once("SIGINT", interrupt).once("SIGTERM", interrupt);
        try {
          const last = await monitorSite(
            url,
            { site: o.site, manifest: givenManifest(o.manifest), timeoutMs: deadlinesFrom(io.global.timeout).requestMs, aliases: aliases(o.alias), intervalMs, maxChecks, signal: stop.signal },
            client,
            await loadKeccak(),
            async (event) => {
              if (io.out.json) process.stdout.write(`${JSON.stringify(alertPayload(event))}\n`);
              else io.out.lines(monitorLines(event));
              await sinks.deliver(event);
            },
          );
          return last ? VERDICT_EXIT[last.report.verdict] : ExitCode.Ok;
        } finally {
          process.off("SIGINT", interrupt).off("SIGTERM", interrupt);
        }
      }),
    );

  return site;
}
