import fs from "node:fs";
import { expect } from "chai";
import { time } from "@nomicfoundation/hardhat-network-helpers";
import { readDeployment, writeDeployment } from "../src/config/deployments";
import { ROLES } from "../src/governance/roles";
import { tempFile } from "./fixtures";
import { DAY, committeeSuite } from "./helpers/committee";
import { expectNothingSent, runCli, serveChain, type CliResult } from "./helpers/cli";

/** The committee's way through the command line, as its members and an operator of the SIA would go. */
describe("sakshya committee (command line)", function () {
  this.timeout(300_000);
  let chain: { url: string; close(): Promise<void> };
  let suite: Awaited<ReturnType<typeof committeeSuite>>;
  let cli: (args: string[]) => Promise<CliResult>;
  const ok = async (args: string[], pattern: RegExp) => {
    const result = await cli(args);
    expect(result.code, `${args.join(" ")}: ${result.stderr}`).to.equal(0);
    expect(result.stdout).to.match(pattern);
    return result;
  };

  before(async () => {
    chain = await serveChain();
    suite = await committeeSuite();
    cli = (args) => runCli(["--rpc-url", chain.url, "--deployments", suite.deploymentFile, ...args]);
  });
  after(async () => chain.close());

  it("proposes a grant, shows it in plain words with its warnings, gathers two offline signatures, executes it and carries it out after the delay", async () => {
    const file = tempFile("grant-operator.json");
    const puppet = suite.others[2].address;
    await ok(["roles", "grant", "operator", puppet, "--propose", file], /📝 Proposed to the GOVERNOR committee \(Safe 0x[0-9a-fA-F]{40}, nonce 0\): schedule: grant OPERATOR to 0x[0-9a-fA-F]{40} with no delay/);
    // Proposing sends nothing and needs no key.
    const shown = await ok(["committee", "show", file], /does: +schedule: grant OPERATOR to 0x[0-9a-fA-F]{40} with no delay/);
    expect(shown.stdout).to.include("⚠ It grants a role: OPERATOR gives");
    expect(shown.stdout).to.include("⚠ The delay it gives, no delay, is shorter than the plan's 1 day for OPERATOR");
    expect(shown.stdout).to.match(/status: +waiting for signatures: 0 of 2/);

    // Members sign offline: the chain is not asked (this RPC URL answers nothing).
    const offline = (args: string[]) => runCli(["--rpc-url", "http://127.0.0.1:9", "--deployments", suite.deploymentFile, ...args]);
    const first = await offline(["committee", "sign", file, "--dev-account", "3"]);
    expect(first.code, first.stderr).to.equal(0);
    expect(first.stdout).to.match(/✓ Signed by 0x[0-9a-fA-F]{40} \(1 signature now\)/);
    const stranger = await offline(["committee", "sign", file, "--dev-account", "9"]);
    expect([stranger.code, stranger.stderr]).to.satisfy(([code, err]: [number, string]) => code === 2 && /is not a member of the governor committee/.test(err));
    await expectNothingSent(cli(["committee", "execute", file, "--dev-account", "10"]), 2, /has 1 of the 2 signatures it needs; still to sign: /);
    // A second member signs a copy apart; the copies are merged.
    const copy = tempFile("copy.json");
    fs.copyFileSync(file, copy);
    expect((await offline(["committee", "sign", copy, "--dev-account", "4"])).code).to.equal(0);
    await ok(["committee", "merge", file, copy], /now holds 2 signatures/);

    const executed = JSON.parse((await ok(["--json", "committee", "execute", file, "--dev-account", "10"], /"step"/)).stdout);
    expect(executed).to.include({ status: "scheduled", step: "committee" });
    await ok(["committee", "list", fs.realpathSync(file).replace(/\/[^/]+$/, "")], /grant-operator\.json +governor +0 +2 +executed +⚠ schedule: grant OPERATOR/);
    await expectNothingSent(cli(["committee", "execute", file, "--dev-account", "10"]), 2, /may run after/);
    await time.increase(DAY);
    await ok(["committee", "execute", file, "--dev-account", "10"], /✓ Carried out the committee's scheduled operation 0x[0-9a-f]{64}/);
    expect(await suite.authority.hasRole(ROLES.operator.id, puppet)).to.deep.equal([true, 0n]);
    await expectNothingSent(cli(["committee", "execute", file, "--dev-account", "10"]), 2, /was executed already/);
  });

  it("lets the guardian committee cancel a scheduled operation by its own proposal, and names what it cancels", async () => {
    const grant = tempFile("grant.json");
    await ok(["roles", "grant", "guardian", suite.others[3].address, "--propose", grant], /Proposed to the GOVERNOR committee/);
    for (const member of ["3", "5"]) await ok(["committee", "sign", grant, "--dev-account", member], /Signed by/);
    const executed = JSON.parse((await ok(["--json", "committee", "execute", grant, "--dev-account", "10"], /"operation"/)).stdout);
    const cancel = tempFile("cancel.json");
    await ok(["roles", "cancel", executed.operation.operationId, "--propose", cancel], /Proposed to the GUARDIAN committee/);
    await ok(["committee", "show", cancel], /does: +cancel what the GOVERNOR committee \(0x[0-9a-fA-F]{40}\) scheduled: grant GUARDIAN to/);
    for (const member of ["6", "7"]) await ok(["committee", "sign", cancel, "--dev-account", member], /Signed by/);
    await ok(["committee", "execute", cancel, "--dev-account", "10"], /The GUARDIAN committee executed its proposal: cancel what/);
    await time.increase(DAY);
    await expectNothingSent(cli(["committee", "execute", grant, "--dev-account", "10"]), 2, /was cancelled already/);
  });

  it("proposes a change of members, refuses a call no committee may make, and shows each committee", async () => {
    const file = tempFile("member.json");
    const newcomer = suite.others[4].address;
    await ok(["committee", "add-member", "governor", newcomer, "--threshold", "3", "--out", file], /📝 Proposed to the GOVERNOR committee \(Safe 0x[0-9a-fA-F]{40}, nonce \d+\): add 0x[0-9a-fA-F]{40} to the GOVERNOR committee/);
    await ok(["committee", "show", file], /does: +add 0x[0-9a-fA-F]{40} to the GOVERNOR committee \(0x[0-9a-fA-F]{40}\), 3 signatures needed from then on/);
    // Onboarding is the operator's, a single key here: there is no committee to propose it to.
    await expectNothingSent(cli(["org", "onboard", "x", "--kind", "court", "--metadata", "x", "--propose", tempFile("no.json")]), 2, /No committee of this deployment may make this call/);
    await expectNothingSent(cli(["committee", "add-member", "operator", newcomer, "--threshold", "1"]), 2, /The operator is not a committee in this deployment/);
    // A grant that lowers a member's delay is said so.
    const lower = tempFile("lower.json");
    await ok(["roles", "grant", "operator", suite.operator.address, "--delay", "0", "--propose", lower], /Proposed to the GOVERNOR committee/);
    await ok(["committee", "show", lower], /⚠ It lowers a delay: 0x[0-9a-fA-F]{40} waits 1 day now, no delay after it\./);
    const shown = await ok(["committee", "show"], /governor +0x[0-9a-fA-F]{40} +2 of 3, next nonce \d+/);
    expect(shown.stdout).to.match(/operator +0x[0-9a-fA-F]{40} +a single key/);
  });

  it("roles list flags a power-granting role whose delay is below the plan's", async () => {
    const deployment = readDeployment(suite.deploymentFile);
    const stricter = tempFile("stricter.json");
    writeDeployment(stricter, { ...deployment, roles: { ...deployment.roles, operator: { ...deployment.roles.operator, executionDelay: 2 * DAY } } });
    const listed = await runCli(["--rpc-url", chain.url, "--deployments", stricter, "roles", "list"]);
    expect(listed.code, listed.stderr).to.equal(0);
    expect(listed.stdout).to.match(/⚠ OPERATOR 0x[0-9a-fA-F]{40} waits 1 day, below the plan's 2 days: its grants of power take effect before the guardian can cancel them/);
    expect(listed.stdout).to.match(/GOVERNOR +0x[0-9a-fA-F]{40} \(committee, 2 of 3\)/);
  });
});
