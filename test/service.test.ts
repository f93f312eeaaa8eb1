import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect } from "chai";
import type { FastifyInstance } from "fastify";
import hre from "hardhat";
import { openDatabase, type Database } from "../src/index/database";
import type { IndexStatus } from "../src/index/follow";
import { ChainIndexer } from "../src/index/indexer";
import { migrate } from "../src/index/schema";
import { loadKeccak } from "../src/hashing/keccak";
import { createApiKey, parseRate } from "../src/service/api-keys";
import { buildService } from "../src/service/server";
import { CAP, KIND, code, deployedSuite, evidence } from "./fixtures";
import { runCli, serveChain } from "./helpers/cli";

describe("the Sakshya service", function () {
  this.timeout(120_000);
  let db: Database;
  let app: FastifyInstance;
  let status: IndexStatus;
  let indexed: number;
  let key: string;

  before(async () => {
    const suite = await deployedSuite();
    await suite.directory.onboard(code("wbu"), KIND.university, CAP.issueCertificates, [0], evidence("wbu"));
    await suite.directory.onboard(code("cu"), KIND.university, CAP.issueCertificates, [0], evidence("cu"));
    await suite.directory.addAccount(1, suite.others[0].address);
    db = await openDatabase(path.join(fs.mkdtempSync(path.join(os.tmpdir(), "sakshya-service-")), "index.db"));
    await migrate(db);
    const indexer = new ChainIndexer(db, hre.ethers.provider, suite.deployment);
    await indexer.catchUp();
    indexed = (await indexer.checkpoint()).blockNumber;
    status = { indexed, head: indexed };
    key = (await createApiKey(db, { name: "test", scopes: ["events"], rate: parseRate("1000/s") })).key;
    app = await buildService({ db, status, deployment: suite.deployment, provider: hre.ethers.provider, keccak: await loadKeccak() });
  });
  after(async () => {
    await app.close();
    await db.close();
  });

  const get = (url: string) => app.inject({ method: "GET", url, headers: { authorization: `Bearer ${key}` } });

  it("answers health, and readiness only while the index is near the head and reaching the chain", async () => {
    expect((await get("/health")).json()).to.deep.equal({ status: "ok" });
    const ready = await get("/ready");
    expect([ready.statusCode, ready.json()]).to.deep.equal([200, { ready: true, indexedBlock: indexed, headBlock: indexed, lag: 0 }]);
    status.head = indexed + 10;
    expect([(await get("/ready")).statusCode, (await get("/ready")).json().error]).to.deep.equal([503, "The index is 10 blocks behind the chain's head (at most 5 allowed)."]);
    status.error = "The RPC endpoint stopped answering; nothing more was sent.";
    expect((await get("/ready")).json().error).to.equal("The index cannot reach the chain: The RPC endpoint stopped answering; nothing more was sent.");
    Object.assign(status, { head: indexed, error: undefined });
  });

  it("pages through every event in chain order, naming the block it is consistent to", async () => {
    const total = (await db.query<{ n: number }>("SELECT COUNT(*) AS n FROM chain_events"))[0].n;
    const seen: string[] = [];
    let cursor: string | undefined;
    for (;;) {
      const page = await get(`/v1/events?limit=3${cursor ? `&after=${cursor}` : ""}`);
      expect(page.statusCode).to.equal(200);
      expect(page.headers["x-indexed-block"]).to.equal(String(indexed));
      const body = page.json();
      seen.push(...body.events.map((e: { block: number; logIndex: number }) => `${e.block}-${e.logIndex}`));
      cursor = body.next;
      if (!body.more) break;
    }
    expect(seen).to.have.length(Number(total));
    expect([...seen].sort((a, b) => Number(a.split("-")[0]) - Number(b.split("-")[0]) || Number(a.split("-")[1]) - Number(b.split("-")[1]))).to.deep.equal(seen);
    const quiet = (await get(`/v1/events?after=${cursor}`)).json();
    expect([quiet.events, quiet.next, quiet.more], "at the end: nothing, and the same cursor to come back with").to.deep.equal([[], cursor, false]);
    const onboarded = (await get("/v1/events?event=OrganisationOnboarded")).json().events;
    expect(onboarded.map((e: { args: { code: string } }) => e.args.code)).to.deep.equal([code("wbu"), code("cu")]);
  });

  it("refuses a malformed query, an unknown field and an unknown route with one sentence, and describes itself in OpenAPI", async () => {
    for (const [url, status, sentence] of [
      ["/v1/events?limit=0", 400, /^The request is malformed: querystring\/limit must be >= 1\.$/],
      ["/v1/events?limit=many", 400, /^The request is malformed: querystring\/limit must be integer\.$/],
      ["/v1/events?after=yesterday", 400, /^"after" must be a cursor from an earlier page \(block-logIndex\), not "yesterday"\.$/],
      ["/v1/events?colour=blue", 400, /^The request is malformed: querystring must NOT have additional properties\.$/],
      ["/v1/nothing", 404, /^There is no GET \/v1\/nothing\.$/],
    ] as const) {
      const answer = await get(url);
      expect(answer.statusCode, url).to.equal(status);
      expect(answer.json().error, url).to.match(sentence);
      expect(answer.body).to.not.match(/at .*\.ts:\d+/);
    }
    const spec = (await get("/openapi.json")).json();
    expect(spec.openapi).to.equal("3.0.3");
    expect(Object.keys(spec.paths)).to.include.members(["/health", "/ready", "/v1/events"]);
  });

  it("exposes Prometheus metrics: requests by route pattern and status, latencies, the index's block, lag and reach", async () => {
    await get("/v1/events?limit=1");
    await get("/v1/events?limit=0");
    await get("/v1/nowhere/0x1234");
    const text = (await get("/metrics")).body;
    expect(text).to.match(/^sakshya_http_requests_total\{method="GET",route="\/v1\/events",status="200"\} \d+$/m);
    expect(text).to.match(/^sakshya_http_requests_total\{method="GET",route="\/v1\/events",status="400"\} \d+$/m);
    expect(text).to.match(/^sakshya_http_requests_total\{method="GET",route="unmatched",status="404"\} \d+$/m);
    expect(text).to.not.contain("0x1234");
    expect(text).to.match(/^sakshya_http_request_duration_seconds_bucket\{le="0.01",method="GET",route="\/v1\/events"\} \d+$/m);
    expect(text).to.contain(`sakshya_index_block ${indexed}`).and.contain("sakshya_index_lag_blocks 0").and.contain("sakshya_index_up 1");
  });

  it("sakshya serve indexes the chain, answers over HTTP, and stops cleanly", async () => {
    const chain = await serveChain();
    const suite = await deployedSuite();
    const folder = fs.mkdtempSync(path.join(os.tmpdir(), "sakshya-serve-"));
    const [dbFile, auditFile] = [path.join(folder, "index.db"), path.join(folder, "audit.log")];
    const makeKey = () => runCli(["--json", "api-keys", "create", "--db", dbFile, "--name", "Finance Department", "--scopes", "events,read", "--rate", "50/s", "--quota", "1000/month"]);
    // A key never goes into an index no service reads, and a mistyped folder is never made.
    const early = await makeKey();
    expect([early.code, early.stderr.trim()]).to.deep.equal([2, `error: There is no index at ${dbFile}: no service has run with it. Give the service's index with --db, or start the service (sakshya serve) first.`]);
    const nowhere = await runCli(["api-keys", "list", "--db", "/nonexistent/dir/index.db"]);
    expect([nowhere.code, nowhere.stderr.trim()]).to.deep.equal([2, "error: There is no index at /nonexistent/dir/index.db: no service has run with it. Give the service's index with --db, or start the service (sakshya serve) first."]);
    const served = await runCli(["--rpc-url", chain.url, "--deployments", suite.deploymentFile, "serve", "--db", "/nonexistent/dir/index.db", "--port", "0", "--audit", auditFile]);
    expect([served.code, served.stderr.trim()]).to.deep.equal([2, "error: The folder /nonexistent/dir for the index database does not exist; create it first, or give another --db."]);
    expect(fs.existsSync("/nonexistent")).to.equal(false);
    const child = spawn(process.execPath, [path.join(__dirname, "..", "bin", "sakshya.js"), "--rpc-url", chain.url, "--deployments", suite.deploymentFile, "serve", "--db", dbFile, "--port", "0", "--audit", auditFile], {
      env: { ...process.env, SAKSHYA_HOME: fs.mkdtempSync(path.join(os.tmpdir(), "sakshya-home-")) },
    });
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let out = "";
        child.stdout.on("data", (chunk: Buffer) => {
          out += chunk.toString();
          const found = /Sakshya service at (http:\/\/\S+) /.exec(out);
          if (found) resolve(found[1]);
        });
        child.once("exit", (code) => reject(new Error(`serve exited with ${code}`)));
      });
      let ready = await fetch(`${url}/ready`);
      for (let i = 0; i < 100 && ready.status !== 200; i++) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        ready = await fetch(`${url}/ready`);
      }
      expect(ready.status).to.equal(200);
      // A second service on the same port is told the port is in use, with or without an audit log of its own.
      const port = new URL(url).port;
      for (const audit of [[], ["--audit", path.join(folder, "second.log")]]) {
        const second = await runCli(["--rpc-url", chain.url, "--deployments", suite.deploymentFile, "serve", "--db", path.join(folder, "second.db"), "--port", port, ...audit]);
        expect([second.code, second.stderr.trim()]).to.deep.equal([2, `error: Port ${port} on 127.0.0.1 is in use (another service, or an earlier one still running): stop that, or give another --port.`]);
      }
      const created = await makeKey();
      expect(created.code, created.stderr).to.equal(0);
      expect(created.stderr).to.equal(`note: the index ${dbFile}\n`);
      const { key: cliKey, id } = JSON.parse(created.stdout) as { key: string; id: string };
      expect(cliKey).to.match(/^sak_[0-9a-f]{12}_[A-Za-z0-9_-]{43}$/);
      const listed = await runCli(["api-keys", "list", "--db", dbFile]);
      expect(listed.stdout).to.contain(id).and.contain("Finance Department").and.contain("events,read").and.contain("50/s").and.contain("1000/month").and.not.contain(cliKey);
      expect((await fetch(`${url}/v1/events`)).status, "no key").to.equal(401);
      // The running service takes a new key within its reload interval.
      for (let i = 0; i < 80 && (await fetch(`${url}/v1/events?limit=1`, { headers: { authorization: `Bearer ${cliKey}` } })).status === 401; i++) {
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      const events = (await (await fetch(`${url}/v1/events?limit=1000`, { headers: { authorization: `Bearer ${cliKey}` } })).json()) as { events: Array<{ contract: string }> };
      expect(events.events.length).to.be.greaterThan(0);
      expect(events.events.every((e) => e.contract !== "unknown")).to.equal(true);
      const exit = new Promise<number | null>((resolve) => child.once("exit", resolve));
      child.kill("SIGTERM");
      expect(await exit).to.equal(0);
      const usage = JSON.parse((await runCli(["--json", "api-keys", "usage", "--db", dbFile])).stdout) as { total: number; usage: Array<{ keyId: string }> };
      expect(usage.usage[0].keyId, "the key's requests, written on shutdown").to.equal(id);
      expect(usage.total).to.be.greaterThan(0);
      const intact = await runCli(["audit", "verify", auditFile]);
      expect([intact.code, intact.stdout]).to.satisfy(([code, out]: [number, string]) => code === 0 && /^✓ .*audit\.log: \d+ entries, the chain is intact$/m.test(out));
      const lines = fs.readFileSync(auditFile, "utf8").trimEnd().split("\n");
      fs.writeFileSync(auditFile, `${lines.slice(1).join("\n")}\n`);
      const broken = await runCli(["audit", "verify", auditFile]);
      expect([broken.code, broken.stdout.trim()]).to.deep.equal([1, `✗ ${auditFile}: line 1 (entry 2): entries 1–1 are missing before it; the 0 entries before it are intact`]);
      const revoked = await runCli(["api-keys", "revoke", id, "--db", dbFile]);
      expect(revoked.stdout).to.match(new RegExp(`^✓ API key ${id} \\(Finance Department\\) is revoked since `));
      expect((await runCli(["api-keys", "revoke", "nope", "--db", dbFile])).stderr).to.contain("There is no API key nope");
      expect((await runCli(["api-keys", "create", "--db", dbFile, "--name", "x", "--scopes", "admin"])).stderr).to.contain('Unknown scope admin; use some of verify, read, events, submit.');
      expect((await runCli(["api-keys", "create", "--db", dbFile, "--name", "x", "--rate", "fast"])).stderr).to.contain('"fast" is not a rate');
    } finally {
      child.kill("SIGKILL");
      await chain.close();
    }
  });
});
