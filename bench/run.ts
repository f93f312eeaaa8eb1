import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import hre from "hardhat";
import { Wallet } from "ethers";
import type { BesuFigures } from "./besu";
import type { ServiceFigures } from "./service";
import { measureBatchCommand, type BatchFigures } from "./certificates";
import { SNAPSHOT_FILE, measureGas } from "./gas";
import type { KeccakRow } from "./keccak";
import type { SnapshotFigures } from "./land";
import { runAgainstNode, runInOwnProcess } from "./node";
import { deployedSuiteForBench } from "./suite";

interface WebsiteFigures {
  manifest: { files: number; bytes: number; manifestSeconds: number; sha256sumSeconds: number };
  verify: { files: number; perSecond: number[] };
  monitor: { pages: number; files: number; intervalSeconds: number; detectionSeconds: number[]; checkSeconds: number };
}

const RESULTS_FILE = path.join(__dirname, "results.md");
const BATCH_DOCUMENTS = 100_000;
const SNAPSHOT_PARCELS = 1_000_000;

async function rate(count: number, run: (i: number) => Promise<unknown>): Promise<number> {
  const start = process.hrtime.bigint();
  for (let i = 0; i < count; i++) await run(i);
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  return count / seconds;
}

const n = (value: number) => Math.round(value).toLocaleString("en-US");
const s = (value: number) => `${value.toFixed(2)} s`;

function batchRows(b: BatchFigures): string[] {
  const perSecond = (seconds: number) => n(b.documents / seconds);
  return [
    `| parse the CSV (csv-parse) | ${s(b.parseSeconds)} | ${perSecond(b.parseSeconds)} |`,
    `| **build**: validate, salt, hash, tree, every proof | ${s(b.buildSeconds)} | **${perSecond(b.buildSeconds)}** |`,
    ...b.writes.flatMap((w) => [
      `| write the files, in ${w.folder} | ${s(w.writeSeconds)} | ${perSecond(w.writeSeconds)} |`,
      `| **build and write**, in ${w.folder} | ${s(b.buildSeconds + w.writeSeconds)} | **${perSecond(b.buildSeconds + w.writeSeconds)}** |`,
      `| floor: as many plain file writes of the same size, in ${w.folder} | ${s(w.bareFileSeconds)} | ${perSecond(w.bareFileSeconds)} |`,
    ]),
    `| whole \`cert batch\` path from CSV text, in ${b.writes[0].folder} | ${s(b.parseSeconds + b.buildSeconds + b.writes[0].writeSeconds)} | ${perSecond(b.parseSeconds + b.buildSeconds + b.writes[0].writeSeconds)} |`,
  ];
}

const ms = (value: number) => `${value.toFixed(value < 10 ? 1 : 0)} ms`;

function serviceRows(f: ServiceFigures): string[] {
  const load = (what: string, l: ServiceFigures["verify"], target: string) =>
    `| ${what} | **${n(l.perSecond)}** | ${ms(l.p50Ms)} | **${ms(l.p99Ms)}** | ${l.non2xx + l.errors} | ${target} |`;
  return [
    "## The Sakshya service",
    "",
    `The index catching up from a separate \`npx hardhat node\` holding ${n(f.events)} events of the suite (100,000 of them`,
    "document revocations in ten batches of 10,000, made 200 to a transaction by a bench-only multicall contract), then the real",
    `\`sakshya serve\` process on that SQLite index, loaded by autocannon from another process over ${f.connections} keep-alive connections on`,
    `loopback for ${f.seconds} s after a 2 s warm-up, with an API key (its check, the throttle, the metrics and the audit log all on).`,
    "The JSON-RPC row is the command line's way: `verifyCertificates` over HTTP for one certificate file at a time, as many in",
    `flight as autocannon keeps connections.`,
    "",
    "| what | per second | p50 | p99 | errors | target |",
    "| --- | ---: | ---: | ---: | ---: | --- |",
    load("verify one certificate through the service (`POST /v1/certificates/verify`)", f.verify, "≥ 10,000/s, p99 ≤ 10 ms"),
    load("the same verification over JSON-RPC, as `cert verify` does it", { ...f.rpc, non2xx: 0, errors: 0 }, "-"),
    load("a document's status from the index (`GET /v1/certificates/…`)", f.status, "≥ 20,000/s"),
    load("the verification page's check, the file hashed in the browser (`POST /v1/certificates/check`)", f.check, "-"),
    load("a signed SMS callback answered with its reply (`POST /v1/sms/inbound`)", f.sms, "-"),
    `| the verification page opened on a certificate's link until its verdict shows, Chromium at phone size, median of ${f.page.loads}: first visit / page cached | | **${ms(f.page.coldMedianMs)}** / ${ms(f.page.warmMedianMs)} | | | |`,
    `| index catch-up, events per second (the node asked for these logs the first time) | ${n(f.events / f.firstCatchUpSeconds)} | | | | |`,
    `| index catch-up, events per second (again, into a fresh index) | **${n(f.eventsPerSecond)}** | | | | ≥ 5,000/s |`,
    `| service memory, resident after the load (peak) | **${n(f.memory.rssMiB)} MiB** (${n(f.memory.peakMiB)} MiB) | | | | < 300 MB |`,
    "",
  ];
}

async function main() {
  // Stages go to stderr, so a run that dies says where.
  const stage = (what: string) => process.stderr.write(`bench: ${what}…\n`);
  stage("gas");
  const gas = await measureGas(hre);
  fs.writeFileSync(SNAPSHOT_FILE, `${JSON.stringify(gas, null, 2)}\n`);

  stage("directory throughput");
  const { directory, key, deployment, deploymentFile } = await deployedSuiteForBench(hre);
  const accounts = Array.from({ length: 300 }, () => Wallet.createRandom().address);
  const addRate = await rate(accounts.length, async (i) => (await directory.addAccount(1, accounts[i])).wait());
  const checkRate = await rate(2_000, () => directory.isAuthorized(key.address, 1, 0));

  stage(`keccak implementations, a batch of ${n(BATCH_DOCUMENTS)} certificates and a snapshot of ${n(SNAPSHOT_PARCELS)} parcels`);
  const { keccak, batch, snapshot } = await runInOwnProcess<{ keccak: KeccakRow[]; batch: BatchFigures; snapshot: SnapshotFigures }>(path.join(__dirname, "offchain.ts"), [
    String(BATCH_DOCUMENTS),
    String(SNAPSHOT_PARCELS),
    String(deployment.chainId),
    deployment.contracts.CertificateRegistry!.address,
    deployment.contracts.LandRegistry!.address,
  ]);
  stage("the cert batch command, with and without QR codes, 10,000 and 100,000 records");
  const batchCommand = measureBatchCommand(deploymentFile, [10_000, 100_000]);
  stage("verifying a folder over HTTP against hardhat node");
  const verify = await runAgainstNode<{ documents: number; firstPerSecond: number; secondPerSecond: number; naivePerSecond: number }>(path.join(__dirname, "verify-http.ts"));
  stage("website manifest of 20,000 files / 1 GiB beside sha256sum, verify and monitor over HTTP against hardhat node");
  const sites = await runAgainstNode<WebsiteFigures>(path.join(__dirname, "websites.ts"));
  stage("land history of a parcel with 100 mutations against hardhat node");
  const history = await runAgainstNode<{ mutations: number; entries: number; libraryMs: number[]; commandMs: number[] }>(path.join(__dirname, "land-history.ts"));
  stage("signed transactions through the Besu stand-in proxy against hardhat node");
  const besu = await runAgainstNode<BesuFigures>(path.join(__dirname, "besu.ts"));
  stage("the Sakshya service: index catch-up over 100,000 events, then verifications and status reads under autocannon");
  const service = await runAgainstNode<ServiceFigures>(path.join(__dirname, "service.ts"));

  const cpu = os.cpus()[0]?.model ?? "unknown CPU";
  const lines = [
    "# Benchmark results",
    "",
    `Machine: ${cpu}, ${os.cpus().length} cores, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}, ${os.platform()} ${os.release()}.`,
    `Chain: in-process Hardhat network (EVM ${hre.config.solidity.compilers[0].settings.evmVersion}, automine, gas price 0) unless said otherwise. Measured ${new Date().toISOString()}.`,
    "Written by `npm run bench`; gas figures are exact and repeatable, times vary from run to run on this shared virtual machine (the disk most of all).",
    "",
    "## Gas per operation",
    "",
    "| operation | gas |",
    "| --- | ---: |",
    ...Object.entries(gas).map(([op, value]) => `| ${op} | ${n(value)} |`),
    "",
    "The two \"directory check\" rows are what a registry pays inside its own transaction for the cold call to",
    "`authorizedOrganisation` (measured with `gasleft()` around the call, proxy delegation included).",
    "",
    "## Directory throughput",
    "",
    "| operation | per second |",
    "| --- | ---: |",
    `| addAccount transactions, each mined and its receipt read | ${n(addRate)} |`,
    `| isAuthorized calls (eth_call) | ${n(checkRate)} |`,
    "",
    "## keccak-256 (80-byte inputs, the size of a salted field)",
    "",
    "| implementation | hashes per second |",
    "| --- | ---: |",
    ...keccak.map((row) => `| ${row.implementation} | ${n(row.perSecond)} |`),
    "",
    `## Certificate batch of ${n(BATCH_DOCUMENTS)} records (sample schema, 8 fields each)`,
    "",
    "| step | time | documents per second |",
    "| --- | ---: | ---: |",
    ...batchRows(batch),
    "",
    "### The `cert batch` command",
    "",
    "The real command in its own process, timed from start to exit, and the time it reports itself (from the records",
    "read to the folder renamed into place; Node's start-up and module loading, about 0.25 s, aside).",
    "QR codes are on by default: one SVG per certificate, drawn on the writer threads. For comparison, the field review",
    "measured OpenAttestation wrapping and writing 2,899 documents a second on this machine, and the QR codes of the",
    "earlier PNG writer at 118 a second for 10,000.",
    "",
    "| records | QR codes | folder | process, start to exit | per second | the batch work it reports | per second |",
    "| ---: | --- | --- | ---: | ---: | ---: | ---: |",
    ...batchCommand.map((r) => {
      const mark = (text: string) => (r.qr ? `**${text}**` : text);
      return `| ${n(r.documents)} | ${r.qr ? "yes (default)" : "no (\`--no-qr\`)"} | ${r.folder} | ${s(r.seconds)} | ${mark(n(r.documents / r.seconds))} | ${s(r.workSeconds)} | ${mark(n(r.documents / r.workSeconds))} |`;
    }),
    "",
    "## Verifying a folder over HTTP",
    "",
    `${n(verify.documents)} freshly issued certificate files, checked against a separate \`npx hardhat node\` process over HTTP the way`,
    "`sakshya cert verify <folder>` does: read and parse each file, recompute its target hash and proof, then read the",
    "statuses in ranges (`documentStatusRange`).",
    "",
    "| method | documents per second |",
    "| --- | ---: |",
    `| the folder at once (ranges, four calls in flight), first run | **${n(verify.firstPerSecond)}** |`,
    `| the same folder again (warm file cache) | **${n(verify.secondPerSecond)}** |`,
    `| naive: one certificate at a time, its own status call (first 1,000) | ${n(verify.naivePerSecond)} |`,
    "",
    `## Land migration snapshot of ${n(snapshot.parcels)} parcels`,
    "",
    `A register export of ${snapshot.exportMegabytes.toFixed(0)} MiB (one owner in four parcels of five, three in the fifth; ${n(snapshot.owners)} owners named by`,
    `identity), built the way \`sakshya land snapshot\` does (${snapshot.threads} worker threads): every row checked, a salt drawn and a`,
    "commitment made for each owner, leaves hashed, the tree built, and the tree, salts and export written to the folder.",
    "",
    "| step | time | parcels per second |",
    "| --- | ---: | ---: |",
    `| **build and write the snapshot** | ${s(snapshot.buildSeconds)} | **${n(snapshot.parcels / snapshot.buildSeconds)}** |`,
    `| find one parcel's entry and proof in the folder (for \`land materialise\`) | ${snapshot.lookupMilliseconds.toFixed(0)} ms | |`,
    "",
    "## Website integrity",
    "",
    `A manifest of ${n(sites.manifest.files)} files of random bytes (${(sites.manifest.bytes / 2 ** 30).toFixed(2)} GiB in 100 folders), built the way \`sakshya site manifest\` does`,
    "(SHA-256 and size of every file, the Merkle tree), and `find | xargs sha256sum` over the same files, alternated, best of two each:",
    "",
    "| how | time | MiB per second | against sha256sum |",
    "| --- | ---: | ---: | ---: |",
    `| \`sha256sum\` (coreutils, one process) | ${s(sites.manifest.sha256sumSeconds)} | ${n(sites.manifest.bytes / 2 ** 20 / sites.manifest.sha256sumSeconds)} | 100% |`,
    `| **site manifest** | ${s(sites.manifest.manifestSeconds)} | ${n(sites.manifest.bytes / 2 ** 20 / sites.manifest.manifestSeconds)} | **${n((100 * sites.manifest.sha256sumSeconds) / sites.manifest.manifestSeconds)}%** |`,
    "",
    `\`site verify <url>\` of a ${n(sites.verify.files)}-file site (600 pages, the rest stylesheets, scripts and images of 12 KB) served on 127.0.0.1 by a`,
    "static server in its own process, the chain a separate `npx hardhat node`: every file fetched, hashed and compared, each",
    "folder address fetched too, changed pages parsed.",
    "",
    "| run | files per second |",
    "| --- | ---: |",
    `| library call, first in its process | **${n(sites.verify.perSecond[0])}** |`,
    `| library call, again | ${n(sites.verify.perSecond[1])} |`,
    `| the \`sakshya site verify\` command, Node start included | **${n(sites.verify.perSecond[2])}** |`,
    "",
    `The monitor on a ${sites.monitor.pages}-page site (${n(sites.monitor.files)} files) with a ${sites.monitor.intervalSeconds} s interval; one page overwritten at a random moment`,
    `after the first check, ${sites.monitor.detectionSeconds.length} trials. A check takes at most ${s(sites.monitor.checkSeconds)}, so a change is reported by the first check`,
    `that starts after it: at most one interval plus one check later (${s(sites.monitor.intervalSeconds + sites.monitor.checkSeconds)}).`,
    "",
    "| trial | tampering to alert |",
    "| --- | ---: |",
    ...sites.monitor.detectionSeconds.map((d, i) => `| ${i + 1} | ${s(d)} |`),
    "",
    `## Land history of a parcel with ${history.mutations} mutations`,
    "",
    `${history.entries} events (registration, then a deed and an approval per mutation), read over HTTP from a separate`,
    "`npx hardhat node` process: one log query for the parcel's events, block times for each, organisation names.",
    "",
    "| how | first run | second run |",
    "| --- | ---: | ---: |",
    `| the library call (\`titleHistory\`) | **${history.libraryMs[0].toFixed(0)} ms** | ${history.libraryMs[1].toFixed(0)} ms |`,
    `| the whole \`sakshya land history\` command, Node start included | ${history.commandMs[0].toFixed(0)} ms | ${history.commandMs[1].toFixed(0)} ms |`,
    "",
    "## Signed transactions through the Besu stand-in",
    "",
    `Value transfers from one account, signed locally (legacy, gas price 0), sent through the Besu stand-in (\`BesuProxy\`, what \`sakshya besu proxy\` runs) to a separate`,
    "`npx hardhat node` (automine), every receipt fetched and checked. Pipelined: `submitPipelined`, at most",
    `${besu.window} awaiting a block (Besu's per-sender limit of future nonces); one at a time: \`sendAndWait\`, as a single command sends.`,
    "",
    "| how | transactions | per second |",
    "| --- | ---: | ---: |",
    ...besu.pipelinedPerSecond.map((rate, i) => `| pipelined, run ${i + 1} | ${n(besu.transactions)} | **${n(rate)}** |`),
    `| one at a time, each receipt awaited | ${n(besu.sequential)} | ${n(besu.sequentialPerSecond)} |`,
    "",
    `On Besu itself one sender is bounded by the pool: at most ${besu.window} transactions per block period (100/s at the generator's`,
    "2 s period). A migration faster than that spreads over several of the organisation's accounts.",
    "",
    ...serviceRows(service),
  ];
  fs.writeFileSync(RESULTS_FILE, lines.join("\n"));
  console.log(lines.join("\n"));
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
