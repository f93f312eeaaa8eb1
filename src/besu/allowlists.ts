import { getAddress, isAddress } from "ethers";
import fs from "node:fs";
import { parse, stringify } from "smol-toml";
import { InputError } from "../errors";
import { formatEnode, parseEnode } from "../directory/enode";
import { BESU_RPC_ERRORS, type BesuRpcError } from "./rpc-errors";

export type AllowlistKind = "nodes" | "accounts";

/** How an entry is compared: enode URLs by key, host and port (Besu ignores the discovery port); accounts ignore case. */
function canonical(kind: AllowlistKind, entry: string): string | undefined {
  if (kind === "accounts") return isAddress(entry) ? entry.toLowerCase() : undefined;
  try {
    return formatEnode(parseEnode(entry));
  } catch {
    return undefined;
  }
}

const ERRORS = {
  nodes: {
    empty: BESU_RPC_ERRORS.NODE_ALLOWLIST_EMPTY_ENTRY,
    invalid: BESU_RPC_ERRORS.NODE_ALLOWLIST_INVALID_ENTRY,
    duplicated: BESU_RPC_ERRORS.NODE_ALLOWLIST_DUPLICATED_ENTRY,
    existing: BESU_RPC_ERRORS.NODE_ALLOWLIST_EXISTING_ENTRY,
    absent: BESU_RPC_ERRORS.NODE_ALLOWLIST_MISSING_ENTRY,
  },
  accounts: {
    empty: BESU_RPC_ERRORS.ACCOUNT_ALLOWLIST_EMPTY_ENTRY,
    invalid: BESU_RPC_ERRORS.ACCOUNT_ALLOWLIST_INVALID_ENTRY,
    duplicated: BESU_RPC_ERRORS.ACCOUNT_ALLOWLIST_DUPLICATED_ENTRY,
    existing: BESU_RPC_ERRORS.ACCOUNT_ALLOWLIST_EXISTING_ENTRY,
    absent: BESU_RPC_ERRORS.ACCOUNT_ALLOWLIST_ABSENT_ENTRY,
  },
} as const;

/**
 * A node's local allow-list as Besu keeps it for `perm_add…` / `perm_remove…`: a request is checked whole and
 * applied whole (empty, malformed, duplicated, already present or absent entries refuse it), never in part.
 */
export class Allowlist {
  private readonly entries = new Map<string, string>();

  constructor(
    readonly kind: AllowlistKind,
    initial: readonly string[] = [],
  ) {
    for (const entry of initial) {
      const key = canonical(kind, entry);
      if (key !== undefined) this.entries.set(key, entry);
    }
  }

  list(): string[] {
    return [...this.entries.values()];
  }

  allows(entry: string): boolean {
    const key = canonical(this.kind, entry);
    return key !== undefined && this.entries.has(key);
  }

  add(request: unknown): BesuRpcError | undefined {
    return this.change(request, true);
  }

  remove(request: unknown): BesuRpcError | undefined {
    return this.change(request, false);
  }

  private change(request: unknown, adding: boolean): BesuRpcError | undefined {
    const errors = ERRORS[this.kind];
    if (!Array.isArray(request) || request.length === 0) return errors.empty;
    const keys: string[] = [];
    for (const entry of request) {
      const key = typeof entry === "string" ? canonical(this.kind, entry) : undefined;
      if (key === undefined) return errors.invalid;
      keys.push(key);
    }
    if (new Set(keys).size !== keys.length) return errors.duplicated;
    if (keys.some((key) => this.entries.has(key) === adding)) return adding ? errors.existing : errors.absent;
    keys.forEach((key, i) => (adding ? this.entries.set(key, request[i] as string) : this.entries.delete(key)));
    return undefined;
  }
}

/** A node's `permissions_config.toml` as Besu reads it (`nodes-allowlist`, `accounts-allowlist`). */
export function permissionsConfigText(nodes: readonly string[], accounts: readonly string[]): string {
  return `${stringify({ "nodes-allowlist": [...nodes], "accounts-allowlist": accounts.map((a) => getAddress(a)) })}\n`;
}

/** The allow-lists of a permissions_config.toml; a list the file does not have is not enabled. */
export function readPermissionsConfig(file: string): { nodes?: string[]; accounts?: string[] } {
  let parsed: Record<string, unknown>;
  try {
    parsed = parse(fs.readFileSync(file, "utf8"));
  } catch (error) {
    throw new InputError(`Cannot read the allow-lists in ${file}: ${(error as Error).message.split("\n")[0]}.`);
  }
  const entries = (key: string) => {
    const value = parsed[key];
    if (value === undefined) return undefined;
    if (!Array.isArray(value) || value.some((v) => typeof v !== "string")) throw new InputError(`${key} in ${file} is not a list of strings.`);
    return value as string[];
  };
  return { nodes: entries("nodes-allowlist"), accounts: entries("accounts-allowlist") };
}
