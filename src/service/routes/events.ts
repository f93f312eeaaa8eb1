import type { FastifyInstance } from "fastify";
import { errorBody } from "../errors";
import { eventPage, latestCursor } from "../event-feed";
import type { RouteContext } from "../server";
import { createWebhook, deleteWebhook, listWebhooks } from "../webhooks";
import { consistency, consistentProperties, looseObject } from "./shared";

const MAX_PAGE = 1_000;

const feedEvent = {
  type: "object",
  properties: {
    block: { type: "integer" },
    logIndex: { type: "integer" },
    transaction: { type: "string" },
    contract: { type: "string" },
    address: { type: "string" },
    event: { type: "string" },
    args: looseObject,
  },
} as const;

const webhook = {
  type: "object",
  properties: {
    id: { type: "string" },
    url: { type: "string" },
    events: { type: "array", items: { type: "string" } },
    createdAt: { type: "string" },
    cursor: { type: "string", nullable: true },
    failures: { type: "integer" },
  },
} as const;

export function eventRoutes(app: FastifyInstance, context: RouteContext): void {
  const { db } = context;
  const events = { access: "events" as const };
  const security = [{ apiKey: [] }];

  app.get<{ Querystring: { after?: string; limit?: number; contract?: string; event?: string } }>(
    "/v1/events",
    {
      config: events,
      schema: {
        tags: ["events"],
        security,
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
              ...consistentProperties,
              next: { type: "string", nullable: true, description: "where the next page starts; keep it to follow the feed" },
              more: { type: "boolean", description: "a full page: more events may follow at once" },
              events: { type: "array", items: feedEvent },
            },
          },
          400: errorBody,
        },
      },
    },
    async (request) => {
      const { after, limit = 100, contract, event } = request.query;
      const page = await eventPage(db, { after, limit, contract, events: event ? [event] : [] });
      return { ...consistency(context), ...page };
    },
  );

  app.post<{ Body: { url: string; events?: string[] } }>(
    "/v1/webhooks",
    {
      config: events,
      schema: {
        tags: ["events"],
        security,
        summary: "Subscribe a URL to the event feed: deliveries are signed, retried with backoff, at least once",
        description:
          "Each delivery is a POST of `{webhook, delivery, events}` with headers `X-Sakshya-Timestamp` and `X-Sakshya-Signature: sha256=HMAC(secret, timestamp + \".\" + body)`. A delivery not answered with 2xx is sent again, with the same id, after a wait that doubles; each event's `id` lets the receiver drop a repeat. The secret is shown once.",
        body: {
          type: "object",
          additionalProperties: false,
          required: ["url"],
          properties: { url: { type: "string", maxLength: 2048 }, events: { type: "array", maxItems: 64, items: { type: "string", maxLength: 64 } } },
        },
        response: { 201: { type: "object", properties: { webhook, secret: { type: "string" } } }, 400: errorBody },
      },
    },
    async (request, reply) => {
      const { record, secret } = await createWebhook(db, request.apiKey!.id, request.body, context.webhooks, await latestCursor(db));
      reply.code(201);
      return { webhook: record, secret };
    },
  );

  app.get("/v1/webhooks", { config: events, schema: { tags: ["events"], security, summary: "This key's webhook subscriptions", response: { 200: { type: "object", properties: { webhooks: { type: "array", items: webhook } } } } } }, async (request) => ({
    webhooks: await listWebhooks(db, request.apiKey!.id),
  }));

  app.delete<{ Params: { id: string } }>(
    "/v1/webhooks/:id",
    {
      config: events,
      schema: { tags: ["events"], security, summary: "End a subscription", params: { type: "object", properties: { id: { type: "string", pattern: "^[0-9a-f]{16}$" } } }, response: { 204: { type: "null" }, 404: errorBody } },
    },
    async (request, reply) => {
      await deleteWebhook(db, request.apiKey!.id, request.params.id);
      return reply.code(204).send();
    },
  );
}
