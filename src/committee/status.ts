import { Contract, type Provider, type Signer, type TransactionReceipt } from "ethers";
import { SakshyaAuthority__factory, ScheduledOperationExecutor__factory } from "../../typechain-types";
import { asSakshyaError, sendAndWait } from "../chain/transact";
import type { Deployment } from "../config/deployments";
import { ChainError, InputError } from "../errors";
import { memberSignatures, type Proposal } from "./proposal";
import { SAFE_INTERFACE, execTransactionData, packSignatures, readSafe, type SafeState } from "./safe";
import { isoTime } from "../io/time";

/** Where an operation a proposal scheduled stands in the AccessManager. */
export type OperationState =
  | { readonly state: "waiting"; readonly operationId: string; readonly readyAt: number }
  | { readonly state: "ready" | "executed" | "cancelled" | "expired"; readonly operationId: string };

/** Where a proposal stands, read from the chain. */
export type ProposalStatus =
  | { readonly state: "signing"; readonly signed: string[]; readonly missing: string[]; readonly threshold: number }
  | { readonly state: "ready"; readonly signed: string[]; readonly threshold: number }
  | { readonly state: "queued"; readonly signed: string[]; readonly threshold: number; readonly nextNonce: string }
  | { readonly state: "executed"; readonly transaction: string; readonly block: number; readonly operation?: OperationState }
  | { readonly state: "replaced"; readonly nextNonce: string };

/** The schedule call inside a proposal's transaction, if it is one: the call it schedules. */
export function scheduledCall(deployment: Deployment, proposal: Proposal): { target: string; data: string } | undefined {
  const { to, data } = proposal.transaction;
  if (to.toLowerCase() !== deployment.contracts.SakshyaAuthority.address.toLowerCase()) return undefined;
  const authority = SakshyaAuthority__factory.createInterface();
  if (data.slice(0, 10) !== authority.getFunction("schedule").selector) return undefined;
  const [target, call] = authority.decodeFunctionData("schedule", data);
  return { target: String(target), data: String(call) };
}

async function operationState(provider: Provider, deployment: Deployment, safe: string, call: { target: string; data: string }): Promise<OperationState> {
  const authority = SakshyaAuthority__factory.connect(deployment.contracts.SakshyaAuthority.address, provider);
  const operationId = await authority.hashOperation(safe, call.target, call.data);
  const readyAt = Number(await authority.getSchedule(operationId));
  if (readyAt !== 0) {
    const now = (await provider.getBlock("latest"))!.timestamp;
    return readyAt <= now ? { state: "ready", operationId } : { state: "waiting", operationId, readyAt };
  }
  const from = deployment.deployBlock;
  if ((await authority.queryFilter(authority.filters.OperationExecuted(operationId), from)).length > 0) return { state: "executed", operationId };
  if ((await authority.queryFilter(authority.filters.OperationCanceled(operationId), from)).length > 0) return { state: "cancelled", operationId };
  return { state: "expired", operationId };
}

/** The proposal's standing: signatures against the Safe's members and threshold, its nonce, and its execution. */
export async function proposalStatus(provider: Provider, deployment: Deployment, proposal: Proposal): Promise<{ safe: SafeState; status: ProposalStatus }> {
  const safe = await readSafe(provider, proposal.committee.safe);
  if (!safe) throw new ChainError(`The committee ${proposal.committee.safe} of this proposal is not a Safe on this chain.`);
  const nonce = BigInt(proposal.transaction.nonce);
  if (nonce < safe.nonce) {
    const contract = new Contract(safe.address, SAFE_INTERFACE, provider);
    const [executed] = await contract.queryFilter(contract.filters.ExecutionSuccess(proposal.safeTxHash), deployment.deployBlock);
    if (!executed) return { safe, status: { state: "replaced", nextNonce: safe.nonce.toString() } };
    const call = scheduledCall(deployment, proposal);
    const operation = call ? await operationState(provider, deployment, safe.address, call) : undefined;
    return { safe, status: { state: "executed", transaction: executed.transactionHash, block: executed.blockNumber, ...(operation ? { operation } : {}) } };
  }
  const signed = [...memberSignatures(proposal, safe.members).keys()];
  if (signed.length < safe.threshold) {
    const missing = safe.members.filter((m) => !signed.includes(m));
    return { safe, status: { state: "signing", signed, missing, threshold: safe.threshold } };
  }
  if (nonce > safe.nonce) return { safe, status: { state: "queued", signed, threshold: safe.threshold, nextNonce: safe.nonce.toString() } };
  return { safe, status: { state: "ready", signed, threshold: safe.threshold } };
}

/** What `execute` did: the Safe transaction sent, or the committee's matured operation carried out. */
export interface Execution {
  readonly step: "committee" | "operation";
  readonly receipt: TransactionReceipt;
  /** For a committee's transaction that scheduled a call: the operation and when it may run. */
  readonly operation?: OperationState;
}

/**
 * Carries a proposal forward as far as it can go now: with enough signatures, the Safe's transaction (sent by anyone);
 * once that scheduled a call and its delay has passed, the call itself through the suite's executor module. Refuses,
 * in one sentence, whatever cannot happen yet.
 */
export async function executeProposal(sender: Signer, deployment: Deployment, proposal: Proposal): Promise<Execution> {
  const provider = sender.provider!;
  const { safe, status } = await proposalStatus(provider, deployment, proposal);
  switch (status.state) {
    case "signing":
      throw new InputError(`The proposal has ${status.signed.length} of the ${status.threshold} signatures it needs; still to sign: ${status.missing.join(", ")}.`);
    case "queued":
      throw new InputError(`The committee's next transaction is nonce ${status.nextNonce}; this proposal is nonce ${proposal.transaction.nonce}: execute those before it first.`);
    case "replaced":
      throw new InputError(`Nonce ${proposal.transaction.nonce} of the committee was used by another transaction: this proposal can no longer be executed; propose it again.`);
    case "ready": {
      // A Safe that runs a failing call reports only "GS013": ask first what the call itself would answer.
      await provider.call({ from: safe.address, to: proposal.transaction.to, data: proposal.transaction.data }).catch((error: unknown) => {
        throw new InputError(`The committee's call would be refused, so nothing was sent: ${asSakshyaError(error).message}`);
      });
      const signatures = packSignatures(memberSignatures(proposal, safe.members));
      const receipt = await sendAndWait(sender, { to: safe.address, data: execTransactionData(proposal.transaction, signatures) });
      const call = scheduledCall(deployment, proposal);
      const operation = call ? await operationState(provider, deployment, safe.address, call) : undefined;
      return { step: "committee", receipt, ...(operation ? { operation } : {}) };
    }
    case "executed": {
      const operation = status.operation;
      if (!operation) throw new InputError(`The proposal was executed already (transaction ${status.transaction}).`);
      if (operation.state === "waiting") throw new InputError(`The operation it scheduled (${operation.operationId}) may run after ${isoTime(operation.readyAt)}, not before.`);
      if (operation.state !== "ready") throw new InputError(`The operation it scheduled (${operation.operationId}) was ${operation.state} already.`);
      const executor = deployment.safe?.executor;
      if (!executor) throw new InputError("The deployment names no executor module: the committee executes its operation with another proposal.");
      const call = scheduledCall(deployment, proposal)!;
      const data = ScheduledOperationExecutor__factory.createInterface().encodeFunctionData("execute", [safe.address, call.target, call.data]);
      const receipt = await sendAndWait(sender, { to: executor, data });
      return { step: "operation", receipt, operation: { state: "executed", operationId: operation.operationId } };
    }
  }
}
