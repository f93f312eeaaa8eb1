import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect } from "chai";
import { parse } from "smol-toml";
import { decodeQbftExtraData } from "../src/besu/extra-data";
import { readNodeKeyFile } from "../src/besu/node-keys";
import { ACCOUNT_PERMISSIONS_ADDRESS, NODE_PERMISSIONS_ADDRESS, permissionsContractAccount } from "../src/besu/permission-contracts";
import { VALIDATOR_CONTRACT_ADDRESS } from "../src/besu/validator-contract";
import { runCli, type CliResult } from "./helpers/cli";

const BOOTSTRAP = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8";

interface NetworkJson {
  chainId: number;
  nodes: { name: string; role: string; enode: string; address: string; host: string; p2pPort: number; rpc: string }[];
}

/** `sakshya besu generate` run as a person would, and its folder read back with Besu's formats. */
describe("sakshya besu generate (command line)", function () {
  this.timeout(120_000);
  const work = fs.mkdtempSync(path.join(os.tmpdir(), "sakshya-besu-"));
  const generate = (out: string, ...args: string[]): Promise<CliResult> => runCli(["besu", "generate", "--out", path.join(work, out), "--chain-id", "2026", "--bootstrap", BOOTSTRAP, ...args]);
  const read = (out: string, file: string) => fs.readFileSync(path.join(work, out, file), "utf8");

  it("writes keys (mode 600), a QBFT genesis, per-node configuration, allow-lists, static nodes and start scripts", async () => {
    const result = await generate("net", "--nodes", "1", "--accounts", BOOTSTRAP, "--hosts", "10.20.0.1,10.20.0.2,10.20.0.3,10.20.0.4,10.20.1.1", "--rpc-allow", "rpc.sdc.wb.gov.in");
    expect(result.code, result.stderr).to.equal(0);
    expect(result.stdout).to.match(/✓ QBFT network for chain 2026 in .*: 28 files, node keys mode 600/);
    const network = JSON.parse(read("net", "network.json")) as NetworkJson;
    expect(network.nodes.map((n) => [n.name, n.role, n.host, n.p2pPort])).to.deep.equal([
      ["validator-1", "validator", "10.20.0.1", 30303],
      ["validator-2", "validator", "10.20.0.2", 30303],
      ["validator-3", "validator", "10.20.0.3", 30303],
      ["validator-4", "validator", "10.20.0.4", 30303],
      ["node-1", "node", "10.20.1.1", 30303],
    ]);
    for (const node of network.nodes) {
      const key = readNodeKeyFile(path.join(work, "net", node.name, "key"));
      expect([key.address, `enode://${key.enodeId}@${node.host}:30303`]).to.deep.equal([node.address, node.enode]);
      expect(fs.statSync(path.join(work, "net", node.name, "key")).mode & 0o777).to.equal(0o600);
      expect(fs.statSync(path.join(work, "net", node.name, "start.sh")).mode & 0o777).to.equal(0o755);
      expect(read("net", `${node.name}/key`)).to.match(/^0x[0-9a-f]{64}$/);
      const config = parse(read("net", `${node.name}/config.toml`));
      expect(config).to.deep.include({
        "genesis-file": "../genesis.json",
        "node-private-key-file": "key",
        "p2p-port": 30303,
        "rpc-http-host": "0.0.0.0",
        "min-gas-price": 0,
        "revert-reason-enabled": true,
        "permissions-nodes-config-file-enabled": true,
        "permissions-accounts-config-file-enabled": true,
      });
      expect(config["host-allowlist"]).to.deep.equal(["localhost", "127.0.0.1", "rpc.sdc.wb.gov.in"]);
      expect(config.bootnodes).to.not.include(node.enode);
      expect(parse(read("net", `${node.name}/permissions_config.toml`))).to.deep.equal({ "nodes-allowlist": network.nodes.map((n) => n.enode), "accounts-allowlist": [BOOTSTRAP] });
    }
    expect(JSON.parse(read("net", "static-nodes.json"))).to.deep.equal(network.nodes.map((n) => n.enode));
    const genesis = JSON.parse(read("net", "genesis.json")) as { config: { chainId: number; qbft: object }; extraData: string; alloc: Record<string, { code: string; storage: Record<string, string> }> };
    expect(genesis.config.chainId).to.equal(2026);
    expect(decodeQbftExtraData(genesis.extraData).validators).to.deep.equal([]);
    expect(Object.keys(genesis.alloc)).to.deep.equal([VALIDATOR_CONTRACT_ADDRESS]);
    // The validator addresses sit in the contract's storage: each is a stored value.
    const stored = Object.values(genesis.alloc[VALIDATOR_CONTRACT_ADDRESS].storage);
    for (const node of network.nodes.filter((n) => n.role === "validator")) expect(stored).to.include(node.address.slice(2).toLowerCase().padStart(64, "0"));
  });

  it("keeps the keys of an earlier network, puts validators in headers on request, and runs on one machine with ports apart", async () => {
    const result = await generate("again", "--keys-from", path.join(work, "net"), "--validators", "2", "--selection", "header", "--block-period", "5");
    expect(result.code, result.stderr).to.equal(0);
    const before = JSON.parse(read("net", "network.json")) as NetworkJson;
    const after = JSON.parse(read("again", "network.json")) as NetworkJson;
    expect(after.nodes.map((n) => n.address)).to.deep.equal(before.nodes.slice(0, 2).map((n) => n.address));
    expect(after.nodes.map((n) => `${n.host}:${n.p2pPort} ${n.rpc}`)).to.deep.equal(["127.0.0.1:30303 http://127.0.0.1:8545", "127.0.0.1:30304 http://127.0.0.1:8546"]);
    const genesis = JSON.parse(read("again", "genesis.json")) as { config: { qbft: object }; extraData: string; alloc: object };
    expect(decodeQbftExtraData(genesis.extraData).validators).to.deep.equal(after.nodes.map((n) => n.address).sort((a, b) => (a.toLowerCase() < b.toLowerCase() ? -1 : 1)));
    expect([genesis.config.qbft, genesis.alloc]).to.deep.equal([{ blockperiodseconds: 5, epochlength: 30_000, requesttimeoutseconds: 4 }, {}]);
    expect(parse(read("again", "validator-1/config.toml"))).to.deep.include({ "rpc-http-host": "127.0.0.1", "permissions-accounts-config-file-enabled": false });
  });

  it("puts Besu's permissioning contracts in the genesis and turns them on in every node's configuration on request", async () => {
    const result = await generate("contracts", "--validators", "1", "--permissioning", "contract");
    expect(result.code, result.stderr).to.equal(0);
    const genesis = JSON.parse(read("contracts", "genesis.json")) as { alloc: Record<string, { code: string; storage: Record<string, string> }> };
    expect(Object.keys(genesis.alloc).map((a) => a.toLowerCase())).to.have.members([VALIDATOR_CONTRACT_ADDRESS, NODE_PERMISSIONS_ADDRESS, ACCOUNT_PERMISSIONS_ADDRESS].map((a) => a.toLowerCase()));
    const accounts = genesis.alloc[Object.keys(genesis.alloc).find((a) => a.toLowerCase() === ACCOUNT_PERMISSIONS_ADDRESS)!];
    expect(accounts).to.deep.include(permissionsContractAccount("AccountPermissions", BOOTSTRAP));
    expect(parse(read("contracts", "validator-1/config.toml"))).to.deep.include({
      "permissions-nodes-contract-enabled": true,
      "permissions-nodes-contract-address": NODE_PERMISSIONS_ADDRESS,
      "permissions-nodes-contract-version": 2,
      "permissions-accounts-contract-enabled": true,
      "permissions-accounts-contract-address": ACCOUNT_PERMISSIONS_ADDRESS,
    });
    expect((JSON.parse(read("contracts", "network.json")) as { permissioning: object }).permissioning).to.deep.include({ kind: "contract", besu: "24.12 to 25.5" });
    expect(parse(read("net", "validator-1/config.toml"))).to.not.have.property("permissions-nodes-contract-enabled");
  });

  it("refuses bad input with one sentence and writes nothing", async () => {
    const duplicate = path.join(work, "dup");
    fs.mkdirSync(path.join(duplicate, "validator-1"), { recursive: true });
    fs.mkdirSync(path.join(duplicate, "validator-2"), { recursive: true });
    fs.copyFileSync(path.join(work, "net", "validator-1", "key"), path.join(duplicate, "validator-1", "key"));
    fs.copyFileSync(path.join(work, "net", "validator-1", "key"), path.join(duplicate, "validator-2", "key"));
    const malformed = path.join(work, "malformed");
    fs.mkdirSync(path.join(malformed, "validator-1"), { recursive: true });
    fs.writeFileSync(path.join(malformed, "validator-1", "key"), "not a key");
    const cases: [string[], RegExp][] = [
      [["--validators", "0"], /The number of validators must be a whole number from 1 to 64, not 0\./],
      [["--validators", "many"], /--validators must be a whole number, not "many"\./],
      [["--keys-from", duplicate], /validator-1 and validator-2 have the same node key \(enode id\)/],
      [["--keys-from", malformed], /malformed\/validator-1\/key is not a Besu node key file: it must hold one line of 32 bytes in hex\./],
      [["--hosts", "10.0.0.1,10.0.0.2"], /--hosts lists 2 addresses for 4 nodes\./],
      [["--hosts", "a.example,10.0.0.2,10.0.0.3,10.0.0.4"], /"a.example" is not an IPv4 address; Besu's enode URLs name nodes by IP address\./],
      [["--hosts", "10.0.0.1,10.0.0.1,10.0.0.3,10.0.0.4"], /validator-1 and validator-2 have the same address and port: 10.0.0.1:30303\./],
      [["--accounts", "0x12"], /"0x12" is not an account address\./],
      [["--selection", "votes"], /--selection must be contract or header, not "votes"\./],
      [["--permissioning", "votes"], /--permissioning must be local or contract, not "votes"\./],
    ];
    for (const [args, message] of cases) {
      const result = await generate("refused", ...args);
      expect([result.code, result.stderr]).to.satisfy(([code, err]: [number, string]) => code === 2 && message.test(err), `${args.join(" ")}: ${result.stderr}`);
      expect(fs.existsSync(path.join(work, "refused")), args.join(" ")).to.equal(false);
    }
    const bootstrap = await runCli(["besu", "generate", "--out", path.join(work, "refused"), "--chain-id", "2026", "--bootstrap", "governor"]);
    expect([bootstrap.code, bootstrap.stderr]).to.satisfy(([code, err]: [number, string]) => code === 2 && /The bootstrap account "governor" is not an address\./.test(err));
    const existing = await generate("net");
    expect([existing.code, existing.stderr]).to.satisfy(([code, err]: [number, string]) => code === 2 && /net already exists; give a new folder \(a network's keys are never overwritten\)\./.test(err));
    expect(fs.readdirSync(work).filter((f) => f.includes(".partial-"))).to.deep.equal([]);
  });
});
