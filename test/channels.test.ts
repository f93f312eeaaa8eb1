import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect } from "chai";
import fc from "fast-check";
import type { FastifyInstance } from "fastify";
import hre from "hardhat";
import { smsLength } from "../src/codes/messages";
import { certificateCode, codeSlotOf, formatShortCode, titleCode } from "../src/codes/short-code";
import { OrganisationProfiles } from "../src/directory/profiles";
import { loadKeccak } from "../src/hashing/keccak";
import type { Database } from "../src/index/database";
import { AuditLog } from "../src/service/audit-log";
import { buildService } from "../src/service/server";
import { webhookSignature } from "../src/service/webhooks";
import { WBU_METADATA } from "./fixtures";
import { busyChain, indexedService, ULPIN } from "./helpers/busy-chain";

const SECRET = "gateway-shared-secret-for-tests";

describe("SMS and IVRS: short codes over a gateway", function () {
  this.timeout(180_000);
  let chain: Awaited<ReturnType<typeof busyChain>>;
  let db: Database;
  let app: FastifyInstance;
  let audit: AuditLog;
  let folder: string;
  let valid: string;
  let revoked: string;

  before(async () => {
    chain = await busyChain();
    folder = fs.mkdtempSync(path.join(os.tmpdir(), "sakshya-channels-"));
    fs.mkdirSync(path.join(folder, "profiles"));
    fs.writeFileSync(path.join(folder, "profiles", "wbu.json"), WBU_METADATA);
    audit = await AuditLog.open(path.join(folder, "audit.log"));
    ({ db, app } = await indexedService(chain.suite.deployment, {
      audit,
      profiles: OrganisationProfiles.load(path.join(folder, "profiles")),
      gateway: { secret: SECRET, perPhone: { count: 5, windowMs: 60_000 } },
    }));
    const slot = codeSlotOf(chain.root);
    valid = certificateCode(1, slot, 0);
    revoked = certificateCode(1, slot, 1);
  });

  after(async () => {
    await app.close();
    await audit.close();
    await db.close();
  });

  const now = () => String(Math.floor(Date.now() / 1000));
  const signed = (body: string, timestamp = now(), secret = SECRET) => ({ "x-sakshya-timestamp": timestamp, "x-sakshya-signature": webhookSignature(secret, timestamp, body) });

  async function sms(fields: Record<string, string>, { form = false, headers }: { form?: boolean; headers?: Record<string, string> } = {}) {
    const body = form ? new URLSearchParams(fields).toString() : JSON.stringify(fields);
    return app.inject({
      method: "POST",
      url: "/v1/sms/inbound",
      payload: body,
      headers: { "content-type": form ? "application/x-www-form-urlencoded" : "application/json", ...(headers ?? signed(body)) },
    });
  }

  async function call(query: Record<string, string>, headers?: Record<string, string>) {
    const search = new URLSearchParams(query).toString();
    return app.inject({ method: "GET", url: `/v1/ivrs?${search}`, headers: headers ?? signed(search) });
  }

  it("answers VERIFY <code> in one SMS: valid with the issuer's name, revoked with the reason", async () => {
    const answer = await sms({ from: "+91 98300 00001", text: `VERIFY ${formatShortCode(valid)}` });
    expect(answer.statusCode, answer.body).to.equal(200);
    const { reply, outcome, language } = answer.json();
    expect([outcome, language]).to.deep.equal(["valid", "en"]);
    expect(reply).to.match(/^VALID\. Certificate \d{4} \d{4} \d{3}, issued by West Bengal University on \d{1,2} \w{3} \d{4}\. Compare the name on it with an ID\.$/);
    expect(smsLength(reply)).to.deep.include({ limit: 160 });
    const bad = (await sms({ From: "+919830000001", Body: revoked }, { form: true })).json();
    expect(bad).to.include({ outcome: "invalid" });
    expect(bad.reply).to.equal(`NOT VALID. Certificate ${formatShortCode(revoked)}: revoked (misconduct). Do not rely on it.`);
  });

  it("answers in Bengali, within 70 characters, when asked in Bengali", async () => {
    const { reply, language } = (await sms({ from: "+919830000002", text: `যাচাই ${valid}` })).json();
    expect(language).to.equal("bn");
    expect(reply).to.match(/^বৈধ। পশ্চিমবঙ্গ বিশ্ববিদ্যালয়, [০-৯]/);
    expect(smsLength(reply).length).to.be.at.most(70);
  });

  it("says what to send, what is mistyped and what names nothing; a title code says current or changed", async () => {
    const phone = "+919830000003";
    expect((await sms({ from: phone, text: "hello" })).json().reply).to.equal("CODE MISTYPED. A verification code is made of digits only. Send VERIFY and the code again.");
    expect((await sms({ from: phone, text: "VERIFY" })).json()).to.include({ outcome: "usage" });
    const typo = valid.slice(0, -1) + String((Number(valid.at(-1)) + 3) % 10);
    expect((await sms({ from: phone, text: typo })).json()).to.include({ outcome: "mistyped" });
    expect((await sms({ from: phone, text: titleCode(1, 2) })).json().reply).to.equal(`TITLE CURRENT. Parcel ${ULPIN} is still at version 2: active, 0 lien(s).`);
    expect((await sms({ from: phone, text: titleCode(1, 1) })).json().reply).to.match(/^TITLE CHANGED\. Parcel WB170400000001 is now at version 2, not 1/);
  });

  it("every reply fits one SMS, whatever the code", () =>
    fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: 4 }), fc.constantFrom("en", "bn"), fc.string({ maxLength: 30 }), async (pick, lang, noise) => {
        const text = [valid, revoked, titleCode(1, 2), titleCode(1, 1), noise][pick];
        const answer = await sms({ from: `+91900000${pick}${lang === "bn" ? 1 : 2}00`, text, lang });
        if (answer.statusCode === 429) return;
        const { reply } = answer.json();
        const { length, limit } = smsLength(reply);
        expect(length, reply).to.be.at.most(limit);
      }),
      { numRuns: 20 },
    ));

  it("reads a code keyed in on a call back for text-to-speech, digit by digit, as JSON or a <Say> document", async () => {
    const spoken = (await call({ caller: "+919830000004", digits: `${valid}#` })).json();
    expect(spoken.outcome).to.equal("valid");
    expect(spoken.say).to.include(`Certificate ${valid.split("").join(" ")}, issued by West Bengal University`);
    const xml = await call({ caller: "+919830000004", digits: revoked, format: "xml", lang: "bn" });
    expect(xml.headers["content-type"]).to.match(/^application\/xml/);
    expect(xml.body).to.match(/^<\?xml version="1.0" encoding="UTF-8"\?><Response><Say language="bn-IN">বৈধ নয়: বাতিল \(অসদাচরণ\)।<\/Say><\/Response>$/);
    const body = JSON.stringify({ caller: "+919830000004", digits: titleCode(1, 2) });
    const posted = await app.inject({ method: "POST", url: "/v1/ivrs", payload: body, headers: { "content-type": "application/json", ...signed(body) } });
    expect(posted.json()).to.include({ outcome: "current" });
  });

  it("refuses unsigned, wrongly signed, replayed or altered gateway requests, and nothing is counted for them", async () => {
    const body = JSON.stringify({ from: "+919830000005", text: valid });
    const refuse = async (headers: Record<string, string>, payload = body) => {
      const answer = await app.inject({ method: "POST", url: "/v1/sms/inbound", payload, headers: { "content-type": "application/json", ...headers } });
      return [answer.statusCode, answer.json().error];
    };
    const wrong = [401, "The gateway's signature is missing or wrong."];
    expect(await refuse({})).to.deep.equal(wrong);
    expect(await refuse(signed(body, now(), "another secret"))).to.deep.equal(wrong);
    expect(await refuse(signed(body), body.replace("+919830000005", "+919830000006")), "a body changed after signing").to.deep.equal(wrong);
    const old = String(Math.floor(Date.now() / 1000) - 3_600);
    expect(await refuse(signed(body, old))).to.deep.equal([401, "The gateway's signature is too old (or its clock is wrong): more than 5 minutes from ours."]);
    expect((await call({ caller: "+919830000005", digits: valid }, { "x-sakshya-timestamp": now(), "x-sakshya-signature": "sha256=00" })).statusCode).to.equal(401);
    // The refused requests used none of the number's five checks.
    for (let i = 0; i < 5; i++) expect((await sms({ from: "+919830000005", text: valid })).statusCode).to.equal(200);
  });

  it("limits each phone number, answering over the limit with a reply the gateway can send", async () => {
    const phone = "+919830000007";
    for (let i = 0; i < 5; i++) expect((await sms({ from: phone, text: valid })).statusCode).to.equal(200);
    const over = await sms({ from: phone, text: valid });
    expect(over.statusCode).to.equal(429);
    expect(over.headers["retry-after"]).to.equal("60");
    expect(over.json()).to.deep.equal({ error: "Too many checks from this phone number: at most 5/min.", reply: "Too many checks from this number. Try again later.", say: "Too many checks from this number. Try again later." });
    expect((await sms({ from: "+919830000008", text: valid })).statusCode, "another number is not held back").to.equal(200);
    expect((await sms({ text: valid } as Record<string, string>)).json().error).to.equal("The gateway's request names no phone number (from, or caller).");
  });

  it("keeps gateway requests in the audit log without the message, the code or the phone number", async () => {
    await audit.flush();
    const log = fs.readFileSync(audit.file, "utf8");
    expect(log).to.include('"route":"/v1/sms/inbound"');
    expect(log).to.include('"route":"/v1/ivrs"');
    for (const secret of [valid, formatShortCode(valid), "9830000001", "VERIFY", SECRET]) expect(log).to.not.include(secret);
  });

  it("without a gateway secret, the channels say they are not set up", async () => {
    const bare = await buildService({ db, status: { indexed: 1, head: 1 }, deployment: chain.suite.deployment, provider: hre.ethers.provider, keccak: await loadKeccak() });
    const body = JSON.stringify({ from: "+919830000009", text: valid });
    const answer = await bare.inject({ method: "POST", url: "/v1/sms/inbound", payload: body, headers: { "content-type": "application/json", ...signed(body) } });
    expect([answer.statusCode, answer.json().error]).to.deep.equal([503, "SMS and IVRS are not set up on this service (it has no gateway secret)."]);
    await bare.close();
  });
});
