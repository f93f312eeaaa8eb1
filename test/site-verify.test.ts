import { createHash } from "node:crypto";
import fs from "node:fs";
import { gzipSync } from "node:zlib";
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { expect } from "chai";
import fc from "fast-check";
import { AlertSinks } from "../src/websites/alerts";
import { pageReferences } from "../src/websites/html";
import { writeSubresourceIntegrity } from "../src/websites/integrity";
import { SiteLocation } from "../src/websites/location";
import { walkFiles } from "../src/io/walk";
import { WELL_KNOWN_MANIFEST, siteIdOf } from "../src/websites/manifest";
import { monitorSite, type MonitorEvent } from "../src/websites/monitor";
import { reportLines, type FileFinding, type SiteReport } from "../src/websites/report";
import { serveFolder, type Intercept, type StaticServer } from "../src/websites/static-server";
import { verifyFolder, verifyServed } from "../src/websites/verify";
import { rejects } from "./fixtures";
import { SAMPLE_PORTAL, siteFolder, siteSuite } from "./helpers/sites";

const SITE = "it.wb.gov.in";
const states = (report: SiteReport) => Object.fromEntries(report.files.filter((f) => f.state !== "ok").map((f) => [f.path, f.state]));
/** A loopback port nothing listens on. */
async function closedPort(): Promise<number> {
  const probe = http.createServer();
  await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

const finding = (report: SiteReport, file: string): FileFinding | undefined => report.files.find((f) => f.path === file);

describe("site verification", function () {
  this.timeout(300_000);
  let suite: Awaited<ReturnType<typeof siteSuite>>;
  let portal: string;
  let server: StaticServer;
  let intercept: Intercept | undefined;

  before(async () => {
    suite = await siteSuite();
    portal = siteFolder({});
    fs.cpSync(SAMPLE_PORTAL, portal, { recursive: true });
    writeSubresourceIntegrity(walkFiles(portal), SITE);
    await suite.release(portal, SITE, "2026.11.1", ["news/**"]);
    server = await serveFolder(portal, { intercept: (p, r) => intercept?.(p, r) ?? false });
  });
  after(async () => server.close());
  afterEach(() => {
    intercept = undefined;
  });

  const served = (options: Parameters<typeof verifyServed>[1] = {}) => verifyServed(server.url, { site: SITE, timeoutMs: 2_000, ...options }, suite.reader, suite.keccak);
  /** Changes a file of the served portal for the duration of `check`. */
  async function whileChanged<T>(file: string, content: string | null, check: () => Promise<T>): Promise<T> {
    const target = path.join(portal, file);
    const original = fs.existsSync(target) ? fs.readFileSync(target) : null;
    if (content === null) fs.rmSync(target);
    else fs.writeFileSync(target, content);
    try {
      return await check();
    } finally {
      if (original) fs.writeFileSync(target, original);
      else fs.rmSync(target, { force: true });
    }
  }

  describe("a served site", () => {
    it("matches its release: every file, each folder's address, the manifest copy; uncovered pages found by following links", async () => {
      const report = await served();
      expect(report.verdict, report.summary).to.equal("clean");
      expect(report.summary).to.equal("it.wb.gov.in matches release 1 (2026.11.1): 6 files verified (and 2 folder addresses), 2 not covered by the release.");
      expect(report.manifest).to.deep.include({ state: "ok", path: `${server.url}${WELL_KNOWN_MANIFEST}` });
      expect(report.files.map((f) => f.path)).to.include.members(["index.html", "about/index.html", "/", "about/", "css/site.css"]);
      expect(states(report)).to.deep.equal({ "news/index.html": "not-covered", "news/2026-11-20.html": "not-covered" });
      expect(report.injected).to.deep.equal([]);
      expect(report.release).to.deep.include({ id: 1, version: "2026.11.1" });
    });

    it("names a defaced page, a deleted file, a file that redirects elsewhere, and what the defacer injected", async () => {
      const defaced = '<html><body><h1>Hacked</h1><script src="https://evil.example/x.js"></script><iframe src="/phish.html"></iframe><form action="https://evil.example/collect"></form><link rel="stylesheet" href="../css/site.css"><a href="https://example.org/elsewhere">x</a></body></html>';
      intercept = (p, r) => (p === "/images/emblem.svg" ? (r.writeHead(302, { location: "https://evil.example/emblem.svg" }), r.end(), true) : false);
      const report = await whileChanged("services/certificates.html", defaced, () => whileChanged("js/app.js", null, () => served()));
      expect(report.verdict).to.equal("tampered");
      expect(states(report)).to.deep.include({ "services/certificates.html": "modified", "js/app.js": "missing", "images/emblem.svg": "redirected" });
      expect(finding(report, "images/emblem.svg")?.detail).to.equal("https://evil.example/emblem.svg");
      expect(reportLines(report)).to.include("✗ 1 path redirects to another site, https://evil.example (e.g. images/emblem.svg → https://evil.example/emblem.svg); not followed");
      expect(report.injected).to.deep.equal([
        { page: "services/certificates.html", kind: "script", url: "https://evil.example/x.js" },
        { page: "services/certificates.html", kind: "frame", url: `${server.url}phish.html` },
        { page: "services/certificates.html", kind: "form", url: "https://evil.example/collect" },
      ]);
      expect(report.summary).to.equal("it.wb.gov.in does not match release 1 (2026.11.1): 1 modified, 1 missing, 1 redirected, 1 injected script, 1 injected frame, 1 injected form.");
    });

    it("checks pages under an exclusion for scripts, frames and forms, but lets their text and images change", async () => {
      const news = "news/2026-11-20.html";
      const text = fs.readFileSync(path.join(portal, news), "utf8");
      const edited = text.replace("</body>", '<p>Updated.</p><img src="https://images.example/photo.jpg"><script src="../js/app.js"></script></body>');
      expect((await whileChanged(news, edited, () => served())).verdict).to.equal("clean");
      const injected = text.replace("</body>", '<script src="https://cdn.evil.example/miner.js"></script><script src="/news/miner.js"></script></body>');
      const report = await whileChanged(news, injected, () => served());
      expect(report.injected).to.deep.equal([
        { page: news, kind: "script", url: "https://cdn.evil.example/miner.js" },
        { page: news, kind: "script", url: `${server.url}news/miner.js` },
      ]);
    });

    it("is unchecked, never tampered, when files time out, the server fails or nobody answers", async () => {
      intercept = (p, r) => {
        if (p === "/css/site.css") return r.writeHead(503).end(), true;
        if (p === "/js/app.js") return true; // never answers
        return false;
      };
      const report = await served({ timeoutMs: 500 });
      expect(report.verdict).to.equal("unchecked");
      expect(finding(report, "css/site.css")).to.deep.equal({ path: "css/site.css", state: "unreachable", detail: "the server answered 503 Service Unavailable" });
      expect(finding(report, "js/app.js")).to.deep.equal({ path: "js/app.js", state: "unreachable", detail: "no answer within 0.5 s" });
      expect(report.summary).to.match(/^Could not check 2 file\(s\) of it.wb.gov.in \(the server answered 503 Service Unavailable\); the 4 checked match release 1/);

      const closed = await closedPort();
      const refused = await verifyServed(`http://127.0.0.1:${closed}/`, { site: SITE }, suite.reader, suite.keccak);
      expect([refused.verdict, refused.summary]).to.deep.equal(["unchecked", `Could not fetch it.wb.gov.in's manifest at http://127.0.0.1:${closed}/.well-known/sakshya-manifest.json: the connection was refused.`]);
      // A difference found elsewhere still makes the verdict.
      intercept = (p, r) => (p === "/css/site.css" ? (r.writeHead(500).end(), true) : false);
      expect((await whileChanged("js/app.js", "alert(1)", () => served())).verdict).to.equal("tampered");
    });

    it("follows redirects within the site, reads compressed answers, and gives up on a server that trickles", async () => {
      const css = fs.readFileSync(path.join(portal, "css", "site.css"));
      intercept = (p, r) => {
        if (p === "/css/site.css") return r.writeHead(301, { location: "/css//site.css" }).end(), true;
        if (p === "/js/app.js") return r.writeHead(200, { "content-encoding": "gzip" }).end(gzipSync(fs.readFileSync(path.join(portal, "js", "app.js")))), true;
        return false;
      };
      const server2 = await serveFolder(portal, {
        intercept: (p, r) => {
          if (p !== "/css/site.css") return false;
          r.writeHead(200);
          r.write(css.subarray(0, 10)); // then nothing more: each byte resets an idle timer, never the deadline
          const drip = setInterval(() => r.write(" "), 100);
          r.on("close", () => clearInterval(drip));
          return true;
        },
      });
      try {
        expect((await served()).verdict).to.equal("clean");
        const slow = await verifyServed(server2.url, { site: SITE, timeoutMs: 600 }, suite.reader, suite.keccak);
        expect([slow.verdict, finding(slow, "css/site.css")?.detail]).to.deep.equal(["unchecked", "no answer within 0.6 s"]);
      } finally {
        await server2.close();
      }
    });

    it("refuses a served manifest that is another site's, another release's, or not a manifest", async () => {
      const manifestFile = path.join(portal, WELL_KNOWN_MANIFEST);
      const own = fs.readFileSync(manifestFile, "utf8");
      const other = siteFolder({ "index.html": "<h1>Police</h1>" });
      const { text: police } = await suite.release(other, "police.wb.gov.in", "p1");
      let report = await whileChanged(WELL_KNOWN_MANIFEST, police, () => served());
      expect([report.verdict, report.summary]).to.deep.equal(["tampered", `The manifest at ${server.url}${WELL_KNOWN_MANIFEST} is not the current release's: it is the manifest of police.wb.gov.in, not of it.wb.gov.in.`]);
      report = await whileChanged(WELL_KNOWN_MANIFEST, "<html>not found</html>", () => served());
      expect(report.summary).to.match(/is not the current release's: .* is not a site manifest: it is not JSON\.$/);
      const forged = own.replace('"release": "2026.11.1"', '"release": "2026.11.9"');
      report = await whileChanged(WELL_KNOWN_MANIFEST, forged, () => served());
      expect(report.summary).to.match(/it is not the manifest of any release of it.wb.gov.in on chain\.$/);
      expect(report.manifest?.state).to.equal("modified");

      report = await whileChanged(WELL_KNOWN_MANIFEST, null, () => served());
      expect([report.verdict, report.summary]).to.deep.equal(["unchecked", `it.wb.gov.in has no manifest at ${server.url}${WELL_KNOWN_MANIFEST}; give the current release's manifest with --manifest.`]);
      // With the manifest given, the site need not serve its own copy.
      report = await whileChanged(WELL_KNOWN_MANIFEST, null, () => served({ manifest: { text: own, source: "m.json" } }));
      expect([report.verdict, report.manifest]).to.deep.equal(["clean", undefined]);
      await rejects(served({ manifest: { text: police, source: "police.json" } }), /^police.json is the manifest of police.wb.gov.in, not of it.wb.gov.in\.$/);
      await rejects(served({ manifest: { text: forged, source: "f.json" } }), /^f.json is not the manifest of any release of it.wb.gov.in on chain\.$/);
      await rejects(verifyServed(server.url, {}, suite.reader, suite.keccak), /127.0.0.1 is an address, not the site's domain: name the site with --site/);
      await rejects(served({ site: "unknown.gov.in" }), /^No site unknown.gov.in is registered\.$/);
    });

    it("calls a site serving a revoked release tampered, and a site with no current release unchecked", async () => {
      const dir = siteFolder({ "index.html": "<h1>Transport</h1>" });
      const site = "transport.wb.gov.in";
      const first = await suite.release(dir, site, "t1");
      fs.writeFileSync(path.join(dir, "index.html"), "<h1>Transport, new</h1>");
      const second = await suite.release(dir, site, "t2");
      const server2 = await serveFolder(dir);
      try {
        const check = () => verifyServed(server2.url, { site }, suite.reader, suite.keccak);
        expect((await check()).verdict).to.equal("clean");
        await suite.publisher.revoke(siteIdOf(site), second.releaseId, 1);
        expect((await check()).summary).to.equal(`The manifest at ${server2.url}${WELL_KNOWN_MANIFEST} is not the current release's: it is the manifest of release 2 (t2), revoked for key-compromise.`);
        await rejects(verifyServed(server2.url, { site, manifest: { text: second.text, source: "t2.json" } }, suite.reader, suite.keccak), /^t2.json is the manifest of release 2 \(t2\), revoked for key-compromise; check against the current release's manifest\.$/);
        await suite.publisher.rollback(siteIdOf(site), first.releaseId);
        expect((await check()).summary).to.match(/it is the manifest of release 2 \(t2\), revoked for key-compromise\.$/);
        await suite.publisher.revoke(siteIdOf(site), first.releaseId, 2);
        const none = await verifyFolder(dir, { manifest: { text: first.text, source: "t1.json" } }, suite.reader, suite.keccak).catch((e: Error) => e.message);
        expect(none).to.equal("t1.json is the manifest of release 1 (t1), revoked for tampered; check against the current release's manifest.");
        fs.writeFileSync(path.join(dir, WELL_KNOWN_MANIFEST), first.text.replace('"t1"', '"t3"'));
        const unanchored = await verifyFolder(dir, { site }, suite.reader, suite.keccak);
        expect([unanchored.verdict, unanchored.summary]).to.deep.equal(["unchecked", "transport.wb.gov.in has no current release on chain to check against."]);
      } finally {
        await server2.close();
      }
    });
  });

  describe("a build folder", () => {
    it("lists every modified, missing, unexpected and uncovered file, and what changed pages inject", async () => {
      const dir = siteFolder({});
      fs.cpSync(portal, dir, { recursive: true });
      expect((await verifyFolder(dir, {}, suite.reader, suite.keccak)).verdict).to.equal("clean");
      fs.appendFileSync(path.join(dir, "css", "site.css"), "body{background:red}");
      fs.rmSync(path.join(dir, "js", "app.js"));
      fs.writeFileSync(path.join(dir, "shell.php"), "<?php ?>");
      fs.writeFileSync(path.join(dir, "about", "index.html"), '<script src="https://evil.example/a.js"></script>');
      const report = await verifyFolder(dir, {}, suite.reader, suite.keccak);
      expect(states(report)).to.deep.equal({
        "about/index.html": "modified",
        "css/site.css": "modified",
        "js/app.js": "missing",
        "news/2026-11-20.html": "not-covered",
        "news/index.html": "not-covered",
        "shell.php": "unexpected",
      });
      expect(report.injected).to.deep.equal([{ page: "about/index.html", kind: "script", url: "https://evil.example/a.js" }]);
      expect(report.summary).to.equal("it.wb.gov.in does not match release 1 (2026.11.1): 2 modified, 1 missing, 1 unexpected, 1 injected script.");
      fs.rmSync(path.join(dir, WELL_KNOWN_MANIFEST));
      await rejects(verifyFolder(dir, {}, suite.reader, suite.keccak), /has no \.well-known\/sakshya-manifest\.json: name the site with --site and give its manifest with --manifest\./);
    });

    it("reports any single-byte change, added file or removed file, and verifies an untouched site (property)", async () => {
      let run = 0;
      // Folder names have no dot and file names do, so no name is both.
      const names = fc.stringMatching(/^[a-z0-9]{1,8}(\/[a-z0-9]{1,8}){0,2}\.(html|css|js|txt)$/);
      await fc.assert(
        fc.asyncProperty(
          fc.dictionary(names, fc.uint8Array({ minLength: 1, maxLength: 200 }), { minKeys: 1, maxKeys: 8 }),
          fc.nat(),
          fc.nat(),
          fc.constantFrom("byte", "added", "removed", "untouched"),
          async (entries, pick, offset, change) => {
            const paths = Object.keys(entries);
            // Every run is a new release: a content the registry has seen would be an older release, not the current one.
            const dir = siteFolder({ ...Object.fromEntries(paths.map((p) => [p, entries[p]])), "run-id": String(++run) });
            await suite.release(dir, "property.wb.gov.in", `run-${run}`);
            const target = paths[pick % paths.length];
            if (change === "byte") {
              const bytes = Buffer.from(entries[target]);
              bytes[offset % bytes.length] ^= 1 + (offset % 255);
              fs.writeFileSync(path.join(dir, target), bytes);
            } else if (change === "added") fs.writeFileSync(path.join(dir, "added-file.bin"), "x");
            else if (change === "removed") fs.rmSync(path.join(dir, target));
            const expected = { byte: { [target]: "modified" }, added: { "added-file.bin": "unexpected" }, removed: { [target]: "missing" }, untouched: {} }[change];
            const report = await verifyFolder(dir, {}, suite.reader, suite.keccak);
            expect(states(report)).to.deep.equal(expected);
            expect(report.verdict).to.equal(change === "untouched" ? "clean" : "tampered");
            if (change !== "added") {
              const site = await serveFolder(dir);
              try {
                const overHttp = await verifyServed(site.url, { site: "property.wb.gov.in" }, suite.reader, suite.keccak);
                const files = Object.fromEntries(Object.entries(states(overHttp)).filter(([file]) => !file.endsWith("/"))); // folder addresses repeat index pages
                expect(files).to.deep.equal(expected);
              } finally {
                await site.close();
              }
            }
            fs.rmSync(dir, { recursive: true });
          },
        ),
        { numRuns: 40 },
      );
    });
  });

  describe("the monitor", () => {
    it("alerts from the first differing check until the site matches again, never adopting a changed site, and follows a new release", async () => {
      const dir = siteFolder({ "index.html": '<h1>Health</h1><a href="news/a.html">news</a>', "news/a.html": "<p>news</p>" });
      const site = "health.wb.gov.in";
      const original = await suite.release(dir, site, "h1", ["news/**"]);
      const manifest = path.join(dir, WELL_KNOWN_MANIFEST);
      const server2 = await serveFolder(dir);
      const events: MonitorEvent[] = [];
      const steps: Record<number, () => Promise<void>> = {
        // Deface the page and forge a manifest that matches it: the monitor keeps the chain's.
        1: async () => {
          fs.writeFileSync(path.join(dir, "index.html"), "<h1>Hacked</h1>");
          fs.writeFileSync(manifest, fs.readFileSync(manifest, "utf8").replace('"h1"', '"h2"'));
        },
        // The manifest copy disappears as well; the page the defaced home no longer links to is still checked.
        2: async () => {
          fs.rmSync(manifest);
          fs.writeFileSync(path.join(dir, "news", "a.html"), '<script src="https://evil.example/m.js"></script>');
        },
        3: async () => {
          fs.writeFileSync(path.join(dir, "index.html"), '<h1>Health</h1><a href="news/a.html">news</a>');
          fs.writeFileSync(path.join(dir, "news", "a.html"), "<p>news</p>");
          fs.writeFileSync(manifest, original.text);
        },
        4: async () => {
          fs.writeFileSync(path.join(dir, "index.html"), "<h1>Health, new</h1>");
          await suite.release(dir, site, "h2", ["news/**"]);
        },
      };
      try {
        const last = await monitorSite(server2.url, { site, intervalMs: 50, maxChecks: 5 }, suite.reader, suite.keccak, async (event) => {
          events.push(event);
          await steps[event.check]?.();
        });
        expect(events.map((e) => [e.kind, e.streak])).to.deep.equal([["ok", 0], ["alert", 1], ["alert", 2], ["restored", 0], ["ok", 0]]);
        expect(events[1].report.manifest).to.deep.include({ state: "modified" });
        expect(states(events[1].report)).to.deep.include({ "index.html": "modified", "/": "modified" });
        expect(events[2].report.manifest).to.deep.equal({ path: `${server2.url}${WELL_KNOWN_MANIFEST}`, state: "missing", detail: "the site served it before" });
        expect(events[2].report.injected).to.deep.equal([{ page: "news/a.html", kind: "script", url: "https://evil.example/m.js" }]);
        expect(events[4].followed).to.deep.include({ version: "h2" });
        expect(last?.report.verdict).to.equal("clean");
      } finally {
        await server2.close();
      }
    });

    it("posts alerts and the restoration to a webhook and logs every check as JSON; a failing webhook only warns", async () => {
      const received: unknown[] = [];
      const hook = http.createServer((request, response) => {
        let body = "";
        request.on("data", (chunk: Buffer) => (body += chunk.toString()));
        request.on("end", () => {
          received.push(JSON.parse(body));
          response.writeHead(request.url === "/broken" ? 500 : 204).end();
        });
      });
      await new Promise<void>((resolve) => hook.listen(0, "127.0.0.1", resolve));
      const base = `http://127.0.0.1:${(hook.address() as AddressInfo).port}`;
      const log = path.join(siteFolder({}), "monitor.log");
      const warnings: string[] = [];
      try {
        const sinks = new AlertSinks({ logFile: log, webhook: `${base}/hook` }, (m) => warnings.push(m));
        const report = (verdict: SiteReport["verdict"]) => ({ target: "t", site: SITE, verdict, summary: verdict, files: [{ path: "a", state: "modified" as const }], injected: [], exclude: [], checkedAt: "2026-11-23T00:00:00.000Z", seconds: 0.1 });
        for (const [kind, verdict] of [["ok", "clean"], ["alert", "tampered"], ["restored", "clean"], ["unchecked", "unchecked"]] as const) {
          await sinks.deliver({ kind, check: 1, streak: kind === "alert" ? 1 : 0, report: report(verdict) });
        }
        expect(received.map((r) => (r as { event: string }).event)).to.deep.equal(["alert", "restored"]);
        expect(received[0]).to.deep.include({ site: SITE, verdict: "tampered", findings: [{ path: "a", state: "modified" }] });
        expect(fs.readFileSync(log, "utf8").trim().split("\n").map((l) => (JSON.parse(l) as { event: string }).event)).to.deep.equal(["ok", "alert", "restored", "unchecked"]);
        await new AlertSinks({ webhook: `${base}/broken` }, (m) => warnings.push(m)).deliver({ kind: "alert", check: 1, streak: 1, report: report("tampered") });
        await new AlertSinks({ webhook: `http://127.0.0.1:${await closedPort()}/` }, (m) => warnings.push(m)).deliver({ kind: "alert", check: 1, streak: 1, report: report("tampered") });
        expect(warnings[0]).to.equal("The webhook answered 500; the alert is in the log and on screen.");
        expect(warnings[1]).to.match(/^The webhook could not be reached \(fetch failed\)/);
      } finally {
        hook.close();
      }
    });
  });
});

describe("site pages and integrity (offline)", () => {
  it("finds scripts, stylesheets, frames, forms, resources, links, refreshes and srcsets", () => {
    const html = `<base href="/app/"><script src="a.js"></script><link rel="stylesheet" href="s.css"><link rel="icon" href="i.png"><link rel="modulepreload" href="m.js">
      <iframe src="f.html"></iframe><object data="o.swf"></object><form action="/post"></form><img src="p.png" srcset="p1.png 1x, p2.png 2x"><a href="page.html">x</a>
      <meta http-equiv="refresh" content="0; url=https://evil.example/"><link rel="canonical" href="c.html"><script>inline()</script>`;
    const { references, base } = pageReferences(html);
    expect(base).to.equal("/app/");
    expect(references.map((r) => `${r.kind} ${r.url}`)).to.deep.equal([
      "script a.js",
      "stylesheet s.css",
      "resource i.png",
      "script m.js",
      "frame f.html",
      "frame o.swf",
      "form /post",
      "resource p.png",
      "resource p1.png",
      "resource p2.png",
      "link page.html",
      "link https://evil.example/",
    ]);
  });

  it("resolves references against the page, <base>, the site's domain and its root URL", () => {
    const served = SiteLocation.served("http://127.0.0.1:8080/portal", "wb.gov.in");
    expect(served.resolve("../css/s.css", "about/index.html")).to.deep.equal({ path: "css/s.css" });
    expect(served.resolve("/portal/news/", "index.html")).to.deep.equal({ path: "news/index.html" });
    expect(served.resolve("/elsewhere.js", "index.html")).to.deep.equal({ external: "http://127.0.0.1:8080/elsewhere.js" });
    expect(served.resolve("https://www.wb.gov.in/a%20b.js?v=2#x", "index.html")).to.deep.equal({ path: "a b.js" });
    expect(served.resolve("x.js", "index.html", "https://cdn.example/lib/")).to.deep.equal({ external: "https://cdn.example/lib/x.js" });
    for (const ignored of ["#top", "mailto:a@b.in", "javascript:void(0)", "data:image/png;base64,AA", "ftp://x/y"]) expect(served.resolve(ignored, "index.html")).to.equal(undefined);
    expect(served.urlOf("news/a b.html")).to.equal("http://127.0.0.1:8080/portal/news/a%20b.html");
    expect(() => SiteLocation.served("ftp://wb.gov.in/")).to.throw(/is not an http or https URL/);
    expect(() => SiteLocation.served("not a url")).to.throw(/is not a URL/);
    expect(SiteLocation.served("https://WB.gov.in/x/").domain).to.equal("wb.gov.in");
  });

  it("writes Subresource Integrity for the folder's scripts and stylesheets, replacing stale values and keeping other bytes", () => {
    const latin1 = Buffer.concat([Buffer.from('<p>caf\xe9</p><script src="a.js"></script>', "latin1")]);
    const dir = siteFolder({
      "index.html": '<link rel="stylesheet" href="s.css"><script integrity="sha384-stale" src="/a.js" defer></script><script src="https://cdn.example/x.js"></script><script src="gone.js"></script>',
      "legacy.html": latin1,
      "a.js": "alert(1)",
      "s.css": "body{}",
    });
    const report = writeSubresourceIntegrity(walkFiles(dir), SITE);
    const sri = (text: string) => `sha384-${createHash("sha384").update(text).digest("base64")}`;
    expect(fs.readFileSync(path.join(dir, "index.html"), "utf8")).to.equal(
      `<link integrity="${sri("body{}")}" rel="stylesheet" href="s.css"><script integrity="${sri("alert(1)")}" src="/a.js" defer></script><script src="https://cdn.example/x.js"></script><script src="gone.js"></script>`,
    );
    expect(fs.readFileSync(path.join(dir, "legacy.html"))).to.deep.equal(Buffer.from(`<p>caf\xe9</p><script integrity="${sri("alert(1)")}" src="a.js"></script>`, "latin1"));
    expect(report).to.deep.equal({ pages: ["index.html", "legacy.html"], tags: 3, external: [{ page: "index.html", url: "https://cdn.example/x.js" }], missing: [{ page: "index.html", url: "gone.js" }] });
    expect(writeSubresourceIntegrity(walkFiles(dir), SITE).pages).to.deep.equal([]);
  });
});
