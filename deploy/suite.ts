import fs from "node:fs";
import { Wallet, type Interface, type Provider, type Signer } from "ethers";
import type { HardhatRuntimeEnvironment } from "hardhat/types";
import { awaitSettledAccount, submitPipelined, type PipelineProvider } from "../src/chain/pipeline";
import { SakshyaAuthority__factory, ValidatorSet__factory, type SakshyaAuthority } from "../typechain-types";
import { VALIDATOR_CONTRACT_ADDRESS } from "../src/besu/validator-contract";
import { sendAndWait } from "../src/chain/transact";
import { readDeployment, writeDeployment, type DeployedContract, type Deployment } from "../src/config/deployments";
import { ChainError, InputError } from "../src/errors";
import { Governance } from "../src/governance/governed";
import { GOVERNED_INTERFACES, type GovernedContractName } from "../src/governance/interfaces";
import { ADMIN_ROLE, AUTHORITY_VETOABLE, FUNCTION_ROLES, GUARDED_ROLES, ROLES, ROLE_NAMES, VALIDATOR_SET_ROLES, type RoleName } from "../src/governance/roles";
import type { NetworkDescription } from "../src/besu/network";
import { readSafe } from "../src/committee/safe";
import { isLocalNetwork } from "../src/config/networks";
import type { RolePlan, RolePlanSpec } from "./config";
import { deploySafeInfrastructure, ensureCommittee } from "./committees";
import { bootstrapGenesis, permissioningAwaitsBinding } from "./genesis";
import { counted } from "../src/io/counted";

const SUITE_VERSION: string = require("../package.json").version;

export type StepStatus = "done" | "skipped" | "scheduled" | "warning";
export interface Step {
  readonly step: string;
  readonly status: StepStatus;
}

export interface DeployOptions {
  readonly signer: Signer;
  /** Who holds each role; a holder given as a committee gets its Safe created (once) by the deployment. */
  readonly plan: RolePlanSpec;
  /**
   * A shared network (by default, any but the local chains): the governor and guardian must then be committees — a
   * contract answering as a Safe with a threshold of at least 2 — unless `allowSingleKeyGovernor`, which only warns.
   */
  readonly production?: boolean;
  readonly allowSingleKeyGovernor?: boolean;
  /** Where the deployment is recorded; re-running with the same file resumes and skips what exists. */
  readonly deploymentFile: string;
  /** The network folder of `besu generate`, on a chain started from its genesis: its nodes are registered and its contracts bound. */
  readonly network?: NetworkDescription;
  readonly log?: (step: Step) => void;
  /** Longest wait for the deployer's transactions still in the node's pool (an interrupted run's) before anything is read. */
  readonly settleMs?: number;
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
  // What an interrupted run left in the pool is waited for first: every step below is then judged by what it did.
  await awaitSettledAccount(ethers.provider, deployer, options.settleMs);
  const previous = fs.existsSync(options.deploymentFile) ? readDeployment(options.deploymentFile) : undefined;
  if (previous && previous.chainId !== chainId) {
    throw new ChainError(`${options.deploymentFile} describes chain ${previous.chainId}, but this network is chain ${chainId}.`);
  }
  const isDeployed = async (address?: string) => address !== undefined && (await ethers.provider.getCode(address)) !== "0x";

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

  const committees = ROLE_NAMES.filter((name) => typeof options.plan[name] === "object");
  const safe = committees.length > 0 ? await deploySafeInfrastructure(options.signer, authorityRecord!.address, previous?.safe, record) : previous?.safe;
  const holders: Partial<Record<RoleName, string>> = {};
  for (const name of ROLE_NAMES) {
    const holder = options.plan[name];
    holders[name] = typeof holder === "string" ? holder : await ensureCommittee(options.signer, safe!, name, holder, record);
  }
  const plan: RolePlan = { ...options.plan, ...(holders as Record<RoleName, string>) };
  await requireCommittees(ethers.provider, plan, options.production ?? !isLocalNetwork(hre.network.name), options.allowSingleKeyGovernor ?? false, record);
  const roles = Object.fromEntries(
    await Promise.all(
      ROLE_NAMES.map(async (name) => {
        const found = await readSafe(ethers.provider, plan[name]);
        const committee = found && { members: found.members, threshold: found.threshold };
        return [name, { account: plan[name], executionDelay: delayOf(plan, name), ...(committee ? { committee } : {}) }];
      }),
    ),
  ) as Deployment["roles"];

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
    ...(safe ? { safe } : {}),
  };
  writeDeployment(options.deploymentFile, deployment);

  const authority = SakshyaAuthority__factory.connect(authorityAddress, options.signer);
  await wireRoles(authority, new Governance(authority, options.signer), deployment, plan, record);
  await bootstrapGenesis(authority, options.signer, deployment, options.network, record);
  if (await permissioningAwaitsBinding(options.signer)) {
    // Nobody but the deployer may transact until the permissioning contracts are bound; handing over now would leave
    // no one able to register the genesis nodes that binding needs.
    record("hand-over withheld: the genesis permissioning contracts await binding; deploy again with --network-dir to bind them and hand over", "warning");
    return { deployment, steps };
  }
  if (steps.some((step) => step.status === "scheduled")) {
    record("hand-over waits: execute the operations scheduled above once their delay has passed, then deploy again", "warning");
    return { deployment, steps };
  }
  await handOver(authority, options.signer, deployer, plan, previous, record);
  return { deployment, steps };
}

/**
 * On a shared network the governor and guardian are committees: a contract that answers as a Safe with a threshold of
 * at least two. A single key there is refused, or with `allowSingleKeyGovernor` taken with a warning.
 */
async function requireCommittees(provider: Provider, plan: RolePlan, production: boolean, allowSingleKey: boolean, record: (step: string, status: StepStatus) => void): Promise<void> {
  for (const name of ["governor", "guardian"] as const) {
    const found = await readSafe(provider, plan[name]);
    if (found && found.threshold >= 2) continue;
    const what = found ? `a Safe needing only ${found.threshold} signature` : "a single key";
    if (!production) {
      record(`${ROLES[name].label} is ${what} (${plan[name]}): a development shortcut, never for a shared network`, "warning");
      continue;
    }
    const sentence = `The ${ROLES[name].label} is ${what} (${plan[name]}), not a committee: one key could then change the rules alone`;
    if (!allowSingleKey) throw new InputError(`${sentence}. Name a committee (SAKSHYA_${name.toUpperCase()}_MEMBERS and _THRESHOLD, or the address of a Safe with a threshold of 2 or more), or pass --allow-single-key-governor if that is meant.`);
    record(`${sentence}; allowed by --allow-single-key-governor`, "warning");
  }
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

  // The AccessManager's own functions are the governor's (as ADMIN) whatever their role here says; filed under
  // GOVERNOR, whose guardian is the GUARDIAN, they become operations the guardian may cancel.
  const vetoable = AUTHORITY_VETOABLE.map((fn) => encode.getFunction(fn)!.selector);
  const unguarded: string[] = [];
  for (const selector of vetoable) if ((await authority.getTargetFunctionRole(manager, selector)) !== ROLES.governor.id) unguarded.push(selector);
  const guardStep = `GUARDIAN may cancel the governor's ${AUTHORITY_VETOABLE.length} role and permission changes`;
  if (unguarded.length === 0) record(guardStep, "skipped");
  else await apply(guardStep, encode.encodeFunctionData("setTargetFunctionRole", [manager, unguarded, ROLES.governor.id]));

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
      const step = `${contractName}: ${counted(functions.length, "function")} to ${ROLES[name].label}`;
      if (selectors.length === 0) record(step, "skipped");
      else await apply(step, encode.encodeFunctionData("setTargetFunctionRole", [target, selectors, ROLES[name].id]));
    }
  }

  await applyWiring(governance, manager, pending, record);
}

/**
 * Whoever held a role before and the plan no longer names loses it — so a suite moves from one key to a committee by
 * deploying again with the committee in the plan — and the deployer gives up the admin role it was born with: from
 * now on the governor administers, with its delay.
 */
async function handOver(
  authority: SakshyaAuthority,
  signer: Signer,
  deployer: string,
  plan: RolePlan,
  previous: Deployment | undefined,
  record: (step: string, status: StepStatus) => void,
): Promise<void> {
  const governance = new Governance(authority, signer);
  const manager = await authority.getAddress();
  const former: Array<{ roleId: bigint; label: string; account: string }> = [];
  for (const name of ROLE_NAMES) {
    const before = previous?.roles[name]?.account;
    if (!before || before === plan[name]) continue;
    former.push({ roleId: ROLES[name].id, label: ROLES[name].label, account: before });
    if (name === "governor") former.push({ roleId: ADMIN_ROLE, label: "ADMIN", account: before });
  }
  if (deployer !== plan.governor && !former.some((f) => f.roleId === ADMIN_ROLE && f.account === deployer)) {
    former.push({ roleId: ADMIN_ROLE, label: "ADMIN", account: deployer });
  }
  // Others' roles first, while the signer is still the admin that may revoke them; its own last, by renouncing.
  former.sort((a, b) => Number(a.account === deployer) - Number(b.account === deployer));
  for (const { roleId, label, account } of former) {
    const [holds] = await authority.hasRole(roleId, account);
    if (!holds) {
      record(`${account === deployer ? "deployer " : ""}${account} holds no ${label} role`, "skipped");
    } else if (account === deployer) {
      await sendAndWait(signer, { to: manager, data: authority.interface.encodeFunctionData("renounceRole", [roleId, deployer]) });
      record(`deployer ${deployer} renounces ${label}`, "done");
    } else if ((await authority.canCall(deployer, manager, authority.interface.getFunction("revokeRole")!.selector))[0]) {
      await governance.call(manager, authority.interface.encodeFunctionData("revokeRole", [roleId, account]));
      record(`revoke ${label} from its former holder ${account}`, "done");
    } else {
      // Scheduled by a key about to renounce, it could never be executed: the new governor revokes it.
      record(`${account} still holds ${label}: the governor revokes it (sakshya roles revoke ${label.toLowerCase()} ${account} --propose)`, "warning");
    }
  }
}
