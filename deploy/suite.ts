import fs from "node:fs";
import { Wallet, type Interface, type Signer } from "ethers";
import type { HardhatRuntimeEnvironment } from "hardhat/types";
import { submitPipelined, type PipelineProvider } from "../src/chain/pipeline";
import { SakshyaAuthority__factory, ValidatorSet__factory, type SakshyaAuthority } from "../typechain-types";
import { VALIDATOR_CONTRACT_ADDRESS } from "../src/besu/validator-contract";
import { sendAndWait } from "../src/chain/transact";
import { readDeployment, writeDeployment, type DeployedContract, type Deployment } from "../src/config/deployments";
import { ChainError } from "../src/errors";
import { Governance } from "../src/governance/governed";
import { GOVERNED_INTERFACES, type GovernedContractName } from "../src/governance/interfaces";
import { ADMIN_ROLE, FUNCTION_ROLES, GUARDED_ROLES, ROLES, ROLE_NAMES, VALIDATOR_SET_ROLES, type RoleName } from "../src/governance/roles";
import type { NetworkDescription } from "../src/besu/network";
import type { RolePlan } from "./config";
import { bootstrapGenesis } from "./genesis";

const SUITE_VERSION: string = require("../package.json").version;

export type StepStatus = "done" | "skipped" | "scheduled";
export interface Step {
  readonly step: string;
  readonly status: StepStatus;
}

export interface DeployOptions {
  readonly signer: Signer;
  readonly plan: RolePlan;
  /** Where the deployment is recorded; re-running with the same file resumes and skips what exists. */
  readonly deploymentFile: string;
  /** The network folder of `besu generate`, on a chain started from its genesis: its nodes are registered and its contracts bound. */
  readonly network?: NetworkDescription;
  readonly log?: (step: Step) => void;
}

/**
 * Deploys the suite (the AccessManager, then each contract behind a UUPS proxy), wires roles and permissions,
 * and records it in the deployment file. Idempotent: whatever is already deployed or wired is detected and skipped,
 * and the file is written after every deployment so an interrupted run resumes where it stopped.
 */
export async function deploySuite(hre: HardhatRuntimeEnvironment, options: DeployOptions): Promise<{ deployment: Deployment; steps: Step[] }> {
  const { ethers, upgrades } = hre;
  const steps: Step[] = [];
  const record = (step: string, status: StepStatus) => {
    steps.push({ step, status });
    options.log?.({ step, status });
  };
  const chainId = Number((await ethers.provider.getNetwork()).chainId);
  const deployer = await options.signer.getAddress();
  const previous = fs.existsSync(options.deploymentFile) ? readDeployment(options.deploymentFile) : undefined;
  if (previous && previous.chainId !== chainId) {
    throw new ChainError(`${options.deploymentFile} describes chain ${previous.chainId}, but this network is chain ${chainId}.`);
  }
  const isDeployed = async (address?: string) => address !== undefined && (await ethers.provider.getCode(address)) !== "0x";
  const roles = Object.fromEntries(
    ROLE_NAMES.map((name) => [name, { account: options.plan[name], executionDelay: delayOf(options.plan, name) }]),
  ) as Deployment["roles"];

  let authorityRecord = previous?.contracts.SakshyaAuthority;
  if (await isDeployed(authorityRecord?.address)) {
    record("SakshyaAuthority already deployed", "skipped");
  } else {
    const contract = await new SakshyaAuthority__factory(options.signer).deploy(deployer);
    const receipt = await contract.deploymentTransaction()!.wait();
    authorityRecord = { address: await contract.getAddress(), deployBlock: receipt!.blockNumber };
    record(`SakshyaAuthority deployed at ${authorityRecord.address}`, "done");
  }
  const authorityAddress = authorityRecord!.address;

  /** Deploys a UUPS proxy unless the recorded one exists; the implementation is read back from the proxy, since an
   * upgrade may have changed it since the file was written. */
  const proxyOnce = async (name: GovernedContractName, constructorArgs: unknown[] = []): Promise<DeployedContract> => {
    let proxyRecord = previous?.contracts[name];
    if (await isDeployed(proxyRecord?.address)) {
      record(`${name} already deployed`, "skipped");
    } else {
      const factory = await ethers.getContractFactory(name, options.signer);
      const proxy = await upgrades.deployProxy(factory, [authorityAddress], { kind: "uups", initializer: "initialize", constructorArgs });
      const receipt = await proxy.deploymentTransaction()!.wait();
      proxyRecord = { address: await proxy.getAddress(), deployBlock: receipt!.blockNumber };
      record(`${name} proxy deployed at ${proxyRecord.address}`, "done");
    }
    return { ...proxyRecord!, implementation: await upgrades.erc1967.getImplementationAddress(proxyRecord!.address) };
  };
  const directoryRecord = await proxyOnce("ParticipantDirectory");
  const certificateRecord = await proxyOnce("CertificateRegistry", [directoryRecord.address]);
  const landRecord = await isDeployed(previous?.contracts.LandRegistry?.address)
    ? await proxyOnce("LandRegistry")
    : await proxyOnce("LandRegistry", await landConstructorArgs(hre, options.signer, directoryRecord.address));
  const websiteRecord = await proxyOnce("WebsiteRegistry", [directoryRecord.address]);

  const deployment: Deployment = {
    suiteVersion: SUITE_VERSION,
    network: hre.network.name,
    chainId,
    deployBlock: authorityRecord!.deployBlock,
    updatedAt: new Date().toISOString(),
    contracts: {
      SakshyaAuthority: authorityRecord!,
      ParticipantDirectory: directoryRecord,
      CertificateRegistry: certificateRecord,
      LandRegistry: landRecord,
      WebsiteRegistry: websiteRecord,
    },
    roles,
  };
  writeDeployment(options.deploymentFile, deployment);

  const authority = SakshyaAuthority__factory.connect(authorityAddress, options.signer);
  await wireRoles(authority, new Governance(authority, options.signer), deployment, options.plan, record);
  await bootstrapGenesis(authority, options.signer, deployment, options.network, record);
  await handOver(authority, options.signer, deployer, options.plan, record);
  return { deployment, steps };
}

/** The execution delay a role's member gets: only the governor's and the operator's decisions wait. */
function delayOf(plan: RolePlan, role: RoleName): number {
  return role === "governor" ? plan.governorDelay : role === "operator" ? plan.operatorDelay : 0;
}

/**
 * The land registry's constructor arguments: the directory, and its extension — the contract carrying out its
 * splits, merges, court orders and liens in its storage — deployed fresh for each implementation.
 */
export async function landConstructorArgs(hre: HardhatRuntimeEnvironment, signer: Signer, directory: string): Promise<[string, string]> {
  const extension = await (await hre.ethers.getContractFactory("LandRegistryExtension", signer)).deploy(directory);
  await extension.waitForDeployment();
  return [directory, await extension.getAddress()];
}

interface WiringStep {
  readonly step: string;
  readonly data: string;
}

/**
 * Wiring calls do not depend on each other. When the deployer may make them all at once and signs locally, they are
 * pipelined — on Besu one or two blocks instead of a block each; otherwise they go one by one, each executed or, where
 * the caller's role has a delay, scheduled.
 */
async function applyWiring(governance: Governance, manager: string, steps: WiringStep[], record: (step: string, status: StepStatus) => void): Promise<void> {
  const signer = governance.signer;
  const caller = await signer.getAddress();
  const allowed = await Promise.all(steps.map((s) => governance.authority.canCall(caller, manager, s.data.slice(0, 10))));
  const provider = signer instanceof Wallet ? signer.provider : null;
  if (provider && "send" in provider && steps.length > 1 && allowed.every(([immediate]) => immediate)) {
    const { receipts } = await submitPipelined(signer as Wallet, provider as unknown as PipelineProvider, steps.map((s) => ({ to: manager, data: s.data })));
    receipts.forEach((receipt, i) => {
      if (receipt.status !== 1) throw new ChainError(`${steps[i].step} failed in transaction ${receipt.hash}.`);
      record(steps[i].step, "done");
    });
    return;
  }
  for (const { step, data } of steps) {
    const outcome = await governance.call(manager, data);
    if (outcome.status === "scheduled") record(`${step} (operation ${outcome.operationId})`, "scheduled");
    else record(step, "done");
  }
}

async function wireRoles(
  authority: SakshyaAuthority,
  governance: Governance,
  deployment: Deployment,
  plan: RolePlan,
  record: (step: string, status: StepStatus) => void,
): Promise<void> {
  const manager = await authority.getAddress();
  const pending: WiringStep[] = [];
  const apply = async (step: string, data: string) => {
    pending.push({ step, data });
  };
  const encode = authority.interface;

  const labelled = new Set(
    (await authority.queryFilter(authority.filters.RoleLabel(), deployment.deployBlock)).map((e) => e.args.roleId),
  );
  for (const name of ROLE_NAMES) {
    const role = ROLES[name];
    if (labelled.has(role.id)) record(`label ${role.label}`, "skipped");
    else await apply(`label ${role.label}`, encode.encodeFunctionData("labelRole", [role.id, role.label]));
  }

  const grants: Array<[bigint, string, number, string]> = [
    ...ROLE_NAMES.map((name): [bigint, string, number, string] => [ROLES[name].id, plan[name], delayOf(plan, name), ROLES[name].label]),
    [ADMIN_ROLE, plan.governor, plan.governorDelay, "ADMIN"],
  ];
  for (const [roleId, account, delay, label] of grants) {
    const [isMember, currentDelay] = await authority.hasRole(roleId, account);
    const step = `grant ${label} to ${account} (execution delay ${delay}s)`;
    if (isMember && Number(currentDelay) === delay) record(step, "skipped");
    else await apply(step, encode.encodeFunctionData("grantRole", [roleId, account, delay]));
  }

  for (const name of GUARDED_ROLES) {
    const step = `GUARDIAN guards ${ROLES[name].label}`;
    if ((await authority.getRoleGuardian(ROLES[name].id)) === ROLES.guardian.id) record(step, "skipped");
    else await apply(step, encode.encodeFunctionData("setRoleGuardian", [ROLES[name].id, ROLES.guardian.id]));
  }

  const governed: Array<{ name: string; target: string; contract: Interface; byRole: Partial<Record<RoleName, readonly string[]>> }> = Object.entries(FUNCTION_ROLES).map(
    ([name, byRole]) => ({ name, target: deployment.contracts[name as GovernedContractName]!.address, contract: GOVERNED_INTERFACES[name as GovernedContractName], byRole }),
  );
  // A Besu network from `besu generate` has the validator contract in its genesis: governed like the suite's own.
  if ((await authority.runner!.provider!.getCode(VALIDATOR_CONTRACT_ADDRESS)) !== "0x") {
    governed.push({ name: "ValidatorSet", target: VALIDATOR_CONTRACT_ADDRESS, contract: ValidatorSet__factory.createInterface(), byRole: VALIDATOR_SET_ROLES });
  }
  for (const { name: contractName, target, contract, byRole } of governed) {
    for (const name of Object.keys(byRole) as RoleName[]) {
      const functions = byRole[name] ?? [];
      if (functions.length === 0) continue;
      const selectors: string[] = [];
      for (const fn of functions) {
        const selector = contract.getFunction(fn)!.selector;
        if ((await authority.getTargetFunctionRole(target, selector)) !== ROLES[name].id) selectors.push(selector);
      }
      const step = `${contractName}: ${functions.length} functions to ${ROLES[name].label}`;
      if (selectors.length === 0) record(step, "skipped");
      else await apply(step, encode.encodeFunctionData("setTargetFunctionRole", [target, selectors, ROLES[name].id]));
    }
  }

  await applyWiring(governance, manager, pending, record);
}

/** The deployer gives up the admin role it was born with; from now on the governor administers, with its delay. */
async function handOver(authority: SakshyaAuthority, signer: Signer, deployer: string, plan: RolePlan, record: (step: string, status: StepStatus) => void): Promise<void> {
  if (deployer === plan.governor) return;
  const [stillAdmin] = await authority.hasRole(ADMIN_ROLE, deployer);
  if (!stillAdmin) record(`deployer ${deployer} holds no admin role`, "skipped");
  else {
    await sendAndWait(signer, { to: await authority.getAddress(), data: authority.interface.encodeFunctionData("renounceRole", [ADMIN_ROLE, deployer]) });
    record(`deployer ${deployer} renounces ADMIN`, "done");
  }
}
