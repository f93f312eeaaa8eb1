/**
 * Issue 23, part 1: the governor is the SBIC, a committee (a Safe 1.4.1 multisig), not one key; every power-granting act
 * of the governor waits out a delay the guardian can cancel; members review proposals in plain words and sign them
 * offline; anyone executes once the threshold is met, and carries out what the committee scheduled once its delay has
 * passed.
 */
import fs from "node:fs";
import { expect } from "chai";
import hre from "hardhat";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import { Wallet, keccak256, type Interface } from "ethers";
import { rolePlan } from "../deploy/config";
import { deploySuite } from "../deploy/suite";
import { CommitteeProposer } from "../src/committee/propose";
import { readProposal, withSignature, writeProposal } from "../src/committee/proposal";
import { CANONICAL_CODE_HASHES, SAFE_INTERFACE, readSafe, signSafeTransaction } from "../src/committee/safe";
import { executeProposal, proposalStatus } from "../src/committee/status";
import { readDeployment, writeDeployment } from "../src/config/deployments";
import { devWallet } from "../src/keys/signer";
import { describeCall } from "../src/governance/describe";
import { Governance } from "../src/governance/governed";
import { ADMIN_ROLE, AUTHORITY_VETOABLE, ROLES } from "../src/governance/roles";
import { ParticipantDirectory__factory, SakshyaAuthority__factory, ScheduledOperationExecutor__factory } from "../typechain-types";
import { CAP, KIND, code, deployedSuite, evidence, rejects, tempFile } from "./fixtures";
import { DAY, committeeSuite } from "./helpers/committee";

/** A member's wallet: development accounts are Hardhat's, whose keys the tests know. */
const member = (index: number) => new Wallet(devWallet(index).privateKey);

describe("The SBIC governs as a committee (issue 23, part 1)", function () {
  this.timeout(300_000);

  describe("the exploit: the governor was one key", () => {
    it("alone it granted a puppet OPERATOR with no delay, and the guardian could not cancel the grant (2.1.0's wiring)", async () => {
      const { authority, governor, guardian, others } = await loadFixture(deployedSuite);
      const manager = await authority.getAddress();
      // 2.1.0 wired none of the AccessManager's own functions: put that back.
      const selectors = AUTHORITY_VETOABLE.map((fn) => authority.interface.getFunction(fn).selector);
      await authority.connect(governor).setTargetFunctionRole(manager, selectors, ADMIN_ROLE);
      await authority.connect(governor).grantRole(ADMIN_ROLE, governor.address, 2 * DAY);
      const governance = new Governance(authority.connect(governor), governor);
      const puppet = others[9].address;
      const grant = await governance.call(manager, authority.interface.encodeFunctionData("grantRole", [ROLES.operator.id, puppet, 0]));
      if (grant.status !== "scheduled") throw new Error("expected the grant to be scheduled");
      await rejects(new Governance(authority.connect(guardian), guardian).cancel(grant.operationId), /AccessManagerUnauthorizedCancel/);
      await time.increase(2 * DAY);
      await governance.execute(grant.operationId);
      expect(await authority.hasRole(ROLES.operator.id, puppet)).to.deep.equal([true, 0n]);
    });

    it("now every grant, guardian, delay and permission change of the governor is an operation the guardian cancels", async () => {
      const { authority, governor, guardian, others } = await loadFixture(deployedSuite);
      const manager = await authority.getAddress();
      for (const fn of AUTHORITY_VETOABLE) expect(await authority.getTargetFunctionRole(manager, authority.interface.getFunction(fn).selector), fn).to.equal(ROLES.governor.id);
      await authority.connect(governor).grantRole(ADMIN_ROLE, governor.address, 2 * DAY);
      const governance = new Governance(authority.connect(governor), governor);
      const guardianGovernance = new Governance(authority.connect(guardian), guardian);
      const calls = [
        authority.interface.encodeFunctionData("grantRole", [ROLES.operator.id, others[9].address, 0]),
        authority.interface.encodeFunctionData("setRoleGuardian", [ROLES.governor.id, ROLES.operator.id]),
        authority.interface.encodeFunctionData("setGrantDelay", [ROLES.operator.id, 0]),
        authority.interface.encodeFunctionData("setTargetFunctionRole", [manager, [authority.interface.getFunction("grantRole").selector], ADMIN_ROLE]),
        authority.interface.encodeFunctionData("revokeRole", [ROLES.guardian.id, guardian.address]),
      ];
      for (const data of calls) {
        const outcome = await governance.call(manager, data);
        if (outcome.status !== "scheduled") throw new Error("expected a scheduled operation");
        await expect(guardianGovernance.cancel(outcome.operationId)).to.emit(authority, "OperationCanceled");
      }
      expect(await authority.hasRole(ROLES.operator.id, others[9].address)).to.deep.equal([false, 0n]);
    });
  });

  describe("the committee", () => {
    it("is deployed as Safe's audited 1.4.1 code, holds GOVERNOR and ADMIN with the delay, and the deployer keeps nothing", async () => {
      const { deployment, authority, deployer, sbic, guards, steps } = await loadFixture(committeeSuite);
      expect(steps.map((s) => s.step)).to.include(`deployer ${deployer.address} renounces ADMIN`);
      const provider = hre.ethers.provider;
      const infrastructure = deployment.safe!;
      expect(keccak256(await provider.getCode(infrastructure.singleton))).to.equal(CANONICAL_CODE_HASHES.Safe);
      expect(keccak256(await provider.getCode(infrastructure.proxyFactory))).to.equal(CANONICAL_CODE_HASHES.SafeProxyFactory);
      const governor = (await readSafe(provider, deployment.roles.governor.account))!;
      expect([governor.members, governor.threshold, governor.modules]).to.deep.equal([sbic.map((s) => s.address), 2, [infrastructure.executor]]);
      expect(deployment.roles.governor.committee).to.deep.equal({ members: sbic.map((s) => s.address), threshold: 2 });
      expect(deployment.roles.guardian.committee).to.deep.equal({ members: guards.map((s) => s.address), threshold: 2 });
      expect(await authority.hasRole(ROLES.governor.id, governor.address)).to.deep.equal([true, BigInt(DAY)]);
      expect(await authority.hasRole(ADMIN_ROLE, governor.address)).to.deep.equal([true, BigInt(DAY)]);
      expect(await authority.hasRole(ROLES.guardian.id, deployment.roles.guardian.account)).to.deep.equal([true, 0n]);
      expect((await authority.hasRole(ADMIN_ROLE, deployer.address))[0]).to.equal(false);
      expect(steps.filter((s) => s.status === "warning")).to.deep.equal([]);
    });

    it("a deployment run again finds the committees and changes nothing", async () => {
      const { deploymentFile, deployer, plan } = await loadFixture(committeeSuite);
      const again = await deploySuite(hre, { signer: deployer, plan, deploymentFile });
      expect(again.steps.filter((s) => s.status === "done" || s.status === "scheduled")).to.deep.equal([]);
      expect(again.steps.map((s) => s.step)).to.include.members(["Safe 1.4.1 singleton already deployed", "ScheduledOperationExecutor already deployed"]);
    });

    it("one member's key alone does nothing: the Safe wants two signatures", async () => {
      const { deployment, sbic, operator } = await loadFixture(committeeSuite);
      const safe = deployment.roles.governor.account;
      const proposer = new CommitteeProposer({ deployment, provider: hre.ethers.provider, file: tempFile("one.json") });
      const governance = new Governance(SakshyaAuthorityAt(deployment.contracts.SakshyaAuthority.address), operator, proposer);
      const proposed = await governance.call(deployment.contracts.ParticipantDirectory.address, directoryData("offboard", [1, evidence("x")]));
      const file = proposed.status === "proposed" ? proposed.file : "";
      const signature = await signSafeTransaction(member(3), deployment.chainId, safe, readProposal(file).transaction);
      writeProposal(file, withSignature(readProposal(file), signature).proposal);
      await rejects(executeProposal(operator, deployment, readProposal(file)), /has 1 of the 2 signatures it needs; still to sign: /);
      // Sent as-is, the Safe itself refuses it.
      const tx = readProposal(file).transaction;
      const data = SAFE_INTERFACE.encodeFunctionData("execTransaction", [tx.to, 0, tx.data, 0, 0, 0, 0, tx.gasToken, tx.refundReceiver, signature]);
      await expect(sbic[0].sendTransaction({ to: safe, data })).to.be.reverted;
    });

    it("a proposal: plain words and warnings, two offline signatures, anyone executes; the delay runs; anyone carries it out", async () => {
      const { deployment, others, operator } = await loadFixture(committeeSuite);
      const file = tempFile("grant.json");
      const proposer = new CommitteeProposer({ deployment, provider: hre.ethers.provider, file });
      const manager = deployment.contracts.SakshyaAuthority.address;
      const governance = new Governance(SakshyaAuthorityAt(manager), operator, proposer);
      const puppet = others[1].address;
      const proposed = await governance.call(manager, SakshyaAuthorityAt(manager).interface.encodeFunctionData("grantRole", [ROLES.operator.id, puppet, 0]));
      expect(proposed).to.include({ status: "proposed", role: "governor", nonce: "0", threshold: 2, delayed: true });
      const proposal = readProposal(file);
      const description = await describeCall({ deployment }, proposal.transaction.to, proposal.transaction.data);
      expect(description.text).to.equal(`schedule: grant OPERATOR to ${puppet} with no delay (it waits out the delay, during which the guardian may cancel it)`);
      expect(description.warnings).to.deep.equal([
        `It grants a role: OPERATOR gives ${puppet} power over the suite.`,
        "The delay it gives, no delay, is shorter than the plan's 1 day for OPERATOR: that member's acts would take effect sooner than the guardian can react.",
      ]);
      for (const index of [5, 3]) writeProposal(file, withSignature(readProposal(file), await signSafeTransaction(member(index), deployment.chainId, proposal.committee.safe, proposal.transaction)).proposal);
      expect((await proposalStatus(hre.ethers.provider, deployment, readProposal(file))).status.state).to.equal("ready");
      const anyone = others[2];
      const sent = await executeProposal(anyone, deployment, readProposal(file));
      expect(sent.step).to.equal("committee");
      expect(sent.operation?.state).to.equal("waiting");
      await rejects(executeProposal(anyone, deployment, readProposal(file)), /may run after/);
      await time.increase(DAY);
      const executor = ScheduledOperationExecutor__factory.connect(deployment.safe!.executor, anyone);
      const carried = await executeProposal(anyone, deployment, readProposal(file));
      expect(carried.step).to.equal("operation");
      expect(await SakshyaAuthorityAt(manager).hasRole(ROLES.operator.id, puppet)).to.deep.equal([true, 0n]);
      await rejects(executeProposal(anyone, deployment, readProposal(file)), /was executed already/);
      const [executed] = await executor.queryFilter(executor.filters.ScheduledOperationExecuted(proposal.committee.safe));
      expect([executed.args.operationId, executed.args.caller]).to.deep.equal([sent.operation!.operationId, anyone.address]);
    });

    it("the guardian committee cancels what the SBIC scheduled, through its own proposal", async () => {
      const { deployment, operator, others } = await loadFixture(committeeSuite);
      const manager = deployment.contracts.SakshyaAuthority.address;
      const authority = SakshyaAuthorityAt(manager);
      const propose = (file: string) => new Governance(authority, operator, new CommitteeProposer({ deployment, provider: hre.ethers.provider, file }));
      const file = tempFile("grant.json");
      await propose(file).call(manager, authority.interface.encodeFunctionData("grantRole", [ROLES.operator.id, others[1].address, 0]));
      for (const index of [3, 4]) writeProposal(file, withSignature(readProposal(file), await signSafeTransaction(member(index), deployment.chainId, deployment.roles.governor.account, readProposal(file).transaction)).proposal);
      const { operation } = await executeProposal(operator, deployment, readProposal(file));
      const op = await new Governance(authority, operator).operation(operation!.operationId);
      const cancelFile = tempFile("cancel.json");
      const proposer = new CommitteeProposer({ deployment, provider: hre.ethers.provider, file: cancelFile });
      await proposer.propose(deployment.roles.guardian.account, manager, new Governance(authority, operator).cancelOrExecute("cancel", op), false);
      expect((await describeCall({ deployment }, manager, readProposal(cancelFile).transaction.data)).text).to.match(/^cancel what the GOVERNOR committee \(0x[0-9a-fA-F]{40}\) scheduled: grant OPERATOR/);
      for (const index of [6, 7]) writeProposal(cancelFile, withSignature(readProposal(cancelFile), await signSafeTransaction(member(index), deployment.chainId, deployment.roles.guardian.account, readProposal(cancelFile).transaction)).proposal);
      await executeProposal(operator, deployment, readProposal(cancelFile));
      await time.increase(DAY);
      const status = await proposalStatus(hre.ethers.provider, deployment, readProposal(file));
      expect(status.status.state === "executed" && status.status.operation?.state).to.equal("cancelled");
      await rejects(executeProposal(operator, deployment, readProposal(file)), /was cancelled already/);
    });

    it("a proposal file changed after it was proposed, or a signature filed under another member, is refused", async () => {
      const { deployment, operator } = await loadFixture(committeeSuite);
      const file = tempFile("offboard.json");
      const governance = new Governance(SakshyaAuthorityAt(deployment.contracts.SakshyaAuthority.address), operator, new CommitteeProposer({ deployment, provider: hre.ethers.provider, file }));
      await governance.call(deployment.contracts.ParticipantDirectory.address, directoryData("offboard", [1, evidence("x")]));
      const original = fs.readFileSync(file, "utf8");
      const tampered = JSON.parse(original);
      tampered.transaction.data = directoryData("offboard", [2, evidence("x")]);
      fs.writeFileSync(file, JSON.stringify(tampered));
      expect(() => readProposal(file)).to.throw(/was changed after it was proposed/);
      const forged = JSON.parse(original);
      const signature = await signSafeTransaction(member(3), deployment.chainId, forged.committee.safe, forged.transaction);
      forged.signatures[member(4).address] = signature;
      fs.writeFileSync(file, JSON.stringify(forged));
      expect(() => readProposal(file)).to.throw(/holds a signature filed under .* that .* did not make/);
    });

    it("changes its own members and threshold through itself", async () => {
      const { deployment, operator, others } = await loadFixture(committeeSuite);
      const safe = deployment.roles.governor.account;
      const file = tempFile("member.json");
      const proposer = new CommitteeProposer({ deployment, provider: hre.ethers.provider, file, role: "governor" });
      const newcomer = others[3].address;
      await proposer.propose(safe, safe, SAFE_INTERFACE.encodeFunctionData("addOwnerWithThreshold", [newcomer, 3]), false);
      const description = await describeCall({ deployment }, safe, readProposal(file).transaction.data);
      expect(description.text).to.equal(`add ${newcomer} to the GOVERNOR committee (${safe}), 3 signatures needed from then on`);
      expect(description.warnings).to.deep.equal(["It changes the committee itself: who decides for it, or how many must agree."]);
      for (const index of [4, 5]) writeProposal(file, withSignature(readProposal(file), await signSafeTransaction(member(index), deployment.chainId, safe, readProposal(file).transaction)).proposal);
      await executeProposal(operator, deployment, readProposal(file));
      const after = (await readSafe(hre.ethers.provider, safe))!;
      expect([after.members.includes(newcomer), after.threshold]).to.deep.equal([true, 3]);
    });

    it("the executor module carries out only what the Safe scheduled, once ready", async () => {
      const { deployment, operator, others } = await loadFixture(committeeSuite);
      const executor = ScheduledOperationExecutor__factory.connect(deployment.safe!.executor, others[0]);
      const directoryAddress = deployment.contracts.ParticipantDirectory.address;
      const data = directoryData("offboard", [1, evidence("x")]);
      const safe = deployment.roles.governor.account;
      await expect(executor.execute(safe, directoryAddress, data)).to.be.revertedWithCustomError(executor, "ScheduledOperationExecutorNotScheduled");
      // The operator's own scheduled operation is not the Safe's: the module will not touch it.
      const authority = SakshyaAuthorityAt(deployment.contracts.SakshyaAuthority.address);
      const onboard = directoryData("onboard", [code("x"), KIND.court, CAP.courtOrders, [0], evidence("x")]);
      await new Governance(authority.connect(operator), operator).call(directoryAddress, onboard);
      await expect(executor.execute(operator.address, directoryAddress, onboard)).to.be.reverted;
      await expect(executor.execute(safe, directoryAddress, onboard)).to.be.revertedWithCustomError(executor, "ScheduledOperationExecutorNotScheduled");
      await expect(new ScheduledOperationExecutor__factory(others[0]).deploy(hre.ethers.ZeroAddress)).to.be.revertedWithCustomError(executor, "ScheduledOperationExecutorZeroManager");
      // A Safe's scheduled operation before its delay.
      const file = tempFile("offboard.json");
      await new Governance(authority, operator, new CommitteeProposer({ deployment, provider: hre.ethers.provider, file })).call(directoryAddress, data);
      for (const index of [3, 4]) writeProposal(file, withSignature(readProposal(file), await signSafeTransaction(member(index), deployment.chainId, safe, readProposal(file).transaction)).proposal);
      const { operation } = await executeProposal(operator, deployment, readProposal(file));
      await expect(executor.execute(safe, directoryAddress, data)).to.be.revertedWithCustomError(executor, "ScheduledOperationExecutorNotReady").withArgs(operation!.operationId, (await time.latest()) + DAY - 0);
      // Ready, the call itself is refused (there is no organisation 1): the module passes the target's own refusal on.
      await time.increase(DAY);
      const directory = ParticipantDirectory__factory.connect(directoryAddress, others[0]);
      await expect(executor.execute(safe, directoryAddress, data)).to.be.revertedWithCustomError(directory, "ParticipantDirectoryUnknownOrganisation").withArgs(1);
    });
  });

  describe("production plans", () => {
    it("read a committee from .env: members and threshold, each checked", () => {
      const env = { ...process.env };
      try {
        const [a, b, c] = [3, 4, 5].map((i) => member(i).address);
        Object.assign(process.env, { SAKSHYA_GOVERNOR_MEMBERS: `${a}, ${b},${c}`, SAKSHYA_GOVERNOR_THRESHOLD: "2", SAKSHYA_OPERATOR: a, SAKSHYA_GUARDIAN: b, SAKSHYA_GOVERNOR_DELAY: "", SAKSHYA_OPERATOR_DELAY: "" });
        delete process.env.SAKSHYA_GOVERNOR;
        expect(rolePlan("besu", []).governor).to.deep.equal({ members: [a, b, c], threshold: 2 });
        // The local chain keeps its development accounts, unless a committee is named.
        expect(rolePlan("localhost", ["0x1", "0x2", "0x3"]).governor).to.deep.equal({ members: [a, b, c], threshold: 2 });
        process.env.SAKSHYA_GOVERNOR_THRESHOLD = "two";
        expect(() => rolePlan("besu", [])).to.throw(/Set SAKSHYA_GOVERNOR_THRESHOLD in .env: how many of the 3 members/);
        process.env.SAKSHYA_GOVERNOR_MEMBERS = `${a},0x1234`;
        expect(() => rolePlan("besu", [])).to.throw(/SAKSHYA_GOVERNOR_MEMBERS holds "0x1234", which is not an address/);
        delete process.env.SAKSHYA_GOVERNOR_MEMBERS;
        expect(() => rolePlan("besu", [])).to.throw(/Set SAKSHYA_GOVERNOR in .env.*or SAKSHYA_GOVERNOR_MEMBERS and SAKSHYA_GOVERNOR_THRESHOLD/);
        expect(rolePlan("localhost", ["0x1", "0x2", "0x3"]).governor).to.equal("0x1");
      } finally {
        process.env = env;
      }
    });

    it("refuse a committee that names a member twice, or a threshold its members cannot reach", async () => {
      const [deployer, operator, guardian, a, b] = await hre.ethers.getSigners();
      const base = { operator: operator.address, guardian: guardian.address, responder: operator.address, governorDelay: 0, operatorDelay: 0 };
      await rejects(deploySuite(hre, { signer: deployer, plan: { ...base, governor: { members: [a.address, a.address], threshold: 1 } }, deploymentFile: tempFile("d.json") }), /The governor committee names a member twice/);
      await rejects(deploySuite(hre, { signer: deployer, plan: { ...base, governor: { members: [a.address, b.address], threshold: 3 } }, deploymentFile: tempFile("d.json") }), /threshold must be a whole number from 1 to its 2 members, not 3/);
      await rejects(deploySuite(hre, { signer: deployer, plan: { ...base, governor: { members: ["0x12"], threshold: 1 } }, deploymentFile: tempFile("d.json") }), /member "0x12" is not an address/);
    });

    it("refuse a governor or guardian that is a single key, or a Safe needing one signature, unless it is meant, which warns", async () => {
      const [deployer, operator, guardian, a, b] = await hre.ethers.getSigners();
      const keys = { governor: a.address, operator: operator.address, guardian: guardian.address, responder: operator.address, governorDelay: DAY, operatorDelay: DAY };
      await rejects(deploySuite(hre, { signer: deployer, plan: keys, deploymentFile: tempFile("p.json"), production: true }), /The GOVERNOR is a single key .*, not a committee.*--allow-single-key-governor/);
      const oneOfTwo = { ...keys, governor: { members: [a.address, b.address], threshold: 1 } };
      await rejects(deploySuite(hre, { signer: deployer, plan: oneOfTwo, deploymentFile: tempFile("p.json"), production: true }), /The GOVERNOR is a Safe needing only 1 signature/);
      const { steps } = await deploySuite(hre, { signer: deployer, plan: keys, deploymentFile: tempFile("p.json"), production: true, allowSingleKeyGovernor: true });
      expect(steps.filter((s) => s.status === "warning").map((s) => s.step)).to.deep.equal([
        `The GOVERNOR is a single key (${a.address}), not a committee: one key could then change the rules alone; allowed by --allow-single-key-governor`,
        `The GUARDIAN is a single key (${guardian.address}), not a committee: one key could then change the rules alone; allowed by --allow-single-key-governor`,
      ]);
    });

    it("move a one-key suite to committees by deploying again with them in the plan: the key hands its roles over", async () => {
      const { deployment, governor, plan, authority } = await loadFixture(deployedSuite);
      // The fixture's file is shared with (and changed by) other tests: this one moves its own copy on.
      const deploymentFile = tempFile("moved.json");
      writeDeployment(deploymentFile, deployment);
      const sbic = [3, 4, 5].map((i) => member(i).address);
      const { steps } = await deploySuite(hre, { signer: governor, plan: { ...plan, governor: { members: sbic, threshold: 2 } }, deploymentFile });
      const safe = readDeployment(deploymentFile).roles.governor.account;
      expect(safe).to.not.equal(deployment.roles.governor.account);
      expect(await authority.hasRole(ROLES.governor.id, safe)).to.deep.equal([true, 0n]);
      expect(await authority.hasRole(ADMIN_ROLE, safe)).to.deep.equal([true, 0n]);
      expect([(await authority.hasRole(ROLES.governor.id, governor.address))[0], (await authority.hasRole(ADMIN_ROLE, governor.address))[0]]).to.deep.equal([false, false]);
      expect(steps.filter((s) => s.status === "done").map((s) => s.step)).to.include.members([
        `deployer ${governor.address} renounces GOVERNOR`,
        `deployer ${governor.address} renounces ADMIN`,
      ]);
    });
  });
});

function SakshyaAuthorityAt(address: string) {
  return SakshyaAuthority__factory.connect(address, hre.ethers.provider);
}

function directoryData(fn: string, args: unknown[]): string {
  return (ParticipantDirectory__factory.createInterface() as Interface).encodeFunctionData(fn, args);
}
