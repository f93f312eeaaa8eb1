/**
 * Run by bench/run.ts as `hardhat run --network localhost` against a spawned `npx hardhat node`. Fills the chain with
 * over 100,000 events, times the index catching up with them, then starts the real service (`sakshya serve`, its own
 * process) on that index and loads it with autocannon from this process over keep-alive connections: single
 * certificate verifications and status reads. The same verifications over JSON-RPC, as the command line does them,
 * are timed beside it, and the service's memory is read from /proc. Prints its figures as one line of JSON.
 */
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import autocannon from "autocannon";
import { id as textHash } from "ethers";
import hre from "hardhat";
import { buildBatch } from "../src/certificates/batch";
import { CertificateClient } from "../src/certificates/client";
import { parseCsvRecords } from "../src/certificates/records";
import { readSchema } from "../src/certificates/schema";
import { verifyCertificates } from "../src/certificates/verify";
import { connect } from "../src/chain/provider";
import { DirectoryClient } from "../src/directory/client";
import { loadKeccak } from "../src/hashing/keccak";
import { openDatabase } from "../src/index/database";
import { ChainIndexer } from "../src/index/indexer";
import { migrate } from "../src/index/schema";
import { freePort } from "../src/io/net";
import { createApiKey, parseRate } from "../src/service/api-keys";
import { BulkCaller__factory, CertificateRegistry__factory } from "../typechain-types";
import type { CertificateFile } from "../src/certificates/document";
import { certificateLink } from "../src/certificates/link";
import { certificateCode, codeSlotOf } from "../src/codes/short-code";
import { webhookSignature } from "../src/service/webhooks";
import { launchChromium } from "../test/helpers/browser";
import { SAMPLE_SCHEMA, graduatesCsv } from "./certificates";
import { deployedSuiteForBench } from "./suite";

const EVENT_BATCHES = Number(process.env.BENCH_SERVICE_BATCHES ?? 10);
const DOCUMENTS_PER_BATCH = 10_000;
/** Revocations per transaction: 200 × ~73,000 gas stays under the 16.7 million cap per transaction. */
const CALLS_PER_TRANSACTION = 200;
const VERIFY_SAMPLE = 200;
const LOAD_SECONDS = Number(process.env.BENCH_SERVICE_SECONDS ?? 10);
const CONNECTIONS = 16;
const BIN = path.join(__dirname, "..", "bin", "sakshya.js");

/** The resident and peak resident memory of a process, in MiB, from /proc. */
function memoryOf(pid: number): { rssMiB: number; peakMiB: number } {
  const status = fs.readFileSync(`/proc/${pid}/status`, "utf8");
  const kib = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(status)?.[1] ?? 0);
  return { rssMiB: kib("VmRSS") / 1024, peakMiB: kib("VmHWM") / 1024 };
}

/** The SMS gateway's secret the bench signs with; each bench SMS comes from another number, so none is limited. */
const GATEWAY_SECRET = "bench-gateway-secret-0123456789";
const PAGE_LOADS = 20;

async function startService(url: string, deploymentFile: string, db: string, folder: string): Promise<{ child: ChildProcess; base: string }> {
  const port = await freePort();
  const secretFile = path.join(folder, "gateway.secret");
  fs.writeFileSync(secretFile, GATEWAY_SECRET, { mode: 0o600 });
  const args = ["serve", "--db", db, "--port", String(port), "--audit", path.join(folder, "audit.log"), "--open-verify", "1000000/s", "--gateway-secret-file", secretFile, "--sms-limit", "1000000/h"];
  const child = spawn(process.execPath, [BIN, "--rpc-url", url, "--deployments", deploymentFile, ...args], {
    stdio: ["ignore", "pipe", "inherit"],
    env: { ...process.env, SAKSHYA_HOME: folder },
  });
  const base = `http://127.0.0.1:${port}`;
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on("data", (chunk: Buffer) => chunk.toString().includes("Sakshya service at") && resolve());
    child.once("exit", (code) => reject(new Error(`sakshya serve exited with ${code}`)));
  });
  child.stdout!.resume();
  for (let i = 0; i < 600; i++) {
    if ((await fetch(`${base}/ready`)).status === 200) return { child, base };
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error("the service did not become ready");
}

export interface ServiceFigures {
  readonly events: number;
  /** The node's first answer for these logs is slower than the next: both are shown. */
  readonly firstCatchUpSeconds: number;
  readonly catchUpSeconds: number;
  readonly eventsPerSecond: number;
  readonly connections: number;
  readonly seconds: number;
  readonly verify: Load;
  readonly rpc: { perSecond: number; p50Ms: number; p99Ms: number };
  readonly status: Load;
  /** What the verification page sends once the browser has hashed the file: issuer, root and index. */
  readonly check: Load;
  /** Signed SMS callbacks, each answered with its reply. */
  readonly sms: Load;
  /** The page opened on a certificate's link until its verdict shows, in Chromium: first visits, then with the page cached. */
  readonly page: { loads: number; coldMedianMs: number; warmMedianMs: number };
  readonly memory: { rssMiB: number; peakMiB: number; afterVerifyMiB: number };
}

interface Load {
  perSecond: number;
  p50Ms: number;
  p99Ms: number;
  non2xx: number;
  errors: number;
}

async function load(options: autocannon.Options): Promise<Load> {
  // A short warm-up first: the JIT and the page cache, as a service that has been running would have them.
  await autocannon({ ...options, duration: 2 });
  const result = await autocannon({ ...options, duration: LOAD_SECONDS });
  return { perSecond: result.requests.average, p50Ms: result.latency.p50, p99Ms: result.latency.p99, non2xx: result.non2xx, errors: result.errors + result.timeouts };
}

/**
 * Opens the verification page on certificates' links in Chromium, as a phone that scanned their QR codes would, and
 * times each until the verdict shows: in a fresh browser profile (nothing cached), then again in the same one.
 */
async function pageLoads(base: string, certificates: readonly CertificateFile[]): Promise<ServiceFigures["page"]> {
  const browser = await launchChromium();
  const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
  try {
    const cold: number[] = [];
    const warm: number[] = [];
    for (let i = 0; i < PAGE_LOADS; i++) {
      const context = await browser.newContext({ viewport: { width: 360, height: 740 }, isMobile: true });
      const page = await context.newPage();
      for (const times of [cold, warm]) {
        const started = performance.now();
        await page.goto(certificateLink(certificates[i % certificates.length], `${base}/`));
        await page.waitForSelector('#result .banner[data-outcome="valid"]');
        times.push(performance.now() - started);
        await page.goto("about:blank");
      }
      await context.close();
    }
    return { loads: PAGE_LOADS, coldMedianMs: median(cold), warmMedianMs: median(warm) };
  } finally {
    await browser.close();
  }
}

async function main() {
  const { deployment, deploymentFile, directory, key } = await deployedSuiteForBench(hre);
  const keccak = await loadKeccak();
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), "sakshya-bench-service-"));
  const url = (hre.network.config as { url: string }).url;

  // The certificates verifiers bring: a batch of 10,000, anchored.
  const anchor = { chainId: deployment.chainId, registry: deployment.contracts.CertificateRegistry!.address };
  const batch = buildBatch({ records: parseCsvRecords(graduatesCsv(DOCUMENTS_PER_BATCH), "graduates.csv"), schema: readSchema(SAMPLE_SCHEMA), issuer: "wbu", anchor, expiresAt: 0 }, keccak);
  await new CertificateClient(deployment, key, key).issue(batch.manifest, 1);
  const sample = Array.from({ length: VERIFY_SAMPLE }, (_, i) => batch.certificate(i * Math.floor(DOCUMENTS_PER_BATCH / VERIFY_SAMPLE)));

  // A hundred thousand events: batches issued, then every one of their documents revoked, 200 to a transaction.
  const bulk = await (await new BulkCaller__factory(key).deploy()).waitForDeployment();
  await (await directory.addAccount(1, await bulk.getAddress())).wait();
  const registry = CertificateRegistry__factory.createInterface();
  const registryAddress = deployment.contracts.CertificateRegistry!.address;
  const roots = Array.from({ length: EVENT_BATCHES }, (_, b) => textHash(`bench batch ${b}`));
  await (await bulk.callAll(registryAddress, roots.map((root) => registry.encodeFunctionData("issue", [root, DOCUMENTS_PER_BATCH, 0])))).wait();
  const calls = roots.flatMap((root) => Array.from({ length: DOCUMENTS_PER_BATCH }, (_, i) => registry.encodeFunctionData("revokeDocument", [1, root, i, 6])));
  for (let first = 0; first < calls.length; first += CALLS_PER_TRANSACTION) {
    // A fixed gas limit: estimating a call this large would run it many times over.
    await (await bulk.callAll(registryAddress, calls.slice(first, first + CALLS_PER_TRANSACTION), { gasLimit: 16_000_000 })).wait();
  }

  // Catch-up: a fresh index reading all of it from the node over HTTP.
  // Twice, into fresh databases: the first query of the node for these logs is slower than the next.
  const provider = await connect({ name: "localhost", rpcUrl: url }, deployment);
  const catchUp = async (dbFile: string) => {
    const db = await openDatabase(dbFile);
    await migrate(db);
    const started = process.hrtime.bigint();
    const events = await new ChainIndexer(db, provider, deployment).catchUp();
    return { db, events, seconds: Number(process.hrtime.bigint() - started) / 1e9 };
  };
  const first = await catchUp(path.join(folder, "first.db"));
  await first.db.close();
  const dbFile = path.join(folder, "index.db");
  const { db, events, seconds: catchUpSeconds } = await catchUp(dbFile);
  const { key: apiKey } = await createApiKey(db, { name: "bench", scopes: ["verify", "read"], rate: parseRate("1000000/s") });
  await db.close();

  // The same verification over JSON-RPC, as `sakshya cert verify <file>` does it: one certificate, its own calls.
  const files = sample.map((certificate, i) => {
    const file = path.join(folder, `certificate-${i}.json`);
    fs.writeFileSync(file, JSON.stringify(certificate));
    return file;
  });
  const client = new CertificateClient(deployment, provider);
  const directoryClient = new DirectoryClient(deployment, provider);
  const latencies: number[] = [];
  const rpcStarted = process.hrtime.bigint();
  let next = 0;
  const until = Date.now() + LOAD_SECONDS * 1000;
  await Promise.all(
    Array.from({ length: CONNECTIONS }, async () => {
      while (Date.now() < until) {
        const begun = process.hrtime.bigint();
        const [verdict] = await verifyCertificates([files[next++ % files.length]], client, (code) => directoryClient.organisationIdOf(code), keccak);
        if (!verdict.valid) throw new Error(`A sample certificate did not verify: ${verdict.reason}`);
        latencies.push(Number(process.hrtime.bigint() - begun) / 1e6);
      }
    }),
  );
  const rpcSeconds = Number(process.hrtime.bigint() - rpcStarted) / 1e9;
  latencies.sort((a, b) => a - b);
  const rpc = { perSecond: latencies.length / rpcSeconds, p50Ms: latencies[Math.floor(latencies.length / 2)], p99Ms: latencies[Math.floor(latencies.length * 0.99)] };
  provider.destroy();

  const { child, base } = await startService(url, deploymentFile, dbFile, folder);
  try {
    const headers = { authorization: `Bearer ${apiKey}`, "content-type": "application/json" };
    const verify = await load({
      url: base,
      connections: CONNECTIONS,
      requests: sample.map((certificate) => ({ method: "POST", path: "/v1/certificates/verify", headers, body: JSON.stringify({ certificates: [certificate] }) })),
    });
    const afterVerify = memoryOf(child.pid!);
    const root = batch.manifest.root;
    const status = await load({
      url: base,
      connections: CONNECTIONS,
      requests: Array.from({ length: 100 }, (_, i) => ({ method: "GET", path: `/v1/certificates/1/${root}/${i * 97}`, headers })),
    });
    const check = await load({
      url: base,
      connections: CONNECTIONS,
      requests: sample.map((c) => ({ method: "POST", path: "/v1/certificates/check", headers, body: JSON.stringify({ documents: [{ issuer: c.issuer, root: c.proof.root, index: c.proof.index }] }) })),
    });
    const slot = codeSlotOf(batch.manifest.root);
    const timestamp = String(Math.floor(Date.now() / 1000));
    const sms = await load({
      url: base,
      connections: CONNECTIONS,
      requests: sample.map((c, i) => {
        const body = JSON.stringify({ from: `+9198${String(i).padStart(8, "0")}`, text: `VERIFY ${certificateCode(1, slot, c.proof.index)}` });
        return { method: "POST", path: "/v1/sms/inbound", headers: { "content-type": "application/json", "x-sakshya-timestamp": timestamp, "x-sakshya-signature": webhookSignature(GATEWAY_SECRET, timestamp, body) }, body };
      }),
    });
    const page = await pageLoads(base, sample);
    const memory = memoryOf(child.pid!);

    const figures: ServiceFigures = {
      events,
      firstCatchUpSeconds: first.seconds,
      catchUpSeconds,
      eventsPerSecond: events / catchUpSeconds,
      connections: CONNECTIONS,
      seconds: LOAD_SECONDS,
      verify,
      rpc,
      status,
      check,
      sms,
      page,
      memory: { ...memory, afterVerifyMiB: afterVerify.rssMiB },
    };
    console.log(JSON.stringify(figures));
  } finally {
    const exited = new Promise((resolve) => child.once("exit", resolve));
    child.kill("SIGTERM");
    await exited;
    fs.rmSync(folder, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
