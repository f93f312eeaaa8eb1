/// <reference lib="dom" />
import fs from "node:fs";
import path from "node:path";
import { expect } from "chai";
import hre from "hardhat";
import { time } from "@nomicfoundation/hardhat-network-helpers";
import type { FastifyInstance } from "fastify";
import { CertificateClient } from "../src/certificates/client";
import { verifyCertificateTexts } from "../src/certificates/checks";
import { CERTIFICATES_DIR, writeBatch } from "../src/certificates/batch";
import { certificateCode, codeSlotOf } from "../src/codes/short-code";
import { DirectoryClient } from "../src/directory/client";
import { loadKeccak } from "../src/hashing/keccak";
import type { Database } from "../src/index/database";
import { webhookSignature } from "../src/service/webhooks";
import { releaseSummary, reportLines } from "../src/websites/report";
import { certificateLink } from "../src/certificates/link";
import { BROWSER_ARTIFACTS, VIEWPORTS, launchChromium } from "./helpers/browser";
import { evidence, tempFile } from "./fixtures";
import { busyChain, indexedService } from "./helpers/busy-chain";

const SECRET = "gateway-shared-secret-for-tests";
const DECISION = evidence("SBIC decision 2026/42: the batch of 2026 stands");

/**
 * A batch voided by a backdated compromise cut-off, then affirmed by the governor: every way a verifier asks says
 * valid, and names the affirmation — the command line's verdict, the service's index and API, SMS, a site's report.
 */
describe("An affirmed batch reads valid everywhere, naming the affirmation (issue 23)", function () {
  this.timeout(180_000);
  let chain: Awaited<ReturnType<typeof busyChain>>;
  let db: Database;
  let app: FastifyInstance;
  let catchUp: () => Promise<void>;
  let files: string[];

  before(async () => {
    chain = await busyChain();
    const { suite, root, batch } = chain;
    const folder = path.dirname(tempFile("x"));
    await writeBatch(path.join(folder, "batch"), batch, {});
    files = fs.readdirSync(path.join(folder, "batch", CERTIFICATES_DIR)).sort().map((f) => path.join(folder, "batch", CERTIFICATES_DIR, f));
    const issuedAt = Number((await suite.registry.batch(1, root)).issuedAt);
    await time.increase(4 * 86_400);
    await suite.directory.markAccountCompromised(suite.universityKey.address, await time.latest());
    await suite.directory.connect(suite.governor).backdateCompromise(suite.universityKey.address, issuedAt, evidence("SBIC decision 2026/41"));
    ({ db, app, catchUp } = await indexedService(suite.deployment, { gateway: { secret: SECRET, perPhone: { count: 50, windowMs: 60_000 } } }));
  });

  after(async () => {
    await app.close();
    await db.close();
  });

  const verify = async () => {
    const client = new CertificateClient(chain.suite.deployment, hre.ethers.provider);
    const directory = new DirectoryClient(chain.suite.deployment, hre.ethers.provider);
    const inputs = [files[0]].map((file) => ({ file, json: () => JSON.parse(fs.readFileSync(file, "utf8")) as unknown }));
    return verifyCertificateTexts(inputs, client, (code) => directory.organisationIdOf(code), await loadKeccak());
  };
  const check = async () => {
    const answer = await app.inject({ method: "POST", url: "/v1/certificates/check", payload: { documents: [{ issuer: "wbu", root: chain.root, index: 0 }] } });
    return answer.json().verdicts[0];
  };
  const sms = async () => {
    const body = JSON.stringify({ from: "+919830000042", text: certificateCode(1, codeSlotOf(chain.root), 0) });
    const timestamp = String(Math.floor(Date.now() / 1000));
    const answer = await app.inject({ method: "POST", url: "/v1/sms/inbound", payload: body, headers: { "content-type": "application/json", "x-sakshya-timestamp": timestamp, "x-sakshya-signature": webhookSignature(SECRET, timestamp, body) } });
    return answer.json().reply as string;
  };

  it("voided by the backdated cut-off, the batch reads key-compromised on every path", async () => {
    const [verdict] = await verify();
    expect([verdict.valid, verdict.status]).to.deep.equal([false, "key-compromised"]);
    expect((await check()).status).to.equal("key-compromised");
    expect(await sms()).to.match(/^NOT VALID\. Certificate [\d ]+: signed with a key later reported stolen\./);
    // Its slot is free for the issuer's next batch: the registry's rule, as the client reads it.
    const client = new CertificateClient(chain.suite.deployment, hre.ethers.provider);
    expect([await client.codeSlotRoot(1, codeSlotOf(chain.root)), await client.slotHolder(1, codeSlotOf(chain.root))]).to.deep.equal([chain.root, undefined]);
  });

  it("affirmed, it reads valid with the decision: command line, API, SMS", async () => {
    const { suite, root } = chain;
    const client = new CertificateClient(suite.deployment, hre.ethers.provider);
    await suite.registry.connect(suite.governor).affirmBatch(1, root, DECISION);
    expect((await client.batch({ issuerOrgId: 1, root }))?.affirmation).to.equal(DECISION);
    const [verdict] = await verify();
    expect(verdict.valid).to.equal(true);
    expect(verdict.reason).to.match(new RegExp(`^valid, issued by wbu on \\d{4}-\\d\\d-\\d\\d; affirmed by governance after its signing key was reported compromised \\(decision ${DECISION}\\)$`));
    await catchUp();
    const checked = await check();
    expect([checked.valid, checked.onChain.affirmation]).to.deep.equal([true, DECISION]);
    expect(checked.reason).to.include(`affirmed by governance after its signing key was reported compromised (decision ${DECISION})`);
    expect(await sms()).to.match(/^VALID \(affirmed by the SBIC after a key theft\)\. Certificate [\d ]+, issued by wbu on /);
    expect(await client.slotHolder(1, codeSlotOf(root))).to.equal(root);
  });

  it("the verification page shows it valid, and says the State Blockchain Committee affirmed it, in English and Bengali", async () => {
    const base = await app.listen({ host: "127.0.0.1", port: 0 });
    const browser = await launchChromium();
    try {
      for (const [locale, words] of [["en-IN", "the State Blockchain Committee affirmed that this batch stands"], ["bn-IN", "রাজ্য ব্লকচেইন কমিটি এই ব্যাচ বহাল রেখেছে"]] as const) {
        const context = await browser.newContext({ ...VIEWPORTS.phone, locale });
        const page = await context.newPage();
        await page.goto(certificateLink(chain.batch.certificate(0), `${base}/`));
        await page.waitForSelector("#result .banner");
        const [outcome, text] = await page.evaluate(() => [document.querySelector("#result .banner")!.getAttribute("data-outcome"), (document.querySelector("#result") as HTMLElement).innerText]);
        expect(outcome).to.equal("valid");
        expect(text).to.include(words);
        fs.mkdirSync(BROWSER_ARTIFACTS, { recursive: true });
        await page.screenshot({ path: path.join(BROWSER_ARTIFACTS, `phone-affirmed-${locale}.png`), fullPage: true });
        await context.close();
      }
    } finally {
      await browser.close();
    }
  });

  it("a site's report names the affirmation of the release it checked against", () => {
    const summary = releaseSummary({ id: 4, version: "2026.12.1", root: `0x${"ab".repeat(32)}`, manifest: `0x${"cd".repeat(32)}`, fileCount: 3, totalBytes: 10, publishedAt: 0, approvedAt: 0, approvals: 2, status: "approved", reason: "none", orgId: 1, affirmation: DECISION });
    const lines = reportLines({ target: "build/", site: "wb.gov.in", verdict: "clean", summary: "wb.gov.in matches release 4 (2026.12.1).", release: summary, files: [], injected: [], exclude: [], checkedAt: "", seconds: 0 });
    expect(lines).to.include(`  affirmed by governance after a key that approved it was reported stolen (decision ${DECISION})`);
  });
});
