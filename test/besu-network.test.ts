import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect } from "chai";
import hre from "hardhat";
import { newNodeKey } from "../src/besu/node-keys";
import { ACCOUNT_PERMISSIONS_ADDRESS, NODE_PERMISSIONS_ADDRESS } from "../src/besu/permission-contracts";
import { installGenesisAlloc } from "../src/besu/stand-in";
import { VALIDATOR_CONTRACT_ADDRESS, type GenesisAccount } from "../src/besu/validator-contract";
import { LOCAL_CHAIN_ID } from "../src/config/chain";
import { devWallet } from "../src/keys/signer";
import { NodePermissions__factory, ValidatorSet__factory } from "../typechain-types";
import { runCli, serveChain, type CliResult } from "./helpers/cli";

interface NetworkJson {
  nodes: { name: string; enode: string; address: string }[];
}

const ROOT = path.join(__dirname, "..");
const HARDHAT = require.resolve("hardhat/internal/cli/cli", { paths: [ROOT] });

/** `hardhat deploy-suite` in its own process, as the SIA runs it, against `url`. */
function deploySuiteAt(url: string, deployments: string): Promise<CliResult> {
  return new Promise((resolve) =>
    execFile(process.execPath, [HARDHAT, "deploy-suite", "--network", "localhost", "--deployments", deployments], { cwd: ROOT, env: { ...process.env, LOCALHOST_RPC_URL: url }, timeout: 300_000 }, (error, stdout, stderr) =>
      resolve({ code: error ? (typeof error.code === "number" ? error.code : 99) : 0, stdout, stderr }),
    ),
  );
}

/**
 * The production path end to end on the Besu stand-in: a chain started from a `besu generate` genesis (validator
 * and permissioning contracts pre-deployed), the suite deployed with locally signed transactions, the genesis
 * contracts bound, an operator's node onboarded, and a validator added, removed and pruned through governance.
 */
describe("a Besu network from genesis to governed validators (stand-in)", function () {
  this.timeout(400_000);
  const work = fs.mkdtempSync(path.join(os.tmpdir(), "sakshya-network-"));
  const dir = path.join(work, "net");
  const deployments = path.join(work, "besu.json");
  const governor = devWallet(0).address;
  let chain: Awaited<ReturnType<typeof serveChain>>;
  let network: NetworkJson;
  let cli: (args: string[]) => Promise<CliResult>;
  let snapshot: string;
  const spare = newNodeKey();

  before(async () => {
    snapshot = await hre.network.provider.send("evm_snapshot");
    chain = await serveChain();
    cli = (args) => runCli(["--rpc-url", chain.url, "--deployments", deployments, ...args]);
    const generated = await runCli(["besu", "generate", "--out", dir, "--chain-id", String(LOCAL_CHAIN_ID), "--bootstrap", governor, "--validators", "1", "--hosts", "10.20.0.1", "--permissioning", "contract"]);
    expect(generated.code, generated.stderr).to.equal(0);
    network = JSON.parse(fs.readFileSync(path.join(dir, "network.json"), "utf8")) as NetworkJson;
    // What Besu does when it starts from this genesis: the alloc's code and storage are the chain's first state.
    await installGenesisAlloc(hre, (JSON.parse(fs.readFileSync(path.join(dir, "genesis.json"), "utf8")) as { alloc: Record<string, GenesisAccount> }).alloc);
  });

  after(async () => {
    await chain.close();
    await hre.network.provider.send("evm_revert", [snapshot]);
  });

  it("deploys the suite through the stand-in with locally signed transactions, governing the genesis validator contract", async () => {
    const result = await deploySuiteAt(chain.url, deployments);
    expect(result.code, result.stderr).to.equal(0);
    expect(result.stdout).to.match(/done +ValidatorSet: 2 functions to GOVERNOR/);
    expect(result.stdout).to.match(/steps? done\. Deployment: /);
    const again = await deploySuiteAt(chain.url, deployments);
    expect(again.stdout).to.match(/Nothing to do: the suite was already deployed and wired\./);
  });

  it("binds the genesis contracts with the bootstrap key only, once the directory lists the genesis validator", async () => {
    const onboard = await cli(["org", "onboard", "sdc", "--kind", "node-operator", "--capabilities", "run-node,validate", "--metadata", "State Data Centre", "--dev-account", "1"]);
    expect(onboard.code, onboard.stderr).to.equal(0);
    const early = await cli(["besu", "bind", "--dev-account", "0"]);
    expect([early.code, early.stderr]).to.satisfy(([c, e]: [number, string]) => c === 2 && /genesis validator 0x[0-9a-fA-F]{40} has no validator node in the directory; register it first/.test(e), early.stderr);
    expect((await cli(["org", "add-node", "sdc", network.nodes[0].enode, "--validator", "--dev-account", "1"])).code).to.equal(0);
    const stranger = await cli(["besu", "bind", "--dev-account", "5"]);
    expect(stranger.stderr).to.match(/ValidatorSet may be bound only by the bootstrap account 0xf39F.* named in the genesis; this key is 0x9965/);
    const bound = await cli(["besu", "bind", "--dev-account", "0"]);
    expect(bound.code, bound.stderr).to.equal(0);
    for (const name of ["ValidatorSet", "NodePermissions", "AccountPermissions"]) expect(bound.stdout).to.match(new RegExp(`✓ ${name} at 0x0+[0-9]{4}: bound \\(tx 0x`));
    expect((await cli(["besu", "bind", "--dev-account", "0"])).stdout).to.match(/· AccountPermissions at 0x0+8888: already bound/);
    const nodePermissions = NodePermissions__factory.connect(NODE_PERMISSIONS_ADDRESS, hre.ethers.provider);
    const [enodeId, hostPort] = network.nodes[0].enode.slice("enode://".length).split("@");
    expect(await nodePermissions.connectionAllowed(enodeId, hostPort.split(":")[0], 30303)).to.equal(true);
    expect(await nodePermissions.connectionAllowed(spare.enodeId, "10.20.0.9", 30303)).to.equal(false);
    expect(await hre.ethers.provider.getCode(ACCOUNT_PERMISSIONS_ADDRESS)).to.not.equal("0x");
  });

  it("adds and removes a validator through governance, and prunes one the directory dropped", async () => {
    const spareEnode = `enode://${spare.enodeId}@10.20.0.2:30303`;
    expect((await cli(["org", "add-node", "sdc", spareEnode, "--validator", "--dev-account", "1"])).code).to.equal(0);
    const listed = await cli(["besu", "validators"]);
    expect(listed.code, listed.stderr).to.equal(0);
    expect(listed.stdout).to.match(/1 validators, minimum 1\n/);
    expect(listed.stdout).to.include(`sakshya besu validators add ${hre.ethers.keccak256(`0x${spare.enodeId}`)}`);

    expect((await cli(["besu", "validators", "add", "0x12", "--dev-account", "0"])).stderr).to.match(/"0x12" is neither a node id \(0x and 64 hex digits\) nor an enode URL\./);
    const refused = await cli(["besu", "validators", "add", spareEnode, "--dev-account", "1"]);
    expect([refused.code, refused.stderr]).to.satisfy(([c, e]: [number, string]) => c === 2 && /holds no role allowed to call this function/.test(e), refused.stderr);
    const added = await cli(["besu", "validators", "add", spareEnode, "--dev-account", "0"]);
    expect(added.code, added.stderr).to.equal(0);
    expect(added.stdout).to.include(`✓ Validator ${spare.address} added`);
    const set = ValidatorSet__factory.connect(VALIDATOR_CONTRACT_ADDRESS, hre.ethers.provider);
    expect(await set.getValidators()).to.deep.equal([network.nodes[0].address, spare.address]);
    expect((await cli(["besu", "validators", "add", spareEnode, "--dev-account", "0"])).stderr).to.match(/is already a validator/);

    expect((await cli(["besu", "validators", "remove", spare.address, "--dev-account", "0"])).code).to.equal(0);
    expect(await set.getValidators()).to.deep.equal([network.nodes[0].address]);
    expect((await cli(["besu", "validators", "add", spareEnode, "--dev-account", "0"])).code).to.equal(0);

    expect((await cli(["org", "remove-node", spareEnode, "--dev-account", "1"])).code).to.equal(0);
    const drifted = await cli(["besu", "validators"]);
    expect(drifted.code).to.equal(1);
    expect(drifted.stdout).to.include(`! ${spare.address} validates, but its node left the directory: "sakshya besu validators prune ${spare.address}".`);
    const pruned = await cli(["besu", "validators", "prune", spare.address, "--dev-account", "7"]);
    expect(pruned.code, pruned.stderr).to.equal(0);
    expect((await cli(["besu", "validators", "prune", network.nodes[0].address, "--dev-account", "7"])).stderr).to.match(/is still in the directory with an organisation that has not left/);
    expect((await cli(["besu", "validators", "remove", network.nodes[0].address, "--dev-account", "0"])).stderr).to.match(/is the last validator; without one the chain stops/);
    expect(await set.getValidators()).to.deep.equal([network.nodes[0].address]);
  });
});
