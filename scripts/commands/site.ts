import fs from "node:fs";
import { Command } from "commander";
import { action } from "../../src/cli/action";
import { InputError } from "../../src/errors";
import { loadKeccak } from "../../src/hashing/keccak";
import { buildManifest, manifestHash, manifestText } from "../../src/websites/manifest";

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

  return site;
}
