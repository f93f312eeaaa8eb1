import { ZeroAddress, dataSlice, getAddress, type Provider, type Signer } from "ethers";
import { IBesuPermissions__factory, ValidatorSet__factory } from "../../typechain-types";
import { sendAndWait } from "../chain/transact";
import type { Deployment } from "../config/deployments";
import type { DirectoryClient, NodeView } from "../directory/client";
import type { StatusName } from "../directory/vocabulary";
import { ChainError, InputError } from "../errors";
import { ADMIN_ROLE, ROLES, ROLE_NAMES } from "../governance/roles";
import { ACCOUNT_PERMISSIONS_ADDRESS, NODE_PERMISSIONS_ADDRESS } from "./permission-contracts";
import { VALIDATOR_CONTRACT_ADDRESS } from "./validator-contract";

/** The contracts `besu generate` pre-deploys, which the bootstrap account binds to the suite once it is deployed. */
export const GENESIS_CONTRACTS = [
  { name: "ValidatorSet", address: VALIDATOR_CONTRACT_ADDRESS },
  { name: "NodePermissions", address: NODE_PERMISSIONS_ADDRESS },
  { name: "AccountPermissions", address: ACCOUNT_PERMISSIONS_ADDRESS },
] as const;

export type GenesisContractName = (typeof GENESIS_CONTRACTS)[number]["name"];

export interface BindResult {
  readonly contract: GenesisContractName;
  readonly address: string;
  readonly status: "bound" | "already bound" | "absent";
  readonly transaction?: string;
}

/** Governance roles whose holders may transact under the account permissioning contract. */
const GOVERNANCE_ROLE_IDS = [ADMIN_ROLE, ...ROLE_NAMES.map((name) => ROLES[name].id)];

/**
 * Binds the genesis contracts present on this chain to the deployment's AccessManager and directory. Every check
 * is made before the first transaction, so a wrong key or a contract bound elsewhere sends nothing.
 */
export async function bindGenesisContracts(signer: Signer, deployment: Deployment): Promise<BindResult[]> {
  const provider = signer.provider!;
  const account = getAddress(await signer.getAddress());
  const directory = getAddress(deployment.contracts.ParticipantDirectory.address);
  const authority = getAddress(deployment.contracts.SakshyaAuthority.address);
  const plan: Array<{ contract: GenesisContractName; address: string; status: BindResult["status"] }> = [];
  for (const { name, address } of GENESIS_CONTRACTS) {
    if ((await provider.getCode(address)) === "0x") {
      plan.push({ contract: name, address, status: "absent" });
      continue;
    }
    const contract = name === "ValidatorSet" ? ValidatorSet__factory.connect(address, provider) : IBesuPermissions__factory.connect(address, provider);
    const bootstrap = await contract.bootstrap();
    if (bootstrap === ZeroAddress) {
      const boundTo = await contract.directory();
      if (getAddress(boundTo) !== directory) throw new ChainError(`${name} is bound to the directory at ${boundTo}, not this deployment's ${directory}.`);
      plan.push({ contract: name, address, status: "already bound" });
    } else if (getAddress(bootstrap) !== account) {
      throw new InputError(`${name} may be bound only by the bootstrap account ${bootstrap} named in the genesis; this key is ${account}.`);
    } else {
      plan.push({ contract: name, address, status: "bound" });
    }
  }
  if (plan.every((p) => p.status === "absent")) {
    throw new InputError(`This chain has no contract at ${GENESIS_CONTRACTS.map((c) => c.address).join(", ")}: it was not started from a genesis of "sakshya besu generate".`);
  }
  const results: BindResult[] = [];
  for (const step of plan) {
    if (step.status !== "bound") {
      results.push(step);
      continue;
    }
    const data =
      step.contract === "ValidatorSet"
        ? ValidatorSet__factory.createInterface().encodeFunctionData("bind", [authority, directory])
        : IBesuPermissions__factory.createInterface().encodeFunctionData("bind", [authority, directory, GOVERNANCE_ROLE_IDS]);
    const receipt = await sendAndWait(signer, { to: step.address, data });
    results.push({ ...step, transaction: receipt.hash });
  }
  return results;
}

export interface ValidatorView {
  readonly address: string;
  /** The directory's node for this validator, when it has one. */
  readonly node?: NodeView;
  /** Its organisation's standing in the directory, when the node is there. */
  readonly organisation?: StatusName | "unknown";
}

export interface ValidatorReport {
  readonly bound: boolean;
  /** The fewest validators pruning may leave. */
  readonly minimum: number;
  readonly validators: ValidatorView[];
  /** Validators whose node left the directory for good (removed, or organisation offboarded), prunable by anyone while the set is above its minimum. */
  readonly prunable: string[];
  /** Validators whose node the directory no longer allows but which stay until governance decides (a suspension, a capability taken away). */
  readonly held: string[];
  /** Validator nodes the directory allows that are not validating: `besu validators add` brings them in. */
  readonly candidates: NodeView[];
}

/** A validator's address is the last 20 bytes of its node id (keccak256 of the node's public key). */
export const validatorOf = (nodeId: string) => getAddress(dataSlice(nodeId, 12));

/** The validator set beside the directory's validator nodes, and where the two disagree. */
export async function describeValidators(provider: Provider, directory: DirectoryClient): Promise<ValidatorReport> {
  if ((await provider.getCode(VALIDATOR_CONTRACT_ADDRESS)) === "0x") {
    throw new InputError(`This chain has no validator contract at ${VALIDATOR_CONTRACT_ADDRESS}: its validators are in block headers (QBFT votes), not governed on chain.`);
  }
  const set = ValidatorSet__factory.connect(VALIDATOR_CONTRACT_ADDRESS, provider);
  const [addresses, bootstrap, minimum] = await Promise.all([set.getValidators(), set.bootstrap(), set.minimum()]);
  const nodes = await Promise.all((await directory.contract.nodeIds()).map((id) => directory.node(id)));
  const standing = new Map<number, StatusName | "unknown">();
  for (const orgId of new Set(nodes.map((n) => n.orgId))) standing.set(orgId, (await directory.organisation(orgId)).status);
  const byAddress = new Map(nodes.map((n) => [validatorOf(n.nodeId), n]));
  const validators: ValidatorView[] = addresses.map((address) => {
    const node = byAddress.get(getAddress(address));
    return { address: getAddress(address), node, organisation: node ? standing.get(node.orgId) : undefined };
  });
  const current = new Set(validators.map((v) => v.address));
  const leftForGood = (v: ValidatorView) => !v.node || v.organisation === "offboarded";
  return {
    bound: bootstrap === ZeroAddress,
    minimum: Number(minimum),
    validators,
    prunable: validators.filter(leftForGood).map((v) => v.address),
    held: validators.filter((v) => !leftForGood(v) && !v.node!.allowed).map((v) => v.address),
    candidates: nodes.filter((n) => n.validator && n.allowed && !current.has(validatorOf(n.nodeId))),
  };
}
