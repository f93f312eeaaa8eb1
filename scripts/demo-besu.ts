import fs from "node:fs";
import path from "node:path";
import hre from "hardhat";
import { JsonRpcProvider, Network, Wallet } from "ethers";
import { bindGenesisContracts, describeValidators } from "../src/besu/genesis-contracts";
import { networkFiles, readNetworkDescription, writeNetwork } from "../src/besu/network";
import { desiredAllowlists, syncPermissions } from "../src/besu/permissions-sync";
import { installGenesisAlloc, serveStandIn } from "../src/besu/stand-in";
import type { GenesisAccount } from "../src/besu/validator-contract";
import { LegacyWallet } from "../src/chain/legacy-wallet";
import { submitPipelined } from "../src/chain/pipeline";
import { table } from "../src/cli/output";
import type { Deployment } from "../src/config/deployments";
import type { DirectoryClient } from "../src/directory/client";
import { parseEnode } from "../src/directory/enode";
import { devWallet } from "../src/keys/signer";
import { SakshyaAuthority__factory } from "../typechain-types";

const TRANSFERS = 600;

/**
 * The backbone's own network: a QBFT network generated for this chain, its genesis contracts installed as Besu would
 * start them, the validators registered and bound, allow-lists written from the directory, and signed transactions
 * through the Besu stand-in, pipelined.
 */
export async function besuWalkThrough(deployment: Deployment, directory: DirectoryClient, workDir: string): Promise<void> {
  const dir = path.join(workDir, "network");
  const deployer = devWallet(0).address;
  const { files } = networkFiles({ chainId: deployment.chainId, bootstrap: deployer, validators: 4, nodes: 1, hosts: ["10.20.0.1", "10.20.0.2", "10.20.0.3", "10.20.0.4", "10.20.1.1"], permissioning: "contract" });
  writeNetwork(dir, files);
  const network = readNetworkDescription(dir);
  console.log(`  besu generate: ${files.length} files in ${dir} (4 validators, 1 RPC node, node keys mode 600, permissioning contracts)`);

  const genesis = JSON.parse(fs.readFileSync(path.join(dir, "genesis.json"), "utf8")) as { alloc: Record<string, GenesisAccount> };
  await installGenesisAlloc(hre, genesis.alloc);
  console.log(`  the chain starts from its genesis: ValidatorSet, NodePermissions and AccountPermissions pre-deployed`);

  const sdc = await directory.resolveOrganisation("sdc");
  for (const node of network.nodes) await directory.addNode(sdc, parseEnode(node.enode), node.role === "validator");
  const bootstrap = new LegacyWallet(devWallet(0).privateKey, hre.ethers.provider);
  for (const bound of await bindGenesisContracts(bootstrap, deployment)) console.log(`  ✓ ${bound.contract} bound to the suite by the bootstrap account (${bound.status})`);
  const report = await describeValidators(hre.ethers.provider, directory);
  console.log(table(["validator", "node", "directory"], report.validators.map((v) => [v.address, v.node?.enode.replace(/^enode:\/\/(.{10}).*@/, "enode://$1…@") ?? "-", v.node?.allowed ? "allowed" : "NOT allowed"])).map((l) => `    ${l}`).join("\n"));
  console.log(`  ${report.candidates.length} more validator nodes of the directory could be added by the governor ("besu validators add")`);

  const authority = SakshyaAuthority__factory.connect(deployment.contracts.SakshyaAuthority.address, hre.ethers.provider);
  const desired = await desiredAllowlists(directory, authority, deployment);
  const synced = await syncPermissions(dir, network, desired, { offline: true });
  console.log(`  besu sync-permissions: ${synced.length} permissions_config.toml files with ${desired.nodes.length} nodes and ${desired.accounts.length} accounts from the directory`);

  const chain = await serveStandIn(hre);
  try {
    const provider = new JsonRpcProvider(chain.url, deployment.chainId, { staticNetwork: Network.from(deployment.chainId), cacheTimeout: -1, batchStallTime: 0 });
    const refused = await provider.send("eth_sendTransaction", [{ from: deployer, to: deployer }]).catch((error: { error?: { message?: string } }) => error.error?.message);
    console.log(`  the Besu stand-in refuses eth_sendTransaction: "${refused}"`);
    const wallet = new LegacyWallet(devWallet(12).privateKey, provider);
    const items = Array.from({ length: TRANSFERS }, (_, i) => ({ to: Wallet.createRandom().address, value: BigInt(i + 1), gasLimit: 21_000n }));
    const started = process.hrtime.bigint();
    const { receipts } = await submitPipelined(wallet, provider, items, { window: 200 });
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const ok = receipts.filter((r) => r.status === 1).length;
    console.log(`  ${TRANSFERS} signed transactions pipelined through it from one account: ${ok} receipts confirmed in ${seconds.toFixed(1)} s (${Math.round(TRANSFERS / seconds)}/s in this process)`);
    provider.destroy();
  } finally {
    await chain.close();
  }
}
