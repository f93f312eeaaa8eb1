import fs from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { expect } from "chai";
import { parse } from "smol-toml";
import { readPermissionsConfig } from "../src/besu/allowlists";
import { BesuProxy } from "../src/besu/proxy";
import { LOCAL_CHAIN_ID } from "../src/config/chain";
import { enodeHalves, nodeId, parseEnode } from "../src/directory/enode";
import { CAP, KIND, code, deployedSuite, evidence } from "./fixtures";
import { runCli, serveChain, type CliResult } from "./helpers/cli";

interface NetworkJson {
  nodes: { name: string; enode: string }[];
}

/** `sakshya besu sync-permissions` against two stand-in nodes, as the SIA runs it after onboarding and offboarding. */
describe("sakshya besu sync-permissions (command line)", function () {
  this.timeout(180_000);
  const work = fs.mkdtempSync(path.join(os.tmpdir(), "sakshya-sync-"));
  const dir = path.join(work, "net");
  let chain: Awaited<ReturnType<typeof serveChain>>;
  let suite: Awaited<ReturnType<typeof deployedSuite>>;
  let proxies: BesuProxy[];
  let network: NetworkJson;
  let cli: (args: string[]) => Promise<CliResult>;
  const file = (node: string) => parse(fs.readFileSync(path.join(dir, node, "permissions_config.toml"), "utf8")) as { "nodes-allowlist": string[]; "accounts-allowlist": string[] };

  before(async () => {
    suite = await deployedSuite();
    chain = await serveChain();
    cli = (args) => runCli(["--rpc-url", chain.url, "--deployments", suite.deploymentFile, ...args]);
    const generated = await runCli(["besu", "generate", "--out", dir, "--chain-id", String(LOCAL_CHAIN_ID), "--bootstrap", suite.governor.address, "--validators", "2", "--hosts", "10.20.0.1,10.20.0.2"]);
    expect(generated.code, generated.stderr).to.equal(0);
    network = JSON.parse(fs.readFileSync(path.join(dir, "network.json"), "utf8")) as NetworkJson;
    const { directory, others } = suite;
    await directory.onboard(code("sdc"), KIND.nodeOperator, CAP.runNode | CAP.validate, [0], evidence("State Data Centre"));
    await directory.addAccount(1, others[0].address);
    for (const node of network.nodes) {
      const enode = parseEnode(node.enode);
      const [high, low] = enodeHalves(enode.publicKey);
      await directory.addNode(1, high, low, enode.host, enode.port, true);
    }
    // Each node as it was started: the generated allow-lists, accounts open to everyone listed (none yet).
    proxies = await Promise.all(network.nodes.map((n) => BesuProxy.start({ upstream: chain.hardhat, allowlists: { ...readPermissionsConfig(path.join(dir, n.name, "permissions_config.toml")), accounts: [] } })));
  });

  after(async () => {
    await Promise.all(proxies.map((p) => p.close()));
    await chain.close();
  });

  const rpcs = () => `validator-1=${proxies[0].url},validator-2=${proxies[1].url}`;

  it("writes each node's allow-lists from the directory and governance, and applies the difference live", async () => {
    const { governor, operator, guardian, others } = suite;
    const expectedAccounts = [governor, operator, guardian, others[0]].map((s) => s.address).sort();
    const dry = await cli(["besu", "sync-permissions", "--network-dir", dir, "--rpc", rpcs(), "--dry-run"]);
    expect(dry.code, dry.stderr).to.equal(0);
    expect(dry.stdout).to.match(/Would allow: 2 nodes and 4 accounts/);
    expect(proxies[0].accounts!.list()).to.deep.equal([]);

    const result = await cli(["besu", "sync-permissions", "--network-dir", dir, "--rpc", rpcs()]);
    expect(result.code, result.stderr).to.equal(0);
    expect(result.stdout).to.match(/Allowed: 2 nodes and 4 accounts, from the directory and governance\./);
    expect(result.stdout).to.match(/validator-1 +yes +written +no change +\+4 -0/);
    expect(result.stdout).to.include(`validator-2: + ${others[0].address}`);
    for (const [i, node] of network.nodes.entries()) {
      expect(file(node.name)).to.deep.equal({ "nodes-allowlist": network.nodes.map((n) => n.enode).sort(), "accounts-allowlist": expectedAccounts });
      expect([...proxies[i].accounts!.list()].sort()).to.deep.equal(expectedAccounts);
    }

    const again = await cli(["besu", "sync-permissions", "--network-dir", dir, "--rpc", rpcs(), "--json"]);
    expect(again.code, again.stderr).to.equal(0);
    const report = JSON.parse(again.stdout) as { nodes: { file: string; nodes: object; accounts: object }[] };
    expect(report.nodes.map((n) => [n.file, n.nodes, n.accounts])).to.deep.equal(
      Array(2).fill(["unchanged", { added: [], removed: [] }, { added: [], removed: [] }]),
    );
  });

  it("removes a node and an account once the directory drops them, and reports a node it cannot reach", async () => {
    const { directory, others } = suite;
    const [, second] = network.nodes;
    await directory.removeNode(nodeId(parseEnode(second.enode).publicKey));
    await directory.removeAccount(others[0].address);
    const result = await cli(["besu", "sync-permissions", "--network-dir", dir, "--rpc", `validator-1=${proxies[0].url},validator-2=http://127.0.0.1:9`]);
    expect(result.code).to.equal(2);
    expect(result.stdout).to.match(/validator-1 +yes +written +\+0 -1 +\+0 -1/);
    expect(result.stdout).to.match(/validator-2 +NO +written +offline +offline/);
    expect(result.stdout).to.match(/✗ validator-2: could not reach http:\/\/127\.0\.0\.1:9; run again once it answers\./);
    expect(proxies[0].nodes!.list()).to.deep.equal([network.nodes[0].enode]);
    expect(proxies[0].accounts!.allows(others[0].address)).to.equal(false);
    expect(file("validator-2")["nodes-allowlist"]).to.deep.equal([network.nodes[0].enode]);
  });

  it("refuses to cut every node off, another chain's folder or node, and unknown nodes, changing nothing", async () => {
    const before = fs.readFileSync(path.join(dir, "validator-1", "permissions_config.toml"), "utf8");
    const mainnet = http.createServer((_req, res) => res.end(JSON.stringify({ jsonrpc: "2.0", id: 1, result: "0x1" })));
    await new Promise<void>((resolve) => mainnet.listen(0, "127.0.0.1", resolve));
    const foreign = `http://127.0.0.1:${(mainnet.address() as AddressInfo).port}`;
    const wrongNode = await cli(["besu", "sync-permissions", "--network-dir", dir, "--rpc", `validator-1=${foreign},validator-2=${proxies[1].url}`]);
    mainnet.close();
    expect(wrongNode.code).to.equal(2);
    expect(wrongNode.stdout).to.include(`✗ validator-1: ${foreign} answers for chain 1, not the network's chain 33033; run again once it answers.`);
    expect(fs.readFileSync(path.join(dir, "validator-1", "permissions_config.toml"), "utf8")).to.equal(before);
    await suite.directory.removeNode(nodeId(parseEnode(network.nodes[0].enode).publicKey));
    const empty = await cli(["besu", "sync-permissions", "--network-dir", dir, "--rpc", rpcs()]);
    expect([empty.code, empty.stderr]).to.satisfy(([c, e]: [number, string]) => c === 2 && /The directory allows no node yet: register the network's nodes \(sakshya org add-node\) first, or every node would be cut off\./.test(e));
    const other = path.join(work, "other");
    expect((await runCli(["besu", "generate", "--out", other, "--chain-id", "2026", "--bootstrap", suite.governor.address, "--validators", "1"])).code).to.equal(0);
    const wrongChain = await cli(["besu", "sync-permissions", "--network-dir", other]);
    expect(wrongChain.stderr).to.match(/other is chain 2026, but the deployment is on chain 33033\./);
    const unknown = await cli(["besu", "sync-permissions", "--network-dir", dir, "--rpc", "validator-9=http://127.0.0.1:1"]);
    expect(unknown.stderr).to.match(/--rpc names "validator-9", which is not a node of/);
    const notFolder = await cli(["besu", "sync-permissions", "--network-dir", work]);
    expect(notFolder.stderr).to.match(/is not a network folder of "sakshya besu generate" \(no readable network.json\)\./);
    expect(fs.readFileSync(path.join(dir, "validator-1", "permissions_config.toml"), "utf8")).to.equal(before);
    expect(proxies[0].nodes!.list()).to.deep.equal([network.nodes[0].enode]);
  });
});
