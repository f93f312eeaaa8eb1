import { createHash } from "node:crypto";
import fs from "node:fs";
import { integrityTargets, isHtmlPath, pageReferences, withIntegrity } from "./html";
import { SiteLocation } from "./location";

export interface IntegrityReport {
  /** Pages whose bytes changed. */
  readonly pages: string[];
  /** Script and stylesheet tags given an `integrity` attribute. */
  readonly tags: number;
  /** Scripts and stylesheets of other origins: the browser cannot be told their hash without fetching them. */
  readonly external: { page: string; url: string }[];
  /** Scripts and stylesheets a page names that the folder does not have. */
  readonly missing: { page: string; url: string }[];
}

/** Decodes a page as UTF-8 if that is what it is, otherwise byte for byte, so writing it back changes only the tags. */
function pageText(bytes: Buffer): { text: string; encoding: BufferEncoding } {
  const text = bytes.toString("utf8");
  return Buffer.from(text, "utf8").equals(bytes) ? { text, encoding: "utf8" } : { text: bytes.toString("latin1"), encoding: "latin1" };
}

/**
 * Writes Subresource Integrity (`integrity="sha384-…"`) into every script and stylesheet tag of the folder's HTML pages
 * that loads a file of the folder, so a browser refuses a script or stylesheet altered after release even when the
 * page itself is intact. Run before the manifest is built: it changes the pages.
 */
export function writeSubresourceIntegrity(files: ReadonlyMap<string, string>, site: string): IntegrityReport {
  const location = SiteLocation.folder(site);
  const digests = new Map<string, string>();
  const digestOf = (path: string) => {
    let digest = digests.get(path);
    if (digest === undefined) {
      digest = `sha384-${createHash("sha384").update(fs.readFileSync(files.get(path)!)).digest("base64")}`;
      digests.set(path, digest);
    }
    return digest;
  };
  const report = { pages: [] as string[], tags: 0, external: [] as IntegrityReport["external"], missing: [] as IntegrityReport["missing"] };
  for (const [page, real] of files) {
    if (!isHtmlPath(page)) continue;
    const { text, encoding } = pageText(fs.readFileSync(real));
    const { base } = pageReferences(text);
    let rewritten = "";
    let from = 0;
    for (const tag of integrityTargets(text)) {
      const target = location.resolve(tag.url, page, base);
      if (target === undefined) continue;
      if ("external" in target) {
        report.external.push({ page, url: target.external });
        continue;
      }
      if (!files.has(target.path)) {
        report.missing.push({ page, url: tag.url });
        continue;
      }
      rewritten += text.slice(from, tag.start) + withIntegrity(text.slice(tag.start, tag.end + 1), tag.tagName, digestOf(target.path));
      from = tag.end + 1;
      report.tags++;
    }
    rewritten += text.slice(from);
    if (rewritten !== text) {
      fs.writeFileSync(real, rewritten, encoding);
      report.pages.push(page);
    }
  }
  return report;
}
