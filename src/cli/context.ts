import { VoidSigner, ZeroAddress, type JsonRpcProvider } from "ethers";
import { SakshyaAuthority__factory, type SakshyaAuthority } from "../../typechain-types";
import { deadlinesFrom, type Deadlines } from "../chain/deadlines";
import { connect, requireSuite } from "../chain/provider";
import { JournaledWallet } from "../chain/sender";
import { sakshyaHome } from "../config/home";
import { defaultDeploymentPath, readDeployment, type Deployment } from "../config/deployments";
import { resolveNetwork, type NetworkTarget } from "../config/networks";
import { DirectoryClient } from "../directory/client";
import { CommitteeProposer } from "../committee/propose";
import { InputError } from "../errors";
import { Governance } from "../governance/governed";
import { ROLE_NAMES, type RoleName } from "../governance/roles";
import { resolveSigner, type SignerOptions } from "../keys/signer";

/** Options every command accepts. */
export interface GlobalOptions extends SignerOptions {
  network?: string;
  rpcUrl?: string;
  deployments?: string;
  json?: boolean;
  /** Seconds any one request may take; a sent transaction may take eight times as long. */
  timeout?: string;
  /** A Sakshya service to work through instead of an RPC node (its relay's JSON-RPC endpoint, with the key). */
  api?: string;
  apiKey?: string;
  /** Write governance calls as a committee's proposal (to this file, or to proposals/<network>/) instead of sending. */
  propose?: string | boolean;
  /** The committee to propose to, by role; by default the first whose role may make the call. */
  committee?: string;
}

/**
 * What a command works against: a verified connection to the deployment's chain, and (only for writes) a signer.
 * Read-only commands never ask for a key.
 */
export class CommandContext {
  private signer?: Promise<JournaledWallet>;

  private constructor(
    readonly options: GlobalOptions,
    readonly target: NetworkTarget,
    readonly deployment: Deployment,
    readonly provider: JsonRpcProvider,
    readonly deadlines: Deadlines,
  ) {}

  /** Connects, proves the chain is the deployment's and that its contracts are there, before any command reads. */
  static async open(options: GlobalOptions): Promise<CommandContext> {
    const deadlines = deadlinesFrom(options.timeout);
    const target = resolveNetwork(options);
    const file = options.deployments ?? defaultDeploymentPath(target.name);
    const deployment = readDeployment(file);
    const provider = await connect(target, deployment, deadlines.requestMs);
    try {
      await requireSuite(provider, deployment, file);
    } catch (error) {
      provider.destroy();
      throw error;
    }
    return new CommandContext(options, target, deployment, provider, deadlines);
  }

  directory(): DirectoryClient {
    return new DirectoryClient(this.deployment, this.provider);
  }

  /** The suite's AccessManager, read-only. */
  authority(): SakshyaAuthority {
    return SakshyaAuthority__factory.connect(this.deployment.contracts.SakshyaAuthority.address, this.provider);
  }

  async writableDirectory(): Promise<DirectoryClient> {
    return new DirectoryClient(this.deployment, this.provider, await this.governance());
  }

  /**
   * Governance writes as this run makes them: sent by the signer, or — with `--propose` — written as the proposal of
   * the committee that may make them, for its members to sign (no key is needed to propose).
   */
  async governance(): Promise<Governance> {
    const { propose, committee } = this.options;
    if (propose !== undefined && propose !== false) {
      const role = committee === undefined ? undefined : ROLE_NAMES.find((name) => name === committee.toLowerCase());
      if (committee !== undefined && !role) throw new InputError(`Unknown committee "${committee}"; known: ${ROLE_NAMES.join(", ")}.`);
      const proposer = new CommitteeProposer({ deployment: this.deployment, provider: this.provider, file: typeof propose === "string" ? propose : undefined, role: role as RoleName | undefined });
      return new Governance(this.authority(), new VoidSigner(ZeroAddress, this.provider), proposer);
    }
    const signer = await this.wallet();
    return new Governance(SakshyaAuthority__factory.connect(this.deployment.contracts.SakshyaAuthority.address, signer), signer);
  }

  /**
   * The signing key, held for this run alone: opening it waits for any other run using the key on this machine and
   * settles what earlier runs left unconfirmed, so the command then reads the chain as those runs left it.
   */
  wallet(): Promise<JournaledWallet> {
    this.signer ??= resolveSigner(this.options, this.provider, this.deployment.chainId).then((key) =>
      JournaledWallet.open(key.privateKey, this.provider, this.deployment.chainId, {
        home: sakshyaHome(),
        deadlines: this.deadlines,
        notify: (message) => process.stderr.write(`note: ${message}\n`),
      }),
    );
    return this.signer;
  }

  async close(): Promise<void> {
    await this.signer?.then((wallet) => wallet.close()).catch(() => undefined);
    this.provider.destroy();
  }
}
