import { ContractFactory, getAddress, id as textHash, keccak256, type Signer } from "ethers";
import { SafeModuleSetup__factory, ScheduledOperationExecutor__factory } from "../typechain-types";
import { CANONICAL_CODE_HASHES, SAFE_ARTIFACTS, SAFE_PROXY_FACTORY_INTERFACE, predictSafeAddress, readSafe, setupData } from "../src/committee/safe";
import { sendAndWait } from "../src/chain/transact";
import type { SafeInfrastructure } from "../src/config/deployments";
import { ChainError, InputError } from "../src/errors";
import type { CommitteeSpec } from "./config";
import type { StepStatus } from "./suite";

type Record_ = (step: string, status: StepStatus) => void;

/**
 * What committees need on a chain: Safe's audited singleton and proxy factory (their code checked against Safe's own
 * canonical deployments), the module setup the Safes are created with, and the module that carries out what a committee
 * scheduled once its delay has passed. Each is deployed once; a rerun finds them.
 */
export async function deploySafeInfrastructure(signer: Signer, manager: string, previous: SafeInfrastructure | undefined, record: Record_): Promise<SafeInfrastructure> {
  const provider = signer.provider!;
  const present = async (address?: string) => address !== undefined && (await provider.getCode(address)) !== "0x";
  const once = async (name: string, address: string | undefined, deploy: () => Promise<string>): Promise<string> => {
    if (await present(address)) {
      record(`${name} already deployed`, "skipped");
      return address!;
    }
    const deployed = await deploy();
    record(`${name} deployed at ${deployed}`, "done");
    return deployed;
  };
  const fromArtifact = (name: "Safe" | "SafeProxyFactory") => async () => {
    const contract = await new ContractFactory(SAFE_ARTIFACTS[name].abi, SAFE_ARTIFACTS[name].bytecode, signer).deploy();
    await contract.waitForDeployment();
    return contract.getAddress();
  };
  const infrastructure: SafeInfrastructure = {
    singleton: await once("Safe 1.4.1 singleton", previous?.singleton, fromArtifact("Safe")),
    proxyFactory: await once("Safe 1.4.1 proxy factory", previous?.proxyFactory, fromArtifact("SafeProxyFactory")),
    moduleSetup: await once("SafeModuleSetup", previous?.moduleSetup, async () => {
      const contract = await new SafeModuleSetup__factory(signer).deploy();
      await contract.waitForDeployment();
      return contract.getAddress();
    }),
    executor: await once("ScheduledOperationExecutor", previous?.executor, async () => {
      const contract = await new ScheduledOperationExecutor__factory(signer).deploy(manager);
      await contract.waitForDeployment();
      return contract.getAddress();
    }),
  };
  for (const [name, address] of [["Safe", infrastructure.singleton], ["SafeProxyFactory", infrastructure.proxyFactory]] as const) {
    const codeHash = keccak256(await provider.getCode(address));
    if (codeHash !== CANONICAL_CODE_HASHES[name]) {
      throw new ChainError(`The ${name} at ${address} is not Safe's audited 1.4.1 code (its code hash is ${codeHash}); no committee is created on it.`);
    }
  }
  return infrastructure;
}

/** Members checksummed and distinct, and a threshold they can reach. */
export function checkCommittee(role: string, spec: CommitteeSpec): CommitteeSpec {
  const members = spec.members.map((member) => {
    try {
      return getAddress(member);
    } catch {
      throw new InputError(`The ${role} committee's member "${member}" is not an address.`);
    }
  });
  if (new Set(members).size !== members.length) throw new InputError(`The ${role} committee names a member twice.`);
  if (!Number.isInteger(spec.threshold) || spec.threshold < 1 || spec.threshold > members.length) {
    throw new InputError(`The ${role} committee's threshold must be a whole number from 1 to its ${members.length} members, not ${spec.threshold}.`);
  }
  return { members, threshold: spec.threshold };
}

/**
 * The committee's Safe: its members, its threshold, and the executor module, at the address these determine (CREATE2
 * from the role's salt), so a rerun finds the very Safe it made. A committee whose configuration changed since is a
 * new Safe; its old one changes its members through itself.
 */
export async function ensureCommittee(signer: Signer, infrastructure: SafeInfrastructure, role: string, spec: CommitteeSpec, record: Record_): Promise<string> {
  const { members, threshold } = checkCommittee(role, spec);
  const enable = SafeModuleSetup__factory.createInterface().encodeFunctionData("enableModules", [[infrastructure.executor]]);
  const initializer = setupData(members, threshold, infrastructure.moduleSetup, enable);
  const saltNonce = BigInt(textHash(`sakshya ${role} committee`));
  const address = predictSafeAddress(infrastructure.proxyFactory, infrastructure.singleton, initializer, saltNonce);
  if (await readSafe(signer.provider!, address)) {
    record(`${role} committee (${threshold} of ${members.length}) already at ${address}`, "skipped");
    return address;
  }
  await sendAndWait(signer, {
    to: infrastructure.proxyFactory,
    data: SAFE_PROXY_FACTORY_INTERFACE.encodeFunctionData("createProxyWithNonce", [infrastructure.singleton, initializer, saltNonce]),
  });
  if (!(await readSafe(signer.provider!, address))) throw new ChainError(`The ${role} committee's Safe was not created at ${address}.`);
  record(`${role} committee: Safe ${address}, ${threshold} of ${members.join(", ")}`, "done");
  return address;
}
