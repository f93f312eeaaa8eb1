import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect } from "chai";
import { CAP, KIND, code, deployedSuite, evidence } from "./fixtures";
import { expectNothingSent, runCli, serveChain, type CliResult } from "./helpers/cli";

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
    await ok(["site", "approve", "wb.gov.in", "1", "--dev-account", "4"], /approved wb.gov.in release 1/);
    await ok(["site", "publish", path.join(work, "2026.11.2.json"), "--dev-account", "4"], /release 2/);
    await ok(["site", "approve", "wb.gov.in", "2", "--dev-account", "3"], /approved/);
    await ok(["site", "rollback", "wb.gov.in", "1", "--dev-account", "3"], /rolled back to wb.gov.in release 1/);
    await ok(["site", "revoke", "wb.gov.in", "2", "--reason", "tampered", "--dev-account", "4"], /revoked wb.gov.in release 2 \(tampered\)/);
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
});
