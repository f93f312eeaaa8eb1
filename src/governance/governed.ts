import { AbiCoder, type Interface, type Signer, type TransactionReceipt } from "ethers";
import { ScheduledOperationExecutor__factory, type SakshyaAuthority } from "../../typechain-types";
import { sendAndWait } from "../chain/transact";
import { InputError, RevertError } from "../errors";
import { ADMIN_ROLE } from "./roles";

/** A committee's proposal written for its members to sign, instead of a transaction sent. */
export interface Proposed {
  readonly status: "proposed";
  readonly file: string;
  readonly role: string;
  readonly safe: string;
  readonly nonce: string;
  readonly safeTxHash: string;
  readonly threshold: number;
  /** What the committee would do, in words read from the call. */
  readonly title: string;
  /** Whether the call, once the committee executes the proposal, is scheduled (and waits out the delay). */
  readonly delayed: boolean;
}

/** A restricted call either ran now, was scheduled because the caller's role has an execution delay, or was proposed. */
export type Outcome =
  | { readonly status: "executed"; readonly receipt: TransactionReceipt }
  | { readonly status: "scheduled"; readonly operationId: string; readonly executableAt: number; readonly receipt: TransactionReceipt }
  | Proposed;

export interface ScheduledOperation {
  readonly operationId: string;
  readonly caller: string;
  readonly target: string;
  readonly data: string;
  /** Unix time after which it may run; 0 once it was executed, cancelled or has expired. */
  readonly executableAt: number;
}

/**
 * Writes a governance call as a proposal of the committee (a Safe) holding a role that may make it, instead of sending
 * it: see src/committee/propose.ts. `caller` is that committee, for which the call's permission is judged.
 */
export interface Proposer {
  committeeFor(governance: Governance, target: string, data: string): Promise<string>;
  propose(committee: string, to: string, data: string, delayed: boolean): Promise<Proposed>;
}

/** `AccessManager`'s functions it restricts to an admin whatever their target role: grants and revocations to the role's admin, the rest to ADMIN. */
const ROLE_ADMIN_FUNCTIONS = ["grantRole", "revokeRole"];
const TARGET_ADMIN_FUNCTIONS = ["updateAuthority", "setTargetClosed", "setTargetFunctionRole"];
const ADMIN_FUNCTIONS = ["labelRole", "setRoleAdmin", "setRoleGuardian", "setGrantDelay", "setTargetAdminDelay"];

/**
 * Makes restricted calls through the suite's AccessManager on behalf of one signer: immediately when its role
 * allows, otherwise by scheduling the operation so it can be executed after the role's delay — or, given a
 * {@link Proposer}, writes the call as a proposal of the committee that may make it.
 */
export class Governance {
  constructor(
    readonly authority: SakshyaAuthority,
    readonly signer: Signer,
    readonly proposer?: Proposer,
  ) {}

  /**
   * Whether `caller` may make the call now, or after which delay (0 and not immediate: not at all). For the
   * AccessManager's own functions this follows its own rule — the role's admin for grants, ADMIN with the target's
   * admin delay for permissions — not `canCall`, which reads only the function's role.
   */
  async permission(caller: string, target: string, data: string): Promise<[boolean, bigint]> {
    const manager = await this.authority.getAddress();
    if (target.toLowerCase() !== manager.toLowerCase()) {
      const [immediate, delay] = await this.authority.canCall(caller, target, data.slice(0, 10));
      return [immediate, delay];
    }
    const name = (this.authority.interface as Interface).getFunction(data.slice(0, 10))?.name ?? "";
    const first = () => AbiCoder.defaultAbiCoder().decode(["uint256"], `0x${data.slice(10, 74)}`)[0] as bigint;
    let role = ADMIN_ROLE;
    let minimum = 0n;
    if (ROLE_ADMIN_FUNCTIONS.includes(name)) role = await this.authority.getRoleAdmin(first());
    else if (TARGET_ADMIN_FUNCTIONS.includes(name)) minimum = await this.authority.getTargetAdminDelay(`0x${data.slice(34, 74)}`);
    else if (!ADMIN_FUNCTIONS.includes(name)) {
      const [immediate, delay] = await this.authority.canCall(caller, target, data.slice(0, 10));
      return [immediate, delay];
    }
    const [member, executionDelay] = await this.authority.hasRole(role, caller);
    if (!member) return [false, 0n];
    const delay = executionDelay > minimum ? executionDelay : minimum;
    return [delay === 0n, delay];
  }

  async call(target: string, data: string): Promise<Outcome> {
    const caller = this.proposer ? await this.proposer.committeeFor(this, target, data) : await this.signer.getAddress();
    const [immediate, delay] = await this.permission(caller, target, data);
    if (!immediate && delay === 0n) {
      throw new RevertError(
        `The contract refused: account ${caller} holds no role allowed to call this function (AccessManagedUnauthorized).`,
        "AccessManagedUnauthorized",
        { caller },
      );
    }
    const manager = await this.authority.getAddress();
    const schedule = () => this.authority.interface.encodeFunctionData("schedule", [target, data, 0]);
    if (this.proposer) return this.proposer.propose(caller, immediate ? target : manager, immediate ? data : schedule(), !immediate);
    if (immediate) return { status: "executed", receipt: await sendAndWait(this.signer, { to: target, data }) };
    const receipt = await sendAndWait(this.signer, { to: manager, data: schedule() });
    const scheduled = this.parseScheduled(receipt);
    return { status: "scheduled", operationId: scheduled.operationId, executableAt: scheduled.executableAt, receipt };
  }

  /** Finds a scheduled operation by id from the chain's event log. */
  async operation(operationId: string, fromBlock = 0): Promise<ScheduledOperation> {
    const events = await this.authority.queryFilter(this.authority.filters.OperationScheduled(operationId), fromBlock);
    const last = events.at(-1);
    if (!last) throw new InputError(`No operation ${operationId} was ever scheduled.`);
    const executableAt = Number(await this.authority.getSchedule(operationId));
    return { operationId, caller: last.args.caller, target: last.args.target, data: last.args.data, executableAt };
  }

  /**
   * Runs a scheduled operation whose delay has passed. The signer's own, it executes; a committee's (scheduled by
   * a Safe with the suite's executor module, `executor`), anyone carries out through the module.
   */
  async execute(operationId: string, fromBlock = 0, executor?: string): Promise<TransactionReceipt> {
    const op = await this.operation(operationId, fromBlock);
    const own = op.caller.toLowerCase() === (await this.signer.getAddress()).toLowerCase();
    if (!own && executor) {
      const data = ScheduledOperationExecutor__factory.createInterface().encodeFunctionData("execute", [op.caller, op.target, op.data]);
      return sendAndWait(this.signer, { to: executor, data });
    }
    return sendAndWait(this.signer, { to: await this.authority.getAddress(), data: this.cancelOrExecute("execute", op) });
  }

  /** Cancels a scheduled operation (its scheduler, an admin, or the guardian of the role it needs). */
  async cancel(operationId: string, fromBlock = 0): Promise<TransactionReceipt> {
    const op = await this.operation(operationId, fromBlock);
    return sendAndWait(this.signer, { to: await this.authority.getAddress(), data: this.cancelOrExecute("cancel", op) });
  }

  /** The AccessManager call that cancels or executes `op`: what a guardian committee proposes to cancel it. */
  cancelOrExecute(verb: "cancel" | "execute", op: ScheduledOperation): string {
    return verb === "cancel"
      ? this.authority.interface.encodeFunctionData("cancel", [op.caller, op.target, op.data])
      : this.authority.interface.encodeFunctionData("execute", [op.target, op.data]);
  }

  private parseScheduled(receipt: TransactionReceipt): { operationId: string; executableAt: number } {
    for (const log of receipt.logs) {
      const parsed = this.authority.interface.parseLog(log);
      if (parsed?.name === "OperationScheduled") {
        return { operationId: parsed.args.operationId as string, executableAt: Number(parsed.args.schedule) };
      }
    }
    throw new InputError("The schedule transaction emitted no OperationScheduled event.");
  }
}
