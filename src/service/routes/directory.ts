import type { FastifyInstance } from "fastify";
import { DirectoryClient, type OrganisationDetail } from "../../directory/client";
import { NotFoundError } from "../../errors";
import { errorBody } from "../errors";
import type { RouteContext } from "../server";
import { consistency, consistentProperties, looseObject, provenance, provenanceProperties, sendCsv, sourceQuery, wantsCsv, type SourceQuery } from "./shared";

const formatQuery = { type: "object", additionalProperties: false, properties: { format: { type: "string", enum: ["json", "csv"] } } } as const;

const ORGANISATION_COLUMNS = ["id", "code", "kind", "status", "capabilities", "jurisdictions", "successor", "onboardedAt", "updatedAt", "metadataHash", "keys", "nodes"] as const;
const NODE_COLUMNS = ["orgId", "orgCode", "orgKind", "orgStatus", "nodeId", "enode", "validator", "allowed"] as const;

export function directoryRoutes(app: FastifyInstance, context: RouteContext): void {
  const { reader } = context;
  const chain = new DirectoryClient(context.deployment, context.provider);
  const security = [{ apiKey: [] }];
  const read = { access: "read" as const };

  app.get<{ Querystring: { format?: "json" | "csv" } }>(
    "/v1/directory/organisations",
    {
      config: read,
      schema: { tags: ["directory"], security, summary: "Every organisation with its keys and nodes (CSV with ?format=csv)", querystring: formatQuery, response: { 200: { type: "object", properties: { ...consistentProperties, organisations: { type: "array", items: looseObject } } } } },
    },
    async (request, reply) => {
      const consistent = consistency(context);
      const organisations = await reader.records<OrganisationDetail>("organisation");
      if (wantsCsv(request.query.format, request.headers.accept)) {
        return sendCsv(reply, `organisations-${consistent.indexedBlock}.csv`, ORGANISATION_COLUMNS, organisations.map((o) => ({ ...o, keys: o.accounts.filter((a) => a.active).length, nodes: o.nodes.length })));
      }
      return { ...consistent, organisations };
    },
  );

  app.get<{ Params: { id: string }; Querystring: SourceQuery }>(
    "/v1/directory/organisations/:id",
    {
      config: read,
      schema: {
        tags: ["directory"],
        security,
        summary: "An organisation: kind, status, capabilities, jurisdictions, its keys and its nodes",
        params: { type: "object", properties: { id: { type: "string", pattern: "^\\d{1,10}$" } } },
        querystring: sourceQuery,
        response: { 200: { type: "object", properties: { ...provenanceProperties, organisation: looseObject } }, 404: errorBody },
      },
    },
    async (request) => {
      const id = Number(request.params.id);
      const where = await provenance(context, request.query.source);
      const organisation = request.query.source === "chain" ? await chain.findDetail(id) : await reader.organisation(id);
      if (!organisation) throw new NotFoundError(`No organisation ${id} is in the directory.`);
      return { ...where, organisation };
    },
  );

  app.get<{ Querystring: { format?: "json" | "csv" } }>(
    "/v1/directory/nodes",
    {
      config: read,
      schema: {
        tags: ["directory"],
        security,
        summary: "The node directory: every node with its organisation, enode, validator flag and whether it may connect (CSV with ?format=csv)",
        querystring: formatQuery,
        response: { 200: { type: "object", properties: { ...consistentProperties, nodes: { type: "array", items: looseObject } } } },
      },
    },
    async (request, reply) => {
      const consistent = consistency(context);
      const nodes = (await reader.records<OrganisationDetail>("organisation")).flatMap((o) => o.nodes.map((n) => ({ ...n, orgCode: o.code, orgKind: o.kind, orgStatus: o.status })));
      if (wantsCsv(request.query.format, request.headers.accept)) return sendCsv(reply, `node-directory-${consistent.indexedBlock}.csv`, NODE_COLUMNS, nodes);
      return { ...consistent, nodes };
    },
  );

  app.get(
    "/v1/directory/validators",
    { config: read, schema: { tags: ["directory"], security, summary: "The QBFT validators the genesis contract holds, and the minimum it keeps", response: { 200: { type: "object", properties: { ...consistentProperties, validators: { type: "array", items: { type: "string" } }, minimum: { type: "integer" } } } } } },
    async () => ({ ...consistency(context), ...(await reader.validators()) }),
  );

  app.get(
    "/v1/governance",
    { config: read, schema: { tags: ["directory"], security, summary: "The governance roles with their members, and the operations scheduled and not yet run", response: { 200: { type: "object", properties: { ...consistentProperties, roles: { type: "array", items: looseObject }, operations: { type: "array", items: looseObject } } } } } },
    async () => ({ ...consistency(context), ...(await reader.governance()) }),
  );
}
