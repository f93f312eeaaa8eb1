import fs from "node:fs";
import path from "node:path";
import { expect } from "chai";
import hre from "hardhat";
import { time } from "@nomicfoundation/hardhat-network-helpers";
import { deployedSuite, tempFile } from "./fixtures";
import { runCli, serveChain, type CliResult } from "./helpers/cli";

const ENODE = `enode://${"ab".repeat(64)}@10.20.0.7:30303`;

/** Flips the case of one letter of a checksummed address, so its checksum no longer holds. */
function breakChecksum(address: string): string {
  const i = address.slice(2).search(/[a-fA-F]/) + 2;
  const c = address[i];
  return address.slice(0, i) + (c === c.toLowerCase() ? c.toUpperCase() : c.toLowerCase()) + address.slice(i + 1);
}

describe("sakshya command-line tool", function () {
  this.timeout(300_000);
  let chain: { url: string; close(): Promise<void> };
  let suite: Awaited<ReturnType<typeof deployedSuite>>;
  let cli: (args: string[], env?: NodeJS.ProcessEnv) => Promise<CliResult>;
  const operator = ["--dev-account", "1"];
  const governor = ["--dev-account", "0"];

  before(async () => {
    chain = await serveChain();
    suite = await deployedSuite();
    cli = (args, env) => runCli(["--rpc-url", chain.url, "--deployments", suite.deploymentFile, ...args], env);
  });
  after(async () => chain.close());

  /** A failing command must leave the chain exactly as it was. */
  async function expectNothingChanged(result: Promise<CliResult>, code: number, message: RegExp): Promise<CliResult> {
    const before = await hre.ethers.provider.getBlockNumber();
    const outcome = await result;
    expect(outcome.code, outcome.stderr).to.equal(code);
    expect(outcome.stderr).to.match(message);
    expect(outcome.stderr.trim().split("\n")).to.have.length(1);
    expect(await hre.ethers.provider.getBlockNumber()).to.equal(before);
    return outcome;
  }

  it("onboards an organisation, adds a key and a node, and shows them", async () => {
    const onboard = await cli(["org", "onboard", "wbu", "--kind", "university", "--capabilities", "issue-certificates,run-node", "--jurisdictions", "0", "--metadata", "West Bengal University", ...operator]);
    expect(onboard.code, onboard.stderr).to.equal(0);
    expect(onboard.stdout).to.match(/✓ Onboarded wbu as organisation 1/);
    const key = suite.others[0].address;
    expect((await cli(["org", "add-account", "wbu", key, ...operator])).stdout).to.match(/Added account/);
    expect((await cli(["org", "add-node", "1", ENODE, ...operator])).code).to.equal(0);

    const shown = await cli(["--json", "org", "show", "wbu"]);
    expect(shown.code).to.equal(0);
    const org = JSON.parse(shown.stdout);
    expect(org).to.include({ id: 1, code: "wbu", kind: "university", status: "active" });
    expect(org.capabilities).to.deep.equal(["issue-certificates", "run-node"]);
    expect(org.jurisdictions).to.deep.equal([0]);
    expect(org.accounts.map((a: { address: string }) => a.address)).to.deep.equal([key]);
    expect(org.nodes[0]).to.include({ enode: ENODE, validator: false, allowed: true });

    const human = await cli(["org", "show", "wbu"]);
    expect(human.stdout).to.match(/Organisation 1: wbu \(university\) — active/);
    expect(human.stdout).to.contain(key);
    const list = await cli(["org", "list"]);
    expect(list.stdout).to.match(/1\s+wbu\s+university\s+active/);
  });

  it("answers the capability check with exit 0 for yes and 1 for no", async () => {
    const key = suite.others[0].address;
    const yes = await cli(["org", "check", key, "--capability", "issue-certificates"]);
    expect(yes.code).to.equal(0);
    expect(yes.stdout).to.match(/✓ authorised/);
    const no = await cli(["--json", "org", "check", key, "--capability", "liens"]);
    expect(no.code).to.equal(1);
    expect(JSON.parse(no.stdout)).to.include({ authorized: false, reason: "ParticipantDirectoryMissingCapability" });
  });

  it("updates, suspends, reinstates and offboards, each with its reason", async () => {
    await cli(["org", "onboard", "court-1", "--kind", "court", "--capabilities", "court-orders", "--jurisdictions", "11", "--metadata", "High Court", ...operator]);
    expect((await cli(["org", "update", "court-1", "--capabilities", "court-orders,liens", "--metadata", "v2", ...operator])).code).to.equal(0);
    expect((await cli(["org", "set-jurisdictions", "court-1", "11,12", ...operator])).code).to.equal(0);
    expect((await cli(["org", "suspend", "court-1", "--reason", "SBIC 2026/1", ...operator])).stdout).to.match(/Suspended organisation 2/);
    expect((await cli(["org", "reinstate", "court-1", "--reason", "SBIC 2026/2", ...operator])).code).to.equal(0);
    const offboard = await cli(["--json", "org", "offboard", "court-1", "--reason", "SBIC 2026/3", ...governor]);
    expect(JSON.parse(offboard.stdout)).to.include({ status: "executed", orgId: 2 });
    const org = JSON.parse((await cli(["--json", "org", "show", "court-1"])).stdout);
    expect(org).to.include({ status: "offboarded" });
    expect(org.capabilities).to.deep.equal(["court-orders", "liens"]);
    expect(org.jurisdictions).to.deep.equal([11, 12]);
  });

  it("removes and compromises accounts and removes nodes", async () => {
    const [, second, third] = suite.others;
    await cli(["org", "add-account", "wbu", second.address, ...operator]);
    await cli(["org", "add-account", "wbu", third.address, ...operator]);
    expect((await cli(["org", "remove-account", second.address, ...operator])).code).to.equal(0);
    const compromised = await cli(["--json", "org", "compromise-account", third.address, "--cutoff", String((await time.latest()) - 60), ...operator]);
    expect(compromised.code, compromised.stderr).to.equal(0);
    const check = await cli(["org", "check", third.address]);
    expect(check.code).to.equal(1);
    expect(check.stdout).to.match(/compromised/);
    expect((await cli(["org", "remove-node", ENODE, ...operator])).stdout).to.match(/Removed node/);
  });

  it("refuses bad input with one sentence, exit 2, and no transaction", async () => {
    const key = suite.others[0].address;
    await expectNothingChanged(cli(["org", "add-account", "wbu", key, ...operator]), 2, /already an active key of organisation 1/);
    await expectNothingChanged(cli(["org", "add-account", "wbu", breakChecksum(suite.others[7].address), ...operator]), 2, /not a valid address/);
    await expectNothingChanged(cli(["org", "add-account", "wbu", "0x1234", ...operator]), 2, /not a valid address/);
    await expectNothingChanged(cli(["org", "add-account", "nobody", key, ...operator]), 2, /No organisation has code "nobody"/);
    await expectNothingChanged(cli(["org", "show", "42"]), 2, /No organisation has id 42/);
    await expectNothingChanged(cli(["org", "onboard", "x", "--kind", "castle", "--metadata", "m", ...operator]), 2, /Unknown organisation kind "castle"/);
    await expectNothingChanged(cli(["org", "onboard", "x", "--kind", "court", "--capabilities", "flying", "--metadata", "m", ...operator]), 2, /Unknown capability "flying"/);
    await expectNothingChanged(cli(["org", "onboard", "x", "--kind", "court", "--metadata", "m", ...governor.slice(0, 1), "5"]), 2, /holds no role/);
    await expectNothingChanged(cli(["org", "add-node", "wbu", "enode://nothex@h:1", ...operator]), 2, /not an enode URL/);
    await expectNothingChanged(cli(["org", "onboard", "x", "--kind", "court", "--metadata", "m"]), 2, /signs a transaction: pass --keystore/);
  });

  it("says it could not run when the deployment file is missing, the chain is wrong or the RPC is down", async () => {
    await expectNothingChanged(runCli(["--rpc-url", chain.url, "--deployments", "/nonexistent/x.json", "org", "list"]), 2, /No deployment file at/);
    const wrongChain = tempFile("wrong.json");
    fs.writeFileSync(wrongChain, JSON.stringify({ ...JSON.parse(fs.readFileSync(suite.deploymentFile, "utf8")), chainId: 1 }));
    await expectNothingChanged(runCli(["--network", "other", "--rpc-url", chain.url, "--deployments", wrongChain, "org", "list"]), 2, /serves chain 33033, not the expected chain 1/);
    await expectNothingChanged(runCli(["--rpc-url", "http://127.0.0.1:9", "--deployments", suite.deploymentFile, "org", "list"]), 2, /Could not reach the RPC endpoint/);
    await expectNothingChanged(
      runCli(["--network", "other", "--rpc-url", chain.url, "--deployments", wrongChain, "org", "add-account", "wbu", suite.others[5].address, "--dev-account", "1"]),
      2,
      /serves chain/,
    );
    const usage = await runCli(["org", "frobnicate"]);
    expect(usage.code).to.equal(2);
  });

  it("lists roles, grants and revokes one, and schedules, lists and cancels an operation", async () => {
    const listed = await cli(["roles", "list"]);
    expect(listed.code).to.equal(0);
    expect(listed.stdout).to.match(/GOVERNOR\s+0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266\s+0s\s+GUARDIAN/);
    expect(listed.stdout).to.match(/GUARDIAN may call: ParticipantDirectory.pause/);
    const newcomer = suite.others[6].address;
    expect((await cli(["roles", "grant", "operator", newcomer, ...governor])).stdout).to.match(/Granted OPERATOR/);
    const json = JSON.parse((await cli(["--json", "roles", "list"])).stdout);
    const operators = json.roles.find((r: { label: string }) => r.label === "OPERATOR").members.map((m: { account: string }) => m.account);
    expect(operators).to.include(newcomer);
    expect((await cli(["roles", "revoke", "operator", newcomer, ...governor])).code).to.equal(0);
    await expectNothingChanged(cli(["roles", "grant", "king", newcomer, ...governor]), 2, /Unknown role "king"/);

    // Give the operator an execution delay: its grants are scheduled, listed, then cancelled by the guardian.
    await cli(["roles", "grant", "operator", suite.operator.address, "--delay", "3600", ...governor]);
    const scheduled = JSON.parse((await cli(["--json", "org", "onboard", "late", "--kind", "court", "--metadata", "Late court", ...operator])).stdout);
    expect(scheduled.status).to.equal("scheduled");
    const operations = (await cli(["roles", "operations"])).stdout;
    expect(operations).to.contain(scheduled.operationId);
    expect(operations).to.match(/ParticipantDirectory\.onboard\s+0x70997970C51812dc3A010C7d01b50e0d17dc79C8/);
    const early = await cli(["roles", "execute", scheduled.operationId, ...operator]);
    expect(early.code).to.equal(2);
    expect(early.stderr).to.match(/delay has not passed/);
    expect((await cli(["roles", "cancel", scheduled.operationId, "--dev-account", "2"])).stdout).to.match(/Cancelled operation/);
    expect((await cli(["roles", "operations"])).stdout).to.match(/No scheduled operations/);

    // Taking power away never waits (the responder is the operator's account here); giving it back does.
    expect(JSON.parse((await cli(["--json", "org", "suspend", "wbu", "--reason", "incident", ...operator])).stdout).status).to.equal("executed");
    const data = suite.directory.interface.encodeFunctionData("reinstate", [1, hre.ethers.id("cleared")]);
    const again = JSON.parse((await cli(["--json", "roles", "schedule", "ParticipantDirectory", data, ...operator])).stdout);
    expect(again.status).to.equal("scheduled");
    await time.increase(3600);
    expect((await cli(["roles", "execute", again.operationId, ...operator])).stdout).to.match(/Executed operation/);
    expect(JSON.parse((await cli(["--json", "org", "show", "wbu"])).stdout).status).to.equal("active");
    await cli(["roles", "grant", "operator", suite.operator.address, ...governor]);
  });

  it("creates and imports encrypted keystores, and signs with them", async () => {
    const dir = path.dirname(tempFile("x"));
    const passwordFile = path.join(dir, "password");
    fs.writeFileSync(passwordFile, "correct horse battery\n");
    const created = await runCli(["--json", "--password-file", passwordFile, "keys", "create", path.join(dir, "new.json")]);
    expect(created.code, created.stderr).to.equal(0);
    expect((fs.statSync(path.join(dir, "new.json")).mode & 0o777).toString(8)).to.equal("600");
    const address = JSON.parse(created.stdout).address;
    expect((await runCli(["keys", "address", path.join(dir, "new.json")])).stdout.trim()).to.equal(address);
    await expectNothingChanged(runCli(["--password-file", passwordFile, "keys", "create", path.join(dir, "new.json")]), 2, /refusing to overwrite/);

    // Import the operator's development key and sign an onboarding with it.
    const keyFile = path.join(dir, "operator.key");
    fs.writeFileSync(keyFile, "0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d\n");
    const imported = await runCli(["--password-file", passwordFile, "keys", "import", path.join(dir, "operator.json"), "--private-key-file", keyFile]);
    expect(imported.stdout).to.contain(suite.operator.address);
    const signed = await cli(["--keystore", path.join(dir, "operator.json"), "--password-file", passwordFile, "org", "onboard", "bank-1", "--kind", "bank", "--capabilities", "liens", "--metadata", "State Bank"]);
    expect(signed.code, signed.stderr).to.equal(0);

    const wrong = path.join(dir, "wrong");
    fs.writeFileSync(wrong, "not the password\n");
    await expectNothingChanged(cli(["--keystore", path.join(dir, "operator.json"), "--password-file", wrong, "org", "onboard", "bank-2", "--kind", "bank", "--metadata", "x"]), 2, /Wrong password for keystore/);
    await expectNothingChanged(runCli(["--password-file", passwordFile, "keys", "import", path.join(dir, "bad.json"), "--private-key-file", wrong]), 2, /32 bytes of hexadecimal/);
  });
});
