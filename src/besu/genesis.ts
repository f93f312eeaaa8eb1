import { getAddress, toBeHex } from "ethers";
import { EVM_VERSION } from "../config/chain";
import { InputError } from "../errors";
import { encodeQbftGenesisExtraData } from "./extra-data";
import { VALIDATOR_CONTRACT_ADDRESS, defaultMinimumValidators, validatorContractAccount, type GenesisAccount } from "./validator-contract";

/**
 * Besu releases this generator writes for: genesis keys, TOML options and JSON-RPC methods as their documentation
 * defines them. (Besu calls on-chain permissioning contracts only up to 25.5; from 25.6 the allow-list files and the
 * `perm_*` methods are the way.)
 */
export const BESU_VERSIONS = "24.12 to 25.x";

export interface QbftParameters {
  readonly chainId: number;
  readonly blockPeriodSeconds: number;
  readonly epochLength: number;
  readonly requestTimeoutSeconds: number;
  /** Block gas limit; each transaction is also capped at 2^24 gas by the tooling, as on the proxy. */
  readonly gasLimit: bigint;
  readonly contractSizeLimit: number;
}

export const DEFAULT_QBFT: Omit<QbftParameters, "chainId"> = {
  blockPeriodSeconds: 2,
  epochLength: 30_000,
  requestTimeoutSeconds: 4,
  gasLimit: 0x1fffffffffffffn,
  contractSizeLimit: 24_576,
};

/**
 * Every fork up to the one the contracts are compiled for, active from genesis: Besu has no "latest" switch, and a
 * fork the compiler targets but the chain lacks would reject the code (PUSH0, MCOPY, transient storage).
 */
const MILESTONES: Record<string, Record<string, number>> = {
  cancun: {
    homesteadBlock: 0,
    eip150Block: 0,
    eip155Block: 0,
    eip158Block: 0,
    byzantiumBlock: 0,
    constantinopleBlock: 0,
    petersburgBlock: 0,
    istanbulBlock: 0,
    berlinBlock: 0,
    londonBlock: 0,
    shanghaiTime: 0,
    cancunTime: 0,
  },
};

/** The `mixHash` Besu requires of Istanbul-family (IBFT 2.0 and QBFT) blocks. */
export const QBFT_MIX_HASH = "0x63746963616c2062797a616e74696e65206661756c7420746f6c6572616e6365";

export interface GenesisInput extends QbftParameters {
  /** Validator addresses (node addresses). */
  readonly validators: readonly string[];
  /** `contract`: validators in the pre-deployed ValidatorSet (governed on chain); `header`: in extraData. */
  readonly selection: "contract" | "header";
  /** The account that binds the ValidatorSet to the suite's governance once it is deployed. */
  readonly bootstrap: string;
  /** The fewest validators pruning may leave (default: 4, or all of them if fewer). */
  readonly minimumValidators?: number;
  /** Other pre-deployed accounts (the permissioning contracts), by address. */
  readonly extraAlloc?: Readonly<Record<string, GenesisAccount>>;
}

export function qbftGenesis(input: GenesisInput): Record<string, unknown> {
  if (input.validators.length < 1) throw new InputError("A QBFT network needs at least one validator.");
  const minimum = input.minimumValidators ?? defaultMinimumValidators(input.validators.length);
  if (!Number.isInteger(minimum) || minimum < 1 || minimum > input.validators.length) {
    throw new InputError(`The minimum of validators must be a whole number from 1 to the ${input.validators.length} validators, not ${minimum}.`);
  }
  const validators = [...input.validators].map((v) => getAddress(v)).sort((a, b) => (a.toLowerCase() < b.toLowerCase() ? -1 : 1));
  const milestones = MILESTONES[EVM_VERSION];
  const contract = input.selection === "contract";
  return {
    config: {
      chainId: input.chainId,
      ...milestones,
      zeroBaseFee: true,
      contractSizeLimit: input.contractSizeLimit,
      qbft: {
        blockperiodseconds: input.blockPeriodSeconds,
        epochlength: input.epochLength,
        requesttimeoutseconds: input.requestTimeoutSeconds,
        ...(contract ? { validatorcontractaddress: VALIDATOR_CONTRACT_ADDRESS } : {}),
      },
    },
    nonce: "0x0",
    timestamp: "0x0",
    extraData: encodeQbftGenesisExtraData(contract ? [] : validators),
    gasLimit: toBeHex(input.gasLimit),
    difficulty: "0x1",
    mixHash: QBFT_MIX_HASH,
    coinbase: "0x0000000000000000000000000000000000000000",
    baseFeePerGas: "0x0",
    alloc: {
      ...(contract ? { [VALIDATOR_CONTRACT_ADDRESS]: validatorContractAccount(validators, input.bootstrap, minimum) } : {}),
      ...input.extraAlloc,
    },
    number: "0x0",
    gasUsed: "0x0",
    parentHash: `0x${"0".repeat(64)}`,
  };
}
