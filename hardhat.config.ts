import path from "node:path";
import "dotenv/config";
import { subtask } from "hardhat/config";
import { TASK_COMPILE_SOLIDITY_GET_SOLC_BUILD } from "hardhat/builtin-tasks/task-names";
import type { HardhatUserConfig } from "hardhat/config";
import "@nomicfoundation/hardhat-toolbox";
import "@openzeppelin/hardhat-upgrades";
import { DEV_MNEMONIC, EVM_VERSION, LOCAL_CHAIN_ID, SOLC_VERSION, TX_GAS_CAP } from "./src/config/chain";
import "./deploy/tasks";

// Compiler downloads are not possible on our machines: use the solcjs build from the pinned npm package.
subtask(TASK_COMPILE_SOLIDITY_GET_SOLC_BUILD, async (args: { solcVersion: string }) => {
  if (args.solcVersion !== SOLC_VERSION) {
    throw new Error(`Only solc ${SOLC_VERSION} is installed (from the solc npm package), but ${args.solcVersion} was requested.`);
  }
  const compilerPath = path.join(path.dirname(require.resolve("solc/package.json")), "soljson.js");
  return { compilerPath, isSolcJs: true, version: args.solcVersion, longVersion: require("solc/package.json").version };
});

const besuChainId = process.env.BESU_CHAIN_ID ? Number(process.env.BESU_CHAIN_ID) : undefined;

// Tuned for size, not per-call gas: at 10,000 runs these are over the 24 KiB code limit that Besu keeps too.
const SIZE_TUNED = { version: SOLC_VERSION, settings: { evmVersion: EVM_VERSION, optimizer: { enabled: true, runs: 200 } } };

const config: HardhatUserConfig = {
  solidity: {
    compilers: [{ version: SOLC_VERSION, settings: { evmVersion: EVM_VERSION, optimizer: { enabled: true, runs: 10_000 } } }],
    overrides: {
      "contracts/land/LandRegistry.sol": SIZE_TUNED,
      "contracts/test/LandRegistryV2.sol": SIZE_TUNED,
      "contracts/certificates/CertificateRegistry.sol": SIZE_TUNED,
      "contracts/test/CertificateRegistryV2.sol": SIZE_TUNED,
    },
  },
  defaultNetwork: "hardhat",
  networks: {
    // Behaves like the production Besu network: own chain id, free gas, cap of 2^24 gas per transaction.
    hardhat: {
      chainId: LOCAL_CHAIN_ID,
      hardfork: EVM_VERSION,
      gasPrice: 0,
      initialBaseFeePerGas: 0,
      blockGasLimit: Number(TX_GAS_CAP),
      accounts: { mnemonic: DEV_MNEMONIC, count: 13 },
    },
    localhost: {
      url: process.env.LOCALHOST_RPC_URL ?? "http://127.0.0.1:8545",
      chainId: LOCAL_CHAIN_ID,
      gasPrice: 0,
      accounts: { mnemonic: DEV_MNEMONIC, count: 13 },
    },
    // Keys for Besu never live in this file: deployment and commands load an encrypted keystore (see README).
    besu: {
      url: process.env.BESU_RPC_URL ?? "http://127.0.0.1:8545",
      ...(besuChainId ? { chainId: besuChainId } : {}),
      gasPrice: 0,
      accounts: [],
    },
  },
  typechain: { outDir: "typechain-types", target: "ethers-v6" },
  gasReporter: { enabled: process.env.REPORT_GAS === "true" },
  mocha: { timeout: 120_000 },
};

export default config;
