import type { Signer, TransactionReceipt } from "ethers";
import type { SakshyaAuthority } from "../../typechain-types";
import { sendAndWait } from "../chain/transact";
import { InputError, RevertError } from "../errors";

/** A restricted call either ran now, or was scheduled because the caller's role has an execution delay. */
export type Outcome =
  | { readonly status: "executed"; readonly receipt: TransactionReceipt }
  | { readonly status: "scheduled"; readonly operationId: string; readonly executableAt: number; readonly receipt: TransactionReceipt };

export interface ScheduledOperation {
  readonly operationId: string;
  readonly caller: string;
  readonly target: string;
  readonly data: string;
  /** Unix time after which it may run; 0 once it was executed, cancelled or has expired. */
  readonly executableAt: number;
}

/**
 * Makes restricted calls through the suite's AccessManager on behalf of one signer: immediately when its role
 * allows, otherwise by scheduling the operation so it can be executed after the role's delay.
 */
export class Governance {
  constructor(
    readonly authority: SakshyaAuthority,
    readonly signer: Signer,
  ) {}

  async call(target: string, data: string): Promise<Outcome> {
    const caller = await this.signer.getAddress();
    const [immediate, delay] = await this.authority.canCall(caller, target, data.slice(0, 10));
    if (immediate) return { status: "executed", receipt: await sendAndWait(this.signer, { to: target, data }) };
    if (delay === 0n) {
      throw new RevertError(
        `The contract refused: account ${caller} holds no role allowed to call this function (AccessManagedUnauthorized).`,
        "AccessManagedUnauthorized",
        { caller },
      );
    }
    const receipt = await sendAndWait(this.signer, {
      to: await this.authority.getAddress(),
      data: this.authority.interface.encodeFunctionData("schedule", [target, data, 0]),
    });
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

  /** Runs a scheduled operation whose delay has passed. */
  async execute(operationId: string, fromBlock = 0): Promise<TransactionReceipt> {
    const op = await this.operation(operationId, fromBlock);
    return sendAndWait(this.signer, {
      to: await this.authority.getAddress(),
      data: this.authority.interface.encodeFunctionData("execute", [op.target, op.data]),
    });
  }

  /** Cancels a scheduled operation (its scheduler, an admin, or the guardian of the role it needs). */
  async cancel(operationId: string, fromBlock = 0): Promise<TransactionReceipt> {
    const op = await this.operation(operationId, fromBlock);
    return sendAndWait(this.signer, {
      to: await this.authority.getAddress(),
      data: this.authority.interface.encodeFunctionData("cancel", [op.caller, op.target, op.data]),
    });
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
