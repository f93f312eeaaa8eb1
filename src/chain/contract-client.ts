import type { Interface, Signer } from "ethers";
import { ChainError, InputError } from "../errors";
import type { Governance, Outcome } from "../governance/governed";
import { asSakshyaError, sendAndWait } from "./transact";

/** What a write did: sent now, or found already done on chain and not sent again. */
export interface WriteResult {
  readonly status: "done" | "already-done";
  readonly transactionHash?: string;
  readonly blockNumber?: number;
}

export const ALREADY_DONE: WriteResult = { status: "already-done" };

/** The directory's check every registry makes (the directory client answers it). */
export interface AuthorizationSource {
  authorization(account: string, capabilities: string, jurisdiction: number): Promise<{ readonly authorized: boolean; readonly orgId?: number }>;
}

/** A registry's address and interface, with the two ways every client talks to it. */
export abstract class ContractClient {
  protected constructor(
    readonly address: string,
    private readonly contractInterface: Interface,
    protected readonly signer: Signer | undefined,
    private readonly what: string,
  ) {}

  /** Sends a write as the signer; a refusal the contract would give is decoded before anything is sent. */
  protected async send(method: string, args: readonly unknown[]): Promise<WriteResult> {
    if (!this.signer) throw new InputError("This command signs a transaction: pass --keystore (or --dev-account on a local chain).");
    const data = this.contractInterface.encodeFunctionData(method, args);
    const receipt = await sendAndWait(this.signer, { to: this.address, data });
    return { status: "done", transactionHash: receipt.hash, blockNumber: receipt.blockNumber };
  }

  /** Calls a restricted function through governance: executed at once, or scheduled where the role has a delay. */
  protected govern(governance: Governance, method: string, args: readonly unknown[]): Promise<Outcome> {
    return governance.call(this.address, this.contractInterface.encodeFunctionData(method, args));
  }

  /**
   * "Already on chain, nothing sent" only when what is on chain is what was asked: otherwise one sentence naming
   * every difference, and exit 2. Values compare by their printed form.
   */
  protected sameAsAsked(what: string, asked: Record<string, unknown>, onChain: Record<string, unknown>): WriteResult {
    const differences = Object.keys(asked)
      .filter((field) => String(asked[field]) !== String(onChain[field]))
      .map((field) => `${field} ${String(onChain[field])} on chain, ${String(asked[field])} asked`);
    if (differences.length > 0) throw new InputError(`${what} is already on chain with other details (${differences.join("; ")}); nothing was sent.`);
    return ALREADY_DONE;
  }

  /**
   * "Already on chain" only for a signer whose act it would have been: an active key of the record's organisation
   * with the capability. Any other key is told plainly that it is not its to do, and nothing is sent.
   */
  protected async alreadyDoneAsKeyOf(directory: AuthorizationSource, orgId: number, capability: string, what: string): Promise<WriteResult> {
    if (!this.signer) throw new InputError("This command signs a transaction: pass --keystore (or --dev-account on a local chain).");
    const asked = await this.read(async () => directory.authorization(await this.signer!.getAddress(), capability, 0));
    if (asked.authorized && asked.orgId === orgId) return ALREADY_DONE;
    throw new InputError(`${what} is already on chain, but it is not this key's to do: the key is not an active "${capability}" key of organisation ${orgId}. Nothing was sent.`);
  }

  /** Any failure of a read is "could not check", never an answer. */
  protected async read<T>(call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (error) {
      const typed = asSakshyaError(error);
      throw typed instanceof ChainError ? typed : new ChainError(`The ${this.what} could not be read: ${typed.message}`);
    }
  }
}
