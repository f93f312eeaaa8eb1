import fastifySwagger from "@fastify/swagger";
import Fastify, { type FastifyInstance } from "fastify";
import { Counter, Gauge, Histogram, Registry } from "prom-client";
import type { Database } from "../index/database";
import type { IndexStatus } from "../index/follow";

export interface ServiceOptions {
  readonly db: Database;
  readonly status: IndexStatus;
  /** `/ready` answers 503 while the index is more than this many blocks behind the head (default 5). */
  readonly readyLag?: number;
  /** Largest request body accepted, in bytes (default 1 MiB). */
  readonly bodyLimit?: number;
}

const MAX_PAGE = 1_000;

/** One sentence and a status code: every refusal the service gives, and nothing else (no stack, no internals). */
class ServiceError extends Error {
  constructor(
    readonly statusCode: number,
    message: string,
  ) {
    super(message);
  }
}

const errorBody = { type: "object", properties: { error: { type: "string" } }, required: ["error"] } as const;

interface EventRow {
  block_number: number;
  log_index: number;
  transaction_hash: string;
  contract: string;
  address: string;
  event: string;
  args: string;
}

/** The service's Prometheus metrics: requests, latencies and how far the index is behind the chain. */
function serviceMetrics(status: IndexStatus) {
  const registry = new Registry();
  const requests = new Counter({ name: "sakshya_http_requests_total", help: "HTTP requests answered, by method, route and status", labelNames: ["method", "route", "status"], registers: [registry] });
  const latency = new Histogram({
    name: "sakshya_http_request_duration_seconds",
    help: "Time to answer, by method and route",
    labelNames: ["method", "route"],
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
    registers: [registry],
  });
  new Gauge({
    name: "sakshya_index_block",
    help: "The last block the index holds in full",
    registers: [registry],
    collect() {
      if (status.indexed !== undefined) this.set(status.indexed);
    },
  });
  new Gauge({
    name: "sakshya_index_lag_blocks",
    help: "Blocks between the chain's head and the index",
    registers: [registry],
    collect() {
      if (status.indexed !== undefined && status.head !== undefined) this.set(status.head - status.indexed);
    },
  });
  new Gauge({
    name: "sakshya_index_up",
    help: "1 while the index reaches the chain, 0 while its steps fail",
    registers: [registry],
    collect() {
      this.set(status.error === undefined ? 1 : 0);
    },
  });
  return { registry, requests, latency };
}

/** A feed position: the block and log index of the last event read, written `<block>-<logIndex>`. */
function parseCursor(cursor: string | undefined): [number, number] {
  if (cursor === undefined) return [-1, -1];
  const match = /^(\d{1,15})-(\d{1,9})$/.exec(cursor);
  if (!match) throw new ServiceError(400, `"after" must be a cursor from an earlier page (block-logIndex), not "${cursor.slice(0, 40)}".`);
  return [Number(match[1]), Number(match[2])];
}

/**
 * The Sakshya service's HTTP API over the chain index: health, readiness and the event feed, described by OpenAPI at
 * `/openapi.json`. Every answer names the block the index is consistent to (`X-Indexed-Block`).
 */
export async function buildService(options: ServiceOptions): Promise<FastifyInstance> {
  const { db, status } = options;
  const app = Fastify({
    logger: false,
    bodyLimit: options.bodyLimit ?? 1 << 20,
    // A client that sends slowly or never finishes is cut off.
    connectionTimeout: 30_000,
    requestTimeout: 30_000,
    // An unknown field is refused, not silently dropped.
    ajv: { customOptions: { removeAdditional: false } },
  });
  await app.register(fastifySwagger, {
    openapi: {
      openapi: "3.0.3",
      info: { title: "Sakshya", version: "1", description: "Indexed state of the Sakshya registries: verification, records and events." },
    },
  });

  app.addHook("onSend", async (_request, reply, payload) => {
    if (status.indexed !== undefined) reply.header("X-Indexed-Block", String(status.indexed));
    return payload;
  });
  app.setErrorHandler((error: Error & { statusCode?: number; validation?: unknown; code?: string }, _request, reply) => {
    if (error instanceof ServiceError) return reply.code(error.statusCode).send({ error: error.message });
    if (error.validation) return reply.code(400).send({ error: `The request is malformed: ${error.message}.` });
    if (error.code === "FST_ERR_CTP_BODY_TOO_LARGE") return reply.code(413).send({ error: "The request body is larger than the service accepts." });
    if (error.statusCode !== undefined && error.statusCode < 500) return reply.code(error.statusCode).send({ error: error.message });
    return reply.code(500).send({ error: "The service failed to answer; nothing was changed." });
  });
  app.setNotFoundHandler((request, reply) => reply.code(404).send({ error: `There is no ${request.method} ${request.url.split("?")[0]}.` }));

  app.get("/openapi.json", { schema: { hide: true } }, async () => app.swagger());

  const metrics = serviceMetrics(status);
  app.addHook("onResponse", async (request, reply) => {
    // By route pattern, never by the URL asked: cursors and codes in URLs would make the series unbounded.
    const route = request.routeOptions.url ?? "unmatched";
    const labels = { method: request.method, route, status: String(reply.statusCode) };
    metrics.requests.inc(labels);
    metrics.latency.observe({ method: request.method, route }, reply.elapsedTime / 1000);
  });
  app.get("/metrics", { schema: { hide: true } }, async (_request, reply) => {
    reply.type(metrics.registry.contentType);
    return metrics.registry.metrics();
  });

  app.get(
    "/health",
    { schema: { summary: "The process answers", response: { 200: { type: "object", properties: { status: { type: "string" } } } } } },
    async () => ({ status: "ok" }),
  );

  app.get(
    "/ready",
    {
      schema: {
        summary: "The index is close enough to the chain's head to answer",
        response: {
          200: { type: "object", properties: { ready: { type: "boolean" }, indexedBlock: { type: "integer" }, headBlock: { type: "integer" }, lag: { type: "integer" } } },
          503: errorBody,
        },
      },
    },
    async () => {
      const maxLag = options.readyLag ?? 5;
      if (status.error) throw new ServiceError(503, `The index cannot reach the chain: ${status.error}`);
      if (status.indexed === undefined || status.head === undefined) throw new ServiceError(503, "The index has not read the chain yet.");
      const lag = status.head - status.indexed;
      if (lag > maxLag) throw new ServiceError(503, `The index is ${lag} blocks behind the chain's head (at most ${maxLag} allowed).`);
      return { ready: true, indexedBlock: status.indexed, headBlock: status.head, lag };
    },
  );

  app.get<{ Querystring: { after?: string; limit?: number; contract?: string; event?: string } }>(
    "/v1/events",
    {
      schema: {
        summary: "The suite's events in chain order, a page at a time",
        querystring: {
          type: "object",
          additionalProperties: false,
          properties: {
            after: { type: "string", description: "the `next` cursor of the previous page" },
            limit: { type: "integer", minimum: 1, maximum: MAX_PAGE, default: 100 },
            contract: { type: "string", maxLength: 64 },
            event: { type: "string", maxLength: 64 },
          },
        },
        response: {
          200: {
            type: "object",
            properties: {
              indexedBlock: { type: "integer" },
              next: { type: "string", nullable: true, description: "where the next page starts; keep it to follow the feed" },
              more: { type: "boolean", description: "a full page: more events may follow at once" },
              events: {
                type: "array",
                items: {
                  type: "object",
                  properties: {
                    block: { type: "integer" },
                    logIndex: { type: "integer" },
                    transaction: { type: "string" },
                    contract: { type: "string" },
                    address: { type: "string" },
                    event: { type: "string" },
                    args: { type: "object", additionalProperties: true },
                  },
                },
              },
            },
          },
          400: errorBody,
        },
      },
    },
    async (request) => {
      const [block, logIndex] = parseCursor(request.query.after);
      const limit = request.query.limit ?? 100;
      const filters: string[] = [];
      const params: Array<string | number> = [block, block, logIndex];
      if (request.query.contract) filters.push(`AND contract = $${params.push(request.query.contract)}`);
      if (request.query.event) filters.push(`AND event = $${params.push(request.query.event)}`);
      const rows = await db.query<EventRow>(
        `SELECT block_number, log_index, transaction_hash, contract, address, event, args FROM chain_events
         WHERE (block_number > $1 OR (block_number = $2 AND log_index > $3)) ${filters.join(" ")}
         ORDER BY block_number, log_index LIMIT ${limit}`,
        params,
      );
      const last = rows[rows.length - 1];
      return {
        indexedBlock: status.indexed ?? null,
        next: last ? `${last.block_number}-${last.log_index}` : (request.query.after ?? null),
        more: rows.length === limit,
        events: rows.map((r) => ({ block: Number(r.block_number), logIndex: Number(r.log_index), transaction: r.transaction_hash, contract: r.contract, address: r.address, event: r.event, args: JSON.parse(r.args) })),
      };
    },
  );

  return app;
}
