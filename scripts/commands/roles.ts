import { Command } from "commander";
import { isHexString } from "ethers";
import { action } from "../../src/cli/action";
import { table } from "../../src/cli/output";
import { isoTime } from "../../src/io/time";
import { parseAddress } from "../../src/directory/client";
import { InputError } from "../../src/errors";
import { describePermissions, describeRoles, pendingOperations } from "../../src/governance/inspect";
import { ADMIN_ROLE, ROLE_NAMES, roleByName } from "../../src/governance/roles";
import type { SuiteContractName } from "../../src/config/deployments";

function roleId(name: string): bigint {
  if (name.toLowerCase() === "admin") return ADMIN_ROLE;
  const role = roleByName(name);
  if (!role) throw new InputError(`Unknown role "${name}"; known: admin, ${ROLE_NAMES.join(", ")}.`);
  return role.id;
}

function parseDelay(value: string): number {
  if (!/^\d+$/.test(value) || Number(value) > 2 ** 32 - 1) throw new InputError(`"${value}" is not a delay in seconds.`);
  return Number(value);
}

function parseOperationId(value: string): string {
  if (!isHexString(value, 32)) throw new InputError(`"${value}" is not an operation id (0x + 64 hex digits).`);
  return value;
}

export function rolesCommand(): Command {
  const roles = new Command("roles").description("governance roles of the suite's AccessManager and delayed operations");

  roles
    .command("list")
    .description("roles with their labels, members, execution delays, guardians and the functions they may call")
    .action(
      action(async ({ out, open }) => {
        const context = await open();
        const authority = context.authority();
        const [views, permissions] = await Promise.all([
          describeRoles(authority, context.deployment),
          describePermissions(authority, context.deployment),
        ]);
        const rows = views.flatMap((role) =>
          (role.members.length ? role.members : [{ account: "(nobody)", executionDelay: 0 }]).map((m) => [
            role.label,
            m.account,
            `${m.executionDelay}s`,
            role.guardian,
          ]),
        );
        const byRole = new Map<string, string[]>();
        for (const p of permissions) byRole.set(p.role, [...(byRole.get(p.role) ?? []), `${p.contract}.${p.function}`]);
        out.result({ roles: views, permissions }, [
          ...table(["role", "member", "delay", "guardian"], rows),
          "",
          ...views.map((r) => `${r.label}: ${r.duty}`),
          "",
          ...[...byRole].map(([role, fns]) => `${role} may call: ${fns.join(", ")}`),
        ]);
      }),
    );

  roles
    .command("grant <role> <account>")
    .description("grant a role (admin: the governor); scheduled if the governor has an execution delay")
    .option("--delay <seconds>", "execution delay the new member's calls will have", "0")
    .action(
      action<{ delay: string }>(async ({ out, open }, [role, account], o) => {
        const id = roleId(role);
        const address = parseAddress(account);
        const delay = parseDelay(o.delay);
        const governance = await (await open()).governance();
        const data = governance.authority.interface.encodeFunctionData("grantRole", [id, address, delay]);
        out.outcome(`Granted ${role.toUpperCase()} to ${address}`, await governance.call(await governance.authority.getAddress(), data), {
          role,
          account: address,
        });
      }),
    );

  roles
    .command("revoke <role> <account>")
    .description("revoke a role (admin: the governor)")
    .action(
      action(async ({ out, open }, [role, account]) => {
        const id = roleId(role);
        const address = parseAddress(account);
        const governance = await (await open()).governance();
        const data = governance.authority.interface.encodeFunctionData("revokeRole", [id, address]);
        out.outcome(`Revoked ${role.toUpperCase()} from ${address}`, await governance.call(await governance.authority.getAddress(), data), {
          role,
          account: address,
        });
      }),
    );

  roles
    .command("schedule <target> <calldata>")
    .description("schedule any restricted call (target: a suite contract name or address)")
    .action(
      action(async ({ out, open }, [target, calldata]) => {
        if (!isHexString(calldata) || calldata.length < 10) throw new InputError("The calldata must be hex starting with a 4-byte selector.");
        const context = await open();
        const known = context.deployment.contracts[target as SuiteContractName];
        const address = known ? known.address : parseAddress(target);
        const governance = await context.governance();
        const outcome = await governance.call(address, calldata);
        out.outcome(`Call to ${target}`, outcome, { target: address });
      }),
    );

  roles
    .command("operations")
    .description("operations scheduled and still waiting: what each does, who scheduled it, and when it may run")
    .action(
      action(async ({ out, open }) => {
        const context = await open();
        const pending = await pendingOperations(context.authority(), context.deployment);
        const rows = pending.map((p) => [p.operationId, p.call, p.caller, isoTime(p.executableAt)]);
        out.result(
          pending,
          pending.length
            ? [...table(["operation", "call", "scheduled by", "may run after"], rows), "", "The guardian (or whoever scheduled it) can cancel any of these: sakshya roles cancel <operation>."]
            : ["No scheduled operations."],
        );
      }),
    );

  for (const [verb, description] of [
    ["execute", "execute a scheduled operation once its delay has passed"],
    ["cancel", "cancel a scheduled operation (its scheduler, the admin, or the role's guardian)"],
  ] as const) {
    roles
      .command(`${verb} <operationId>`)
      .description(description)
      .action(
        action(async ({ out, open }, [operation]) => {
          const id = parseOperationId(operation);
          const context = await open();
          const governance = await context.governance();
          const receipt = await governance[verb](id, context.deployment.deployBlock);
          out.result({ status: verb === "execute" ? "executed" : "cancelled", operationId: id, transaction: receipt.hash }, [
            `✓ ${verb === "execute" ? "Executed" : "Cancelled"} operation ${id} (tx ${receipt.hash})`,
          ]);
        }),
      );
  }

  return roles;
}
