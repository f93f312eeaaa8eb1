import fs from "node:fs";
import path from "node:path";
import { getAddress, keccak256 } from "ethers";
import { ValidatorSet__factory, type SakshyaAuthority } from "../../typechain-types";
import type { Deployment } from "../config/deployments";
import type { DirectoryClient } from "../directory/client";
import { formatEnode, parseEnode } from "../directory/enode";
import { InputError } from "../errors";
import { describeRoles } from "../governance/inspect";
import { permissionsConfigText } from "./allowlists";
import type { NetworkDescription } from "./network";
import { validatorOf } from "./genesis-contracts";
import { PERM_SUCCESS } from "./rpc-errors";
import { VALIDATOR_CONTRACT_ADDRESS } from "./validator-contract";

/** What every node's allow-lists should hold, as the directory and governance say now. */
export interface DesiredAllowlists {
  /**
   * Enode URLs of the nodes the directory allows (registered, organisation active with the node capabilities), and of
   * every node in the validator set whatever the directory says: cutting validators off would halt the chain.
   */
  readonly nodes: string[];
  /** Active accounts of active organisations, and the holders of governance roles. */
  readonly accounts: string[];
}

export interface ListChange {
  readonly added: string[];
  readonly removed: string[];
}

/** What happened at one node: its file in the network folder, and its live lists. */
export interface NodeSyncReport {
  readonly node: string;
  readonly inDirectory: boolean;
  readonly file: "written" | "unchanged";
  /** `not enabled` when the node runs without that allow-list; `offline` when not contacted. */
  readonly nodes: ListChange | "not enabled" | "offline";
  readonly accounts: ListChange | "not enabled" | "offline";
  /** Set when the node could not be reached or refused a change; the other nodes are still synced. */
  readonly error?: string;
}

/**
 * The allow-lists the directory and governance call for. `known` are enode URLs known from elsewhere (the network
 * folder): a validator whose node left the directory is found there, so that it keeps its place until governance
 * takes it out of the validator set.
 */
export async function desiredAllowlists(
  directory: DirectoryClient,
  authority: SakshyaAuthority,
  deployment: Deployment,
  known: readonly string[] = [],
): Promise<DesiredAllowlists> {
  const nodes = new Set<string>();
  const accounts = new Set<string>();
  const registered: string[] = [];
  for (const org of await directory.list()) {
    const detail = await directory.detail(org.id);
    registered.push(...detail.nodes.map((n) => n.enode));
    if (org.status !== "active") continue;
    for (const account of detail.accounts) if (account.active) accounts.add(getAddress(account.address));
    for (const node of detail.nodes) if (node.allowed) nodes.add(node.enode);
  }
  const validators = await currentValidators(directory);
  for (const enode of [...registered, ...known]) {
    if (validators.has(validatorOf(keccak256(parseEnode(enode).publicKey)))) nodes.add(formatEnode(parseEnode(enode)));
  }
  for (const role of await describeRoles(authority, deployment)) for (const member of role.members) accounts.add(getAddress(member.account));
  return { nodes: [...nodes].sort(), accounts: [...accounts].sort() };
}

/** The validator set's members, or none where validators are chosen in block headers. */
async function currentValidators(directory: DirectoryClient): Promise<Set<string>> {
  const provider = directory.contract.runner!.provider!;
  if ((await provider.getCode(VALIDATOR_CONTRACT_ADDRESS)) === "0x") return new Set();
  return new Set((await ValidatorSet__factory.connect(VALIDATOR_CONTRACT_ADDRESS, provider).getValidators()).map((v) => getAddress(v)));
}

interface RpcAnswer {
  result?: unknown;
  error?: { code: number; message: string };
}

const RPC_TIMEOUT_MS = 10_000;

async function rpc(url: string, method: string, params: unknown[] = []): Promise<RpcAnswer> {
  let response: Response;
  try {
    response = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }),
      signal: AbortSignal.timeout(RPC_TIMEOUT_MS),
    });
  } catch {
    throw new Error(`could not reach ${url}`);
  }
  if (!response.ok) throw new Error(`${url} answered HTTP ${response.status}`);
  return (await response.json()) as RpcAnswer;
}

const NOT_ENABLED = /has not been enabled/;

/** Brings one live list to the desired one with Besu's perm_* methods: one add and one remove request at most. */
async function applyList(url: string, kind: "Nodes" | "Accounts", desired: readonly string[], dryRun: boolean): Promise<ListChange | "not enabled"> {
  const current = await rpc(url, `perm_get${kind}Allowlist`);
  if (current.error) {
    if (NOT_ENABLED.test(current.error.message)) return "not enabled";
    throw new Error(`perm_get${kind}Allowlist: ${current.error.message}`);
  }
  const key = (entry: string) => (kind === "Nodes" ? formatEnode(parseEnode(entry)) : entry.toLowerCase());
  const have = new Map((current.result as string[]).map((entry) => [key(entry), entry]));
  const want = new Set(desired.map(key));
  const added = desired.filter((entry) => !have.has(key(entry)));
  const removed = [...have].filter(([k]) => !want.has(k)).map(([, entry]) => entry);
  if (!dryRun) {
    for (const [method, entries] of [
      [`perm_add${kind}ToAllowlist`, added],
      [`perm_remove${kind}FromAllowlist`, removed],
    ] as const) {
      if (entries.length === 0) continue;
      const answer = await rpc(url, method, [entries]);
      if (answer.error || answer.result !== PERM_SUCCESS) throw new Error(`${method}: ${answer.error?.message ?? String(answer.result)}`);
    }
  }
  return { added, removed };
}

/** Replaces a file in one step (a reader, or a node restarting, sees the old file or the new one); a dry run only compares. */
function replaceFile(file: string, content: string, dryRun: boolean): "written" | "unchanged" {
  if (fs.existsSync(file) && fs.readFileSync(file, "utf8") === content) return "unchanged";
  if (dryRun) return "written";
  const staging = `${file}.partial`;
  fs.writeFileSync(staging, content, { mode: 0o644 });
  fs.renameSync(staging, file);
  return "written";
}

export interface SyncOptions {
  /** Where each node's JSON-RPC answers, by node name; defaults to the address in network.json. */
  readonly rpc?: Readonly<Record<string, string>>;
  /** Write the files only; contact no node. */
  readonly offline?: boolean;
  /** Report the changes; write and apply nothing. */
  readonly dryRun?: boolean;
}

/**
 * Writes each node's permissions_config.toml in the network folder from the directory, then brings each node's
 * live allow-lists to the same content through Besu's perm_* methods, reporting what was added and removed. Running
 * it again changes nothing. Refuses to leave the network with no node allowed, which would cut every node off.
 */
export async function syncPermissions(dir: string, network: NetworkDescription, desired: DesiredAllowlists, options: SyncOptions = {}): Promise<NodeSyncReport[]> {
  for (const name of Object.keys(options.rpc ?? {})) {
    if (!network.nodes.some((n) => n.name === name)) throw new InputError(`--rpc names "${name}", which is not a node of ${dir}.`);
  }
  if (desired.nodes.length === 0) {
    throw new InputError("The directory allows no node yet: register the network's nodes (sakshya org add-node) first, or every node would be cut off.");
  }
  const text = permissionsConfigText(desired.nodes, desired.accounts);
  const allowed = new Set(desired.nodes.map((e) => formatEnode(parseEnode(e))));
  const reports: NodeSyncReport[] = [];
  for (const node of network.nodes) {
    const file = path.join(dir, node.name, "permissions_config.toml");
    const inDirectory = allowed.has(formatEnode(parseEnode(node.enode)));
    const written = replaceFile(file, text, Boolean(options.dryRun));
    if (options.offline) {
      reports.push({ node: node.name, inDirectory, file: written, nodes: "offline", accounts: "offline" });
      continue;
    }
    const url = options.rpc?.[node.name] ?? node.rpc;
    try {
      const chainId = Number((await rpc(url, "eth_chainId")).result);
      if (chainId !== network.chainId) throw new Error(`${url} answers for chain ${chainId}, not the network's chain ${network.chainId}`);
      const nodes = await applyList(url, "Nodes", desired.nodes, Boolean(options.dryRun));
      const accounts = await applyList(url, "Accounts", desired.accounts, Boolean(options.dryRun));
      reports.push({ node: node.name, inDirectory, file: written, nodes, accounts });
    } catch (error) {
      reports.push({ node: node.name, inDirectory, file: written, nodes: "offline", accounts: "offline", error: (error as Error).message });
    }
  }
  return reports;
}
