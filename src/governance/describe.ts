import { Contract, Interface, getAddress, type ParamType, type Provider, type Result } from "ethers";
import { SakshyaAuthority__factory, ValidatorSet__factory } from "../../typechain-types";
import { VALIDATOR_CONTRACT_ADDRESS } from "../besu/validator-contract";
import { SAFE_INTERFACE } from "../committee/safe";
import type { Deployment } from "../config/deployments";
import { capabilityNames, decodeCode } from "../directory/vocabulary";
import { GOVERNED_INTERFACES, type GovernedContractName } from "./interfaces";
import { ADMIN_ROLE, ROLE_NAMES, ROLES, roleName, type RoleName } from "./roles";
import { isoTime } from "../io/time";

/** What a governance call does, in words, and why a member should look twice before signing it. */
export interface CallDescription {
  readonly text: string;
  /** Sentences for what grants power: a role given, a delay lowered, a guardian changed, an upgrade, a contract moved. */
  readonly warnings: string[];
}

/** What describing needs besides the call: the deployment's names and plan, and what only the chain knows. */
export interface DescribeContext {
  readonly deployment: Deployment;
  /** The version an implementation reports, when the chain could be asked (an upgrade's target). */
  readonly versionOf?: (implementation: string) => Promise<string | undefined>;
  /** Whether an account holds a role now and with which execution delay, when the chain could be asked. */
  readonly roleOf?: (roleId: bigint, account: string) => Promise<{ member: boolean; delay: number }>;
}

const AUTHORITY: Interface = SakshyaAuthority__factory.createInterface();

/** A context that asks the chain what only it knows: an upgrade's version, a member's delay now. */
export function chainDescribeContext(deployment: Deployment, provider: Provider): DescribeContext {
  const authority = SakshyaAuthority__factory.connect(deployment.contracts.SakshyaAuthority.address, provider);
  return {
    deployment,
    versionOf: async (implementation) => String(await new Contract(implementation, ["function version() view returns (string)"], provider).version()),
    roleOf: async (roleId, account) => {
      const [member, delay] = await authority.hasRole(roleId, account);
      return { member, delay: Number(delay) };
    },
  };
}
const VALIDATOR_SET: Interface = ValidatorSet__factory.createInterface();

/** A duration in the largest whole unit it is: "no delay", "1 day", "36 hours", "90 seconds". */
export function durationText(seconds: number): string {
  if (seconds === 0) return "no delay";
  for (const [unit, size] of [["day", 86_400], ["hour", 3_600], ["minute", 60]] as const) {
    if (seconds % size === 0) return `${seconds / size} ${unit}${seconds === size ? "" : "s"}`;
  }
  return `${seconds} seconds`;
}

/** The plan's execution delay for a role, as the deployment recorded it (ADMIN waits as the governor does). */
function plannedDelay(deployment: Deployment, roleId: bigint): number | undefined {
  if (roleId === ADMIN_ROLE) return deployment.roles.governor.executionDelay;
  const name = ROLE_NAMES.find((n) => ROLES[n].id === roleId);
  return name ? deployment.roles[name as RoleName]?.executionDelay : undefined;
}

function contractNameAt(deployment: Deployment, address: string): string | undefined {
  const wanted = address.toLowerCase();
  if (wanted === VALIDATOR_CONTRACT_ADDRESS.toLowerCase()) return "ValidatorSet";
  for (const [name, record] of Object.entries(deployment.contracts)) if (record?.address.toLowerCase() === wanted) return name;
  for (const name of ROLE_NAMES) {
    const holder = deployment.roles[name];
    if (holder?.committee && holder.account.toLowerCase() === wanted) return `the ${ROLES[name].label} committee`;
  }
  return undefined;
}

function nameOf(deployment: Deployment, address: string): string {
  const name = contractNameAt(deployment, address);
  return name ? `${name} (${getAddress(address)})` : getAddress(address);
}

/** One argument in words: codes decoded, capability masks named, everything else as the ABI prints it. */
function argumentText(param: ParamType, value: unknown): string {
  if (param.name === "code" && param.type === "bytes32") {
    try {
      return `"${decodeCode(String(value))}"`;
    } catch {
      return String(value);
    }
  }
  if (param.name === "capabilities") return capabilityNames(Number(value)).join(",") || "none";
  // Times the suite takes as Unix seconds: a cut-off, an expiry.
  if ((param.name === "cutoff" || param.name.endsWith("At")) && param.type.startsWith("uint")) return Number(value) === 0 ? "none" : isoTime(Number(value));
  if (Array.isArray(value) || (value && typeof value === "object" && "toArray" in value)) {
    return `[${[...(value as Result)].map((v) => String(v)).join(", ")}]`;
  }
  return String(value);
}

function genericCall(contract: string, contractInterface: Interface, data: string): string | undefined {
  const fragment = contractInterface.getFunction(data.slice(0, 10));
  if (!fragment) return undefined;
  const args = contractInterface.decodeFunctionData(fragment, data);
  // Solidity's trailing underscore (`account_`) only avoids a clash with a function's name.
  const list = fragment.inputs.map((param, i) => `${param.name.replace(/_$/, "") || `arg${i}`} ${argumentText(param, args[i])}`);
  return `${contract}.${fragment.name}(${list.join(", ")})`;
}

/** A call the AccessManager makes on itself: roles, guardians, delays and who may call what. */
async function authorityCall(context: DescribeContext, data: string): Promise<CallDescription> {
  const { deployment } = context;
  const fragment = AUTHORITY.getFunction(data.slice(0, 10));
  if (!fragment) return { text: `an unknown call to the AccessManager (${data.slice(0, 10)})`, warnings: ["It is not a function of the AccessManager: check it yourself."] };
  const args = AUTHORITY.decodeFunctionData(fragment, data);
  switch (fragment.name) {
    case "grantRole": {
      const [roleId, account, delay] = [BigInt(args[0]), String(args[1]), Number(args[2])];
      const planned = plannedDelay(deployment, roleId);
      const now = await context.roleOf?.(roleId, account).catch(() => undefined);
      const warnings = [`It grants a role: ${roleName(roleId)} gives ${nameOf(deployment, account)} power over the suite.`];
      if (now?.member && delay < now.delay) warnings.push(`It lowers a delay: ${nameOf(deployment, account)} waits ${durationText(now.delay)} now, ${durationText(delay)} after it.`);
      if (planned !== undefined && delay < planned) warnings.push(`The delay it gives, ${durationText(delay)}, is shorter than the plan's ${durationText(planned)} for ${roleName(roleId)}: that member's acts would take effect sooner than the guardian can react.`);
      return { text: `grant ${roleName(roleId)} to ${nameOf(deployment, account)} with ${delay === 0 ? "no delay" : `an execution delay of ${durationText(delay)}`}`, warnings };
    }
    case "revokeRole": {
      const [roleId, account] = [BigInt(args[0]), String(args[1])];
      const warnings = BigInt(roleId) === ROLES.guardian.id ? ["It changes the guardian: without one, nobody can cancel a scheduled grant of power."] : [];
      return { text: `revoke ${roleName(roleId)} from ${nameOf(deployment, account)}`, warnings };
    }
    case "setRoleGuardian":
      return { text: `make ${roleName(BigInt(args[1]))} the guardian of ${roleName(BigInt(args[0]))}`, warnings: [`It changes a guardian: who may cancel ${roleName(BigInt(args[0]))}'s scheduled operations.`] };
    case "setRoleAdmin":
      return { text: `make ${roleName(BigInt(args[1]))} the admin of ${roleName(BigInt(args[0]))}`, warnings: [`It changes who grants ${roleName(BigInt(args[0]))}.`] };
    case "setGrantDelay":
      return { text: `set the grant delay of ${roleName(BigInt(args[0]))} to ${durationText(Number(args[1]))}`, warnings: ["It changes a delay: a lower one lets new members act sooner."] };
    case "setTargetAdminDelay":
      return { text: `set the admin delay of ${nameOf(deployment, String(args[0]))} to ${durationText(Number(args[1]))}`, warnings: ["It changes a delay: a lower one lets its permissions change sooner."] };
    case "setTargetFunctionRole": {
      const target = String(args[0]);
      const known = contractNameAt(deployment, target);
      const contractInterface = known === "SakshyaAuthority" ? AUTHORITY : known === "ValidatorSet" ? VALIDATOR_SET : GOVERNED_INTERFACES[known as GovernedContractName];
      const functions = [...(args[1] as Result)].map((selector) => contractInterface?.getFunction(String(selector))?.name ?? String(selector));
      return {
        text: `let ${roleName(BigInt(args[2]))} call ${known ?? getAddress(target)}.${functions.length === 1 ? functions[0] : `{${functions.join(", ")}}`}`,
        warnings: [`It changes who may call what: ${roleName(BigInt(args[2]))} gains ${functions.join(", ")}.`],
      };
    }
    case "setTargetClosed":
      return { text: `${args[1] ? "close" : "open"} ${nameOf(deployment, String(args[0]))} to every role`, warnings: args[1] ? [] : ["It opens a contract to its roles again."] };
    case "updateAuthority":
      return { text: `move ${nameOf(deployment, String(args[0]))} to the AccessManager ${getAddress(String(args[1]))}`, warnings: ["It hands a contract to another AccessManager: whoever runs that one governs it."] };
    case "schedule": {
      const inner = await describeCall(context, String(args[0]), String(args[1]));
      return { text: `schedule: ${inner.text} (it waits out the delay, during which the guardian may cancel it)`, warnings: inner.warnings };
    }
    case "execute": {
      const inner = await describeCall(context, String(args[0]), String(args[1]));
      return { text: `execute the scheduled operation: ${inner.text}`, warnings: inner.warnings };
    }
    case "cancel": {
      const inner = await describeCall(context, String(args[1]), String(args[2]));
      return { text: `cancel what ${nameOf(deployment, String(args[0]))} scheduled: ${inner.text}`, warnings: [] };
    }
    default:
      return { text: genericCall("SakshyaAuthority", AUTHORITY, data) ?? data.slice(0, 10), warnings: [] };
  }
}

/** A call a committee's Safe makes on itself: its own members and threshold, modules, guard and handler. */
function committeeCall(deployment: Deployment, safe: string, data: string): CallDescription {
  const fragment = SAFE_INTERFACE.getFunction(data.slice(0, 10));
  const committee = nameOf(deployment, safe);
  if (!fragment) return { text: `an unknown call to ${committee}`, warnings: ["It is not a function of the Safe: check it yourself."] };
  const args = SAFE_INTERFACE.decodeFunctionData(fragment, data);
  const membership = "It changes the committee itself: who decides for it, or how many must agree.";
  switch (fragment.name) {
    case "addOwnerWithThreshold":
      return { text: `add ${getAddress(String(args[0]))} to ${committee}, ${args[1]} signatures needed from then on`, warnings: [membership] };
    case "removeOwner":
      return { text: `remove ${getAddress(String(args[1]))} from ${committee}, ${args[2]} signatures needed from then on`, warnings: [membership] };
    case "swapOwner":
      return { text: `replace ${getAddress(String(args[1]))} by ${getAddress(String(args[2]))} in ${committee}`, warnings: [membership] };
    case "changeThreshold":
      return { text: `require ${args[0]} signatures of ${committee}`, warnings: [membership] };
    default:
      return { text: genericCall("Safe", SAFE_INTERFACE, data) ?? data.slice(0, 10), warnings: [`It changes how ${committee} works (${fragment.name}): check it yourself.`] };
  }
}

/**
 * A governance call in plain words — "grant OPERATOR to 0x… with no delay", "upgrade CertificateRegistry to 2.2.0" —
 * and what in it grants power. Read from the call itself, never from what a proposal file says it is.
 */
export async function describeCall(context: DescribeContext, target: string, data: string): Promise<CallDescription> {
  const { deployment } = context;
  const name = contractNameAt(deployment, target);
  if (name === "SakshyaAuthority") return authorityCall(context, data);
  if (name?.startsWith("the ")) return committeeCall(deployment, target, data);
  if (name === "ValidatorSet") return { text: genericCall("ValidatorSet", VALIDATOR_SET, data) ?? data.slice(0, 10), warnings: [] };
  const contractInterface = name ? GOVERNED_INTERFACES[name as GovernedContractName] : undefined;
  if (!contractInterface) return { text: `a call to ${getAddress(target)} (${data.slice(0, 10)})`, warnings: ["It calls a contract that is not part of the suite: check it yourself."] };
  const fragment = contractInterface.getFunction(data.slice(0, 10));
  if (fragment?.name === "upgradeToAndCall") {
    const implementation = getAddress(String(contractInterface.decodeFunctionData(fragment, data)[0]));
    const version = await context.versionOf?.(implementation).catch(() => undefined);
    return {
      text: `upgrade ${name} to ${version ?? "an implementation whose version could not be read"} (implementation ${implementation})`,
      warnings: [`It upgrades a contract: ${name}'s code is replaced.`],
    };
  }
  return { text: genericCall(name!, contractInterface, data) ?? `${name} ${data.slice(0, 10)}`, warnings: [] };
}
