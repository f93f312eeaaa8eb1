import { Command } from "commander";
import { isHexString } from "ethers";
import { action } from "../../src/cli/action";
import { table } from "../../src/cli/output";
import { isoTime } from "../../src/io/time";
import { parseAddress } from "../../src/directory/client";
import { InputError } from "../../src/errors";
import { delayShortfalls, describePermissions, describeRoles, pendingOperations } from "../../src/governance/inspect";
import { durationText } from "../../src/governance/describe";
import { readSafe } from "../../src/committee/safe";
import { ADMIN_ROLE, ROLE_NAMES, roleByName, type RoleName } from "../../src/governance/roles";
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
        const [views, permissions, shortfalls] = await Promise.all([
          describeRoles(authority, context.deployment),
          describePermissions(authority, context.deployment),
          delayShortfalls(authority, context.deployment),
        ]);
        const members = [...new Set(views.flatMap((role) => role.members.map((m) => m.account)))];
        const committees = new Map(await Promise.all(members.map(async (m) => [m, await readSafe(context.provider, m)] as const)));
        const holderText = (account: string) => {
          const safe = committees.get(account);
          return safe ? `${account} (committee, ${safe.threshold} of ${safe.members.length})` : account;
        };
        const rows = views.flatMap((role) =>
          (role.members.length ? role.members : [{ account: "(nobody)", executionDelay: 0 }]).map((m) => [
            role.label,
            m.account === "(nobody)" ? m.account : holderText(m.account),
            `${m.executionDelay}s`,
            role.guardian,
          ]),
        );
        const warnings = shortfalls.map(
          (s) => `⚠ ${s.label} ${s.account} waits ${durationText(s.delay)}, below the plan's ${durationText(s.planned)}: its grants of power take effect before the guardian can cancel them. Raise it: sakshya roles grant ${s.label.toLowerCase()} ${s.account} --delay ${s.planned}`,
        );
        const byRole = new Map<string, string[]>();
        for (const p of permissions) byRole.set(p.role, [...(byRole.get(p.role) ?? []), `${p.contract}.${p.function}`]);
        out.result({ roles: views, permissions, shortfalls: shortfalls.map((s) => ({ ...s, roleId: s.roleId.toString() })) }, [
          ...table(["role", "member", "delay", "guardian"], rows),
          ...(warnings.length ? ["", ...warnings] : []),
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
            ? [...table(["operation", "call", "scheduled by", "may run after"], rows), "", "The guardian (or whoever scheduled it) can cancel any of these: sakshya roles cancel <operation> (a committee proposes it: add --propose)."]
            : ["No scheduled operations."],
        );
      }),
    );

  roles
    .command("execute <operationId>")
    .description("execute a scheduled operation once its delay has passed: its scheduler's own, or a committee's (anyone may, through the executor module)")
    .action(
      action(async ({ out, open }, [operation]) => {
        const id = parseOperationId(operation);
        const context = await open();
        const governance = await context.governance();
        if (governance.proposer) throw new InputError("An operation whose delay has passed is carried out, not proposed: run roles execute without --propose (any account may carry out a committee's).");
        const receipt = await governance.execute(id, context.deployment.deployBlock, context.deployment.safe?.executor);
        out.result({ status: "executed", operationId: id, transaction: receipt.hash }, [`✓ Executed operation ${id} (tx ${receipt.hash})`]);
      }),
    );

  roles
    .command("cancel <operationId>")
    .description("cancel a scheduled operation (its scheduler, the admin, or the role's guardian; with --propose, the guardian committee's proposal)")
    .action(
      action(async ({ out, open }, [operation]) => {
        const id = parseOperationId(operation);
        const context = await open();
        const governance = await context.governance();
        if (governance.proposer) {
          const op = await governance.operation(id, context.deployment.deployBlock);
          // The guardian cancels; a committee may also cancel what it scheduled itself (--committee).
          const role = (context.options.committee?.toLowerCase() ?? "guardian") as RoleName;
          const committee = context.deployment.roles[role]?.account;
          if (!committee) throw new InputError(`Unknown committee "${role}".`);
          const proposed = await governance.proposer.propose(committee, await governance.authority.getAddress(), governance.cancelOrExecute("cancel", op), false);
          out.outcome(`Cancel operation ${id}`, proposed, { operationId: id });
          return;
        }
        const receipt = await governance.cancel(id, context.deployment.deployBlock);
        out.result({ status: "cancelled", operationId: id, transaction: receipt.hash }, [`✓ Cancelled operation ${id} (tx ${receipt.hash})`]);
      }),
    );

  return roles;
}
