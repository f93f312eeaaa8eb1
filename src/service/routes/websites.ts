import type { FastifyInstance } from "fastify";
import { WebsiteClient } from "../../websites/client";
import { siteIdOf } from "../../websites/manifest";
import { NotFoundError } from "../../errors";
import type { IndexedSite } from "../../index/reader";
import { errorBody } from "../errors";
import type { RouteContext } from "../server";
import { looseObject, provenance, provenanceProperties, sourceQuery, type SourceQuery } from "./shared";

const siteParams = { type: "object", properties: { site: { type: "string", minLength: 1, maxLength: 253, description: "the site's domain, or its id (0x + 64 hex digits)" } } } as const;

export function websiteRoutes(app: FastifyInstance, context: RouteContext): void {
  if (!context.deployment.contracts.WebsiteRegistry) return;
  const { reader } = context;
  const chain = new WebsiteClient(context.deployment, context.provider);
  const security = [{ apiKey: [] }];

  const site = async (raw: string, source: SourceQuery["source"]): Promise<IndexedSite> => {
    const siteId = /^0x[0-9a-fA-F]{64}$/.test(raw) ? raw.toLowerCase() : siteIdOf(raw);
    const found =
      source === "chain"
        ? await chain.site(siteId).then(async (view) => (view ? { ...view, releases: await chain.releases(siteId) } : undefined))
        : await reader.site(siteId);
    if (!found) throw new NotFoundError(`No site ${raw} is registered.`);
    return found;
  };

  app.get<{ Params: { site: string }; Querystring: SourceQuery }>(
    "/v1/websites/sites/:site",
    {
      config: { access: "read" },
      schema: {
        tags: ["websites"],
        security,
        summary: "A site and its current release (none when no release clears its approvals, or the last was revoked)",
        params: siteParams,
        querystring: sourceQuery,
        response: { 200: { type: "object", properties: { ...provenanceProperties, site: looseObject, current: { ...looseObject, nullable: true } } }, 400: errorBody, 404: errorBody },
      },
    },
    async (request) => {
      const where = await provenance(context, request.query.source);
      const { releases, ...view } = await site(request.params.site, request.query.source);
      return { ...where, site: view, current: releases.find((r) => r.id === view.current) ?? null };
    },
  );

  app.get<{ Params: { site: string }; Querystring: SourceQuery }>(
    "/v1/websites/sites/:site/releases",
    {
      config: { access: "read" },
      schema: {
        tags: ["websites"],
        security,
        summary: "Every release of a site, oldest first, with its approvals and status",
        params: siteParams,
        querystring: sourceQuery,
        response: { 200: { type: "object", properties: { ...provenanceProperties, releases: { type: "array", items: looseObject } } }, 404: errorBody },
      },
    },
    async (request) => {
      const where = await provenance(context, request.query.source);
      return { ...where, releases: (await site(request.params.site, request.query.source)).releases };
    },
  );
}
