import { Contract, type Signer } from "ethers";
import type { HardhatRuntimeEnvironment } from "hardhat/types";
import { SakshyaAuthority__factory } from "../typechain-types";
import { deployedContractOf, writeDeployment, type Deployment } from "../src/config/deployments";
import { InputError } from "../src/errors";
import { Governance, type Outcome, type Proposer } from "../src/governance/governed";
import { delayShortfalls, type DelayShortfall, type PlannedDelays } from "../src/governance/inspect";
import { registerDeployedLayout, releasedContract } from "./releases";
import { landConstructorArgs } from "./suite";

/** Proxied contracts of the suite that can be upgraded. */
export const UPGRADEABLE = ["ParticipantDirectory", "CertificateRegistry", "LandRegistry", "WebsiteRegistry"] as const;
export type UpgradeableName = (typeof UPGRADEABLE)[number];

/**
 * Constructor arguments of each implementation: registries bake the directory's proxy address in as an immutable, and
 * the land registry its extension too, deployed anew with each implementation — only once the upgrade is known to be
 * safe (until then, `deploy` false, the directory stands in for it: immutables do not change a storage layout).
 */
async function constructorArgsOf(hre: HardhatRuntimeEnvironment, name: UpgradeableName, deployment: Deployment, signer: Signer, deploy: boolean): Promise<unknown[]> {
  const directory = deployment.contracts.ParticipantDirectory.address;
  if (name === "ParticipantDirectory") return [];
  if (name !== "LandRegistry") return [directory];
  return deploy ? landConstructorArgs(hre, signer, directory) : [directory, directory];
}

export interface UpgradeOptions {
  readonly signer: Signer;
  readonly deployment: Deployment;
  readonly deploymentFile: string;
  readonly contract: string;
  /** Name of the new implementation's contract: the suite contract itself, or a variant built for a test. */
  readonly to: string;
  /** The delays the network's plan asks (by default, those the deployment file recorded). */
  readonly delays?: PlannedDelays;
  /** Writes the upgrade (or the delay fixes it waits for) as a committee's proposal instead of sending it. */
  readonly proposer?: Proposer;
}

/** The upgrade sent, scheduled or proposed — or held back until the power-granting roles wait as the plan says. */
export type UpgradeResult =
  | { readonly status: "upgrade"; readonly implementation: string; readonly outcome: Outcome }
  | { readonly status: "delays-first"; readonly shortfalls: DelayShortfall[]; readonly fixes: Array<Outcome | PendingFix> };

/** A fix scheduled by an earlier run, still waiting out its delay: it is not scheduled twice. */
export interface PendingFix {
  readonly status: "pending";
  readonly operationId: string;
  readonly executableAt: number;
}

/**
 * Upgrades a suite proxy. First, every power-granting role must wait as the plan says: a shortfall is fixed by a grant
 * with the planned delay, and while a fix is only scheduled or proposed the upgrade waits ("delays-first"). Then the
 * upgrades plugin proves the new implementation's storage layout compatible with the deployed one (the layout
 * recorded in deploy/releases when the running version shipped), the implementation is deployed, and
 * `upgradeToAndCall` goes through governance — executed now, scheduled when the governor's role has a delay, or
 * proposed to the governor's committee.
 */
export async function upgradeContract(hre: HardhatRuntimeEnvironment, options: UpgradeOptions): Promise<UpgradeResult> {
  if (!(UPGRADEABLE as readonly string[]).includes(options.contract)) {
    throw new InputError(`"${options.contract}" is not an upgradeable suite contract; choose one of ${UPGRADEABLE.join(", ")}.`);
  }
  const name = options.contract as UpgradeableName;
  const proxy = deployedContractOf(options.deployment, name).address;
  const authority = SakshyaAuthority__factory.connect(options.deployment.contracts.SakshyaAuthority.address, options.signer);
  const governance = new Governance(authority, options.signer, options.proposer);
  // A version that relies on delayed grants must not run while a role still grants power at once (1.0.0's operator):
  // the delays are raised first, in the same governance step, and the upgrade waits until they hold.
  const shortfalls = await delayShortfalls(authority, options.deployment, options.delays);
  if (shortfalls.length > 0) {
    const manager = await authority.getAddress();
    const caller = await options.signer.getAddress();
    const fixes: Array<Outcome | PendingFix> = [];
    for (const s of shortfalls) {
      const data = authority.interface.encodeFunctionData("grantRole", [s.roleId, s.account, s.planned]);
      const operationId = await authority.hashOperation(caller, manager, data);
      const executableAt = Number(await authority.getSchedule(operationId));
      fixes.push(executableAt !== 0 && !options.proposer ? { status: "pending", operationId, executableAt } : await governance.call(manager, data));
    }
    const remaining = await delayShortfalls(authority, options.deployment, options.delays);
    if (remaining.length > 0) return { status: "delays-first", shortfalls, fixes };
  }
  const validationArgs = await constructorArgsOf(hre, name, options.deployment, options.signer, false);
  const { ethers, upgrades } = hre;
  let factory;
  try {
    factory = await ethers.getContractFactory(options.to, options.signer);
  } catch {
    throw new InputError(`No compiled contract named "${options.to}".`);
  }
  // The layout to keep is the one of the version the proxy runs now, as recorded when that version shipped.
  const running = await new Contract(proxy, ["function version() view returns (string)"], ethers.provider).version().catch(() => {
    throw new InputError(`${name} at ${proxy} does not answer version(): it is not a suite contract, or the chain lost it.`);
  });
  await registerDeployedLayout(hre.network.provider, proxy, releasedContract(String(running), name).layout);
  try {
    // The plugin builds the new implementation's bytecode from `constructorArgs` here too, though its types omit it.
    const validation = { kind: "uups", constructorArgs: validationArgs } as Parameters<typeof upgrades.validateUpgrade>[2];
    await upgrades.validateUpgrade(proxy, factory, validation);
  } catch (error) {
    const reason = error instanceof Error ? error.message.split("\n").slice(0, 3).join(" ") : String(error);
    throw new InputError(`${options.to} cannot safely replace ${name}: ${reason}`);
  }
  const constructorArgs = await constructorArgsOf(hre, name, options.deployment, options.signer, true);
  const implementation = String(await upgrades.prepareUpgrade(proxy, factory, { kind: "uups", constructorArgs }));
  const data = factory.interface.encodeFunctionData("upgradeToAndCall", [implementation, "0x"]);
  const outcome = await governance.call(proxy, data);
  if (outcome.status === "executed") {
    const updated: Deployment = {
      ...options.deployment,
      updatedAt: new Date().toISOString(),
      contracts: { ...options.deployment.contracts, [name]: { ...deployedContractOf(options.deployment, name), implementation } },
    };
    writeDeployment(options.deploymentFile, updated);
  }
  return { status: "upgrade", implementation, outcome };
}
