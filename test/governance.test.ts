import fs from "node:fs";
import { expect } from "chai";
import hre from "hardhat";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import { deploySuite } from "../deploy/suite";
import { upgradeContract } from "../deploy/upgrade";
import { readDeployment } from "../src/config/deployments";
import { Governance } from "../src/governance/governed";
import { ADMIN_ROLE, FUNCTION_ROLES, ROLES } from "../src/governance/roles";
import { describePermissions, describeRoles, pendingOperations } from "../src/governance/inspect";
import { CAP, KIND, STATUS, code, deployedSuite, evidence, populatedSuite, rejects, upgraded } from "./fixtures";
import { ParticipantDirectoryV2__factory, SakshyaAuthority__factory } from "../typechain-types";
import { ZeroAddress, type Interface, type ParamType } from "ethers";
import { GOVERNED_INTERFACES } from "../src/governance/interfaces";

const DAY = 86_400;

/** A zero value of an ABI parameter's type: enough to reach a function's access check. */
function zeroOf(param: ParamType): unknown {
  if (param.baseType === "array") return param.arrayLength && param.arrayLength > 0 ? Array.from({ length: param.arrayLength }, () => zeroOf(param.arrayChildren!)) : [];
  if (param.baseType === "tuple") return param.components!.map(zeroOf);
  if (param.baseType === "address") return ZeroAddress;
  if (param.baseType === "bool") return false;
  if (param.baseType === "string") return "";
  if (param.baseType.startsWith("bytes")) return param.baseType === "bytes" ? "0x" : `0x${"00".repeat(Number(param.baseType.slice(5)))}`;
  return 0;
}

describe("Governance and deployment", () => {
  it("labels the roles on chain and gives each its members, guardian and functions", async () => {
    const { authority, deployment, plan } = await loadFixture(deployedSuite);
    const labels = await authority.queryFilter(authority.filters.RoleLabel());
    expect(labels.map((e) => [e.args.roleId, e.args.label])).to.deep.equal([
      [ROLES.governor.id, "GOVERNOR"],
      [ROLES.operator.id, "OPERATOR"],
      [ROLES.guardian.id, "GUARDIAN"],
      [ROLES.responder.id, "RESPONDER"],
    ]);
    const roles = await describeRoles(authority, deployment);
    expect(roles.map((r) => [r.label, r.members.map((m) => m.account), r.guardian])).to.deep.equal([
      ["ADMIN", [plan.governor], "ADMIN"],
      ["GOVERNOR", [plan.governor], "GUARDIAN"],
      ["OPERATOR", [plan.operator], "GUARDIAN"],
      ["GUARDIAN", [plan.guardian], "ADMIN"],
      ["RESPONDER", [plan.responder], "ADMIN"],
    ]);
    const permissions = await describePermissions(authority, deployment);
    expect(permissions.find((p) => p.function === "upgradeToAndCall")?.role).to.equal("GOVERNOR");
    expect(permissions.find((p) => p.function === "onboard")?.role).to.equal("OPERATOR");
    expect(permissions.find((p) => p.function === "pause")?.role).to.equal("GUARDIAN");
    expect(permissions.find((p) => p.function === "markAccountCompromised")?.role).to.equal("RESPONDER");
  });

  it("maps every restricted function of every governed contract to a named role, so none falls back to ADMIN", async () => {
    const { deployment, others } = await loadFixture(deployedSuite);
    const outsider = others[9];
    const unmapped: string[] = [];
    for (const [name, contract] of Object.entries(GOVERNED_INTERFACES) as Array<[keyof typeof FUNCTION_ROLES, Interface]>) {
      const mapped = new Set(Object.values(FUNCTION_ROLES[name]).flat());
      contract.forEachFunction((fn) => {
        // setAuthority answers only the AccessManager itself (AccessManaged), which moves a contract to another manager.
        if (fn.stateMutability === "view" || fn.stateMutability === "pure" || mapped.has(fn.name) || ["initialize", "setAuthority"].includes(fn.name)) return;
        unmapped.push(`${name}.${fn.format("sighash")}`);
      });
      for (const fn of unmapped.filter((u) => u.startsWith(`${name}.`))) {
        const fragment = contract.getFunction(fn.slice(name.length + 1))!;
        const data = contract.encodeFunctionData(fragment, fragment.inputs.map((input) => zeroOf(input)));
        const answer = await outsider.call({ to: deployment.contracts[name]!.address, data }).then(
          () => "",
          (error: { data?: string }) => (error.data ?? ""),
        );
        expect(answer.startsWith(contract.getError("AccessManagedUnauthorized")!.selector), `${fn} is restricted but given to no role`).to.equal(false);
      }
    }
  });

  it("writes the deployment file and skips everything on a second run", async () => {
    const { deploymentFile, deployment, governor, plan, steps } = await loadFixture(deployedSuite);
    expect(steps.every((s) => s.status === "done" || s.step.startsWith("grant ADMIN") || s.status === "warning")).to.equal(true);
    // The one-key roles of the local chains are said to be a development shortcut, every time.
    expect(steps.filter((s) => s.status === "warning").map((s) => s.step)).to.deep.equal([
      `GOVERNOR is a single key (${plan.governor}): a development shortcut, never for a shared network`,
      `GUARDIAN is a single key (${plan.guardian}): a development shortcut, never for a shared network`,
    ]);
    const written = readDeployment(deploymentFile);
    expect(written.chainId).to.equal(33033);
    expect(written.contracts.ParticipantDirectory.implementation).to.be.properAddress;
    expect(written.roles.governor.account).to.equal(plan.governor);
    const again = await deploySuite(hre, { signer: governor, plan, deploymentFile });
    expect(again.steps.filter((s) => s.status === "done" || s.status === "scheduled")).to.deep.equal([]);
    expect(again.deployment.contracts).to.deep.equal(deployment.contracts);
  });

  it("a rerun waits for what an interrupted run left in the node's pool, and only then judges what is missing", async () => {
    const { deploymentFile, governor, operator, plan } = await loadFixture(deployedSuite);
    const before = fs.readFileSync(deploymentFile, "utf8");
    await hre.network.provider.send("evm_setAutomine", [false]);
    try {
      // The deployer's transaction still waits in the pool, as an interrupted run leaves its wiring.
      await governor.sendTransaction({ to: operator.address, value: 1n });
      const nonce = await hre.ethers.provider.getTransactionCount(governor.address, "latest");
      await rejects(
        deploySuite(hre, { signer: governor, plan, deploymentFile, settleMs: 1_000 }),
        new RegExp(`^1 transaction \\(nonce ${nonce}\\) of ${governor.address} still wait in the node's pool after 1 s; nothing was sent, so that nothing is sent twice`),
      );
      expect(fs.readFileSync(deploymentFile, "utf8")).to.equal(before);
      // Mined while a rerun waits: the rerun then finds everything done and sends nothing.
      const rerun = deploySuite(hre, { signer: governor, plan, deploymentFile, settleMs: 10_000 });
      await new Promise((resolve) => setTimeout(resolve, 300));
      await hre.network.provider.send("evm_mine");
      await hre.network.provider.send("evm_setAutomine", [true]);
      const { steps } = await rerun;
      expect(steps.filter((s) => s.status === "done" || s.status === "scheduled")).to.deep.equal([]);
    } finally {
      await hre.network.provider.send("evm_setAutomine", [true]);
    }
  });

  it("refuses a deployment file of another chain", async () => {
    const { deploymentFile, governor, plan } = await loadFixture(deployedSuite);
    const other = { ...JSON.parse(fs.readFileSync(deploymentFile, "utf8")), chainId: 1 };
    fs.writeFileSync(deploymentFile, JSON.stringify(other));
    await rejects(deploySuite(hre, { signer: governor, plan, deploymentFile }), /describes chain 1/);
  });

  it("hands admin to the governor with its delay and makes the deployer renounce it", async () => {
    const [deployer, governor, operator, guardian] = await hre.ethers.getSigners();
    const plan = { governor: governor.address, operator: operator.address, guardian: guardian.address, responder: operator.address, governorDelay: DAY, operatorDelay: 0 };
    const { deployment } = await deploySuite(hre, { signer: deployer, plan, deploymentFile: `${fs.mkdtempSync("/tmp/sk-")}/d.json` });
    const authority = SakshyaAuthority__factory.connect(deployment.contracts.SakshyaAuthority.address, deployer);
    expect((await authority.hasRole(ADMIN_ROLE, deployer.address))[0]).to.equal(false);
    expect(await authority.hasRole(ADMIN_ROLE, governor.address)).to.deep.equal([true, BigInt(DAY)]);
    expect(await authority.hasRole(ROLES.governor.id, governor.address)).to.deep.equal([true, BigInt(DAY)]);
  });

  describe("with a governor delay", () => {
    async function delayedSuite() {
      const suite = await populatedSuite();
      const { authority, governor } = suite;
      // Give the governor a one-day execution delay, as on production networks.
      await authority.grantRole(ROLES.governor.id, governor.address, DAY);
      return { ...suite, governance: new Governance(authority, governor) };
    }

    it("schedules the governor's offboarding, which runs only after the delay", async () => {
      const { governance, directory, deployment, authority } = await loadFixture(delayedSuite);
      const data = directory.interface.encodeFunctionData("offboard", [1, evidence("closed")]);
      const outcome = await governance.call(await directory.getAddress(), data);
      expect(outcome.status).to.equal("scheduled");
      if (outcome.status !== "scheduled") return;
      expect(outcome.executableAt).to.equal((await time.latest()) + DAY);
      expect((await pendingOperations(authority, deployment)).map((p) => p.operationId)).to.deep.equal([outcome.operationId]);
      await rejects(governance.execute(outcome.operationId), /AccessManagerNotReady/);
      expect((await directory.organisation(1)).status).to.equal(STATUS.active);
      await time.increase(DAY);
      await governance.execute(outcome.operationId);
      expect((await directory.organisation(1)).status).to.equal(STATUS.offboarded);
      expect(await pendingOperations(authority, deployment)).to.deep.equal([]);
    });

    it("lets the guardian cancel a scheduled governor operation", async () => {
      const { governance, directory, authority, guardian } = await loadFixture(delayedSuite);
      const data = directory.interface.encodeFunctionData("offboard", [1, evidence("mistake")]);
      const outcome = await governance.call(await directory.getAddress(), data);
      if (outcome.status !== "scheduled") throw new Error("expected a scheduled operation");
      const guardianGovernance = new Governance(authority.connect(guardian), guardian);
      await expect(guardianGovernance.cancel(outcome.operationId)).to.emit(authority, "OperationCanceled");
      await time.increase(DAY);
      await rejects(governance.execute(outcome.operationId), /AccessManagerNotScheduled/);
      await rejects(guardianGovernance.operation(`0x${"ab".repeat(32)}`), /No operation/);
    });

    it("refuses a caller with no role outright", async () => {
      const { directory, authority, outsider } = await loadFixture(delayedSuite);
      const governance = new Governance(authority.connect(outsider), outsider);
      const data = directory.interface.encodeFunctionData("onboard", [code("x"), KIND.court, 0, [], evidence("x")]);
      await rejects(governance.call(await directory.getAddress(), data), /AccessManagedUnauthorized/);
    });
  });

  describe("upgrade", () => {
    it("validates storage layout, upgrades the directory, and keeps every record", async () => {
      const { directory, deployment, deploymentFile, governor, universityKey, revenueKey } = await loadFixture(populatedSuite);
      await directory.addNode(2, `0x${"11".repeat(32)}`, `0x${"22".repeat(32)}`, "10.0.0.2", 30303, false);
      const before = {
        count: await directory.organisationCount(),
        orgs: [await directory.organisation(1), await directory.organisation(2)],
        jurisdictions: await directory.jurisdictionsOf(2),
        accounts: await directory.accountsOf(1),
        nodes: await directory.nodeIds(),
        authority: await directory.authority(),
      };
      const result = upgraded(await upgradeContract(hre, { signer: governor, deployment, deploymentFile, contract: "ParticipantDirectory", to: "ParticipantDirectoryV2" }));
      expect(result.outcome.status).to.equal("executed");
      const directory2 = ParticipantDirectoryV2__factory.connect(await directory.getAddress(), governor);
      expect(await directory2.version()).to.equal("2.3.0");
      expect(await directory2.organisationCount()).to.equal(before.count);
      expect([await directory2.organisation(1), await directory2.organisation(2)]).to.deep.equal(before.orgs);
      expect(await directory2.jurisdictionsOf(2)).to.deep.equal(before.jurisdictions);
      expect(await directory2.accountsOf(1)).to.deep.equal(before.accounts);
      expect(await directory2.nodeIds()).to.deep.equal(before.nodes);
      expect(await directory2.authority()).to.equal(before.authority);
      expect(await directory2.authorizedOrganisation(universityKey.address, CAP.issueCertificates, 0)).to.equal(1);
      expect(await directory2.authorizedOrganisation(revenueKey.address, CAP.approveMutations, 101)).to.equal(2);
      expect(readDeployment(deploymentFile).contracts.ParticipantDirectory.implementation).to.equal(result.implementation);
    });

    it("refuses an incompatible implementation, a non-governor and an unknown contract", async () => {
      const { directory, deployment, deploymentFile, governor, operator } = await loadFixture(populatedSuite);
      const common = { deployment, deploymentFile, contract: "ParticipantDirectory" };
      await rejects(upgradeContract(hre, { ...common, signer: governor, to: "ParticipantDirectoryBroken" }), /cannot safely replace ParticipantDirectory/);
      await rejects(upgradeContract(hre, { ...common, signer: governor, to: "NoSuchContract" }), /No compiled contract/);
      await rejects(upgradeContract(hre, { ...common, contract: "Nope", signer: governor, to: "ParticipantDirectoryV2" }), /not an upgradeable suite contract/);
      await rejects(upgradeContract(hre, { ...common, signer: operator, to: "ParticipantDirectoryV2" }), /AccessManagedUnauthorized/);
      await expect(directory.upgradeToAndCall(deployment.contracts.ParticipantDirectory.implementation!, "0x"))
        .to.be.revertedWithCustomError(directory, "AccessManagedUnauthorized")
        .withArgs(operator.address);
    });
  });
});
