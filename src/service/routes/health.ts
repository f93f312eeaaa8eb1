import type { FastifyInstance } from "fastify";
import { errorBody, ServiceError } from "../errors";
import type { RouteContext } from "../server";

export function healthRoutes(app: FastifyInstance, { status, readyLag }: RouteContext): void {
  app.get(
    "/health",
    { schema: { tags: ["service"], summary: "The process answers", response: { 200: { type: "object", properties: { status: { type: "string" } } } } } },
    async () => ({ status: "ok" }),
  );

  app.get(
    "/ready",
    {
      schema: {
        tags: ["service"],
        summary: "The index is close enough to the chain's head to answer",
        response: {
          200: { type: "object", properties: { ready: { type: "boolean" }, indexedBlock: { type: "integer" }, headBlock: { type: "integer" }, lag: { type: "integer" } } },
          503: errorBody,
        },
      },
    },
    async () => {
      if (status.error) throw new ServiceError(503, `The index cannot reach the chain: ${status.error}`, 5);
      if (status.indexed === undefined || status.head === undefined) throw new ServiceError(503, "The index has not read the chain yet.", 5);
      const lag = status.head - status.indexed;
      if (lag > readyLag) throw new ServiceError(503, `The index is ${lag} blocks behind the chain's head (at most ${readyLag} allowed).`, 5);
      return { ready: true, indexedBlock: status.indexed, headBlock: status.head, lag };
    },
  );
}
