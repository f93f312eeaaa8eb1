import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect } from "chai";
import hre from "hardhat";
import { time } from "@nomicfoundation/hardhat-network-helpers";
import { JsonRpcProvider, Network } from "ethers";
import { deploySuite } from "../deploy/suite";
import { readNetworkDescription } from "../src/besu/network";
import { ACCOUNT_PERMISSIONS_ADDRESS } from "../src/besu/permission-contracts";
import { installGenesisAlloc, serveStandIn } from "../src/besu/stand-in";
import type { GenesisAccount } from "../src/besu/validator-contract";
import { VALIDATOR_CONTRACT_ADDRESS } from "../src/besu/validator-contract";
import { LegacyWallet } from "../src/chain/legacy-wallet";
import { devWallet } from "../src/keys/signer";
import { SakshyaAuthority__factory, ValidatorSet__factory } from "../typechain-types";
import { runCli } from "./helpers/cli";
import { restoreChainAfter } from "./helpers/chain";

const DAY = 86_400;

/**
 * The README's Besu sequence, in its order, on a chain started from a `besu generate --permissioning contract` genesis
 * behind the stand-in, which asks the account permissioning contract about every transaction as Besu does: until the
 * genesis contracts are bound only the bootstrap account may send anything.
 */
describe("Besu bootstrap: the README's order completes under Besu's account check", function () {
  this.timeout(300_000);
  restoreChainAfter({ each: true });

  it("generate, deploy with the network folder (registrations and binding by the bootstrap account), onboard after the delay, sync", async () => {
    const work = fs.mkdtempSync(path.join(os.tmpdir(), "sakshya-bootstrap-"));
    const dir = path.join(work, "network");
    const [deployer, governor, operator, guardian, university, stranger] = [0, 5, 6, 7, 8, 9].map((i) => devWallet(i));
    // 1. Generate the network.
    const generated = await runCli([
      "besu", "generate", "--out", dir, "--chain-id", "33033", "--validators", "4", "--nodes", "1", "--permissioning", "contract",
      "--hosts", "10.20.0.1,10.20.0.2,10.20.0.3,10.20.0.4,10.20.1.1", "--bootstrap", deployer.address,
      "--accounts", [deployer, governor, operator, guardian].map((w) => w.address).join(","),
    ]);
    expect(generated.code, generated.stderr).to.equal(0);
    // 2. Start the nodes: the chain now holds the genesis contracts, and the stand-in asks the account contract.
    const genesis = JSON.parse(fs.readFileSync(path.join(dir, "genesis.json"), "utf8")) as { alloc: Record<string, GenesisAccount> };
    await installGenesisAlloc(hre, genesis.alloc);
    const chain = await serveStandIn(hre, { accountContract: ACCOUNT_PERMISSIONS_ADDRESS });
    const provider = new JsonRpcProvider(chain.url, 33033, { staticNetwork: Network.from(33033), cacheTimeout: -1, batchStallTime: 0 });
    const signer = (wallet: { privateKey: string }) => new LegacyWallet(wallet.privateKey, provider);
    try {
      const refused = await signer(devWallet(6))
        .sendTransaction({ to: stranger.address, gasLimit: 21_000n })
        .then(() => "sent", (error: Error) => error.message);
      expect(refused).to.match(/Sender account not authorized to send transactions/);

      // 3. Deploy, with the network folder: the production delays, and the genesis step before the hand-over.
      const deploymentFile = path.join(work, "besu.json");
      const plan = { governor: governor.address, operator: operator.address, guardian: guardian.address, responder: operator.address, governorDelay: 2 * DAY, operatorDelay: DAY };
      const { steps } = await deploySuite(hre, { signer: signer(deployer), plan, deploymentFile, network: readNetworkDescription(dir) });
      const done = steps.filter((s) => s.status === "done").map((s) => s.step);
      expect(done).to.include.members([
        "genesis: the bootstrap account acts as operator for the genesis registrations",
        'genesis: onboard sdc ("State Data Centre") as organisation 1',
        "genesis: register validator-1 (validator) at 10.20.0.1:30303",
        "genesis: register node-1 (node) at 10.20.1.1:30303",
        `genesis: bind ValidatorSet at ${VALIDATOR_CONTRACT_ADDRESS}`,
        `genesis: bind AccountPermissions at ${ACCOUNT_PERMISSIONS_ADDRESS}`,
        "genesis: the bootstrap account gives the operator role back up",
        `deployer ${deployer.address} renounces ADMIN`,
      ]);
      const set = ValidatorSet__factory.connect(VALIDATOR_CONTRACT_ADDRESS, hre.ethers.provider);
      expect([(await set.getValidators()).length, await set.bootstrap(), await set.minimum()]).to.deep.equal([4, hre.ethers.ZeroAddress, 4n]);
      // Run again, the deployment changes nothing.
      const again = await deploySuite(hre, { signer: signer(deployer), plan, deploymentFile, network: readNetworkDescription(dir) });
      expect(again.steps.filter((s) => s.status === "done" || s.status === "scheduled")).to.deep.equal([]);

      // 4. Onboard: the operator's grants wait out its delay, and then its own key sends them.
      const cli = (args: string[]) => runCli(["--rpc-url", chain.url, "--deployments", deploymentFile, ...args]);
      const onboard = JSON.parse((await cli(["--json", "org", "onboard", "wbu", "--kind", "university", "--capabilities", "issue-certificates", "--jurisdictions", "0", "--metadata", "West Bengal University", "--dev-account", "6"])).stdout);
      expect(onboard.status).to.equal("scheduled");
      await time.increase(DAY);
      expect((await cli(["roles", "execute", onboard.operationId, "--dev-account", "6"])).stdout).to.match(/Executed operation/);
      const addKey = JSON.parse((await cli(["--json", "org", "add-account", "wbu", university.address, "--dev-account", "6"])).stdout);
      await time.increase(DAY);
      expect((await cli(["roles", "execute", addKey.operationId, "--dev-account", "6"])).code).to.equal(0);
      // The university's key may now transact; the deployer, which gave everything up, and a stranger may not.
      await (await signer(university).sendTransaction({ to: stranger.address, gasLimit: 21_000n })).wait();
      for (const wallet of [deployer, stranger]) {
        const answer = await signer(wallet).sendTransaction({ to: university.address, gasLimit: 21_000n }).then(() => "sent", (error: Error) => error.message);
        expect(answer).to.match(/Sender account not authorized/);
      }

      // 5. Sync the allow-lists from the directory, and read the validator set.
      const synced = await cli(["besu", "sync-permissions", "--network-dir", dir, "--offline"]);
      expect(synced.code, synced.stderr).to.equal(0);
      expect(synced.stdout).to.match(/Allowed: 5 nodes and \d+ accounts/);
      const validators = await cli(["besu", "validators"]);
      expect([validators.code, validators.stdout]).to.satisfy(([code, out]: [number, string]) => code === 0 && /4 validators, minimum 4\n/.test(out));

      // A suspension, which one responder key imposes at once, takes the RPC node off the allow-lists but no validator:
      // the set is changed only through the ValidatorSet's governed path.
      expect(JSON.parse((await cli(["--json", "org", "suspend", "sdc", "--reason", "audit", "--dev-account", "6"])).stdout).status).to.equal("executed");
      const network = readNetworkDescription(dir);
      const resynced = JSON.parse((await cli(["--json", "besu", "sync-permissions", "--network-dir", dir, "--offline"])).stdout) as { desired: { nodes: string[] } };
      expect(resynced.desired.nodes).to.have.members(network.nodes.filter((n) => n.role === "validator").map((n) => n.enode));
      const held = await cli(["besu", "validators"]);
      expect(held.code).to.equal(1);
      expect(held.stdout).to.include("validates, but the directory does not allow its node now (a suspension or a capability taken away); it stays until governance decides.");
    } finally {
      provider.destroy();
      await chain.close();
    }
  });

  it("deployed first without the network folder, it withholds the hand-over until a rerun with the folder binds the genesis contracts", async () => {
    const work = fs.mkdtempSync(path.join(os.tmpdir(), "sakshya-bootstrap-"));
    const dir = path.join(work, "network");
    const [deployer, governor, operator, guardian] = [0, 5, 6, 7].map((i) => devWallet(i));
    const generated = await runCli([
      "besu", "generate", "--out", dir, "--chain-id", "33033", "--validators", "4", "--nodes", "0", "--permissioning", "contract",
      "--bootstrap", deployer.address, "--accounts", [deployer, governor, operator, guardian].map((w) => w.address).join(","),
    ]);
    expect(generated.code, generated.stderr).to.equal(0);
    const genesis = JSON.parse(fs.readFileSync(path.join(dir, "genesis.json"), "utf8")) as { alloc: Record<string, GenesisAccount> };
    await installGenesisAlloc(hre, genesis.alloc);
    const chain = await serveStandIn(hre, { accountContract: ACCOUNT_PERMISSIONS_ADDRESS });
    const provider = new JsonRpcProvider(chain.url, 33033, { staticNetwork: Network.from(33033), cacheTimeout: -1, batchStallTime: 0 });
    const signer = new LegacyWallet(deployer.privateKey, provider);
    try {
      const deploymentFile = path.join(work, "besu.json");
      const plan = { governor: governor.address, operator: operator.address, guardian: guardian.address, responder: operator.address, governorDelay: 2 * DAY, operatorDelay: DAY };
      const first = await deploySuite(hre, { signer, plan, deploymentFile });
      expect(first.steps.filter((s) => s.status === "warning").map((s) => s.step)).to.include(
        "hand-over withheld: the genesis permissioning contracts await binding; deploy again with --network-dir to bind them and hand over",
      );
      const authority = SakshyaAuthority__factory.connect(first.deployment.contracts.SakshyaAuthority.address, hre.ethers.provider);
      expect((await authority.hasRole(0n, deployer.address))[0]).to.equal(true);
      // The advised rerun, with the folder, completes the binding and then hands over.
      const second = await deploySuite(hre, { signer, plan, deploymentFile, network: readNetworkDescription(dir) });
      expect(second.steps.filter((s) => s.status === "done").map((s) => s.step)).to.include.members([
        `genesis: bind AccountPermissions at ${ACCOUNT_PERMISSIONS_ADDRESS}`,
        `deployer ${deployer.address} renounces ADMIN`,
      ]);
      expect((await authority.hasRole(0n, deployer.address))[0]).to.equal(false);
    } finally {
      provider.destroy();
      await chain.close();
    }
  });
});
