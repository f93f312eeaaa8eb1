import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect } from "chai";
import type { FastifyInstance } from "fastify";
import hre from "hardhat";
import { certificateLink } from "../src/certificates/link";
import { parseSchema } from "../src/certificates/schema";
import { certificateCode, codeSlotOf } from "../src/codes/short-code";
import { loadKeccak } from "../src/hashing/keccak";
import { openDatabase, type Database } from "../src/index/database";
import { followChain, type IndexStatus } from "../src/index/follow";
import { ChainIndexer } from "../src/index/indexer";
import { migrate } from "../src/index/schema";
import { buildService } from "../src/service/server";
import { webhookSignature } from "../src/service/webhooks";
import { BROWSER_ARTIFACTS, VIEWPORTS, launchChromium } from "./helpers/browser";
import { busyChain } from "./helpers/busy-chain";

const SECRET = "gateway-shared-secret-for-tests";
const until = async (what: () => boolean, label: string) => {
  const deadline = Date.now() + 20_000;
  while (!what()) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting until ${label}.`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
};

/**
 * The service follows a chain that goes away under it: first the node stops answering, then the chain is reset.
 * No verdict is ever a bare "valid" from state the chain may no longer hold (issue 24, section 1).
 */
describe("A verdict is never stale or wrong: the service under a node that goes away", function () {
  this.timeout(180_000);
  let chain: Awaited<ReturnType<typeof busyChain>>;
  let beforeChain: string;
  let db: Database;
  let app: FastifyInstance;
  const status: IndexStatus = {};
  const stop = new AbortController();
  let following: Promise<void>;
  let down = false;

  before(async () => {
    beforeChain = await hre.network.provider.send("evm_snapshot");
    chain = await busyChain();
    db = await openDatabase(path.join(fs.mkdtempSync(path.join(os.tmpdir(), "sakshya-fresh-")), "index.db"));
    await migrate(db);
    // The node as the follower sees it: it can be switched off, as a stopped node refuses connections.
    const node = new Proxy(hre.ethers.provider, {
      get(target, property, receiver) {
        const value = Reflect.get(target, property, receiver);
        if (typeof value !== "function") return value;
        return (...args: unknown[]) => (down ? Promise.reject(Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:8545"), { code: "ECONNREFUSED" })) : value.apply(target, args));
      },
    });
    following = followChain(new ChainIndexer(db, node, chain.suite.deployment), node, status, { signal: stop.signal, pollMs: 20, maxBackoffMs: 50 });
    const head = await hre.ethers.provider.getBlockNumber();
    await until(() => status.indexed === head, "the index reaches the head");
    // The schema as the issuer wrote it, with the label its paper prints ("CGPA", not the name in words).
    const schema = parseSchema({ id: "degree/1", title: "Degree", fields: { roll: { type: "string", required: true }, name: { type: "string", required: true }, cgpa: { type: "number", label: "CGPA" } }, identity: ["roll"] }, "schema");
    app = await buildService({ db, status, deployment: chain.suite.deployment, provider: hre.ethers.provider, keccak: await loadKeccak(), gateway: { secret: SECRET }, schemas: new Map([[schema.id, schema]]) });
  });

  after(async () => {
    stop.abort();
    await following;
    await app.close();
    await db.close();
  });

  const check = () => app.inject({ method: "POST", url: "/v1/certificates/check", payload: { documents: [{ issuer: "wbu", root: chain.root, index: 0 }] } });
  const sms = async (language = "en") => {
    const body = JSON.stringify({ from: "+919830000042", text: certificateCode(1, codeSlotOf(chain.root), 0), lang: language });
    const timestamp = String(Math.floor(Date.now() / 1000));
    const answer = await app.inject({ method: "POST", url: "/v1/sms/inbound", payload: body, headers: { "content-type": "application/json", "x-sakshya-timestamp": timestamp, "x-sakshya-signature": webhookSignature(SECRET, timestamp, body) } });
    return answer.json().reply as string;
  };

  it("with the node reachable, a verdict names the block and its time in IST, and says it is current", async () => {
    const answer = (await check()).json();
    expect(answer.verdicts[0].valid).to.equal(true);
    expect(answer.asOf).to.include({ block: status.indexed, current: true });
    expect(answer.asOf.time).to.match(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+05:30$/);
    expect(await sms()).to.match(/^VALID\. Certificate [\d ]+, issued by wbu on /);
  });

  it("with the node down, the API, SMS and page say the verdict is as of a time and the registry could not be reached now", async () => {
    down = true;
    await until(() => status.error !== undefined, "the follower notices");
    try {
      const answer = (await check()).json();
      expect(answer.verdicts[0].valid).to.equal(true);
      expect(answer.asOf).to.deep.include({ block: status.indexed, current: false, why: "The registry could not be reached just now." });
      expect(await sms()).to.match(/^REGISTRY NOT REACHED NOW; AS OF \d{1,2} \w{3} \d{4}, \d{1,2}:\d\d [ap]m IST: VALID\. Certificate /);
      expect(await sms("bn")).to.match(/^রেজিস্ট্রি এখন অধরা; .+ IST-এর তথ্য: বৈধ।/);

      const base = await app.listen({ host: "127.0.0.1", port: 0 });
      const browser = await launchChromium();
      try {
        for (const [locale, heading] of [["en-IN", /^Genuine and valid as of \d{1,2} December \d{4} at \d{1,2}:\d\d [ap]m IST$/], ["bn-IN", / IST পর্যন্ত: আসল ও বৈধ$/]] as const) {
          const context = await browser.newContext({ ...VIEWPORTS.phone, locale });
          const page = await context.newPage();
          await page.goto(certificateLink(chain.batch.certificate(0), `${base}/`));
          await page.waitForSelector("#result .banner");
          const [classes, text, labels] = await page.evaluate(() => [
            document.querySelector("#result .banner")!.className,
            document.querySelector("#verdict")!.textContent ?? "",
            [...document.querySelectorAll(".details dt")].map((dt) => dt.textContent).join("|"),
          ]);
          expect(classes, "amber, never a bare green").to.equal("banner stale");
          expect(labels, "the paper's labels, from the schema").to.equal("Roll|Name|CGPA");
          expect(text.replace(/\u202f/g, " ")).to.match(heading);
          fs.mkdirSync(BROWSER_ARTIFACTS, { recursive: true });
          await page.screenshot({ path: path.join(BROWSER_ARTIFACTS, `phone-stale-${locale}.png`), fullPage: true });
          await context.close();
        }
      } finally {
        await browser.close();
      }
    } finally {
      down = false;
    }
    await until(() => status.error === undefined, "the follower hears from the node again");
    expect((await check()).json().asOf.current).to.equal(true);
  });

  it("serves a schema's labels and what its paper prints; an unknown schema is a 404 with a sentence", async () => {
    const labels = await app.inject({ method: "GET", url: "/v1/schemas/degree/1" });
    expect(labels.json()).to.deep.equal({ id: "degree/1", title: "Degree", fields: { roll: { label: "Roll", printed: true }, name: { label: "Name", printed: true }, cgpa: { label: "CGPA", printed: true } } });
    const unknown = await app.inject({ method: "GET", url: "/v1/schemas/transcript/2" });
    expect([unknown.statusCode, unknown.json().error]).to.deep.equal([404, 'This service was given no schema "transcript/2".']);
  });

  it("with the chain reset under it, the index empties at once and no verdict is given from it", async () => {
    await hre.network.provider.send("evm_revert", [beforeChain]);
    await until(() => /chain was reset or rebuilt/.test(status.error ?? ""), "the follower finds the chain reset");
    // The status says what the index holds now, never a block it gave up.
    expect(status.indexed).to.equal(chain.suite.deployment.deployBlock - 1);
    const ready = await app.inject({ method: "GET", url: "/ready" });
    expect(ready.statusCode).to.equal(503);
    const checked = await check();
    expect(checked.statusCode).to.equal(503);
    expect(checked.json().error).to.match(/^The index holds nothing of the registry yet \(The chain's head is block \d+, before the suite's deployment/);
    expect(await sms()).to.equal("The registry cannot be reached now. This says nothing about the document. Try again later.");
    for (const table of ["chain_events", "current_state", "certificate_codes", "short_codes"]) expect(await db.query(`SELECT * FROM ${table}`), table).to.deep.equal([]);
  });
});
