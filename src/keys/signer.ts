import { HDNodeWallet, Wallet, type Provider } from "ethers";
import { DEV_MNEMONIC, LOCAL_CHAIN_ID } from "../config/chain";
import { LegacyWallet } from "../chain/legacy-wallet";
import { InputError } from "../errors";
import { decryptKeystore } from "./keystore";
import { readPassword } from "./password";

export interface SignerOptions {
  keystore?: string;
  passwordFile?: string;
  devAccount?: string;
}

/** The wallet of Hardhat's development account `index`; such keys are public and only ever used locally. */
export function devWallet(index: number): HDNodeWallet {
  return HDNodeWallet.fromPhrase(DEV_MNEMONIC, undefined, `m/44'/60'/0'/0/${index}`);
}

/**
 * The signer for a write: an encrypted keystore (`--keystore`, or SAKSHYA_KEYSTORE), or on the local chain only,
 * one of Hardhat's public development accounts (`--dev-account N`).
 */
export async function resolveSigner(options: SignerOptions, provider: Provider, chainId: number): Promise<LegacyWallet> {
  return new LegacyWallet((await resolveKey(options, chainId, "a transaction")).privateKey, provider);
}

/**
 * The key of {@link resolveSigner}, connected to nothing: what a committee member signs a proposal with, offline, for
 * the chain `chainId` the proposal names.
 */
export async function resolveKey(options: SignerOptions, chainId: number, what: string): Promise<Wallet> {
  const keystore = options.keystore || process.env.SAKSHYA_KEYSTORE;
  if (options.devAccount !== undefined) {
    if (chainId !== LOCAL_CHAIN_ID) {
      throw new InputError(`Development accounts are accepted only on the local chain ${LOCAL_CHAIN_ID}; use --keystore.`);
    }
    const index = Number(options.devAccount);
    if (!Number.isInteger(index) || index < 0 || index > 99) {
      throw new InputError(`--dev-account takes a whole number from 0 to 99, not "${options.devAccount}".`);
    }
    return new Wallet(devWallet(index).privateKey);
  }
  if (!keystore) throw new InputError(`This command signs ${what}: pass --keystore (or set SAKSHYA_KEYSTORE).`);
  const password = await readPassword(options.passwordFile || process.env.SAKSHYA_PASSWORD_FILE || undefined, `Password for ${keystore}: `);
  const wallet = await decryptKeystore(keystore, password);
  return new Wallet(wallet.privateKey);
}
