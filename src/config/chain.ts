/**
 * Chain parameters shared by the Hardhat network, the Besu genesis and the command-line tool,
 * so that local development and production run the same EVM rules.
 */

/** Chain id of the local development chain (in-process Hardhat and `hardhat node`). */
export const LOCAL_CHAIN_ID = 33033;

/** The one EVM fork the contracts are compiled for; the Hardhat network and the Besu genesis use it too. */
export const EVM_VERSION = "cancun";

/** Pinned compiler version; it comes from the `solc` npm package, never from a download. */
export const SOLC_VERSION = "0.8.28";

/** Besu caps a single transaction's gas at 2^24; the local chain enforces the same cap. */
export const TX_GAS_CAP = 16_777_216n;

/** The mnemonic Hardhat uses for its development accounts; only ever accepted on the local chain. */
export const DEV_MNEMONIC = "test test test test test test test test test test test junk";
