import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import hre from "hardhat";
import { loadKeccak, type Keccak } from "../../src/hashing/keccak";
import { WebsiteClient } from "../../src/websites/client";
import { WELL_KNOWN_MANIFEST, buildManifest, manifestHash, manifestText, siteIdOf, type SiteManifest } from "../../src/websites/manifest";
import { CAP, KIND, code, deployedSuite, evidence } from "../fixtures";

export const SAMPLE_PORTAL = path.join(__dirname, "..", "..", "scripts", "samples", "site", "portal");

/** Writes `files` into a fresh temporary folder. */
export function siteFolder(files: Record<string, string | Uint8Array>, prefix = "sakshya-site-"): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  for (const [name, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), content);
  }
  return dir;
}

/**
 * The suite with the IT department (two publisher keys) onboarded: `release` builds a folder's manifest, writes it
 * into the folder's well-known path, and publishes it as the current release of a site registered on first use.
 */
export async function siteSuite() {
  const suite = await deployedSuite();
  const { directory, others, deployment, operator } = suite;
  await directory.onboard(code("it-dept"), KIND.agency, CAP.publishWebsites, [0], evidence("IT department"));
  await directory.addAccount(1, others[0].address);
  await directory.addAccount(1, others[1].address);
  const keccak: Keccak = await loadKeccak();
  const publisher = new WebsiteClient(deployment, hre.ethers.provider, others[0]);
  const reader = new WebsiteClient(deployment, hre.ethers.provider);
  const registry = publisher.contract.connect(operator);

  async function release(dir: string, site: string, label: string, exclude: string[] = []): Promise<{ manifest: SiteManifest; text: string; releaseId: number }> {
    if ((await reader.site(siteIdOf(site))) === undefined) await (await registry.registerSite(siteIdOf(site), 1, 1)).wait();
    const manifest = buildManifest(dir, { site, release: label, exclude }, keccak);
    const text = manifestText(manifest);
    fs.mkdirSync(path.join(dir, ".well-known"), { recursive: true });
    fs.writeFileSync(path.join(dir, WELL_KNOWN_MANIFEST), text);
    const { releaseId } = await publisher.publish(manifest, manifestHash(text));
    return { manifest, text, releaseId };
  }

  return { ...suite, keccak, publisher, reader, release };
}
