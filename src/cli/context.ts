import type { JsonRpcProvider } from "ethers";
import { SakshyaAuthority__factory, type SakshyaAuthority } from "../../typechain-types";
import { connect } from "../chain/provider";
import { defaultDeploymentPath, readDeployment, type Deployment } from "../config/deployments";
import { resolveNetwork, type NetworkTarget } from "../config/networks";
import { DirectoryClient } from "../directory/client";
import { Governance } from "../governance/governed";
import { resolveSigner, type SignerOptions } from "../keys/signer";
import { LegacyWallet } from "../chain/legacy-wallet";

/** Options every command accepts. */
export interface GlobalOptions extends SignerOptions {
  network?: string;
  rpcUrl?: string;
  deployments?: string;
  json?: boolean;
}

/**
 * What a command works against: a verified connection to the deployment's chain, and (only for writes) a signer.
 * Read-only commands never ask for a key.
 */
export class CommandContext {
  private signer?: LegacyWallet;

  private constructor(
    readonly options: GlobalOptions,
    readonly target: NetworkTarget,
    readonly deployment: Deployment,
    readonly provider: JsonRpcProvider,
  ) {}

  static async open(options: GlobalOptions): Promise<CommandContext> {
    const target = resolveNetwork(options);
    const deployment = readDeployment(options.deployments ?? defaultDeploymentPath(target.name));
    const provider = await connect(target, deployment);
    return new CommandContext(options, target, deployment, provider);
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

  async governance(): Promise<Governance> {
    const signer = await this.wallet();
    return new Governance(SakshyaAuthority__factory.connect(this.deployment.contracts.SakshyaAuthority.address, signer), signer);
  }

  async wallet(): Promise<LegacyWallet> {
    this.signer ??= await resolveSigner(this.options, this.provider, this.deployment.chainId);
    return this.signer;
  }

  close(): void {
    this.provider.destroy();
  }
}
