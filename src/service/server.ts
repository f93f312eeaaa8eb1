import type { CertificateSchema } from "../certificates/schema";
import { randomUUID } from "node:crypto";
import fastifyCors from "@fastify/cors";
import fastifyRateLimit from "@fastify/rate-limit";
import fastifySwagger from "@fastify/swagger";
import fastifySwaggerUi from "@fastify/swagger-ui";
import type { Provider } from "ethers";
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from "fastify";
import type { Deployment } from "../config/deployments";
import { OrganisationProfiles } from "../directory/profiles";
import { SakshyaError } from "../errors";
import type { Keccak } from "../hashing/keccak";
import type { Database } from "../index/database";
import type { IndexStatus } from "../index/follow";
import { IndexReader } from "../index/reader";
import { ApiKeyRing, formatRate, secondsToNextMonth, type ApiKeyRecord, type Rate, type Scope } from "./api-keys";
import type { AuditLog } from "./audit-log";
import { ServiceError, statusOfDomainError } from "./errors";
import { serviceMetrics } from "./metrics";
import { certificateRoutes } from "./routes/certificates";
import { codeRoutes, type GatewayPolicy } from "./routes/codes";
import { directoryRoutes } from "./routes/directory";
import { eventRoutes } from "./routes/events";
import { healthRoutes } from "./routes/health";
import { landRoutes } from "./routes/land";
import { pageRoutes } from "./routes/page";
import { relayRoutes } from "./routes/relay";
import { websiteRoutes } from "./routes/websites";
import type { WebhookPolicy } from "./webhooks";

/** Who may call a route: anyone, or a key with this scope (verification may be left open to anyone, throttled). */
export type RouteAccess = Scope | "public" | "gateway";

declare module "fastify" {
  interface FastifyContextConfig {
    access?: RouteAccess;
  }
  interface FastifyRequest {
    apiKey?: ApiKeyRecord;
  }
}

export interface ServiceOptions {
  readonly db: Database;
  readonly status: IndexStatus;
  readonly deployment: Deployment;
  /** For what is read through from the chain (`?source=chain`, a mutation's overdue flag, block times). */
  readonly provider: Provider;
  readonly keccak: Keccak;
  /** `/ready` answers 503 while the index is more than this many blocks behind the head (default 5). */
  readonly readyLag?: number;
  /** Largest request body accepted, in bytes (default 4 MiB: a thousand certificates). */
  readonly bodyLimit?: number;
  /** Verification without a key, limited per client address (default: open, 20/s). `false` closes it. */
  readonly openVerification?: Rate | false;
  readonly audit?: AuditLog;
  /** Origins allowed to call from a browser, or `*`; none when absent. */
  readonly cors?: readonly string[];
  readonly https?: { readonly key: Buffer; readonly cert: Buffer };
  /** The client address is the gateway's `X-Forwarded-For` (set when behind an API gateway). */
  readonly trustProxy?: boolean;
  readonly webhooks?: WebhookPolicy;
  readonly clock?: () => number;
  /** A client that sends nothing for this long, or has not sent its whole request by then, is cut off (default 30 s). */
  readonly clientTimeoutMs?: number;
  /** Organisations' public metadata, for the names the verification page shows beside a directory code. */
  readonly profiles?: OrganisationProfiles;
  /** The SMS and IVRS gateway's shared secret and per-number limit; those routes answer 503 without it. */
  readonly gateway?: GatewayPolicy;
  /** Certificate schemas by id, for the labels the verification page shows (what the paper shows). */
  readonly schemas?: ReadonlyMap<string, CertificateSchema>;
}

/** What every route module is given. */
export interface RouteContext {
  readonly db: Database;
  readonly reader: IndexReader;
  readonly status: IndexStatus;
  readonly deployment: Deployment;
  readonly provider: Provider;
  readonly keccak: Keccak;
  readonly webhooks: WebhookPolicy;
  readonly readyLag: number;
  readonly profiles: OrganisationProfiles;
  /** The service's clock, in Unix milliseconds. */
  readonly now: () => number;
  readonly schemas: ReadonlyMap<string, CertificateSchema>;
}

const SCOPE_WORDS: Record<Scope, string> = { verify: "verify", read: "read records", events: "follow events", submit: "submit transactions" };

function presentedKey(request: FastifyRequest): string | undefined {
  const authorization = request.headers.authorization;
  if (authorization?.startsWith("Bearer ")) return authorization.slice(7).trim();
  const header = request.headers["x-api-key"];
  return typeof header === "string" ? header.trim() : undefined;
}

/**
 * The Sakshya service's HTTP API over the chain index, described by OpenAPI at `/openapi.json` (and browsable at
 * `/docs`). Every answer names the block the index is consistent to (`X-Indexed-Block`) and its request id; every
 * request is checked for its key and scope, throttled per key or client address, and written to the audit log.
 */
export async function buildService(options: ServiceOptions): Promise<FastifyInstance> {
  const { db, status } = options;
  const clock = options.clock ?? Date.now;
  const app = Fastify({
    logger: false,
    bodyLimit: options.bodyLimit ?? 4 << 20,
    // A client that sends slowly or never finishes is cut off.
    connectionTimeout: options.clientTimeoutMs ?? 30_000,
    requestTimeout: options.clientTimeoutMs ?? 30_000,
    keepAliveTimeout: 10_000,
    trustProxy: options.trustProxy ?? false,
    genReqId: () => randomUUID(),
    ...(options.https ? { https: options.https } : {}),
    // An unknown field is refused, not silently dropped.
    ajv: { customOptions: { removeAdditional: false } },
  });
  const keys = new ApiKeyRing(db, clock);
  const reader = new IndexReader(db, options.deployment, options.provider, () => Math.floor(clock() / 1000), () => (status.indexed === undefined ? undefined : `${status.indexed}/${status.rewinds ?? 0}`));
  const openVerification = options.openVerification ?? { count: 20, windowMs: 1_000 };

  await app.register(fastifySwagger, {
    openapi: {
      openapi: "3.0.3",
      info: {
        title: "Sakshya",
        version: "1",
        description:
          "Indexed state of the Sakshya registries — certificates, land records, government websites and the participant directory — for verifiers and for organisations without a node. Every answer names the block it is consistent to.",
      },
      components: { securitySchemes: { apiKey: { type: "http", scheme: "bearer", description: "An API key from `sakshya api-keys create`" } } },
    },
  });
  await app.register(fastifySwaggerUi, { routePrefix: "/docs" });
  if (options.cors && options.cors.length > 0) {
    await app.register(fastifyCors, { origin: options.cors.includes("*") ? "*" : [...options.cors], methods: ["GET", "POST", "DELETE"], allowedHeaders: ["authorization", "content-type", "x-api-key"] });
  }

  app.addHook("onSend", async (request, reply, payload) => {
    reply.header("X-Request-Id", request.id);
    if (status.indexed !== undefined) reply.header("X-Indexed-Block", String(status.indexed));
    return payload;
  });
  app.setErrorHandler((error: Error & { statusCode?: number; validation?: unknown; code?: string }, _request, reply) => {
    if (error instanceof ServiceError) {
      if (error.retryAfter !== undefined) reply.header("Retry-After", String(error.retryAfter));
      return reply.code(error.statusCode).send({ error: error.message, ...error.extra });
    }
    if (error instanceof SakshyaError) {
      const code = statusOfDomainError(error);
      return reply.code(code).send({ error: code === 500 ? "The service failed to answer; nothing was changed." : error.message });
    }
    if (error.validation) return reply.code(400).send({ error: `The request is malformed: ${error.message}.` });
    if (error.code === "FST_ERR_CTP_BODY_TOO_LARGE") return reply.code(413).send({ error: "The request body is larger than the service accepts." });
    if (error.code === "FST_ERR_CTP_INVALID_MEDIA_TYPE") return reply.code(415).send({ error: "Send the body as JSON (Content-Type: application/json)." });
    if (error instanceof SyntaxError || error.code === "FST_ERR_CTP_EMPTY_JSON_BODY" || error.code === "FST_ERR_CTP_INVALID_JSON_BODY") return reply.code(400).send({ error: "The request body is not valid JSON." });
    if (error.statusCode !== undefined && error.statusCode < 500) return reply.code(error.statusCode).send({ error: error.message });
    return reply.code(500).send({ error: "The service failed to answer; nothing was changed." });
  });
  app.setNotFoundHandler((request, reply) => reply.code(404).send({ error: `There is no ${request.method} ${request.url.split("?")[0]}.` }));

  // Who is asking: a live key with the route's scope, or anyone where the route is open.
  app.addHook("onRequest", async (request) => {
    const access = request.routeOptions.config.access ?? "public";
    // An SMS or IVRS gateway signs its requests instead (checked by its routes, which hold the raw body).
    if (access === "gateway") return;
    const presented = presentedKey(request);
    if (presented) {
      const key = await keys.authenticate(presented);
      if (!key) throw new ServiceError(401, "The API key is not valid.");
      if (access !== "public" && !key.scopes.includes(access)) throw new ServiceError(403, `This API key may not ${SCOPE_WORDS[access]}; it needs the "${access}" scope.`);
      if (!keys.count(key)) throw new ServiceError(429, "This API key has used its requests for this month.", secondsToNextMonth(clock()));
      request.apiKey = key;
      return;
    }
    if (access === "public" || (access === "verify" && openVerification)) return;
    throw new ServiceError(401, `This needs an API key with the "${access}" scope (send it as Authorization: Bearer <key>).`);
  });
  await app.register(fastifyRateLimit, {
    global: true,
    hook: "preParsing",
    keyGenerator: (request) => (request.apiKey ? `key:${request.apiKey.id}` : `address:${request.ip}`),
    max: (request) => request.apiKey?.rate.count ?? (openVerification ? openVerification.count : 1),
    timeWindow: (request) => request.apiKey?.rate.windowMs ?? (openVerification ? openVerification.windowMs : 1_000),
    // Health, readiness, metrics and the API's description are for the operator's probes: never throttled.
    allowList: (request) => (request.routeOptions.config.access ?? "public") === "public",
    errorResponseBuilder: (request, context) =>
      new ServiceError(429, `Too many requests ${request.apiKey ? "with this API key" : "from this address"}: at most ${formatRate(request.apiKey?.rate ?? (openVerification || { count: context.max, windowMs: 1_000 }))}; try again in ${context.after}.`),
  });

  const metrics = serviceMetrics(status);
  app.addHook("onResponse", async (request, reply) => {
    // By route pattern, never by the URL asked: cursors and codes in URLs would make the series unbounded.
    const route = request.routeOptions.url ?? "unmatched";
    metrics.requests.inc({ method: request.method, route, status: String(reply.statusCode) });
    metrics.latency.observe({ method: request.method, route }, reply.elapsedTime / 1000);
    options.audit?.append({
      time: new Date(clock()).toISOString(),
      request: request.id,
      key: request.apiKey?.id ?? null,
      client: request.ip,
      method: request.method,
      route,
      status: reply.statusCode,
      ms: Math.round(reply.elapsedTime * 100) / 100,
    });
  });
  app.get("/metrics", { schema: { hide: true } }, async (_request, reply: FastifyReply) => {
    reply.type(metrics.registry.contentType);
    return metrics.registry.metrics();
  });
  app.get("/openapi.json", { schema: { hide: true } }, async () => app.swagger());

  const context: RouteContext = {
    db,
    reader,
    status,
    deployment: options.deployment,
    provider: options.provider,
    keccak: options.keccak,
    webhooks: options.webhooks ?? { allowPrivate: false },
    readyLag: options.readyLag ?? 5,
    profiles: options.profiles ?? OrganisationProfiles.none,
    now: clock,
    schemas: options.schemas ?? new Map(),
  };
  for (const routes of [healthRoutes, pageRoutes, eventRoutes, certificateRoutes, landRoutes, websiteRoutes, directoryRoutes, relayRoutes]) routes(app, context);
  codeRoutes(app, context, options.gateway);
  // Usage is counted in memory and written every few seconds, and once more on close.
  const flushing = setInterval(() => void keys.flush().catch(() => undefined), ApiKeyRing.RELOAD_MS);
  flushing.unref();
  app.addHook("onClose", async () => {
    clearInterval(flushing);
    await keys.flush();
  });
  return app;
}
