/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
// Functions passed to page.evaluate run in the browser, on its DOM.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { brotliCompressSync } from "node:zlib";
import { expect } from "chai";
import type { FastifyInstance } from "fastify";
import hre from "hardhat";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { redact } from "../src/certificates/document";
import { certificateLink } from "../src/certificates/link";
import { certificateCode, codeSlotOf, formatShortCode, titleCode } from "../src/codes/short-code";
import { loadKeccak } from "../src/hashing/keccak";
import type { Database } from "../src/index/database";
import { LandClient } from "../src/land/client";
import { makeExtract, type TitleExtract } from "../src/land/extract";
import { extractLink } from "../src/land/extract-link";
import { titleHistory } from "../src/land/history";
import { DirectoryClient } from "../src/directory/client";
import { OrganisationProfiles } from "../src/directory/profiles";
import { qrModules, qrSvg } from "../src/io/qr-code";
import { PAGE_FOLDER } from "../src/service/routes/page";
import { axeViolations, BROWSER_ARTIFACTS, launchChromium, VIEWPORTS } from "./helpers/browser";
import { WBU_METADATA } from "./fixtures";
import { busyChain, indexedService, ULPIN } from "./helpers/busy-chain";
import { qrVideo, scanPdfPage } from "./helpers/qr";

type Chain = Awaited<ReturnType<typeof busyChain>>;

interface Shown {
  readonly outcome: string | null;
  readonly steps: Array<[string, string]>;
  readonly text: string;
}

/** What a person sees of the verdict: its outcome, each step's state, and all its words. */
async function shown(page: Page): Promise<Shown> {
  await page.waitForSelector("#result .banner");
  return page.evaluate(() => ({
    outcome: document.querySelector("#result .banner")!.getAttribute("data-outcome"),
    steps: [...document.querySelectorAll<HTMLElement>("#result .steps li")].map((li) => [li.dataset.step!, li.dataset.state!] as [string, string]),
    text: (document.querySelector("#result") as HTMLElement).innerText,
  }));
}

describe("the public verification page, in Chromium", function () {
  this.timeout(300_000);
  let chain: Chain;
  let db: Database;
  let app: FastifyInstance;
  let base: string;
  let browser: Browser;
  let extract: TitleExtract;
  const profiles = fs.mkdtempSync(path.join(os.tmpdir(), "sakshya-profiles-"));

  before(async () => {
    if (!fs.existsSync(path.join(PAGE_FOLDER, "index.html"))) throw new Error("The page is not built: npm run build.");
    chain = await busyChain();
    // The university's public metadata file, as it was onboarded: the page names it from this, in either language.
    // A file no organisation's hash matches names nobody.
    fs.writeFileSync(path.join(profiles, "wbu.json"), WBU_METADATA);
    fs.writeFileSync(path.join(profiles, "stranger.json"), JSON.stringify({ name: "Not On Chain" }));
    const land = new LandClient(chain.suite.deployment, hre.ethers.provider);
    const head = await hre.ethers.provider.getBlock("latest");
    extract = makeExtract(await titleHistory(land, new DirectoryClient(chain.suite.deployment, hre.ethers.provider), ULPIN, Math.floor(Date.now() / 1000)), {
      chainId: chain.suite.deployment.chainId,
      registry: land.address,
      block: head!.number,
      blockHash: head!.hash!,
    });
    ({ db, app } = await indexedService(chain.suite.deployment, { profiles: OrganisationProfiles.load(profiles) }));
    base = await app.listen({ host: "127.0.0.1", port: 0 });
    browser = await launchChromium();
    fs.mkdirSync(BROWSER_ARTIFACTS, { recursive: true });
  });

  after(async () => {
    await browser?.close();
    await app?.close();
    await db?.close();
  });

  it("is served by the service itself under a strict content policy, and weighs under 200 KB compressed", async () => {
    const page = await fetch(`${base}/`, { headers: { "accept-encoding": "br" } });
    expect(page.headers.get("content-security-policy")).to.match(/default-src 'none'; script-src 'self' 'wasm-unsafe-eval'/);
    expect(page.headers.get("content-security-policy")).to.include("frame-ancestors 'none'");
    expect(page.headers.get("x-content-type-options")).to.equal("nosniff");
    const html = await page.text();
    const assets = [...html.matchAll(/assets\/([\w.-]+)/g)].map((m) => m[1]);
    expect(assets.some((a) => a.endsWith(".js")) && assets.some((a) => a.endsWith(".css"))).to.equal(true);
    let total = brotliCompressSync(html).length;
    for (const asset of new Set(assets)) {
      const answer = await fetch(`${base}/assets/${asset}`);
      expect(answer.status, asset).to.equal(200);
      expect(answer.headers.get("cache-control")).to.equal("public, max-age=31536000, immutable");
      total += brotliCompressSync(Buffer.from(await answer.arrayBuffer())).length;
    }
    expect(total).to.be.below(200 * 1024);
    expect((await fetch(`${base}/assets/nothing.js`)).status).to.equal(404);
    expect((await fetch(`${base}/assets/sizes.json`)).status, "the build's size report is not served").to.equal(404);
    const again = await fetch(`${base}/`, { headers: { "if-none-match": page.headers.get("etag")! } });
    expect(again.status, "an unchanged page is not sent again").to.equal(304);
  });

  it("draws Bengali with its own font on a machine that has no Bengali font, and with the machine's own where it has one", async () => {
    // A machine as a Debian desktop without fonts-beng-extra: fontconfig sees Latin fonts only.
    const folder = fs.mkdtempSync(path.join(os.tmpdir(), "sakshya-fonts-"));
    const config = path.join(folder, "fonts.conf");
    fs.writeFileSync(config, `<?xml version="1.0"?><fontconfig><dir>/usr/share/fonts/truetype/dejavu</dir><dir>/usr/share/fonts/truetype/liberation</dir><cachedir>${folder}/cache</cachedir></fontconfig>`);
    /** The fonts that drew the heading and the language switch in Bengali, and whether the page's font was fetched. */
    const bengaliOn = async (target: Browser, screenshot?: string) => {
      const context = await target.newContext(VIEWPORTS.desktop);
      const page = await context.newPage();
      let fetched = false;
      page.on("request", (request) => (fetched ||= request.url().endsWith(".woff2")));
      await page.goto(`${base}/`);
      await page.click('#languages button[lang="bn"]');
      await page.waitForFunction(() => document.fonts.status === "loaded");
      const cdp = await context.newCDPSession(page);
      await cdp.send("DOM.enable");
      await cdp.send("CSS.enable");
      const { root } = await cdp.send("DOM.getDocument");
      const drawnBy = async (selector: string) => {
        const { nodeId } = await cdp.send("DOM.querySelector", { nodeId: root.nodeId, selector });
        // Spaces come from a Latin font; every Bengali letter from the one font named here.
        return (await cdp.send("CSS.getPlatformFontsForNode", { nodeId })).fonts.filter((f) => f.glyphCount > 5 || !/DejaVu|Liberation/.test(f.familyName)).map((f) => f.familyName);
      };
      const fonts = { heading: await drawnBy("h1"), switch: await drawnBy('#languages button[lang="bn"]') };
      if (screenshot) await page.screenshot({ path: path.join(BROWSER_ARTIFACTS, screenshot) });
      await context.close();
      return { fonts, fetched };
    };
    const bare = await launchChromium([], { ...process.env, FONTCONFIG_FILE: config });
    try {
      expect(await bengaliOn(bare, "desktop-bengali-without-system-font.png")).to.deep.equal({ fonts: { heading: ["Noto Sans Bengali"], switch: ["Noto Sans Bengali"] }, fetched: true });
    } finally {
      await bare.close();
    }
    expect(await bengaliOn(browser), "the machine's Bengali font, nothing fetched").to.deep.equal({ fonts: { heading: ["Lohit Bengali"], switch: ["Lohit Bengali"] }, fetched: false });
  });

  it("scans a QR code with the phone's camera (Chromium's fake camera showing a printed code) and shows the verdict", async () => {
    const video = path.join(os.tmpdir(), `sakshya-qr-${process.pid}.y4m`);
    qrVideo(qrModules(certificateLink(chain.batch.certificate(0), `${base}/`)), video);
    const withCamera = await launchChromium(["--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream", `--use-file-for-fake-video-capture=${video}`]);
    try {
      const context = await withCamera.newContext({ ...VIEWPORTS.phone, locale: "en-IN", permissions: ["camera"] });
      const page = await context.newPage();
      await page.goto(`${base}/`);
      await page.click("#scan");
      const verdict = await shown(page);
      expect(verdict.outcome).to.equal("valid");
      expect(await page.isHidden("#camera"), "the camera is stopped once a code is read").to.equal(true);
      await page.screenshot({ path: path.join(BROWSER_ARTIFACTS, "phone-camera-scan.png"), fullPage: true });
      await context.close();
    } finally {
      await withCamera.close();
      fs.rmSync(video, { force: true });
    }
  });

  for (const [device, options] of Object.entries(VIEWPORTS)) {
    describe(`on a ${device}`, () => {
      let context: BrowserContext;
      let page: Page;
      let problems: string[];

      beforeEach(async () => {
        context = await browser.newContext({ ...options, locale: "en-IN" });
        page = await context.newPage();
        problems = [];
        page.on("console", (message) => {
          if (message.type() === "error") problems.push(message.text());
        });
        page.on("pageerror", (error) => problems.push(error.message));
      });

      afterEach(async function () {
        const name = this.currentTest!.title.replace(/[^a-z0-9]+/gi, "-").slice(0, 60);
        await page.screenshot({ path: path.join(BROWSER_ARTIFACTS, `${device}-${name}.png`), fullPage: true });
        await context.close();
      });

      /** Every state a person reaches is checked by axe-core, and the page logs no error (a CSP refusal would be one). */
      async function accessible(): Promise<void> {
        expect(await axeViolations(page)).to.deep.equal([]);
        expect(problems.filter((p) => !p.includes("net::ERR_FAILED") && !p.includes("Failed to load resource"))).to.deep.equal([]);
      }

      async function open(hash = ""): Promise<void> {
        await page.goto(`${base}/${hash}`);
        await page.waitForSelector("#languages button");
      }

      async function drop(name: string, json: unknown): Promise<Shown> {
        await page.setInputFiles("#file", { name, mimeType: "application/json", buffer: Buffer.from(JSON.stringify(json)) });
        return shown(page);
      }

      const certificate = (index: number) => chain.batch.certificate(index);

      it("starts with the three ways in, labelled, reachable by keyboard, and no violations", async () => {
        await open();
        expect(await page.textContent("h1")).to.equal("Verify a certificate or land title");
        expect(await page.textContent(".privacy")).to.include("only the issuer, the batch and the document number are sent");
        const focused: string[] = [];
        for (let i = 0; i < 6; i++) {
          await page.keyboard.press("Tab");
          focused.push(await page.evaluate(() => document.activeElement?.id || document.activeElement?.textContent || ""));
        }
        expect(focused.slice(0, 5)).to.deep.equal(["English", "বাংলা", "file", "scan", "photo"]);
        await accessible();
      });

      it("a genuine certificate: every step passed, the issuer named, its fields shown", async () => {
        await open();
        const verdict = await drop("asha.json", certificate(0));
        expect(verdict.outcome).to.equal("valid");
        expect(verdict.steps).to.deep.equal(["file", "registry", "integrity", "proof", "issuer", "status", "expiry"].map((s) => [s, "pass"]));
        expect(verdict.text).to.include("Genuine and valid");
        expect(verdict.text).to.include("West Bengal University, an active university in the state's directory.");
        expect(verdict.text).to.include("Does not expire.");
        expect(verdict.text).to.match(/Name\s+Asha Roy/);
        expect(await page.getAttribute("[data-code]", "data-code"), "the document's short code is shown").to.equal(certificateCode(1, codeSlotOf(chain.root), 0));
        await accessible();
      });

      it("a tampered certificate: the text check fails and nothing after it is claimed", async () => {
        await open();
        const tampered = { ...certificate(2), fields: { ...certificate(2).fields, cgpa: 9.9 } };
        const verdict = await drop("tampered.json", tampered);
        expect(verdict.outcome).to.equal("invalid");
        expect(verdict.steps.slice(0, 4)).to.deep.equal([
          ["file", "pass"],
          ["registry", "pass"],
          ["integrity", "fail"],
          ["proof", "skipped"],
        ]);
        expect(verdict.text).to.include("The text was changed after it was issued.");
        await accessible();
      });

      it("a revoked certificate: invalid, with the reason in plain words", async () => {
        await open();
        const verdict = await drop("bikash.json", certificate(1));
        expect(verdict.outcome).to.equal("invalid");
        expect(verdict.steps.find(([s]) => s === "status")).to.deep.equal(["status", "fail"]);
        expect(verdict.text).to.include("Revoked: misconduct.");
        await accessible();
      });

      it("a redacted certificate: still valid, and it says a field was hidden", async () => {
        await open();
        const verdict = await drop("redacted.json", redact(certificate(0), ["cgpa"], await loadKeccak()));
        expect(verdict.outcome).to.equal("valid");
        expect(verdict.text).to.include("The holder has hidden 1 field. What is shown is still proven.");
        expect(verdict.text).to.not.match(/Cgpa/);
        await accessible();
      });

      it("a file that is not a certificate fails at the first step", async () => {
        await open();
        const verdict = await drop("notes.json", { hello: "world" });
        expect(verdict.outcome).to.equal("invalid");
        expect(verdict.steps[0]).to.deep.equal(["file", "fail"]);
        expect(verdict.text).to.include("This is not a Sakshya certificate");
        await accessible();
      });

      it("the link a QR code carries opens straight to the verdict, the certificate never sent to the service", async () => {
        const sent: string[] = [];
        page.on("request", (request) => sent.push(`${request.url()} ${request.postData() ?? ""}`));
        const link = certificateLink(certificate(0), `${base}/`);
        await page.goto(link);
        const verdict = await shown(page);
        expect(verdict.outcome).to.equal("valid");
        expect(sent.join("\n")).to.not.include("Asha");
        expect(sent.some((s) => s.includes("#C1."))).to.equal(false);
        expect(sent.find((s) => s.includes("/v1/certificates/check"))).to.match(/\{"documents":\[\{"issuer":"wbu","root":"0x[0-9a-f]{64}","index":0\}\]\}$/);
        await accessible();
      });

      it("a photo of the QR code: read on the device, then checked", async () => {
        const svg = qrSvg(qrModules(certificateLink(certificate(0), `${base}/`)));
        const printer = await context.newPage();
        await printer.setContent(`<body style="margin:40px;background:#fff"><p style="font:20px serif">Degree — scan to verify</p><div style="width:420px">${svg.replace("<svg ", '<svg style="width:420px;height:420px" ')}</div></body>`);
        const photo = await printer.screenshot({ fullPage: true });
        await printer.close();
        await open();
        await page.setInputFiles("#photo", { name: "photo.png", mimeType: "image/png", buffer: photo });
        expect((await shown(page)).outcome).to.equal("valid");
        await accessible();
      });

      it("a photo without a Sakshya code says so, and checks nothing", async () => {
        const printer = await context.newPage();
        await printer.setContent(`<div style="width:300px;height:300px;background:#fff">${qrSvg(qrModules("https://example.com/menu"))}</div>`);
        const photo = await printer.screenshot();
        await printer.close();
        await open();
        await page.setInputFiles("#photo", { name: "menu.png", mimeType: "image/png", buffer: photo });
        await page.waitForSelector("#notice:not([hidden])");
        expect(await page.textContent("#notice")).to.equal("This QR code is not a Sakshya certificate or title extract.");
        expect(await page.isHidden("#result")).to.equal(true);
        await accessible();
      });

      it("a title extract: genuine and current, with its parcel; edited, not genuine", async () => {
        await open();
        const verdict = await drop("extract.json", extract);
        expect(verdict.outcome).to.equal("valid");
        expect(verdict.steps.map(([, state]) => state)).to.deep.equal(["pass", "pass", "pass", "pass"]);
        expect(verdict.text).to.include(`Parcel ${ULPIN} was exactly like this at version 2.`);
        expect(verdict.text).to.match(/ULPIN\s+WB170400000001/);
        await accessible();
        await page.click("#result button");
        const edited = await drop("edited.json", { ...extract, parcel: { ...extract.parcel, area: extract.parcel.area * 2 } });
        expect(edited.outcome).to.equal("invalid");
        expect(edited.steps[2]).to.deep.equal(["parcel", "fail"]);
      });

      it("the link on a title extract's QR code opens on its verdict", async () => {
        await page.goto(extractLink(extract, `${base}/`));
        const verdict = await shown(page);
        expect(verdict.outcome).to.equal("valid");
        expect(verdict.text).to.include("Nothing has changed since; the parcel is active.");
        await accessible();
      });

      it("a verification code typed in: the registry's word, and a note that a code cannot show what the certificate says", async () => {
        await open();
        await page.fill("#code", formatShortCode(certificateCode(1, codeSlotOf(chain.root), 1)));
        await page.click("#code-form button[type=submit]");
        const verdict = await shown(page);
        expect(verdict.outcome).to.equal("invalid");
        expect(verdict.steps).to.deep.equal([
          ["code", "pass"],
          ["issuer", "pass"],
          ["status", "fail"],
          ["expiry", "skipped"],
        ]);
        expect(verdict.text).to.include("Revoked: misconduct.");
        expect(verdict.text).to.include("It cannot show what the certificate says");
        await accessible();
      });

      it("a mistyped code is caught on the device and never sent; a title extract's code says whether it is current", async () => {
        const asked: string[] = [];
        page.on("request", (request) => asked.push(request.url()));
        await open();
        const good = certificateCode(1, codeSlotOf(chain.root), 0);
        await page.fill("#code", good.slice(0, -1) + String((Number(good.at(-1)) + 1) % 10));
        await page.press("#code", "Enter");
        const typo = await shown(page);
        expect(typo.steps).to.deep.equal([["code", "fail"]]);
        expect(typo.text).to.include("This verification code is mistyped");
        expect(asked.some((url) => url.includes("/v1/codes/"))).to.equal(false);
        await accessible();
        await page.click("#result button");
        await page.fill("#code", titleCode(1, 1));
        await page.click("#code-form button[type=submit]");
        const title = await shown(page);
        expect(title.outcome).to.equal("outdated");
        expect(title.text).to.include("The parcel has changed since: it is now at version 2");
        await page.click("#result button");
        await page.fill("#code", titleCode(1, 9));
        await page.click("#code-form button[type=submit]");
        expect((await shown(page)).text).to.include("No certificate or title extract has this code.");
      });

      it("a valid certificate prints on A4 with its QR code, which leads back to its verdict", async () => {
        await open();
        await drop("asha.json", certificate(0));
        expect(await page.isVisible("#print")).to.equal(true);
        await page.emulateMedia({ media: "print" });
        const pdf = path.join(BROWSER_ARTIFACTS, `${device}-printed-copy.pdf`);
        await page.pdf({ path: pdf, format: "A4", printBackground: true });
        expect(scanPdfPage(pdf)).to.equal(certificateLink(certificate(0), `${base}/`));
        execFileSync("pdftoppm", ["-png", "-r", "60", "-singlefile", "-f", "1", "-l", "1", pdf, pdf.replace(/\.pdf$/, "")]);
        await page.emulateMedia({ media: "screen" });
      });

      it("the registry down: 'could not check', never 'invalid', and the checks done on the device still shown", async () => {
        await page.route("**/v1/certificates/check", (route) => route.abort("connectionrefused"));
        await open();
        const verdict = await drop("asha.json", certificate(0));
        expect(verdict.outcome).to.equal("could-not-check");
        expect(verdict.steps).to.deep.equal([
          ["file", "pass"],
          ["registry", "pass"],
          ["integrity", "pass"],
          ["proof", "pass"],
          ["issuer", "unknown"],
          ["status", "unknown"],
          ["expiry", "unknown"],
        ]);
        expect(verdict.text).to.include("This does not mean the document is false");
        expect(verdict.text).to.include("The registry service did not answer.");
        await accessible();
      });

      it("the service unreachable from the start: the file is still checked against itself", async () => {
        await page.route("**/v1/**", (route) => route.abort("connectionrefused"));
        await open();
        const verdict = await drop("asha.json", certificate(0));
        expect(verdict.outcome).to.equal("could-not-check");
        expect(verdict.steps.map(([, state]) => state)).to.deep.equal(["pass", "unknown", "pass", "pass", "unknown", "unknown", "unknown"]);
        await accessible();
      });

      it("in Bengali: every word switches, dates in Bengali, the issuer by its Bengali name", async () => {
        await open();
        await page.click('#languages button[lang="bn"]');
        expect(await page.getAttribute("html", "lang")).to.equal("bn");
        expect(await page.textContent("h1")).to.equal("সার্টিফিকেট বা জমির খতিয়ান যাচাই করুন");
        const verdict = await drop("asha.json", certificate(0));
        expect(verdict.text).to.include("আসল ও বৈধ");
        expect(verdict.text).to.include("পশ্চিমবঙ্গ বিশ্ববিদ্যালয়, রাজ্যের তালিকায় একটি সক্রিয় বিশ্ববিদ্যালয়।");
        expect(verdict.text).to.match(/[০-৯]{4} তারিখে প্রদত্ত/);
        await accessible();
        await page.screenshot({ path: path.join(BROWSER_ARTIFACTS, `${device}-bengali-verdict.png`), fullPage: true });
        // Switching back rewrites the verdict already shown.
        await page.click('#languages button[lang="en"]');
        expect((await shown(page)).text).to.include("Genuine and valid");
      });
    });
  }
});
