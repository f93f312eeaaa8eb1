import { Wallet, type Provider, type TransactionRequest } from "ethers";
import { TX_GAS_CAP } from "../config/chain";
import { InputError } from "../errors";

/**
 * A wallet that signs the way a Besu free-gas network accepts: legacy (type 0) transactions at gas price 0,
 * never above Besu's per-transaction gas cap. Deployment and every command sign through it.
 */
export class LegacyWallet extends Wallet {
  static from(wallet: Wallet, provider?: Provider | null): LegacyWallet {
    return new LegacyWallet(wallet.signingKey, provider ?? wallet.provider);
  }

  override connect(provider: Provider | null): LegacyWallet {
    return new LegacyWallet(this.signingKey, provider);
  }

  override async populateTransaction(tx: TransactionRequest) {
    const populated = await super.populateTransaction({
      ...tx,
      type: 0,
      gasPrice: tx.gasPrice ?? 0n,
      maxFeePerGas: undefined,
      maxPriorityFeePerGas: undefined,
    });
    if (populated.gasLimit != null && BigInt(populated.gasLimit) > TX_GAS_CAP) {
      throw new InputError(
        `The transaction needs ${populated.gasLimit} gas, above the network's cap of ${TX_GAS_CAP} per transaction.`,
      );
    }
    return populated;
  }
}
