import type { FastifyInstance, FastifyRequest } from "fastify";
import type { JsonRpcProvider } from "ethers";
import { rpcMessage } from "../../chain/transact";
import { errorBody, ServiceError } from "../errors";
import { admitTransaction, forwardTransaction, transactionState } from "../relay";
import type { RouteContext } from "../server";
import { hash32 } from "./shared";

/**
 * What the relay's JSON-RPC endpoint answers besides sending: the reads a signing client needs (its nonce, a gas
 * estimate, a call, a receipt) and nothing that would make it a general-purpose node (no filters, no traces).
 */
const READS = new Set([
  "eth_chainId",
  "net_version",
  "eth_blockNumber",
  "eth_getBlockByNumber",
  "eth_getBlockByHash",
  "eth_call",
  "eth_estimateGas",
  "eth_getTransactionCount",
  "eth_getTransactionByHash",
  "eth_getTransactionReceipt",
  "eth_getCode",
  "eth_getBalance",
  "eth_gasPrice",
  "eth_getLogs",
]);
/** Widest `eth_getLogs` range the relay answers: enough for a command's own lookups, not for indexing the chain. */
const MAX_LOG_BLOCKS = 5_000;

interface RpcRequest {
  readonly jsonrpc?: unknown;
  readonly id?: unknown;
  readonly method?: unknown;
  readonly params?: unknown;
}

const rpcError = (id: unknown, code: number, message: string) => ({ jsonrpc: "2.0", id: id ?? null, error: { code, message } });

/**
 * The transaction relay for organisations without a node: a signed transaction is checked as a Besu free-gas node
 * would and against the directory, then forwarded; its receipt is read back with a revert in the command line's
 * words. `POST /v1/rpc` is the same relay as a JSON-RPC endpoint, so the command line (`--api`) and any Ethereum
 * library sign locally and send through it unchanged. Every request needs a key with the `submit` scope; the
 * key's rate and quota apply; the service never signs.
 */
export function relayRoutes(app: FastifyInstance, context: RouteContext): void {
  const { db, reader, deployment } = context;
  const provider = context.provider as JsonRpcProvider;
  const submit = { access: "submit" as const };
  const security = [{ apiKey: [] }];
  const keyOf = (request: FastifyRequest) => request.apiKey!.id;

  app.post<{ Body: { raw: string } }>(
    "/v1/transactions",
    {
      config: submit,
      schema: {
        tags: ["relay"],
        security,
        summary: "Forward a signed transaction to the network, for an organisation without a node",
        description:
          "The transaction must be signed (legacy, gas price 0, for this chain, within the gas cap), addressed to one of the deployment's contracts, by an active key of an active organisation or a governance role holder. Answers its hash at once; `GET /v1/transactions/{hash}` follows it, and a `TransactionMined` event reaches the feed and webhooks once it is mined.",
        body: { type: "object", additionalProperties: false, required: ["raw"], properties: { raw: { type: "string", maxLength: 262_144, description: "the signed transaction, 0x-prefixed hex" } } },
        response: {
          202: { type: "object", properties: { hash: { type: "string" }, sender: { type: "string" }, organisation: { type: "string" }, role: { type: "string" }, state: { type: "string" } } },
          400: errorBody,
          403: errorBody,
          409: errorBody,
          503: errorBody,
        },
      },
    },
    async (request, reply) => {
      const admitted = await admitTransaction(request.body.raw, deployment, reader);
      const hash = await forwardTransaction(db, provider, admitted, request.body.raw, keyOf(request));
      return reply.code(202).send({ hash, sender: admitted.sender, ...("organisation" in admitted.actingFor ? { organisation: admitted.actingFor.organisation } : admitted.actingFor), state: "pending" });
    },
  );

  app.get<{ Params: { hash: string } }>(
    "/v1/transactions/:hash",
    {
      config: submit,
      schema: {
        tags: ["relay"],
        security,
        summary: "A transaction's fate: pending, mined, or reverted with the contract's reason",
        params: { type: "object", properties: { hash: hash32 } },
        response: {
          200: {
            type: "object",
            properties: { hash: { type: "string" }, state: { type: "string", enum: ["pending", "mined", "reverted"] }, blockNumber: { type: "integer" }, transactionIndex: { type: "integer" }, gasUsed: { type: "string" }, reason: { type: "string" } },
          },
          404: errorBody,
          503: errorBody,
        },
      },
    },
    async (request) => {
      const state = await transactionState(provider, request.params.hash.toLowerCase()).catch(() => {
        throw new ServiceError(503, "The node could not be asked about the transaction; try again shortly.", 5);
      });
      if (!state) throw new ServiceError(404, `The network holds no transaction ${request.params.hash}: it was never sent, or it was dropped.`);
      return state;
    },
  );

  app.post<{ Body: RpcRequest | RpcRequest[] }>(
    "/v1/rpc",
    {
      config: submit,
      schema: {
        tags: ["relay"],
        security,
        summary: "The relay as a JSON-RPC endpoint: a signing client's reads, and eth_sendRawTransaction through the relay's checks",
        body: { anyOf: [{ type: "object" }, { type: "array", minItems: 1, maxItems: 100, items: { type: "object" } }] },
      },
    },
    async (request) => {
      const one = async (call: RpcRequest) => {
        if (call.jsonrpc !== "2.0" || typeof call.method !== "string") return rpcError(call.id, -32600, "Invalid request");
        const params = Array.isArray(call.params) ? call.params : [];
        if (call.method === "eth_sendRawTransaction") {
          try {
            const admitted = await admitTransaction(params[0], deployment, reader);
            return { jsonrpc: "2.0", id: call.id ?? null, result: await forwardTransaction(db, provider, admitted, String(params[0]), keyOf(request)) };
          } catch (error) {
            if (error instanceof ServiceError) return rpcError(call.id, -32003, error.message);
            throw error;
          }
        }
        if (!READS.has(call.method)) return rpcError(call.id, -32601, `The relay does not answer ${call.method.slice(0, 60)}.`);
        if (call.method === "eth_getLogs" && !boundedLogRange(params[0])) return rpcError(call.id, -32005, `The relay answers eth_getLogs over at most ${MAX_LOG_BLOCKS} blocks, with both ends given as numbers.`);
        try {
          return { jsonrpc: "2.0", id: call.id ?? null, result: await provider.send(call.method, params) };
        } catch (error) {
          const message = rpcMessage(error);
          const data = (error as { info?: { error?: { data?: unknown } }; data?: unknown })?.info?.error?.data ?? (error as { data?: unknown }).data;
          if (message) return { jsonrpc: "2.0", id: call.id ?? null, error: { code: -32000, message, ...(data === undefined ? {} : { data }) } };
          throw new ServiceError(503, "The node did not answer; try again shortly.", 5);
        }
      };
      return Array.isArray(request.body) ? Promise.all(request.body.map(one)) : one(request.body);
    },
  );
}

function boundedLogRange(filter: unknown): boolean {
  const { fromBlock, toBlock } = (filter ?? {}) as { fromBlock?: unknown; toBlock?: unknown };
  if (typeof fromBlock !== "string" || typeof toBlock !== "string" || !/^0x[0-9a-f]+$/i.test(fromBlock) || !/^0x[0-9a-f]+$/i.test(toBlock)) return false;
  const span = Number(BigInt(toBlock) - BigInt(fromBlock));
  return span >= 0 && span < MAX_LOG_BLOCKS;
}
