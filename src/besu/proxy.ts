import http from "node:http";
import type { AddressInfo } from "node:net";
import { Transaction } from "ethers";
import { recoverSender } from "../chain/secp256k1";
import { ChainError } from "../errors";
import { poolRefusal } from "./admission";
import { Allowlist } from "./allowlists";
import { accountCheckCalldata } from "./permission-contracts";
import { BESU_RPC_ERRORS, PERM_SUCCESS, type BesuRpcError } from "./rpc-errors";

/** Besu's transaction pool keeps at most this many future nonces per sender (`--tx-pool-max-future-by-sender`). */
export const MAX_FUTURE_NONCES = 200;

export interface BesuProxyOptions {
  /** The Hardhat node the proxy stands in front of. */
  readonly upstream: string;
  readonly host?: string;
  /** 0 picks a free port. */
  readonly port?: number;
  /** Seeds the node's local allow-lists; an omitted list is not enabled, as in Besu without permissioning. */
  readonly allowlists?: { readonly nodes?: readonly string[]; readonly accounts?: readonly string[] };
  /**
   * Asks the account permissioning contract about every transaction before passing it on, as Besu up to 25.5 does
   * with `permissions-accounts-contract-enabled` (`besu generate --permissioning contract`).
   */
  readonly accountContract?: string;
}

interface JsonRpcRequest {
  readonly jsonrpc?: string;
  readonly id?: unknown;
  readonly method?: unknown;
  readonly params?: unknown;
}

type JsonRpcResponse = { jsonrpc: "2.0"; id: unknown } & ({ result: unknown } | { error: { code: number; message: string } });

const fail = (id: unknown, error: BesuRpcError): JsonRpcResponse => ({ jsonrpc: "2.0", id, error: { code: error.code, message: error.message } });
const succeed = (id: unknown, result: unknown): JsonRpcResponse => ({ jsonrpc: "2.0", id, result });

/**
 * Methods a Hardhat node has and Besu does not: answering them would let tooling depend on the stand-in. The one
 * read-only exception, `hardhat_metadata`, lets the upgrades plugin keep this throwaway chain's manifest in a
 * temporary file, as it does for any development chain, instead of in `.openzeppelin/`.
 */
const HARDHAT_ONLY = /^(hardhat_(?!metadata$)|evm_|anvil_|debug_setHead|eth_sign$|eth_signTypedData|personal_)/;

/**
 * A JSON-RPC endpoint in front of a local Hardhat node that answers like a Besu free-gas node, so deployment,
 * role management and every command are exercised on the code path production uses: only locally signed legacy
 * transactions at gas price 0, at most 2^24 gas each, at most 200 nonces ahead per sender, from allow-listed
 * accounts where the account allow-list is enabled; the `perm_*` allow-list methods work on in-memory lists.
 */
export class BesuProxy {
  private readonly server: http.Server;
  /** Highest confirmed nonce seen per sender: nonces only grow, so a cached one is a safe lower bound. */
  private readonly confirmedNonces = new Map<string, bigint>();
  /** The nonce each sender's next transaction must carry to be passed on, and the ones waiting for a gap to fill. */
  private readonly nextNonces = new Map<string, number>();
  private readonly waiting = new Map<string, Map<number, JsonRpcRequest>>();
  private chainId?: bigint;
  readonly nodes?: Allowlist;
  readonly accounts?: Allowlist;
  private upstreamId = 0;

  private constructor(private readonly options: BesuProxyOptions) {
    if (options.allowlists?.nodes) this.nodes = new Allowlist("nodes", options.allowlists.nodes);
    if (options.allowlists?.accounts) this.accounts = new Allowlist("accounts", options.allowlists.accounts);
    this.server = http.createServer({ keepAlive: true }, (req, res) => void this.serve(req, res));
    this.server.keepAliveTimeout = 30_000;
  }

  static async start(options: BesuProxyOptions): Promise<BesuProxy> {
    const proxy = new BesuProxy(options);
    await new Promise<void>((resolve, reject) => {
      proxy.server.once("error", reject);
      proxy.server.listen(options.port ?? 0, options.host ?? "127.0.0.1", () => resolve());
    });
    return proxy;
  }

  get url(): string {
    const { address, port } = this.server.address() as AddressInfo;
    return `http://${address.includes(":") ? `[${address}]` : address}:${port}`;
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private async serve(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    let body: unknown;
    try {
      body = JSON.parse(Buffer.concat(chunks).toString("utf8"));
    } catch {
      return this.reply(res, { jsonrpc: "2.0", id: null, error: { code: -32700, message: "Parse error" } });
    }
    try {
      this.reply(res, Array.isArray(body) ? await this.batch(body as JsonRpcRequest[]) : (await this.batch([body as JsonRpcRequest]))[0]);
    } catch (error) {
      res.writeHead(502).end(error instanceof Error ? error.message : String(error));
    }
  }

  private reply(res: http.ServerResponse, payload: unknown): void {
    const text = JSON.stringify(payload);
    res.writeHead(200, { "content-type": "application/json", "content-length": Buffer.byteLength(text) }).end(text);
  }

  /**
   * Answers what Besu would refuse or answer itself and forwards the rest upstream, order kept: reads go in one
   * upstream batch, transactions one by one, since a Hardhat node validates a batch's entries all at once and
   * would refuse the second of two consecutive nonces.
   */
  private async batch(requests: JsonRpcRequest[]): Promise<JsonRpcResponse[]> {
    const answers: JsonRpcResponse[] = new Array(requests.length);
    let reads: number[] = [];
    const flush = async () => {
      if (reads.length === 0) return;
      const indexes = reads;
      reads = [];
      (await this.upstream(indexes.map((i) => requests[i]))).forEach((answer, k) => (answers[indexes[k]] = answer));
    };
    for (const [i, request] of requests.entries()) {
      if (typeof request !== "object" || request === null) {
        answers[i] = { jsonrpc: "2.0", id: null, error: { code: -32600, message: "Invalid Request" } };
        continue;
      }
      if (request.method === "eth_sendRawTransaction") {
        await flush();
        answers[i] = await this.send(request);
        continue;
      }
      const answer = await this.intercept(request);
      if (answer) answers[i] = answer;
      else reads.push(i);
    }
    await flush();
    return answers;
  }

  /**
   * Besu's pool keeps a transaction whose nonce leaves a gap until the gap fills; a Hardhat node that mines each
   * transaction on arrival refuses it. So a transaction ahead of the sender's next nonce waits here and is passed
   * on, with any that follow it, when the gap is filled.
   */
  private async send(request: JsonRpcRequest): Promise<JsonRpcResponse> {
    let tx: Transaction;
    try {
      tx = Transaction.from(Array.isArray(request.params) && typeof request.params[0] === "string" ? request.params[0] : "0x");
    } catch {
      return fail(request.id, BESU_RPC_ERRORS.INVALID_PARAMS);
    }
    // Recovering the sender is the costly step (ethers repeats it on every read of `from`): once, natively.
    const from = recoverSender(tx);
    if (from === null) return fail(request.id, BESU_RPC_ERRORS.INVALID_PARAMS);
    const refusal = await this.refusal(tx, from);
    return refusal ? fail(request.id, refusal) : this.admit(request, tx, from);
  }

  private async admit(request: JsonRpcRequest, tx: Transaction, from: string): Promise<JsonRpcResponse> {
    const sender = from.toLowerCase();
    let next = this.nextNonces.get(sender);
    if (next === undefined || tx.nonce > next) next = Number(await this.nonceOf(from, "pending"));
    if (tx.nonce > next) {
      const waiting = this.waiting.get(sender) ?? new Map<number, JsonRpcRequest>();
      this.waiting.set(sender, waiting.set(tx.nonce, request));
      this.nextNonces.set(sender, next);
      return succeed(request.id, tx.hash);
    }
    const [answer] = await this.upstream([request]);
    if (!("error" in answer) && tx.nonce === next) {
      next++;
      const waiting = this.waiting.get(sender);
      for (let held = waiting?.get(next); held; held = waiting?.get(next)) {
        waiting!.delete(next);
        const [released] = await this.upstream([held]);
        if ("error" in released) break;
        next++;
      }
    }
    this.nextNonces.set(sender, Math.max(next, this.nextNonces.get(sender) ?? 0));
    return answer;
  }

  private async intercept(request: JsonRpcRequest): Promise<JsonRpcResponse | undefined> {
    const { id, method, params } = request;
    if (typeof method !== "string") return { jsonrpc: "2.0", id: id ?? null, error: { code: -32600, message: "Invalid Request" } };
    if (method === "eth_sendTransaction") return fail(id, BESU_RPC_ERRORS.ETH_SEND_TX_NOT_AVAILABLE);
    if (method === "eth_accounts") return succeed(id, []);
    if (HARDHAT_ONLY.test(method)) return fail(id, BESU_RPC_ERRORS.METHOD_NOT_FOUND);
    const perm = /^perm_(get|add|remove)(Nodes|Accounts)(?:To|From)?Allowlist$/.exec(method);
    if (perm) {
      const list = perm[2] === "Nodes" ? this.nodes : this.accounts;
      if (!list) return fail(id, perm[2] === "Nodes" ? BESU_RPC_ERRORS.NODE_ALLOWLIST_NOT_ENABLED : BESU_RPC_ERRORS.ACCOUNT_ALLOWLIST_NOT_ENABLED);
      if (perm[1] === "get") return succeed(id, list.list());
      const entries = Array.isArray(params) ? params[0] : undefined;
      const refusal = perm[1] === "add" ? list.add(entries) : list.remove(entries);
      return refusal ? fail(id, refusal) : succeed(id, PERM_SUCCESS);
    }
    return undefined;
  }

  /** The checks Besu's pool makes before accepting a transaction that the Hardhat node would not make. */
  private async refusal(tx: Transaction, from: string): Promise<BesuRpcError | undefined> {
    this.chainId ??= BigInt((await this.upstream([{ jsonrpc: "2.0", id: 0, method: "eth_chainId", params: [] }]))[0].result as string);
    const refused = poolRefusal(tx, this.chainId);
    if (refused) return refused;
    if (this.accounts && !this.accounts.allows(from)) return BESU_RPC_ERRORS.TX_SENDER_NOT_AUTHORIZED;
    if (this.options.accountContract && !(await this.contractAllows(tx, from, this.options.accountContract))) return BESU_RPC_ERRORS.TX_SENDER_NOT_AUTHORIZED;
    const sender = from.toLowerCase();
    // Nonces only grow, so a remembered one is trusted only when it lets the transaction through; a refusal is
    // decided on a fresh read (a test chain reverted to a snapshot moves them back).
    let confirmed = this.confirmedNonces.get(sender);
    if (confirmed === undefined || BigInt(tx.nonce) < confirmed || BigInt(tx.nonce) - confirmed >= BigInt(MAX_FUTURE_NONCES)) {
      confirmed = await this.nonceOf(from, "latest");
      this.confirmedNonces.set(sender, confirmed);
    }
    if (BigInt(tx.nonce) < confirmed) return BESU_RPC_ERRORS.NONCE_TOO_LOW;
    if (BigInt(tx.nonce) - confirmed >= BigInt(MAX_FUTURE_NONCES)) return BESU_RPC_ERRORS.NONCE_TOO_FAR_IN_FUTURE_FOR_SENDER;
    return undefined;
  }

  /** Besu's check against the account permissioning contract: exactly one word, 1 to allow; anything else refuses. */
  private async contractAllows(tx: Transaction, from: string, contract: string): Promise<boolean> {
    const data = accountCheckCalldata({ sender: from, target: tx.to, value: tx.value, gasPrice: tx.gasPrice ?? 0n, gasLimit: tx.gasLimit, payload: tx.data });
    const [answer] = await this.upstream([{ jsonrpc: "2.0", id: 0, method: "eth_call", params: [{ to: contract, data }, "latest"] }]);
    return answer.result === `0x${"0".repeat(63)}1`;
  }

  private async nonceOf(account: string, block: "latest" | "pending"): Promise<bigint> {
    const [answer] = await this.upstream([{ jsonrpc: "2.0", id: 0, method: "eth_getTransactionCount", params: [account, block] }]);
    return BigInt(answer.result as string);
  }

  private async upstream(requests: JsonRpcRequest[]): Promise<Array<JsonRpcResponse & { result?: unknown }>> {
    const batch = requests.map((r) => ({ jsonrpc: "2.0", id: ++this.upstreamId, method: r.method, params: r.params ?? [] }));
    let response: Response;
    try {
      response = await fetch(this.options.upstream, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(batch) });
    } catch {
      throw new ChainError(`The node behind the proxy at ${this.options.upstream} is not answering.`);
    }
    const answers = (await response.json()) as Array<JsonRpcResponse & { result?: unknown }>;
    const byId = new Map(answers.map((a) => [a.id, a]));
    return batch.map((b, i) => ({ ...byId.get(b.id)!, id: requests[i].id ?? null }));
  }
}
