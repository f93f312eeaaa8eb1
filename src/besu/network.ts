import { randomBytes } from "node:crypto";
import fs from "node:fs";
import net from "node:net";
import path from "node:path";
import { getAddress, isAddress } from "ethers";
import { stringify } from "smol-toml";
import { z } from "zod";
import { encodeCode } from "../directory/vocabulary";
import { InputError } from "../errors";
import { permissionsConfigText } from "./allowlists";
import { BESU_VERSIONS, DEFAULT_QBFT, qbftGenesis, type QbftParameters } from "./genesis";
import { newNodeKey, nodeKeyFileText, readNodeKeyFile, type NodeKey } from "./node-keys";
import { ACCOUNT_PERMISSIONS_ADDRESS, CONTRACT_PERMISSIONING_BESU, NODE_PERMISSIONS_ADDRESS, permissionsContractAccount } from "./permission-contracts";
import { VALIDATOR_CONTRACT_ADDRESS, defaultMinimumValidators } from "./validator-contract";

export interface NetworkRequest extends Partial<Omit<QbftParameters, "chainId">> {
  readonly chainId: number;
  readonly validators: number;
  readonly nodes: number;
  /** The account that binds the ValidatorSet to governance (the SIA's deployer or governor). */
  readonly bootstrap: string;
  /** Accounts allowed to send transactions from the start (the suite's role holders); none leaves accounts open. */
  readonly accounts?: readonly string[];
  /** One IP address per node (validators first); without, every node runs on 127.0.0.1 with ports one apart. */
  readonly hosts?: readonly string[];
  readonly p2pPort?: number;
  readonly rpcPort?: number;
  /** Host names the RPC answers for (Besu's host allow-list). */
  readonly rpcAllow?: readonly string[];
  readonly selection?: "contract" | "header";
  /** The fewest validators the ValidatorSet lets anyone prune down to (default: 4, or all if fewer). */
  readonly minimumValidators?: number;
  /**
   * `local`: each node's permissions_config.toml, kept in step with the directory by `besu sync-permissions` (Besu
   * 25.6 and later). `contract`: in addition, the node and account permissioning contracts in the genesis, answering
   * from the directory once bound (Besu up to 25.5).
   */
  readonly permissioning?: "local" | "contract";
  /** A folder of an earlier run: a node whose `<name>/key` is there keeps its key. */
  readonly keysFrom?: string;
  /**
   * The organisation that runs the generated nodes (default: the State Data Centre, "sdc"). The deployment registers
   * it and its nodes in the directory before binding the genesis contracts, with the bootstrap account's one-time
   * authority, since no other account may transact until then.
   */
  readonly operator?: NetworkOperator;
}

export interface NetworkOperator {
  /** Its code in the participant directory. */
  readonly code: string;
  /** Its public name, hashed into the directory as its metadata. */
  readonly name: string;
}

export const DEFAULT_OPERATOR: NetworkOperator = { code: "sdc", name: "State Data Centre" };

export interface NetworkNode {
  readonly name: string;
  readonly role: "validator" | "node";
  readonly key: NodeKey;
  readonly host: string;
  readonly p2pPort: number;
  readonly rpcPort: number;
  readonly enode: string;
}

/** What goes into the folder: relative path, content, file mode. */
export interface NetworkFile {
  readonly path: string;
  readonly content: string;
  readonly mode: number;
}

const RPC_APIS = ["ETH", "NET", "WEB3", "QBFT", "TXPOOL", "ADMIN", "PERM"];

function positiveInteger(value: number, what: string, min = 1, max = Number.MAX_SAFE_INTEGER): number {
  if (!Number.isInteger(value) || value < min || value > max) throw new InputError(`${what} must be a whole number from ${min} to ${max}, not ${value}.`);
  return value;
}

/** The nodes of the network with their keys, hosts and ports, checked for clashes. */
export function planNodes(request: NetworkRequest): NetworkNode[] {
  positiveInteger(request.validators, "The number of validators", 1, 64);
  positiveInteger(request.nodes, "The number of other nodes", 0, 64);
  const names = [...Array.from({ length: request.validators }, (_, i) => `validator-${i + 1}`), ...Array.from({ length: request.nodes }, (_, i) => `node-${i + 1}`)];
  if (request.hosts && request.hosts.length !== names.length) throw new InputError(`--hosts lists ${request.hosts.length} addresses for ${names.length} nodes.`);
  for (const host of request.hosts ?? []) if (!net.isIPv4(host)) throw new InputError(`"${host}" is not an IPv4 address; Besu's enode URLs name nodes by IP address.`);
  const p2pBase = positiveInteger(request.p2pPort ?? 30303, "The P2P port", 1, 65535);
  const rpcBase = positiveInteger(request.rpcPort ?? 8545, "The RPC port", 1, 65535);
  const nodes = names.map((name, i): NetworkNode => {
    const host = request.hosts?.[i] ?? "127.0.0.1";
    // On one machine each node needs ports of its own.
    const offset = request.hosts ? 0 : i;
    const keyFile = request.keysFrom ? path.join(request.keysFrom, name, "key") : undefined;
    const key = keyFile && fs.existsSync(keyFile) ? readNodeKeyFile(keyFile) : newNodeKey();
    const p2pPort = p2pBase + offset;
    return { name, role: name.startsWith("validator") ? "validator" : "node", key, host, p2pPort, rpcPort: rpcBase + offset, enode: `enode://${key.enodeId}@${host}:${p2pPort}` };
  });
  const seen = new Map<string, string>();
  for (const node of nodes) {
    for (const [what, value] of [["node key (enode id)", node.key.enodeId], ["address and port", `${node.host}:${node.p2pPort}`]] as const) {
      const other = seen.get(`${what} ${value}`);
      if (other) throw new InputError(`${other} and ${node.name} have the same ${what}: ${value.length > 40 ? `${value.slice(0, 16)}…` : value}.`);
      seen.set(`${what} ${value}`, node.name);
    }
  }
  return nodes;
}

function nodeConfig(node: NetworkNode, bootnodes: string[], request: NetworkRequest): Record<string, unknown> {
  const accountsAllowlist = (request.accounts ?? []).length > 0;
  return {
    "data-path": "data",
    "genesis-file": "../genesis.json",
    "node-private-key-file": "key",
    "p2p-host": "0.0.0.0",
    "p2p-port": node.p2pPort,
    "static-nodes-file": "../static-nodes.json",
    bootnodes: bootnodes.filter((b) => !b.includes(node.key.enodeId)),
    "sync-mode": "FULL",
    "rpc-http-enabled": true,
    // Reachable from other machines only when the operator names who may call it.
    "rpc-http-host": request.rpcAllow?.length ? "0.0.0.0" : "127.0.0.1",
    "rpc-http-port": node.rpcPort,
    "rpc-http-api": RPC_APIS,
    "host-allowlist": [...new Set(["localhost", "127.0.0.1", ...(request.rpcAllow ?? [])])],
    // Free gas, and the reasons of reverted transactions returned (the tooling turns them into sentences).
    "min-gas-price": 0,
    "revert-reason-enabled": true,
    // Log queries over the whole chain: the registries' histories are read in one eth_getLogs.
    "rpc-max-logs-range": 0,
    "permissions-nodes-config-file-enabled": true,
    "permissions-nodes-config-file": "permissions_config.toml",
    "permissions-accounts-config-file-enabled": accountsAllowlist,
    "permissions-accounts-config-file": "permissions_config.toml",
    ...(request.permissioning === "contract"
      ? {
          "permissions-nodes-contract-enabled": true,
          "permissions-nodes-contract-address": NODE_PERMISSIONS_ADDRESS,
          "permissions-nodes-contract-version": 2,
          "permissions-accounts-contract-enabled": true,
          "permissions-accounts-contract-address": ACCOUNT_PERMISSIONS_ADDRESS,
        }
      : {}),
  };
}

/**
 * Everything an SIA needs to start a QBFT network: keys (mode 600), genesis, per-node configuration, allow-lists,
 * static nodes and start scripts, plus `network.json` describing it for the other `besu` commands.
 */
export function networkFiles(request: NetworkRequest): { nodes: NetworkNode[]; files: NetworkFile[] } {
  if (!isAddress(request.bootstrap)) throw new InputError(`The bootstrap account "${request.bootstrap}" is not an address.`);
  const operator = request.operator ?? DEFAULT_OPERATOR;
  encodeCode(operator.code);
  if (operator.name.trim() === "") throw new InputError("The operator's name must not be empty.");
  for (const account of request.accounts ?? []) if (!isAddress(account)) throw new InputError(`"${account}" is not an account address.`);
  positiveInteger(request.chainId, "The chain id", 1, 2 ** 53 - 1);
  const nodes = planNodes(request);
  const validators = nodes.filter((n) => n.role === "validator");
  const qbft: Omit<QbftParameters, "chainId"> = {
    blockPeriodSeconds: request.blockPeriodSeconds ?? DEFAULT_QBFT.blockPeriodSeconds,
    epochLength: request.epochLength ?? DEFAULT_QBFT.epochLength,
    requestTimeoutSeconds: request.requestTimeoutSeconds ?? DEFAULT_QBFT.requestTimeoutSeconds,
    gasLimit: request.gasLimit ?? DEFAULT_QBFT.gasLimit,
    contractSizeLimit: request.contractSizeLimit ?? DEFAULT_QBFT.contractSizeLimit,
  };
  positiveInteger(qbft.blockPeriodSeconds, "The block period", 1, 3600);
  positiveInteger(qbft.requestTimeoutSeconds, "The request timeout", 1, 3600);
  positiveInteger(qbft.epochLength, "The epoch length", 1);
  const selection = request.selection ?? "contract";
  const permissioning = request.permissioning ?? "local";
  const extraAlloc =
    permissioning === "contract"
      ? {
          [NODE_PERMISSIONS_ADDRESS]: permissionsContractAccount("NodePermissions", request.bootstrap),
          [ACCOUNT_PERMISSIONS_ADDRESS]: permissionsContractAccount("AccountPermissions", request.bootstrap),
        }
      : undefined;
  const genesis = qbftGenesis({
    ...qbft,
    chainId: request.chainId,
    validators: validators.map((v) => v.key.address),
    selection,
    bootstrap: request.bootstrap,
    minimumValidators: request.minimumValidators,
    extraAlloc,
  });
  const enodes = nodes.map((n) => n.enode);
  const bootnodes = validators.slice(0, 2).map((v) => v.enode);
  const permissions = permissionsConfigText(enodes, request.accounts ?? []);
  const json = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;
  const description = {
    kind: "sakshya-besu-network",
    besu: BESU_VERSIONS,
    chainId: request.chainId,
    consensus: {
      protocol: "qbft",
      ...qbft,
      gasLimit: qbft.gasLimit.toString(),
      selection,
      ...(selection === "contract"
        ? { validatorContract: VALIDATOR_CONTRACT_ADDRESS, minimumValidators: request.minimumValidators ?? defaultMinimumValidators(validators.length) }
        : {}),
    },
    bootstrap: getAddress(request.bootstrap),
    operator,
    permissioning:
      permissioning === "contract"
        ? { kind: "contract", besu: CONTRACT_PERMISSIONING_BESU, nodesContract: NODE_PERMISSIONS_ADDRESS, accountsContract: ACCOUNT_PERMISSIONS_ADDRESS }
        : { kind: "local" },
    nodes: nodes.map((n) => ({ name: n.name, role: n.role, enode: n.enode, address: n.key.address, host: n.host, p2pPort: n.p2pPort, rpc: `http://${n.host}:${n.rpcPort}` })),
  };
  const files: NetworkFile[] = [
    { path: "genesis.json", content: json(genesis), mode: 0o644 },
    { path: "network.json", content: json(description), mode: 0o644 },
    { path: "static-nodes.json", content: json(enodes), mode: 0o644 },
    ...nodes.flatMap((n) => [
      { path: `${n.name}/key`, content: nodeKeyFileText(n.key), mode: 0o600 },
      { path: `${n.name}/key.pub`, content: `0x${n.key.enodeId}`, mode: 0o644 },
      { path: `${n.name}/config.toml`, content: `# ${n.name} (${n.role}) of chain ${request.chainId}; Besu ${permissioning === "contract" ? CONTRACT_PERMISSIONING_BESU : BESU_VERSIONS}\n${stringify(nodeConfig(n, bootnodes, request))}\n`, mode: 0o644 },
      { path: `${n.name}/permissions_config.toml`, content: permissions, mode: 0o644 },
      { path: `${n.name}/start.sh`, content: `#!/bin/sh\n# Starts ${n.name}: enode ${n.enode}\ncd "$(dirname "$0")" && exec besu --config-file=config.toml "$@"\n`, mode: 0o755 },
    ]),
  ];
  return { nodes, files };
}

/**
 * Writes the files into `out`, which must not exist yet: everything goes into a hidden sibling folder first and is
 * renamed into place at the end, so a failure leaves nothing behind.
 */
export function writeNetwork(out: string, files: readonly NetworkFile[]): void {
  if (fs.existsSync(out)) throw new InputError(`${out} already exists; give a new folder (a network's keys are never overwritten).`);
  const staging = path.join(path.dirname(path.resolve(out)), `.${path.basename(out)}.partial-${randomBytes(4).toString("hex")}`);
  try {
    for (const file of files) {
      const target = path.join(staging, file.path);
      fs.mkdirSync(path.dirname(target), { recursive: true, mode: 0o755 });
      fs.writeFileSync(target, file.content, { mode: file.mode });
      fs.chmodSync(target, file.mode);
    }
    fs.renameSync(staging, out);
  } catch (error) {
    fs.rmSync(staging, { recursive: true, force: true });
    if (error instanceof InputError) throw error;
    throw new InputError(`Cannot write the network into ${out}: ${(error as Error).message}.`);
  }
}

const NetworkDescription = z.object({
  kind: z.literal("sakshya-besu-network"),
  chainId: z.number().int().positive(),
  // Folders written before the deployment registered the genesis nodes itself have none: the default then.
  operator: z.object({ code: z.string(), name: z.string().min(1) }).default(DEFAULT_OPERATOR),
  nodes: z.array(z.object({ name: z.string().regex(/^[a-z0-9-]+$/), role: z.enum(["validator", "node"]), enode: z.string(), address: z.string(), rpc: z.string() })).min(1),
});
export type NetworkDescription = z.infer<typeof NetworkDescription>;

/** The `network.json` that `besu generate` wrote into a network folder. */
export function readNetworkDescription(dir: string): NetworkDescription {
  const file = path.join(dir, "network.json");
  let parsed: unknown;
  try {
    parsed = JSON.parse(fs.readFileSync(file, "utf8"));
  } catch {
    throw new InputError(`${dir} is not a network folder of "sakshya besu generate" (no readable network.json).`);
  }
  const result = NetworkDescription.safeParse(parsed);
  if (!result.success) throw new InputError(`${file} is not a network description: ${result.error.issues[0].path.join(".")} ${result.error.issues[0].message}.`);
  return result.data;
}
