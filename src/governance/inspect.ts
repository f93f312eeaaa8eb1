import type { Interface } from "ethers";
import { ValidatorSet__factory, type SakshyaAuthority } from "../../typechain-types";
import { VALIDATOR_CONTRACT_ADDRESS } from "../besu/validator-contract";
import type { Deployment } from "../config/deployments";
import { GOVERNED_INTERFACES, type GovernedContractName } from "./interfaces";
import { ADMIN_ROLE, FUNCTION_ROLES, ROLES, ROLE_NAMES, roleName } from "./roles";
import type { ScheduledOperation } from "./governed";

export interface RoleMember {
  readonly account: string;
  readonly executionDelay: number;
}

export interface RoleView {
  readonly id: string;
  readonly label: string;
  readonly duty: string;
  readonly guardian: string;
  readonly members: RoleMember[];
}

export interface PermissionView {
  readonly contract: string;
  readonly function: string;
  readonly role: string;
}

/**
 * Rebuilds the role table from chain data: AccessManager keeps no member list, so candidates come from
 * RoleGranted events since the deployment and each is confirmed with `hasRole`.
 */
export async function describeRoles(authority: SakshyaAuthority, deployment: Deployment): Promise<RoleView[]> {
  const granted = await authority.queryFilter(authority.filters.RoleGranted(), deployment.deployBlock);
  const roleIds = [ADMIN_ROLE, ...ROLE_NAMES.map((name) => ROLES[name].id)];
  return Promise.all(
    roleIds.map(async (id) => {
      const candidates = [...new Set(granted.filter((e) => e.args.roleId === id).map((e) => e.args.account))];
      const members: RoleMember[] = [];
      for (const account of candidates) {
        const [isMember, executionDelay] = await authority.hasRole(id, account);
        if (isMember) members.push({ account, executionDelay: Number(executionDelay) });
      }
      const named = ROLE_NAMES.find((name) => ROLES[name].id === id);
      return {
        id: id.toString(),
        label: roleName(id),
        duty: named ? ROLES[named].duty : "administers every role and the AccessManager itself",
        guardian: roleName(await authority.getRoleGuardian(id)),
        members,
      };
    }),
  );
}

/** The execution delays a plan asks of the roles that grant power: the governor (and ADMIN with it) and the operator. */
export interface PlannedDelays {
  readonly governor: number;
  readonly operator: number;
}

/** A member of a power-granting role whose execution delay is below the plan's: its grants take effect too soon. */
export interface DelayShortfall {
  readonly roleId: bigint;
  readonly label: string;
  readonly account: string;
  readonly delay: number;
  readonly planned: number;
}

/** The delays the deployment file records as the plan's. */
export function recordedDelays(deployment: Deployment): PlannedDelays {
  return { governor: deployment.roles.governor.executionDelay, operator: deployment.roles.operator.executionDelay };
}

/**
 * Every member of ADMIN, GOVERNOR or OPERATOR whose execution delay on chain is below `planned` (by default, the
 * deployment's recorded plan): a 1.0.0 operator's zero delay after an upgrade to 2.x, say. ADMIN comes last, so that
 * raising its own delay is the last of the fixes a governor makes.
 */
export async function delayShortfalls(authority: SakshyaAuthority, deployment: Deployment, planned = recordedDelays(deployment)): Promise<DelayShortfall[]> {
  const roles = await describeRoles(authority, deployment);
  const wanted: Array<[bigint, number]> = [
    [ROLES.operator.id, planned.operator],
    [ROLES.governor.id, planned.governor],
    [ADMIN_ROLE, planned.governor],
  ];
  return wanted.flatMap(([roleId, delay]) =>
    (roles.find((r) => r.id === roleId.toString())?.members ?? [])
      .filter((m) => m.executionDelay < delay)
      .map((m) => ({ roleId, label: roleName(roleId), account: m.account, delay: m.executionDelay, planned: delay })),
  );
}

/** Which role each governed function currently needs, read from the AccessManager. */
export async function describePermissions(authority: SakshyaAuthority, deployment: Deployment): Promise<PermissionView[]> {
  const contracts = (Object.keys(FUNCTION_ROLES) as GovernedContractName[]).filter((name) => deployment.contracts[name]);
  const rows = contracts.flatMap((contract) =>
    Object.values(FUNCTION_ROLES[contract])
      .flat()
      .map((fn) => ({ contract, fn, target: deployment.contracts[contract]!.address })),
  );
  return Promise.all(
    rows.map(async ({ contract, fn, target }) => ({
      contract,
      function: fn,
      role: roleName(await authority.getTargetFunctionRole(target, GOVERNED_INTERFACES[contract].getFunction(fn)!.selector)),
    })),
  );
}

/** A scheduled operation with what it will do, in words: `ParticipantDirectory.onboard`. */
export interface PendingOperation extends ScheduledOperation {
  readonly call: string;
}

/** Names the call an operation makes, from the suite's contracts and the AccessManager itself. */
function describeCall(authority: SakshyaAuthority, deployment: Deployment, target: string, data: string): string {
  const candidates: Array<[string, Interface]> = [
    ["SakshyaAuthority", authority.interface],
    ...(Object.keys(GOVERNED_INTERFACES) as GovernedContractName[])
      .filter((name) => deployment.contracts[name])
      .map((name): [string, Interface] => [name, GOVERNED_INTERFACES[name]]),
    ["ValidatorSet", ValidatorSet__factory.createInterface()],
  ];
  const addresses: Record<string, string | undefined> = {
    SakshyaAuthority: deployment.contracts.SakshyaAuthority.address,
    ValidatorSet: VALIDATOR_CONTRACT_ADDRESS,
    ...Object.fromEntries(Object.entries(deployment.contracts).map(([name, record]) => [name, record?.address])),
  };
  for (const [name, contract] of candidates) {
    if (addresses[name]?.toLowerCase() !== target.toLowerCase()) continue;
    const fragment = contract.getFunction(data.slice(0, 10));
    return `${name}.${fragment ? fragment.name : data.slice(0, 10)}`;
  }
  return `${target}:${data.slice(0, 10)}`;
}

/** Operations scheduled and still waiting (neither executed, cancelled nor expired), oldest first. */
export async function pendingOperations(authority: SakshyaAuthority, deployment: Deployment): Promise<PendingOperation[]> {
  const events = await authority.queryFilter(authority.filters.OperationScheduled(), deployment.deployBlock);
  const latest = new Map(events.map((e) => [e.args.operationId, e]));
  const pending: PendingOperation[] = [];
  for (const [operationId, event] of latest) {
    const executableAt = Number(await authority.getSchedule(operationId));
    if (executableAt !== 0) {
      const { caller, target, data } = event.args;
      pending.push({ operationId, caller, target, data, executableAt, call: describeCall(authority, deployment, target, data) });
    }
  }
  return pending;
}
