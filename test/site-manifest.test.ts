import { createHash } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect } from "chai";
import fc from "fast-check";
import { StandardMerkleTree } from "@openzeppelin/merkle-tree";
import { keccak256, toUtf8Bytes } from "ethers";
import { loadKeccak } from "../src/hashing/keccak";
import { buildManifest, manifestHash, manifestText, normaliseDomain, siteIdOf } from "../src/websites/manifest";
import { runCli } from "./helpers/cli";

const TYPES = ["string", "bytes32", "uint256"];

function folder(files: Record<string, string | Buffer>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sakshya-site-"));
  for (const [name, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), content);
  }
  return dir;
}

const sha = (content: string | Buffer) => `0x${createHash("sha256").update(content).digest("hex")}`;

describe("site manifests", () => {
  it("list every file with its SHA-256 and size, sorted, under the root StandardMerkleTree gives", async () => {
    const keccak = await loadKeccak();
    await fc.assert(
      fc.asyncProperty(
        fc.dictionary(fc.stringMatching(/^[a-z0-9_\-ऀ-ॿ]{1,12}(\/[a-z0-9][a-z0-9_.]{0,9}){0,2}$/), fc.uint8Array({ maxLength: 300 }), { minKeys: 1, maxKeys: 12 }),
        async (entries) => {
          // A name may not be both a file and a folder.
          const names = Object.keys(entries).filter((n, _, all) => !all.some((other) => other.startsWith(`${n}/`)));
          const dir = folder(Object.fromEntries(names.map((n) => [n, Buffer.from(entries[n])])));
          const manifest = buildManifest(dir, { site: "wb.gov.in", release: "r1" }, keccak);
          const expected = names.map((n) => [n, sha(Buffer.from(entries[n])), entries[n].length] as const).sort((a, b) => (a[0] < b[0] ? -1 : 1));
          expect(manifest.files.map((f) => [f.path, f.sha256, f.size])).to.deep.equal(expected);
          expect(manifest.root).to.equal(StandardMerkleTree.of(expected.map((e) => [...e]), TYPES).root);
          expect([manifest.fileCount, manifest.totalBytes]).to.deep.equal([names.length, names.reduce((sum, n) => sum + entries[n].length, 0)]);
          fs.rmSync(dir, { recursive: true });
        },
      ),
      { numRuns: 40 },
    );
  });

  it("leaves declared exclusions out and says so; an empty result is refused", async () => {
    const keccak = await loadKeccak();
    const dir = folder({ "index.html": "<h1>Portal</h1>", "news/today.html": "news", "sitemap.xml": "<urlset/>", ".well-known/security.txt": "x" });
    const manifest = buildManifest(dir, { site: "https://WB.gov.in/", release: "r1", exclude: ["news/**", "sitemap.xml"] }, keccak);
    expect(manifest.files.map((f) => f.path)).to.deep.equal([".well-known/security.txt", "index.html"]);
    expect([manifest.site, manifest.siteId, manifest.exclude]).to.deep.equal(["wb.gov.in", keccak256(toUtf8Bytes("wb.gov.in")), ["news/**", "sitemap.xml"]]);
    expect(() => buildManifest(dir, { site: "wb.gov.in", release: "r1", exclude: ["**"] }, keccak)).to.throw(/has no files to publish once the exclusions are applied/);
  });

  it("follows symbolic links but refuses a loop, a broken link and a missing folder", async () => {
    const keccak = await loadKeccak();
    const dir = folder({ "a/index.html": "x", "shared/logo.svg": "<svg/>" });
    fs.symlinkSync(path.join(dir, "shared"), path.join(dir, "a", "assets"));
    const manifest = buildManifest(dir, { site: "wb.gov.in", release: "r1" }, keccak);
    expect(manifest.files.map((f) => f.path)).to.deep.equal(["a/assets/logo.svg", "a/index.html", "shared/logo.svg"]);
    fs.symlinkSync(dir, path.join(dir, "shared", "up"));
    expect(() => buildManifest(dir, { site: "wb.gov.in", release: "r1" }, keccak)).to.throw(/\/up links back to a folder above it: a symbolic-link loop/);
    fs.unlinkSync(path.join(dir, "shared", "up"));
    fs.symlinkSync(path.join(dir, "nowhere"), path.join(dir, "broken"));
    expect(() => buildManifest(dir, { site: "wb.gov.in", release: "r1" }, keccak)).to.throw(/broken is a broken or looping symbolic link/);
    expect(() => buildManifest(path.join(dir, "missing"), { site: "wb.gov.in", release: "r1" }, keccak)).to.throw(/is not a readable folder/);
  });

  it("normalises domains and refuses what is not one", () => {
    expect([normaliseDomain("HTTPS://Egov.WB.gov.in:443/path"), normaliseDomain("wb.gov.in.")]).to.deep.equal(["egov.wb.gov.in", "wb.gov.in"]);
    expect(siteIdOf("WB.GOV.IN")).to.equal(siteIdOf("wb.gov.in"));
    expect(() => normaliseDomain("not a domain")).to.throw(/is not a domain name/);
  });

  it("`site manifest` writes a reproducible manifest and prints its root and hash", async function () {
    this.timeout(60_000);
    const dir = folder({ "index.html": "<h1>Portal</h1>", "css/site.css": "body{}" });
    const out = path.join(dir, "..", `${path.basename(dir)}.manifest.json`);
    const result = await runCli(["--json", "site", "manifest", dir, "--site", "wb.gov.in", "--release", "2026.11.1", "--out", out, "--exclude", "tmp/**"]);
    expect(result.code, result.stderr).to.equal(0);
    const printed = JSON.parse(result.stdout);
    const text = fs.readFileSync(out, "utf8");
    expect(printed.manifestHash).to.equal(manifestHash(text));
    const manifest = JSON.parse(text);
    expect([manifest.fileCount, manifest.exclude, manifest.root]).to.deep.equal([2, ["tmp/**"], printed.root]);
    expect(manifestText(manifest)).to.equal(text);
    const bad = await runCli(["site", "manifest", path.join(dir, "missing"), "--site", "wb.gov.in", "--release", "r", "--out", out]);
    expect([bad.code, bad.stderr]).to.deep.equal([2, `error: ${path.join(dir, "missing")} is not a readable folder.\n`]);
  });
});
