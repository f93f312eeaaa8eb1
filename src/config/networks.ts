import { InputError } from "../errors";
import { LOCAL_CHAIN_ID } from "./chain";

/** Where a command talks to: an RPC URL and, where the network is known, the chain id it must have. */
export interface NetworkTarget {
  readonly name: string;
  readonly rpcUrl: string;
  readonly expectedChainId?: number;
  /** Sent with every request (a Sakshya service's API key); never printed. */
  readonly headers?: Readonly<Record<string, string>>;
}

export interface NetworkOptions {
  network?: string;
  rpcUrl?: string;
  /** A Sakshya service whose relay stands in for the RPC node (`--api`), and its key. */
  api?: string;
  apiKey?: string;
}

function chainIdFromEnv(name: string): number | undefined {
  const raw = process.env[name];
  if (raw === undefined || raw === "") return undefined;
  const id = Number(raw);
  if (!Number.isSafeInteger(id) || id <= 0) throw new InputError(`${name} must be a positive whole number, not "${raw}".`);
  return id;
}

/** The local development chains: Hardhat's in-process network and `npx hardhat node`. */
export function isLocalNetwork(name: string): boolean {
  return name === "hardhat" || name === "localhost";
}

/**
 * Resolves `--network` / `--rpc-url` (and `.env`) to a target. `localhost` is the local development chain;
 * `besu` reads BESU_RPC_URL and BESU_CHAIN_ID; any other name needs `--rpc-url` and trusts its deployment file.
 */
export function resolveNetwork(options: NetworkOptions): NetworkTarget {
  const name = options.network || process.env.SAKSHYA_NETWORK || "localhost";
  if (!/^[a-z0-9][a-z0-9_-]*$/i.test(name)) throw new InputError(`"${name}" is not a valid network name.`);
  if (options.api !== undefined) return throughService(name, options.api, options.apiKey ?? process.env.SAKSHYA_API_KEY, options.rpcUrl);
  if (isLocalNetwork(name)) {
    return {
      name: "localhost",
      rpcUrl: options.rpcUrl || process.env.LOCALHOST_RPC_URL || "http://127.0.0.1:8545",
      expectedChainId: LOCAL_CHAIN_ID,
    };
  }
  if (name === "besu") {
    const rpcUrl = options.rpcUrl || process.env.BESU_RPC_URL;
    if (!rpcUrl) throw new InputError("Network besu needs an RPC URL: set BESU_RPC_URL in .env or pass --rpc-url.");
    return { name, rpcUrl, expectedChainId: chainIdFromEnv("BESU_CHAIN_ID") };
  }
  if (!options.rpcUrl) throw new InputError(`Network "${name}" is not configured: pass --rpc-url.`);
  return { name, rpcUrl: options.rpcUrl };
}

/**
 * `--api`: a Sakshya service's relay (`/v1/rpc`) in place of the node — reads a signing client needs, and signed
 * transactions forwarded after the relay's checks. The network's name still chooses the deployment file.
 */
function throughService(name: string, api: string, apiKey: string | undefined, rpcUrl: string | undefined): NetworkTarget {
  if (rpcUrl) throw new InputError("Give either --api (a Sakshya service) or --rpc-url (a node), not both.");
  let base: URL;
  try {
    base = new URL(api.endsWith("/") ? api : `${api}/`);
  } catch {
    throw new InputError(`"${api}" is not a web address; give the Sakshya service's address, e.g. https://api.sakshya.wb.gov.in.`);
  }
  if (base.protocol !== "https:" && base.protocol !== "http:") throw new InputError(`The Sakshya service's address must start with https:// (or http:// on this machine), not "${api}".`);
  return {
    name,
    rpcUrl: new URL("v1/rpc", base).toString(),
    expectedChainId: isLocalNetwork(name) ? LOCAL_CHAIN_ID : name === "besu" ? chainIdFromEnv("BESU_CHAIN_ID") : undefined,
    headers: apiKey ? { authorization: `Bearer ${apiKey}` } : {},
  };
}
