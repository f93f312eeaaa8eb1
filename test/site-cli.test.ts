import fs from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { expect } from "chai";
import { CAP, KIND, code, deployedSuite, evidence } from "./fixtures";
import { serveFolder } from "../src/websites/static-server";
import { expectNothingSent, runCli, serveChain, type CliResult } from "./helpers/cli";
import { SAMPLE_PORTAL } from "./helpers/sites";

/** The site commands as a department runs them: register (operator), manifest, publish, approve, roll back, revoke. */
describe("sakshya site (command line)", function () {
  this.timeout(300_000);
  let chain: { url: string; close(): Promise<void> };
  let cli: (args: string[]) => Promise<CliResult>;
  let work: string;

  before(async () => {
    chain = await serveChain();
    const suite = await deployedSuite();
    await suite.directory.onboard(code("it-dept"), KIND.agency, CAP.publishWebsites, [0], evidence("IT"));
    await suite.directory.onboard(code("police"), KIND.agency, CAP.publishWebsites, [0], evidence("Police"));
    await suite.directory.addAccount(1, suite.others[0].address); // development account 3
    await suite.directory.addAccount(1, suite.others[1].address); // 4
    await suite.directory.addAccount(2, suite.others[2].address); // 5
    work = fs.mkdtempSync(path.join(os.tmpdir(), "sakshya-site-cli-"));
    cli = (args) => runCli(["--rpc-url", chain.url, "--deployments", suite.deploymentFile, ...args]);
  });
  after(async () => chain.close());

  async function ok(args: string[], pattern: RegExp): Promise<CliResult> {
    const result = await cli(args);
    expect(result.code, result.stderr).to.equal(0);
    expect(result.stdout).to.match(pattern);
    return result;
  }

  function build(release: string, files: Record<string, string>): string {
    const dir = path.join(work, release);
    for (const [name, content] of Object.entries(files)) {
      fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
      fs.writeFileSync(path.join(dir, name), content);
    }
    return dir;
  }

  it("publishes a release that needs two approvals, approves it, rolls back and revokes", async () => {
    await ok(["site", "register", "wb.gov.in", "--org", "it-dept", "--approvals", "2", "--dev-account", "1"], /Registered wb.gov.in for organisation 1 \(2 approval\(s\) per release\)/);
    await ok(["site", "register", "wb.gov.in", "--org", "it-dept", "--dev-account", "1"], /already registered/);
    for (const [release, text] of [["2026.11.1", "<h1>Portal</h1>"], ["2026.11.2", "<h1>Portal, new</h1>"]]) {
      const dir = build(release, { "index.html": text, "css/site.css": "body{}" });
      await ok(["site", "manifest", dir, "--site", "wb.gov.in", "--release", release, "--out", path.join(work, `${release}.json`)], /Manifest of 2 files/);
    }
    await ok(["site", "publish", path.join(work, "2026.11.1.json"), "--dev-account", "3"], /published wb.gov.in release 1 \(2026.11.1, 2 files\)[\s\S]*pending: 1 of 2 approvals/);
    await ok(["site", "publish", path.join(work, "2026.11.1.json"), "--dev-account", "3"], /already on chain, nothing sent/);
    await expectNothingSent(cli(["site", "publish", path.join(work, "2026.11.2.json"), "--dev-account", "5"]), 2, /the site belongs to organisation 1, not to organisation 2/);
    // Its publisher asking again is not a second approval: the release still waits, and no ✓ says otherwise.
    await expectNothingSent(
      cli(["site", "approve", "wb.gov.in", "1", "--dev-account", "3"]),
      2,
      /This key published release 1, which counts as its first approval; it waits for another key of the organisation \(1 of 2 approvals count now\)\. Nothing was sent\./,
    );
    // Another organisation's key is never told it is done.
    await expectNothingSent(cli(["site", "revoke", "wb.gov.in", "1", "--reason", "tampered", "--dev-account", "5"]), 2, /the site belongs to organisation 1|not authorized|WebsiteRegistryNot/);
    await ok(["site", "approve", "wb.gov.in", "1", "--dev-account", "4"], /approved wb.gov.in release 1/);
    await ok(["site", "approve", "wb.gov.in", "1", "--dev-account", "4"], /already on chain, nothing sent/);
    await ok(["site", "publish", path.join(work, "2026.11.2.json"), "--dev-account", "4"], /release 2/);
    await ok(["site", "approve", "wb.gov.in", "2", "--dev-account", "3"], /approved/);
    await ok(["site", "rollback", "wb.gov.in", "1", "--dev-account", "3"], /rolled back to wb.gov.in release 1/);
    await ok(["site", "revoke", "wb.gov.in", "2", "--reason", "tampered", "--dev-account", "4"], /revoked wb.gov.in release 2 \(tampered\)/);
    await expectNothingSent(
      cli(["site", "revoke", "wb.gov.in", "2", "--reason", "tampered", "--dev-account", "5"]),
      2,
      /The revocation of release 2 is already on chain, but it is not this key's to do: the key is not an active "publish-websites" key of organisation 1\. Nothing was sent\./,
    );
    await expectNothingSent(cli(["site", "rollback", "wb.gov.in", "2", "--dev-account", "3"]), 2, /release 2 is revoked, which does not allow this/);
    const status = await ok(["site", "status", "wb.gov.in"], /organisation 1, 2 approval\(s\) per release, current release 1/);
    expect(status.stdout).to.match(/1 +2026\.11\.1 +approved \(current\) +2 +2\/2/);
    expect(status.stdout).to.match(/2 +2026\.11\.2 +revoked +2 +2\/2 .* tampered/);
  });

  it("refuses an unknown site, a bad release number, an unknown reason and a file that is not a manifest", async () => {
    await expectNothingSent(cli(["site", "status", "nowhere.gov.in"]), 2, /No site nowhere.gov.in is registered/);
    await expectNothingSent(cli(["site", "approve", "wb.gov.in", "first", "--dev-account", "3"]), 2, /"first" is not a release number/);
    await expectNothingSent(cli(["site", "revoke", "wb.gov.in", "1", "--reason", "whim", "--dev-account", "3"]), 2, /Unknown reason "whim"/);
    fs.writeFileSync(path.join(work, "not.json"), "{}");
    await expectNothingSent(cli(["site", "publish", path.join(work, "not.json"), "--dev-account", "3"]), 2, /is not a site manifest/);
  });

  it("emits a manifest with SRI into the portal, verifies the folder and the served site, and monitors it", async () => {
    const portal = path.join(work, "portal");
    fs.cpSync(SAMPLE_PORTAL, portal, { recursive: true });
    await ok(["site", "register", "portal.wb.gov.in", "--org", "it-dept", "--dev-account", "1"], /Registered/);
    await ok(
      ["site", "manifest", portal, "--site", "portal.wb.gov.in", "--release", "p1", "--sri", "--emit", "--exclude", "news/**"],
      /Subresource Integrity written into 7 script and stylesheet tags of 5 pages\n✓ Manifest of 6 files .* in .*\.well-known\/sakshya-manifest\.json/,
    );
    expect(fs.readFileSync(path.join(portal, "index.html"), "utf8")).to.match(/<script integrity="sha384-[A-Za-z0-9+/]{64}" src="js\/app.js" defer>/);
    await ok(["site", "publish", path.join(portal, ".well-known", "sakshya-manifest.json"), "--dev-account", "3"], /it is the current release/);
    await ok(["site", "verify", portal], /✓ portal.wb.gov.in matches release 1 \(p1\): 6 files verified, 2 not covered by the release\./);

    const server = await serveFolder(portal);
    try {
      const clean = await ok(["site", "verify", server.url, "--site", "portal.wb.gov.in"], /✓ index.html\n[\s\S]*○ news\/index.html  not covered: matches an exclusion[\s\S]*✓ portal.wb.gov.in matches release 1/);
      expect(clean.stdout).to.match(/✓ \/\n/);

      // A site whose every path redirects to another host: named once as a redirect, not as every file modified;
      // followed when that host is one the site is declared to be served under.
      const port = new URL(server.url).port;
      const redirector = http.createServer((request, response) => response.writeHead(301, { location: `http://localhost:${port}${request.url}` }).end());
      await new Promise<void>((resolve) => redirector.listen(0, "127.0.0.1", resolve));
      try {
        const away = `http://127.0.0.1:${(redirector.address() as AddressInfo).port}/`;
        const moved = await cli(["site", "verify", away, "--site", "portal.wb.gov.in"]);
        expect(moved.code).to.equal(1);
        expect(moved.stdout).to.match(new RegExp(`^✗ \\d+ paths redirect to another site, http://localhost:${port} \\(e\\.g\\. .* → http://localhost:${port}/.*\\); not followed$`, "m"));
        expect(moved.stdout.match(/^✗ .*redirect.*not followed$/gm), "one line for every path sent to one other site").to.have.length(1);
        expect(moved.stdout).to.not.match(/modified/);
        await ok(["site", "verify", away, "--site", "portal.wb.gov.in", "--alias", "localhost"], /✓ portal.wb.gov.in matches release 1/);
      } finally {
        redirector.close();
      }
      fs.writeFileSync(path.join(portal, "about", "index.html"), '<h1>Hacked</h1><script src="https://evil.example/x.js"></script>');
      const tampered = await cli(["site", "verify", server.url, "--site", "portal.wb.gov.in", "--json"]);
      expect(tampered.code).to.equal(1);
      const report = JSON.parse(tampered.stdout) as { verdict: string; injected: unknown[]; files: { path: string; state: string }[] };
      expect(report.verdict).to.equal("tampered");
      expect(report.injected).to.deep.equal([{ page: "about/index.html", kind: "script", url: "https://evil.example/x.js" }]);
      expect(report.files.filter((f) => f.state === "modified").map((f) => f.path)).to.deep.equal(["about/index.html", "about/"]);
      const folder = await cli(["site", "verify", portal]);
      expect(folder.code).to.equal(1);
      expect(folder.stdout).to.match(/✗ about\/index.html  modified: \d+ bytes, published \d+\n/);

      // A file whose name holds a newline cannot forge a "✓ … matches" line: the name is printed escaped.
      const forged = "x\n✓ portal.wb.gov.in matches release 1 (p1): all files verified.";
      fs.writeFileSync(path.join(portal, forged), "");
      const escaped = await cli(["site", "verify", portal]);
      expect(escaped.stdout).to.contain("x\\n✓ portal.wb.gov.in matches");
      expect(escaped.stdout).to.not.match(/^✓ portal\.wb\.gov\.in matches/m);
      fs.rmSync(path.join(portal, forged));

      const log = path.join(work, "monitor.log");
      const monitor = await cli(["site", "monitor", server.url, "--site", "portal.wb.gov.in", "--interval", "0.2", "--checks", "2", "--log", log]);
      expect(monitor.code).to.equal(1);
      expect(monitor.stdout).to.match(/ALERT ✗ portal.wb.gov.in does not match release 1 \(p1\): 2 modified, 1 injected script\. \(check 1, [\d.]+ s\)\n {4}✗ about\/index.html  modified/);
      expect(monitor.stdout).to.match(/\(check 2, [\d.]+ s\) — 2 checks in a row/);
      expect(fs.readFileSync(log, "utf8").trim().split("\n")).to.have.length(2);

      const unreachable = await cli(["site", "verify", "http://127.0.0.1:2/", "--site", "portal.wb.gov.in"]);
      expect(unreachable.code).to.equal(2);
      expect(unreachable.stdout).to.match(/^\? Could not fetch portal.wb.gov.in's manifest .*: the connection was refused\.$/m);
    } finally {
      await server.close();
    }
  });

  it("refuses bad verify and monitor input with one sentence and exit 2", async () => {
    await expectNothingSent(cli(["site", "verify", "http://127.0.0.1:8080/"]), 2, /127.0.0.1 is an address, not the site's domain: name the site with --site/);
    await expectNothingSent(cli(["site", "verify", path.join(work, "nowhere")]), 2, /is not a readable folder/);
    await expectNothingSent(cli(["site", "verify", "wb.gov.in"]), 2, /wb.gov.in is neither a URL nor a folder; to check the live site, give its URL, e.g. https:\/\/wb.gov.in\/\./);
    await expectNothingSent(cli(["site", "verify", work, "--manifest", path.join(work, "not.json")]), 2, /is not a site manifest/);
    await expectNothingSent(cli(["site", "monitor", "https://wb.gov.in/", "--interval", "soon"]), 2, /--interval must be a number of seconds above 0, not "soon"/);
    await expectNothingSent(cli(["site", "monitor", "https://wb.gov.in/", "--checks", "0"]), 2, /--checks must be a whole number above 0/);
    await expectNothingSent(cli(["site", "monitor", "https://wb.gov.in/", "--webhook", "slack"]), 2, /The webhook "slack" is not an http or https URL/);
    await expectNothingSent(cli(["site", "manifest", work, "--site", "wb.gov.in", "--release", "r"]), 2, /Say where the manifest goes: --out <file>, --emit, or both/);
  });
});
