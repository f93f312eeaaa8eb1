/**
 * Run by bench/run.ts as `hardhat run --network localhost` against a spawned `npx hardhat node`:
 * 1. a manifest of 20,000 files / 1 GiB, timed side by side with `sha256sum` over the same files;
 * 2. `site verify <url>` of a 2,000-file site served by a static server in its own process;
 * 3. the monitor on a 500-page site: time from tampering with one page to the alert.
 * Prints its figures as one line of JSON.
 */
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { randomBytes, randomInt } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import hre from "hardhat";
import { encodeBytes32String, id as textHash } from "ethers";
import { connect } from "../src/chain/provider";
import { loadKeccak } from "../src/hashing/keccak";
import { WebsiteClient } from "../src/websites/client";
import { WELL_KNOWN_MANIFEST, buildManifest, manifestHash, manifestText } from "../src/websites/manifest";
import { monitorSite } from "../src/websites/monitor";
import { verifyServed } from "../src/websites/verify";
import { WebsiteRegistry__factory } from "../typechain-types";
import { deployedSuiteForBench } from "./suite";

const MANIFEST_FILES = Number(process.env.BENCH_MANIFEST_FILES ?? 20_000);
const MANIFEST_BYTES = Number(process.env.BENCH_MANIFEST_BYTES ?? 2 ** 30);
const VERIFY_FILES = 2_000;
const MONITOR_PAGES = 500;
const MONITOR_INTERVAL_MS = 5_000;
const MONITOR_TRIALS = 3;

const seconds = (start: bigint) => Number(process.hrtime.bigint() - start) / 1e9;

/** `count` files named and filled by the callbacks. */
function writeFiles(dir: string, count: number, name: (i: number) => string, content: (i: number) => Buffer): void {
  for (let i = 0; i < count; i++) {
    const file = path.join(dir, name(i));
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, content(i));
  }
}

function manifestVersusSha256sum(keccak: Awaited<ReturnType<typeof loadKeccak>>) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sakshya-bench-manifest-"));
  try {
    const size = Math.floor(MANIFEST_BYTES / MANIFEST_FILES);
    writeFiles(dir, MANIFEST_FILES, (i) => `d${i % 100}/f${i}.bin`, () => randomBytes(size));
    const ours: number[] = [];
    const theirs: number[] = [];
    // Alternated, twice each, after the writes left the files in the page cache: the same conditions for both.
    for (let round = 0; round < 2; round++) {
      let start = process.hrtime.bigint();
      execFileSync("sh", ["-c", `find "${dir}" -type f -print0 | xargs -0 sha256sum > /dev/null`]);
      theirs.push(seconds(start));
      start = process.hrtime.bigint();
      const manifest = buildManifest(dir, { site: "bench.wb.gov.in", release: "bench" }, keccak);
      ours.push(seconds(start));
      if (manifest.fileCount !== MANIFEST_FILES) throw new Error("The manifest missed files.");
    }
    return { files: MANIFEST_FILES, bytes: MANIFEST_BYTES, manifestSeconds: Math.min(...ours), sha256sumSeconds: Math.min(...theirs) };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** A site of `pages` HTML pages (linked from the home page) and `assets` stylesheets, scripts and images. */
function writeSite(dir: string, pages: number, assets: number): void {
  const page = (i: number) =>
    Buffer.from(`<!doctype html><html><head><title>Page ${i}</title><link rel="stylesheet" href="/assets/a${i % Math.max(assets, 1)}.css"></head><body><h1>Notice ${i}</h1>${"<p>Text of the notice. </p>".repeat(150)}</body></html>`);
  writeFiles(dir, pages, (i) => `pages/p${i % 50}/n${i}.html`, page);
  writeFiles(dir, assets, (i) => `assets/a${i}.${["css", "js", "png"][i % 3]}`, () => randomBytes(12_000));
  const links = Array.from({ length: pages }, (_, i) => `<a href="pages/p${i % 50}/n${i}.html">${i}</a>`).join("");
  fs.writeFileSync(path.join(dir, "index.html"), `<!doctype html><html><body>${links}</body></html>`);
}

/** Serves `dir` from a process of its own, as a real web server would be: the verifier does not share its CPU time. */
async function serveInOwnProcess(dir: string): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(process.execPath, ["-r", "ts-node/register/transpile-only", path.join(__dirname, "..", "src", "websites", "static-server.ts"), dir], {
    env: { ...process.env, TS_NODE_PROJECT: path.join(__dirname, "..", "tsconfig.json") },
    stdio: ["ignore", "pipe", "inherit"],
  });
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout!.once("data", (chunk: Buffer) => resolve(chunk.toString().trim()));
    child.once("exit", (code) => reject(new Error(`the static server exited with ${code}`)));
  });
  return { url, child };
}

async function main() {
  const keccak = await loadKeccak();
  const manifest = manifestVersusSha256sum(keccak);

  const { deployment, deploymentFile, directory } = await deployedSuiteForBench(hre);
  const [, operator, , , publisherKey] = await hre.ethers.getSigners();
  await (await directory.onboard(encodeBytes32String("it-dept"), 0, 2, [0], textHash("bench"))).wait();
  await (await directory.addAccount(2, publisherKey.address)).wait();
  const registry = WebsiteRegistry__factory.connect(deployment.contracts.WebsiteRegistry!.address, operator);
  const url = (hre.network.config as { url: string }).url;
  const provider = await connect({ name: "localhost", rpcUrl: url }, deployment);
  const publisher = new WebsiteClient(deployment, provider, publisherKey);
  const reader = new WebsiteClient(deployment, provider);

  async function publishedSite(site: string, pages: number, assets: number) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sakshya-bench-site-"));
    writeSite(dir, pages, assets);
    const built = buildManifest(dir, { site, release: "bench" }, keccak);
    const text = manifestText(built);
    fs.mkdirSync(path.join(dir, ".well-known"));
    fs.writeFileSync(path.join(dir, WELL_KNOWN_MANIFEST), text);
    await (await registry.registerSite(built.siteId, 2, 1)).wait();
    await publisher.publish(built, manifestHash(text));
    return { dir, ...(await serveInOwnProcess(dir)), fileCount: built.fileCount };
  }

  const verifySite = await publishedSite("verify.bench.wb.gov.in", 600, VERIFY_FILES - 601);
  const verifyRates: number[] = [];
  try {
    for (let run = 0; run < 2; run++) {
      const start = process.hrtime.bigint();
      const report = await verifyServed(verifySite.url, { site: "verify.bench.wb.gov.in" }, reader, keccak);
      if (report.verdict !== "clean") throw new Error(`The untouched bench site did not verify: ${report.summary}`);
      verifyRates.push(verifySite.fileCount / seconds(start));
    }
    // What a verifier sees: the command in a fresh process, Node's start included.
    const start = process.hrtime.bigint();
    const command = ["--rpc-url", url, "--deployments", deploymentFile, "site", "verify", verifySite.url, "--site", "verify.bench.wb.gov.in", "--json"];
    const verdict = (JSON.parse(execFileSync(process.execPath, [path.join(__dirname, "..", "bin", "sakshya.js"), ...command], { encoding: "utf8" })) as { verdict: string }).verdict;
    if (verdict !== "clean") throw new Error(`sakshya site verify said ${verdict}`);
    verifyRates.push(verifySite.fileCount / seconds(start));
  } finally {
    verifySite.child.kill();
    fs.rmSync(verifySite.dir, { recursive: true, force: true });
  }

  const monitored = await publishedSite("monitor.bench.wb.gov.in", MONITOR_PAGES, 20);
  const detections: number[] = [];
  const checkSeconds: number[] = [];
  try {
    for (let trial = 0; trial < MONITOR_TRIALS; trial++) {
      const target = path.join(monitored.dir, "pages", `p${trial}`, `n${trial}.html`);
      const original = fs.readFileSync(target);
      let tamperedAt = 0;
      const timer = { handle: undefined as NodeJS.Timeout | undefined };
      const stop = new AbortController();
      await monitorSite(monitored.url, { site: "monitor.bench.wb.gov.in", intervalMs: MONITOR_INTERVAL_MS, signal: stop.signal }, reader, keccak, (event) => {
        checkSeconds.push(event.report.seconds);
        if (event.check === 1) {
          // Tamper at a random moment of the next interval, as an attacker would.
          timer.handle = setTimeout(() => {
            fs.writeFileSync(target, "<h1>Hacked</h1>");
            tamperedAt = Date.now();
          }, randomInt(0, MONITOR_INTERVAL_MS));
        } else if (event.kind === "alert") {
          detections.push((Date.now() - tamperedAt) / 1000);
          stop.abort();
        } else if (event.check > 4) throw new Error("The monitor did not notice the tampered page.");
      });
      clearTimeout(timer.handle);
      fs.writeFileSync(target, original);
    }
  } finally {
    monitored.child.kill();
    fs.rmSync(monitored.dir, { recursive: true, force: true });
  }
  provider.destroy();
  console.log(
    JSON.stringify({
      manifest,
      verify: { files: VERIFY_FILES, perSecond: verifyRates },
      monitor: { pages: MONITOR_PAGES, files: monitored.fileCount, intervalSeconds: MONITOR_INTERVAL_MS / 1000, detectionSeconds: detections, checkSeconds: Math.max(...checkSeconds) },
    }),
  );
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
