import type { FastifyInstance } from "fastify";
import { LandClient } from "../../land/client";
import { extractOf, verifyExtract } from "../../land/extract";
import { titleHistory } from "../../land/history";
import { parseUlpin } from "../../land/titles";
import { NotFoundError } from "../../errors";
import { errorBody } from "../errors";
import type { RouteContext } from "../server";
import { consistency, consistentProperties, hash32, looseObject, provenance, provenanceProperties, sourceQuery, type SourceQuery } from "./shared";

const ulpinParams = { type: "object", properties: { ulpin: { type: "string", maxLength: 40, description: "the parcel's 14-character ULPIN" } } } as const;

export function landRoutes(app: FastifyInstance, context: RouteContext): void {
  if (!context.deployment.contracts.LandRegistry) return;
  const { reader } = context;
  const chain = new LandClient(context.deployment, context.provider);
  const security = [{ apiKey: [] }];

  app.get<{ Params: { ulpin: string }; Querystring: SourceQuery }>(
    "/v1/land/parcels/:ulpin",
    {
      config: { access: "read" },
      schema: {
        tags: ["land"],
        security,
        summary: "A parcel: status, version, owner-list and record hashes, liens, freezes, pending mutations",
        params: ulpinParams,
        querystring: sourceQuery,
        response: { 200: { type: "object", properties: { ...provenanceProperties, parcel: looseObject } }, 400: errorBody, 404: errorBody },
      },
    },
    async (request) => {
      const ulpin = parseUlpin(request.params.ulpin);
      const where = await provenance(context, request.query.source);
      const parcel = request.query.source === "chain" ? await chain.parcel(ulpin) : await reader.parcel(ulpin);
      if (!parcel) throw new NotFoundError(`No parcel ${ulpin} is on chain.`);
      return { ...where, parcel };
    },
  );

  app.get<{ Params: { ulpin: string } }>(
    "/v1/land/parcels/:ulpin/history",
    {
      config: { access: "read" },
      schema: {
        tags: ["land"],
        security,
        summary: "A parcel's chain of title through splits and merges, with every mutation's course, from the index",
        params: ulpinParams,
        response: { 200: { type: "object", properties: { ...consistentProperties, history: looseObject } }, 400: errorBody, 404: errorBody },
      },
    },
    async (request) => {
      const consistent = consistency(context);
      const history = await titleHistory(reader.land, reader, parseUlpin(request.params.ulpin), Math.floor(Date.now() / 1000));
      return { ...consistent, history: JSON.parse(JSON.stringify(history, (_, v: unknown) => (typeof v === "bigint" ? v.toString() : v))) as object };
    },
  );

  app.post<{ Body: { extract: object; ownerCommitment?: string } }>(
    "/v1/land/verify-extract",
    {
      config: { access: "verify" },
      schema: {
        tags: ["land"],
        security,
        summary: "Check a title extract: genuine and current, genuine but outdated, or not genuine",
        description:
          "As `sakshya land verify-extract`. With `ownerCommitment` (the commitment on an owner card, never the card's identity), also says what share its holder has now. Nothing posted is stored or logged.",
        body: { type: "object", additionalProperties: false, required: ["extract"], properties: { extract: { type: "object" }, ownerCommitment: hash32 } },
        response: {
          200: { type: "object", properties: { ...consistentProperties, verdict: { type: "string", enum: ["current", "outdated", "not-genuine"] }, sentence: { type: "string" }, ulpin: { type: "string" }, ownerShare: { type: "integer" }, parcel: looseObject } },
          400: errorBody,
        },
      },
    },
    async (request) => {
      const consistent = consistency(context);
      const extract = extractOf(request.body.extract, "The extract");
      const result = await verifyExtract(extract, reader.land, request.body.ownerCommitment);
      return { ...consistent, ulpin: extract.parcel.ulpin, ...result };
    },
  );
}
