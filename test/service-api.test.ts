import { execFileSync } from "node:child_process";
import { X509Certificate } from "node:crypto";
import fs from "node:fs";
import http from "node:http";
import https from "node:https";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { expect } from "chai";
import type { FastifyInstance } from "fastify";
import hre from "hardhat";
import { redact } from "../src/certificates/document";
import { loadKeccak } from "../src/hashing/keccak";
import { openDatabase, type Database } from "../src/index/database";
import type { IndexStatus } from "../src/index/follow";
import { ChainIndexer } from "../src/index/indexer";
import { migrate } from "../src/index/schema";
import { LandClient } from "../src/land/client";
import { makeExtract } from "../src/land/extract";
import { titleHistory } from "../src/land/history";
import { DirectoryClient } from "../src/directory/client";
import { createApiKey, parseRate, revokeApiKey, apiKeyUsage, type Scope } from "../src/service/api-keys";
import { AuditLog, verifyAuditLog } from "../src/service/audit-log";
import { buildService } from "../src/service/server";
import { deliverWebhooks, webhookSignature } from "../src/service/webhooks";
import { siteIdOf } from "../src/websites/manifest";
import { CODE_SLOTS, certificateCode, codeSlotOf, formatShortCode, titleCode } from "../src/codes/short-code";
import { CAP, KIND, code, evidence } from "./fixtures";
import { busyChain, DOMAIN, ULPIN } from "./helpers/busy-chain";
import { runCli, serveChain } from "./helpers/cli";
import { startPostgres, type TestPostgres } from "./helpers/postgres";

describe("the Sakshya service's API", function () {
  this.timeout(180_000);
  let chain: Awaited<ReturnType<typeof busyChain>>;
  before(async () => {
    chain = await busyChain();
  });

  for (const engine of ["sqlite", "postgres"] as const) {
    describe(`on ${engine}`, () => {
      let postgres: TestPostgres | undefined;
      let db: Database;
      let app: FastifyInstance;
      let audit: AuditLog;
      let status: IndexStatus;
      const clock = Date.now();
      const key: Partial<Record<"all" | "verifyOnly" | "slow" | "quota" | "revoked", string>> = {};

      before(async () => {
        if (engine === "postgres") postgres = await startPostgres();
        const folder = fs.mkdtempSync(path.join(os.tmpdir(), "sakshya-api-"));
        db = await openDatabase(postgres ? await postgres.database() : path.join(folder, "index.db"));
        await migrate(db);
        const indexer = new ChainIndexer(db, hre.ethers.provider, chain.suite.deployment);
        await indexer.catchUp();
        const indexed = (await indexer.checkpoint()).blockNumber;
        status = { indexed, head: indexed };
        audit = await AuditLog.open(path.join(folder, "audit.log"));
        const make = async (scopes: Scope[], rate = "1000/s", quota?: number) => (await createApiKey(db, { name: `test ${scopes.join("+")}`, scopes, rate: parseRate(rate), quotaPerMonth: quota })).key;
        key.all = await make(["verify", "read", "events"]);
        key.verifyOnly = await make(["verify"]);
        key.slow = await make(["read"], "2/min");
        key.quota = await make(["read"], "1000/s", 3);
        key.revoked = await make(["read"]);
        await revokeApiKey(db, key.revoked.split("_")[1]);
        app = await buildService({
          db,
          status,
          deployment: chain.suite.deployment,
          provider: hre.ethers.provider,
          keccak: await loadKeccak(),
          audit,
          openVerification: { count: 3, windowMs: 60_000 },
          webhooks: { allowPrivate: true },
          clock: () => clock,
        });
      });
      after(async () => {
        await app.close();
        await audit.close();
        await db.close();
        postgres?.stop();
      });

      const as = (name: keyof typeof key) => ({ authorization: `Bearer ${key[name]}` });
      const get = (url: string, who: keyof typeof key | null = "all") => app.inject({ method: "GET", url, headers: who ? as(who) : {} });
      const post = (url: string, payload: unknown, who: keyof typeof key | null = "all", remoteAddress = "127.0.0.1") =>
        app.inject({ method: "POST", url, payload: payload as object, headers: who ? as(who) : {}, remoteAddress });
      const certificate = (index: number) => chain.batch.certificate(index) as unknown as Record<string, unknown>;

      it("judges documents a verifier checked itself from issuer, root and index alone, with the issuer's standing; refuses a malformed claim", async () => {
        const root = chain.root;
        const answer = await post("/v1/certificates/check", { documents: [{ issuer: "wbu", root, index: 0 }, { issuer: "wbu", root: root.toUpperCase().replace("0X", "0x"), index: 1 }, { issuer: "nobody", root, index: 0 }, { issuer: "wbu", root, index: 7 }] }, null);
        expect(answer.statusCode, answer.body).to.equal(200);
        const body = answer.json();
        expect(body).to.include({ checked: 4, valid: 1, invalid: 3, couldNotCheck: 0 });
        expect(body.verdicts.map((v: { status: string; outcome: string }) => [v.status, v.outcome])).to.deep.equal([
          ["valid", "valid"],
          ["revoked", "invalid"],
          ["unknown-issuer", "invalid"],
          ["not-issued", "invalid"],
        ]);
        expect(body.verdicts[1].reason).to.equal("revoked (misconduct)");
        expect(body.verdicts[1].onChain).to.include({ status: "revoked", reason: "misconduct", issuerOrgId: 1 });
        expect(body.issuers).to.deep.equal({ wbu: { id: 1, code: "wbu", kind: "university", status: "active" } });
        for (const [payload, sentence] of [
          [{ documents: [] }, /must NOT have fewer than 1 items/],
          [{ documents: [{ issuer: "wbu", root: "0x12", index: 0 }] }, /must match pattern/],
          [{ documents: [{ issuer: "wbu", root, index: -1 }] }, /must be >= 0/],
          [{ documents: [{ issuer: "wbu", root, index: 0, name: "Asha" }] }, /must NOT have additional properties/],
          [{ documents: Array.from({ length: 1_001 }, () => ({ issuer: "wbu", root, index: 0 })) }, /must NOT have more than 1000 items/],
        ] as const) {
          const refused = await post("/v1/certificates/check", payload);
          expect(refused.statusCode).to.equal(400);
          expect(refused.json().error).to.match(sentence);
        }
      });

      it("resolves short codes: a certificate's to its verdict and issuer, a title extract's to current or changed; a mistyped one refused", async () => {
        const slot = codeSlotOf(chain.root);
        const ask = async (code: string) => (await get(`/v1/codes/${encodeURIComponent(code)}`)).json();
        const valid = await ask(formatShortCode(certificateCode(1, slot, 0)));
        expect(valid).to.include({ kind: "certificate", found: true, outcome: "valid", digits: certificateCode(1, slot, 0) });
        expect(valid.issuer).to.include({ id: 1, code: "wbu", kind: "university", status: "active" });
        expect(valid.verdict).to.include({ status: "valid", root: chain.root, index: 0 });
        expect((await ask(certificateCode(1, slot, 1))).verdict).to.include({ status: "revoked", reason: "revoked (misconduct)" });
        expect(await ask(certificateCode(1, slot, 7))).to.include({ found: false, outcome: "not-found" });
        expect(await ask(certificateCode(1, (slot + 1) % CODE_SLOTS, 0))).to.include({ found: false });
        expect(await ask(certificateCode(2, slot, 0)), "slots are per issuer").to.include({ found: false });
        const current = await ask(titleCode(1, 2));
        expect(current).to.include({ kind: "title", found: true, outcome: "current", version: 2 });
        expect(current.parcel).to.include({ ulpin: ULPIN, version: 2 });
        expect(await ask(titleCode(1, 1))).to.include({ outcome: "outdated", version: 1 });
        expect(await ask(titleCode(1, 3))).to.include({ found: false });
        expect(await ask(titleCode(2, 1))).to.include({ found: false });
        const typo = certificateCode(1, slot, 0).replace(/^(\d{3})(\d)/, (_, a, b) => `${a}${(Number(b) + 1) % 10}`);
        const refused = await get(`/v1/codes/${typo}`);
        expect([refused.statusCode, refused.json().error]).to.deep.equal([400, "This verification code is mistyped: its last digit does not match the others. Check each digit and try again."]);
        expect((await get("/v1/codes/abc")).statusCode).to.equal(400);
      });

      it("tells a verifier which chain and registries it answers for, without a key", async () => {
        const answer = await get("/v1/deployment", null);
        expect(answer.json()).to.deep.equal({
          chainId: chain.suite.deployment.chainId,
          certificateRegistry: chain.suite.deployment.contracts.CertificateRegistry!.address,
          landRegistry: chain.suite.deployment.contracts.LandRegistry!.address,
        });
      });

      it("verifies certificates with cert verify's verdicts: valid, revoked with its reason, tampered, another deployment's", async () => {
        const keccak = await loadKeccak();
        const tampered = { ...certificate(2), fields: { ...(certificate(2).fields as object), cgpa: 9.9 } };
        const elsewhere = { ...certificate(0), anchor: { chainId: 99, registry: `0x${"1".repeat(40)}` } };
        const redacted = redact(chain.batch.certificate(0), ["cgpa"], keccak);
        const answer = await post("/v1/certificates/verify", { certificates: [certificate(0), certificate(1), tampered, elsewhere, redacted, { hello: "world" }] }, "verifyOnly");
        expect(answer.statusCode).to.equal(200);
        const body = answer.json();
        expect(body.indexedBlock).to.equal(status.indexed);
        expect([body.checked, body.valid, body.invalid, body.couldNotCheck]).to.deep.equal([5, 2, 3, 1]);
        const verdicts = body.verdicts.map((v: { outcome: string; status: string; reason: string }) => [v.outcome, v.status, v.reason]);
        const issuedOn = new Date(body.verdicts[0].onChain.issuedAt * 1000).toISOString().slice(0, 10);
        expect(verdicts[0]).to.deep.equal(["valid", "valid", `valid, issued by wbu on ${issuedOn}`]);
        expect(verdicts[1]).to.deep.equal(["invalid", "revoked", "revoked (misconduct)"]);
        expect(verdicts[2]).to.deep.equal(["invalid", "tampered", "its fields do not match its target hash: the file was altered"]);
        expect(verdicts[3].slice(0, 2)).to.deep.equal(["could-not-check", "other-deployment"]);
        expect(verdicts[4][0], "a redacted certificate still verifies").to.equal("valid");
        expect(verdicts[5].slice(0, 2)).to.deep.equal(["invalid", "unreadable"]);
      });

      it("refuses a bad verification request with one sentence before any work: no list, too many, an unknown field, not JSON, too large", async () => {
        const cases: Array<[unknown, number, RegExp]> = [
          [{}, 400, /^The request is malformed: body must have required property 'certificates'\.$/],
          [{ certificates: [] }, 400, /must NOT have fewer than 1 items/],
          [{ certificates: Array.from({ length: 1_001 }, () => ({})) }, 400, /must NOT have more than 1000 items/],
          [{ certificates: [certificate(0)], colour: "blue" }, 400, /must NOT have additional properties/],
          [{ certificates: ["a string"] }, 400, /body\/certificates\/0 must be object/],
        ];
        for (const [payload, code, sentence] of cases) {
          const answer = await post("/v1/certificates/verify", payload);
          expect([answer.statusCode, answer.json().error]).to.satisfy(([c, e]: [number, string]) => c === code && sentence.test(e), JSON.stringify(answer.json()));
        }
        const notJsonType = await app.inject({ method: "POST", url: "/v1/certificates/verify", payload: "<certificates/>", headers: { ...as("all"), "content-type": "application/xml" } });
        expect([notJsonType.statusCode, notJsonType.json().error]).to.deep.equal([415, "Send the body as JSON (Content-Type: application/json)."]);
        const notJson = await app.inject({ method: "POST", url: "/v1/certificates/verify", payload: "{certificates:", headers: { ...as("all"), "content-type": "application/json" } });
        expect([notJson.statusCode, notJson.json().error]).to.deep.equal([400, "The request body is not valid JSON."]);
        const huge = await app.inject({ method: "POST", url: "/v1/certificates/verify", payload: JSON.stringify({ certificates: [{ pad: "x".repeat(5 << 20) }] }), headers: { ...as("all"), "content-type": "application/json" } });
        expect([huge.statusCode, huge.json().error]).to.deep.equal([413, "The request body is larger than the service accepts."]);
      });

      it("gives a document's status and a batch from the index, and the same read through from the chain", async () => {
        const url = `/v1/certificates/wbu/${chain.root}/1`;
        const indexed = (await get(url)).json();
        const direct = (await get(`${url}?source=chain`)).json();
        expect(indexed.source).to.equal("index");
        expect(direct.source).to.equal("chain");
        expect(direct.block).to.be.at.least(status.indexed!);
        expect(indexed.document).to.deep.equal(direct.document);
        expect(indexed.document).to.include({ status: "revoked", reason: "misconduct", issuerOrgId: 1, index: 1, sentence: "revoked" });
        expect((await get(`/v1/certificates/1/${chain.root}/7`)).json().document.status).to.equal("not-issued");
        const batch = (await get(`/v1/certificates/wbu/${chain.root}`)).json();
        expect(batch.batch).to.include({ issuerOrgId: 1, documentCount: 3 });
        expect(batch.documents).to.deep.equal({ valid: 2, revoked: 1 });
        expect((await get(`/v1/certificates/nobody/${chain.root}`)).json().error).to.equal('No organisation "nobody" is in the directory.');
        expect((await get(`/v1/certificates/1/0x${"ab".repeat(32)}`)).statusCode).to.equal(404);
        expect((await get(`/v1/certificates/1/0x12/0`)).statusCode).to.equal(400);
      });

      it("serves a parcel, its chain of title from the index, and checks a title extract", async () => {
        const parcel = (await get(`/v1/land/parcels/${ULPIN}`)).json();
        expect(parcel.parcel).to.include({ ulpin: ULPIN, version: 2, status: "active" });
        expect(parcel.parcel.pendingMutations).to.deep.equal([]);
        expect((await get(`/v1/land/parcels/${ULPIN}?source=chain`)).json().parcel).to.include({ version: 2, ownersHash: parcel.parcel.ownersHash });
        const history = (await get(`/v1/land/parcels/${ULPIN}/history`)).json().history;
        const land = new LandClient(chain.suite.deployment, hre.ethers.provider);
        const directory = new DirectoryClient(chain.suite.deployment, hre.ethers.provider);
        const fromChain = await titleHistory(land, directory, ULPIN, Math.floor(Date.now() / 1000));
        expect(history.entries.map((e: { summary: string }) => e.summary)).to.deep.equal(fromChain.entries.map((e) => e.summary));
        expect(history.entries).to.have.length(3);
        const head = (await hre.ethers.provider.getBlock("latest"))!;
        const extract = makeExtract(fromChain, { chainId: chain.suite.deployment.chainId, registry: land.address, block: head.number, blockHash: head.hash! });
        const current = (await post("/v1/land/verify-extract", { extract, ownerCommitment: fromChain.owners[0].commitment })).json();
        expect(current).to.include({ verdict: "current", ownerShare: 10_000, ulpin: ULPIN });
        const edited = { ...extract, parcel: { ...extract.parcel, area: 9_999 } };
        expect((await post("/v1/land/verify-extract", { extract: edited })).json().verdict).to.equal("not-genuine");
        expect((await post("/v1/land/verify-extract", { extract: { kind: "nonsense" } })).json().error).to.match(/^The extract is not a title extract/);
        expect((await get("/v1/land/parcels/WB999999999999")).statusCode).to.equal(404);
        expect((await get("/v1/land/parcels/not-a-ulpin")).json().error).to.match(/is not a ULPIN/);
      });

      it("serves a website's current release and its releases, by domain or id", async () => {
        const site = (await get(`/v1/websites/sites/${DOMAIN}`)).json();
        expect(site.site).to.include({ siteId: siteIdOf(DOMAIN), threshold: 1 });
        expect(site.current).to.include({ id: 1, status: "approved", version: "v1" });
        expect((await get(`/v1/websites/sites/${siteIdOf(DOMAIN)}/releases`)).json().releases).to.have.length(1);
        expect((await get("/v1/websites/sites/nowhere.example")).statusCode).to.equal(404);
      });

      it("serves the directory, the node directory as CSV, the validators and governance", async () => {
        const orgs = (await get("/v1/directory/organisations")).json().organisations;
        expect(orgs.map((o: { code: string }) => o.code)).to.include.members(["wbu", "lr-north", "wbchse", "survey-17", "wb-it"]);
        const csv = await get("/v1/directory/organisations?format=csv");
        expect(csv.headers["content-type"]).to.match(/^text\/csv/);
        expect(csv.body.split("\n")[0]).to.equal("id,code,kind,status,capabilities,jurisdictions,successor,onboardedAt,updatedAt,metadataHash,keys,nodes");
        expect(csv.body).to.match(/^1,wbu,university,active,issue-certificates,0,0,/m);
        expect((await get("/v1/directory/nodes?format=csv")).body.split("\n")[0]).to.equal("orgId,orgCode,orgKind,orgStatus,nodeId,enode,validator,allowed");
        expect((await get("/v1/directory/organisations/1")).json().organisation).to.include({ code: "wbu" });
        expect((await get("/v1/directory/organisations/1?source=chain")).json().organisation).to.include({ code: "wbu" });
        expect((await get("/v1/directory/organisations/999")).statusCode).to.equal(404);
        expect((await get("/v1/directory/organisations/999?source=chain")).json()).to.deep.equal({ error: "No organisation 999 is in the directory." });
        expect((await get("/v1/directory/validators")).json()).to.include({ minimum: 0 });
        const governance = (await get("/v1/governance")).json();
        expect(governance.roles.map((r: { label: string }) => r.label)).to.include("GOVERNOR");
      });

      it("lets only live keys with the right scope in, saying nothing about a key beyond that it is not valid", async () => {
        const wrong = `sak_${"0".repeat(12)}_${"A".repeat(43)}`;
        for (const presented of [wrong, key.revoked!, "not-even-a-key", `${key.all!.slice(0, -1)}B`]) {
          const answer = await app.inject({ method: "GET", url: "/v1/directory/organisations", headers: { authorization: `Bearer ${presented}` } });
          expect([answer.statusCode, answer.json()]).to.deep.equal([401, { error: "The API key is not valid." }]);
        }
        expect((await get("/v1/directory/organisations", null)).json()).to.deep.equal({ error: 'This needs an API key with the "read" scope (send it as Authorization: Bearer <key>).' });
        const noScope = await get("/v1/directory/organisations", "verifyOnly");
        expect([noScope.statusCode, noScope.json().error]).to.deep.equal([403, 'This API key may not read records; it needs the "read" scope.']);
        expect((await get("/v1/events", "verifyOnly")).statusCode).to.equal(403);
        expect((await app.inject({ method: "GET", url: "/v1/directory/validators", headers: { "x-api-key": key.all! } })).statusCode).to.equal(200);
      });

      it("throttles a key over its rate and over its monthly quota, and open verification per address, with Retry-After", async () => {
        expect((await get("/v1/directory/validators", "slow")).statusCode).to.equal(200);
        expect((await get("/v1/directory/validators", "slow")).statusCode).to.equal(200);
        const over = await get("/v1/directory/validators", "slow");
        expect(over.statusCode).to.equal(429);
        expect(Number(over.headers["retry-after"])).to.be.within(1, 60);
        expect(over.json().error).to.match(/^Too many requests with this API key: at most 2\/min; try again in [^;]+\.$/);

        for (let i = 0; i < 3; i++) expect((await get("/v1/directory/validators", "quota")).statusCode).to.equal(200);
        const spent = await get("/v1/directory/validators", "quota");
        expect([spent.statusCode, spent.json().error]).to.deep.equal([429, "This API key has used its requests for this month."]);
        expect(Number(spent.headers["retry-after"])).to.be.greaterThan(0);

        const open = () => post("/v1/certificates/verify", { certificates: [certificate(0)] }, null, "10.1.2.3");
        for (let i = 0; i < 3; i++) expect((await open()).statusCode, "open verification without a key").to.equal(200);
        const throttled = await open();
        expect([throttled.statusCode, throttled.json().error]).to.satisfy(([c, e]: [number, string]) => c === 429 && /^Too many requests from this address/.test(e));
        expect((await post("/v1/certificates/verify", { certificates: [certificate(0)] }, null, "10.9.9.9")).statusCode, "another address is not held back").to.equal(200);
      });

      it("counts each key's requests per day for charging", async () => {
        await app.close(); // flushes the counts
        const usage = await apiKeyUsage(db, { from: "2000-01-01", to: "2999-12-31", keyId: key.quota!.split("_")[1] });
        expect(usage.map((u) => u.requests)).to.deep.equal([4]);
        app = await buildService({ db, status, deployment: chain.suite.deployment, provider: hre.ethers.provider, keccak: await loadKeccak(), audit, webhooks: { allowPrivate: true }, clock: () => clock });
      });

      it("writes every request to a hash-chained audit log without bodies or keys, and audit verify finds any change", async () => {
        await post("/v1/certificates/verify", { certificates: [certificate(0)] });
        await audit.flush();
        const text = fs.readFileSync(audit.file, "utf8");
        expect(text).to.not.contain("Asha").and.not.contain(key.all!).and.not.contain(key.all!.slice(17));
        const lines = text.trimEnd().split("\n");
        const last = JSON.parse(lines[lines.length - 1]);
        expect(last).to.include({ method: "POST", route: "/v1/certificates/verify", status: 200, key: key.all!.split("_")[1] });
        expect(verifyAuditLog(audit.file)).to.deep.equal({ entries: lines.length });
        const copy = (edit: (lines: string[]) => string[]) => {
          const file = `${audit.file}.${Math.random()}`;
          fs.writeFileSync(file, `${edit([...lines]).join("\n")}\n`);
          return verifyAuditLog(file).broken;
        };
        expect(copy((l) => ((l[2] = l[2].replace('"status":', '"status":1')), l))).to.deep.include({ line: 3, problem: "its contents were changed after it was written" });
        expect(copy((l) => (l.splice(1, 1), l))).to.deep.include({ line: 2, problem: "entries 2–2 are missing before it" });
        expect(copy((l) => ([l[1], l[2]] = [l[2], l[1]]) && l)).to.deep.include({ line: 2, problem: "entries 2–2 are missing before it" });
      });

      it("delivers events to a webhook signed with HMAC, again after a failure, at least once with ids to drop repeats", async () => {
        const received: Array<{ body: string; signature: string; timestamp: string }> = [];
        let failNext = true;
        const receiver = http.createServer((request, response) => {
          let body = "";
          request.on("data", (chunk: Buffer) => (body += chunk.toString()));
          request.on("end", () => {
            received.push({ body, signature: String(request.headers["x-sakshya-signature"]), timestamp: String(request.headers["x-sakshya-timestamp"]) });
            response.statusCode = failNext ? 500 : 204;
            failNext = false;
            response.end();
          });
        });
        await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
        const url = `http://127.0.0.1:${(receiver.address() as { port: number }).port}/hook`;
        try {
          const created = await post("/v1/webhooks", { url, events: ["OrganisationOnboarded"] });
          expect(created.statusCode).to.equal(201);
          const { webhook, secret } = created.json();
          // From now on: the organisations already indexed are not sent; onboard one more and index it.
          await (await chain.suite.directory.onboard(code(`hook-${engine}`), KIND.agency, CAP.publishWebsites, [0], evidence(engine))).wait();
          await new ChainIndexer(db, hre.ethers.provider, chain.suite.deployment).catchUp();
          const stop = new AbortController();
          const delivering = deliverWebhooks(db, { signal: stop.signal, pollMs: 50, maxBackoffMs: 100 });
          for (let i = 0; i < 100 && received.length < 2; i++) await new Promise((resolve) => setTimeout(resolve, 50));
          stop.abort();
          await delivering;
          expect(received).to.have.length(2);
          expect(received[0].body, "the same delivery again").to.equal(received[1].body);
          const delivery = JSON.parse(received[1].body);
          expect(received[1].signature).to.equal(webhookSignature(secret, received[1].timestamp, received[1].body));
          expect(delivery.webhook).to.equal(webhook.id);
          expect(delivery.events.map((e: { event: string; args: { code: string } }) => [e.event, e.args.code])).to.deep.equal([["OrganisationOnboarded", code(`hook-${engine}`)]]);
          expect(delivery.events[0].id).to.match(/^\d+-\d+$/);
          const listed = (await get("/v1/webhooks")).json().webhooks;
          expect(listed).to.have.length(1);
          expect(listed[0].cursor).to.equal(delivery.events[0].id);
          expect(listed[0]).to.not.have.property("secret");
          expect((await app.inject({ method: "DELETE", url: `/v1/webhooks/${webhook.id}`, headers: as("all") })).statusCode).to.equal(204);
          expect((await app.inject({ method: "DELETE", url: `/v1/webhooks/${webhook.id}`, headers: as("all") })).statusCode).to.equal(404);
        } finally {
          receiver.close();
        }
        expect((await post("/v1/webhooks", { url: "ftp://example.org/" })).json().error).to.equal("A webhook URL must be http or https.");
      });

      it("cert verify --api and land history --api print what they print over JSON-RPC, for verifiers without RPC access", async () => {
        const folder = fs.mkdtempSync(path.join(os.tmpdir(), "sakshya-api-cli-"));
        fs.writeFileSync(path.join(folder, "asha.json"), JSON.stringify(certificate(0)));
        fs.writeFileSync(path.join(folder, "bikash.json"), JSON.stringify(certificate(1)));
        fs.writeFileSync(path.join(folder, "broken.json"), "{ not json");
        const url = await app.listen({ host: "127.0.0.1", port: 0 });
        const rpc = await serveChain();
        try {
          const overRpc = await runCli(["--rpc-url", rpc.url, "--deployments", chain.suite.deploymentFile, "cert", "verify", folder]);
          const overApi = await runCli(["cert", "verify", folder, "--api", url]);
          expect([overApi.code, overRpc.code]).to.deep.equal([1, 1]);
          const lines = (out: string) => out.replace(/ \(checked at [^)]*\)/, "");
          expect(lines(overApi.stdout)).to.equal(lines(overRpc.stdout));
          expect(overApi.stdout).to.contain("✗ ").and.contain("revoked (misconduct)").and.contain("broken.json is not valid JSON");
          const historyRpc = await runCli(["--rpc-url", rpc.url, "--deployments", chain.suite.deploymentFile, "land", "history", ULPIN]);
          const historyApi = await runCli(["land", "history", ULPIN, "--api", url, "--api-key", key.all!]);
          expect([historyApi.code, historyApi.stdout]).to.deep.equal([0, historyRpc.stdout]);
          const refused = await runCli(["land", "history", ULPIN, "--api", url]);
          expect([refused.code, refused.stderr.trim()]).to.deep.equal([2, 'error: The service refused: This needs an API key with the "read" scope (send it as Authorization: Bearer <key>).']);
          const missing = await runCli(["land", "history", "WB999999999999", "--api", url, "--api-key", key.all!]);
          expect(missing.stderr.trim()).to.equal("error: No parcel WB999999999999 is on chain.");
        } finally {
          await rpc.close();
        }
        const down = await runCli(["cert", "verify", folder, "--api", "http://127.0.0.1:9"]);
        expect([down.code, down.stderr.trim()]).to.deep.equal([2, "error: The Sakshya service at http://127.0.0.1:9 cannot be reached; nothing could be checked."]);
      });

      it("serves HTTPS with the operator's certificate, and answers browsers only from the origins allowed", async function () {
        if (engine === "postgres") this.skip(); // nothing here depends on the database
        const folder = fs.mkdtempSync(path.join(os.tmpdir(), "sakshya-tls-"));
        const [keyFile, certFile] = [path.join(folder, "key.pem"), path.join(folder, "cert.pem")];
        execFileSync("openssl", ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=localhost", "-days", "1", "-keyout", keyFile, "-out", certFile], { stdio: "ignore" });
        const secure = await buildService({
          db,
          status,
          deployment: chain.suite.deployment,
          provider: hre.ethers.provider,
          keccak: await loadKeccak(),
          https: { key: fs.readFileSync(keyFile), cert: fs.readFileSync(certFile) },
          cors: ["https://verify.wb.gov.in"],
        });
        try {
          const url = new URL(await secure.listen({ host: "127.0.0.1", port: 0 }));
          expect(url.protocol).to.equal("https:");
          const { statusCode, certificate: served } = await new Promise<{ statusCode?: number; certificate: string }>((resolve, reject) => {
            https.get({ host: url.hostname, port: url.port, path: "/health", ca: fs.readFileSync(certFile), servername: "localhost" }, (response) => {
              const peer = (response.socket as import("node:tls").TLSSocket).getPeerX509Certificate();
              response.resume();
              resolve({ statusCode: response.statusCode, certificate: peer?.fingerprint256 ?? "" });
            }).on("error", reject);
          });
          expect(statusCode).to.equal(200);
          expect(served).to.equal(new X509Certificate(fs.readFileSync(certFile)).fingerprint256);
          const preflight = (origin: string) => secure.inject({ method: "OPTIONS", url: "/v1/certificates/verify", headers: { origin, "access-control-request-method": "POST", "access-control-request-headers": "content-type" } });
          const allowed = await preflight("https://verify.wb.gov.in");
          expect([allowed.statusCode, allowed.headers["access-control-allow-origin"]]).to.deep.equal([204, "https://verify.wb.gov.in"]);
          expect((await preflight("https://elsewhere.example")).headers["access-control-allow-origin"]).to.equal(undefined);
        } finally {
          await secure.close();
        }
        const halfTls = await runCli(["serve", "--tls-cert", certFile]);
        expect([halfTls.code, halfTls.stderr.trim()]).to.deep.equal([2, "error: Give --tls-cert and --tls-key together."]);
      });

      it("answers 503 with Retry-After until the index has read the chain or while a block cannot be read, and the command line says it could not check", async function () {
        if (engine === "postgres") this.skip(); // nothing here depends on the database
        const blockless = new Proxy(hre.ethers.provider, { get: (target, property, receiver) => (property === "getBlock" ? async () => null : Reflect.get(target, property, receiver)) });
        const unready = await buildService({ db, status: {}, deployment: chain.suite.deployment, provider: hre.ethers.provider, keccak: await loadKeccak() });
        const noBlocks = await buildService({ db, status, deployment: chain.suite.deployment, provider: blockless, keccak: await loadKeccak() });
        try {
          const early = await unready.inject({ method: "POST", url: "/v1/certificates/verify", payload: { certificates: [certificate(0)] } });
          expect([early.statusCode, early.headers["retry-after"], early.json().error]).to.deep.equal([503, "5", "The index has not read the chain yet; try again shortly."]);
          const url = await unready.listen({ host: "127.0.0.1", port: 0 });
          const folder = fs.mkdtempSync(path.join(os.tmpdir(), "sakshya-api-unready-"));
          fs.writeFileSync(path.join(folder, "asha.json"), JSON.stringify(certificate(0)));
          const unchecked = await runCli(["cert", "verify", folder, "--api", url]);
          expect([unchecked.code, unchecked.stderr.trim()]).to.deep.equal([2, "error: The service could not answer: The index has not read the chain yet; try again shortly."]);
          // Times not yet kept are read from the chain; a block it cannot give is "could not answer", never a date made up.
          await db.execute("UPDATE indexed_blocks SET block_time = NULL");
          const history = await noBlocks.inject({ method: "GET", url: `/v1/land/parcels/${ULPIN}/history`, headers: as("all") });
          expect(history.statusCode).to.equal(503);
          expect(history.json().error).to.match(/^Block \d+ could not be read from the RPC endpoint\.$/);
        } finally {
          await Promise.all([unready.close(), noBlocks.close()]);
        }
      });

      it("cuts off a client that starts a request and stalls, keeping its own time", async function () {
        if (engine === "postgres") this.skip(); // nothing here depends on the database
        const patient = await buildService({ db, status, deployment: chain.suite.deployment, provider: hre.ethers.provider, keccak: await loadKeccak(), clientTimeoutMs: 500 });
        try {
          const url = new URL(await patient.listen({ host: "127.0.0.1", port: 0 }));
          const started = Date.now();
          const closed = await new Promise<number>((resolve, reject) => {
            const socket = net.connect(Number(url.port), url.hostname, () => {
              socket.write("POST /v1/certificates/verify HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{");
            });
            socket.on("close", () => resolve(Date.now() - started));
            socket.on("error", reject);
            setTimeout(() => reject(new Error("the stalled client was never cut off")), 10_000);
          });
          expect(closed).to.be.within(400, 5_000);
        } finally {
          await patient.close();
        }
      });

      it("describes every route in OpenAPI with its security, and offers the browsable description at /docs", async () => {
        const spec = (await get("/openapi.json", null)).json();
        expect(Object.keys(spec.paths)).to.include.members([
          "/v1/certificates/verify",
          "/v1/certificates/{issuer}/{root}/{index}",
          "/v1/certificates/{issuer}/{root}",
          "/v1/land/parcels/{ulpin}",
          "/v1/land/parcels/{ulpin}/history",
          "/v1/land/verify-extract",
          "/v1/websites/sites/{site}",
          "/v1/directory/organisations",
          "/v1/directory/nodes",
          "/v1/events",
          "/v1/webhooks",
        ]);
        expect(spec.components.securitySchemes.apiKey).to.include({ type: "http", scheme: "bearer" });
        const docs = await get("/docs/", null);
        expect(docs.statusCode).to.equal(200);
        expect(docs.body).to.contain("swagger-ui");
      });
    });
  }
});
