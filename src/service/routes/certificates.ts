import type { FastifyInstance } from "fastify";
import { CertificateClient } from "../../certificates/client";
import { certificateCode, codeSlotOf } from "../../codes/short-code";
import { judgeOnChain, OTHER_DEPLOYMENT, summariseVerdicts, verifyCertificateTexts, type StatusRegistry, type Verdict } from "../../certificates/checks";
import { labelsOf } from "../../certificates/schema";
import { STATUS_SENTENCES, STATUSES } from "../../certificates/vocabulary";
import { NotFoundError } from "../../errors";
import { errorBody } from "../errors";
import type { RouteContext } from "../server";
import { consistency, consistentProperties, hash32, looseObject, provenance, provenanceProperties, sourceQuery, type SourceQuery } from "./shared";

/** Most certificates in one verification request. */
export const MAX_VERIFY = 1_000;

const verdict = {
  type: "object",
  properties: {
    file: { type: "string" },
    valid: { type: "boolean" },
    outcome: { type: "string", enum: ["valid", "invalid", "could-not-check"] },
    status: { type: "string" },
    reason: { type: "string" },
    root: { type: "string" },
    index: { type: "integer" },
    onChain: looseObject,
    shortCode: { type: "string", description: "the document's short verification code, where its batch holds a code slot" },
  },
} as const;

/** An answer of verdicts: how many were checked and came out each way, and each verdict. */
const verdictsProperties = {
  ...consistentProperties,
  checked: { type: "integer" },
  valid: { type: "integer" },
  invalid: { type: "integer" },
  couldNotCheck: { type: "integer" },
  verdicts: { type: "array", items: verdict },
} as const;

/** A verdict as the API gives it: with the one word that says whether it could be checked at all. */
function withOutcome(verdict: Verdict): Verdict & { outcome: "valid" | "invalid" | "could-not-check" } {
  return { ...verdict, outcome: verdict.valid ? "valid" : verdict.status === OTHER_DEPLOYMENT ? "could-not-check" : "invalid" };
}

const issuerStanding = {
  type: "object",
  properties: {
    id: { type: "integer" },
    code: { type: "string" },
    kind: { type: "string" },
    status: { type: "string" },
    name: { type: "string", description: "from the organisation's metadata, where the service holds the file whose hash the directory keeps" },
    names: { type: "object", additionalProperties: { type: "string" }, description: "the name in other languages, by language code" },
  },
} as const;

const documentParams = {
  type: "object",
  properties: { issuer: { type: "string", pattern: "^(\\d{1,10}|[A-Za-z0-9._-]{1,32})$", description: "the issuing organisation's id or code" }, root: hash32, index: { type: "string", pattern: "^\\d{1,9}$" } },
} as const;

export function certificateRoutes(app: FastifyInstance, context: RouteContext): void {
  const { reader } = context;
  const chain = context.deployment.contracts.CertificateRegistry ? new CertificateClient(context.deployment, context.provider) : undefined;
  const registry = (source: SourceQuery["source"]): StatusRegistry => (source === "chain" && chain ? chain : reader.certificates);
  const issuerId = async (issuer: string): Promise<number> => {
    const id = /^\d+$/.test(issuer) ? Number(issuer) : await reader.organisationIdOf(issuer);
    if (id === undefined) throw new NotFoundError(`No organisation "${issuer}" is in the directory.`);
    return id;
  };
  const security = [{ apiKey: [] }];
  /** A document's short code, if its batch holds its issuer's code slot (batches before registry 2.1.0 do not). */
  const shortCodeOf = async ({ issuer, root, index }: { issuer: string; root: string; index: number }): Promise<{ shortCode?: string }> => {
    const id = await reader.organisationIdOf(issuer);
    if (id === undefined || (await reader.codeSlotRoot(id, codeSlotOf(root))) !== root) return {};
    return { shortCode: certificateCode(id, codeSlotOf(root), index) };
  };

  app.post<{ Body: { certificates: object[] } }>(
    "/v1/certificates/verify",
    {
      config: { access: "verify" },
      schema: {
        tags: ["certificates"],
        security,
        summary: `Verify 1 to ${MAX_VERIFY} certificate files: integrity, proof, issuer and status`,
        description:
          "Each certificate gets the verdict `sakshya cert verify` gives: `valid`, `invalid` (with the status and a reason), or `could-not-check` (another deployment's certificate). What is posted is neither stored nor logged.",
        body: {
          type: "object",
          additionalProperties: false,
          required: ["certificates"],
          properties: { certificates: { type: "array", minItems: 1, maxItems: MAX_VERIFY, items: { type: "object" }, description: "certificate files, as JSON objects" } },
        },
        response: {
          200: {
            type: "object",
            properties: verdictsProperties,
          },
          400: errorBody,
          413: errorBody,
          503: errorBody,
        },
      },
    },
    async (request) => {
      const consistent = consistency(context);
      const inputs = request.body.certificates.map((json, i) => ({ file: `certificate ${i + 1}`, json: () => json }));
      const verdicts = await verifyCertificateTexts(inputs, reader.certificates, (code) => reader.organisationIdOf(code), context.keccak);
      const summary = summariseVerdicts(verdicts);
      return {
        ...consistent,
        ...summary,
        verdicts: verdicts.map(withOutcome),
      };
    },
  );

  app.post<{ Body: { documents: Array<{ issuer: string; root: string; index: number }> } }>(
    "/v1/certificates/check",
    {
      config: { access: "verify" },
      schema: {
        tags: ["certificates"],
        security,
        summary: `The registry's verdict on 1 to ${MAX_VERIFY} documents whose fields and proof the caller has checked`,
        description:
          "For verifiers that hash a certificate themselves (the verification page does, in the browser) and send only what the chain needs: the issuer's directory code, the batch root their proof leads to, and the document's index. Each gets the verdict `sakshya cert verify` gives from that point on, and the issuer's standing in the directory.",
        body: {
          type: "object",
          additionalProperties: false,
          required: ["documents"],
          properties: {
            documents: {
              type: "array",
              minItems: 1,
              maxItems: MAX_VERIFY,
              items: {
                type: "object",
                additionalProperties: false,
                required: ["issuer", "root", "index"],
                properties: { issuer: { type: "string", minLength: 1, maxLength: 32 }, root: hash32, index: { type: "integer", minimum: 0, maximum: 16_777_214 } },
              },
            },
          },
        },
        response: {
          200: {
            type: "object",
            properties: {
              ...verdictsProperties,
              issuers: { type: "object", additionalProperties: issuerStanding, description: "each named issuer that is in the directory, by code" },
            },
          },
          400: errorBody,
          503: errorBody,
        },
      },
    },
    async (request) => {
      const consistent = consistency(context);
      const claims = request.body.documents.map(({ issuer, root, index }, i) => ({ file: `document ${i + 1}`, issuer, root: root.toLowerCase(), index }));
      const verdicts = await judgeOnChain(claims, reader.certificates, (code) => reader.organisationIdOf(code));
      const withCodes = await Promise.all(verdicts.map(async (v, i) => ({ ...withOutcome(v), ...(await shortCodeOf(claims[i])) })));
      const issuers: Array<[string, object]> = [];
      for (const code of new Set(claims.map((c) => c.issuer))) {
        const id = await reader.organisationIdOf(code);
        if (id === undefined) continue;
        const { kind, status: standing, metadataHash } = await reader.organisation(id);
        issuers.push([code, { id, code, kind, status: standing, ...context.profiles.of(metadataHash) }]);
      }
      return { ...consistent, ...summariseVerdicts(verdicts), verdicts: withCodes, issuers: Object.fromEntries(issuers) };
    },
  );

  app.get<{ Params: { name: string; version: string } }>(
    "/v1/schemas/:name/:version",
    {
      config: { access: "verify" },
      schema: {
        tags: ["certificates"],
        security,
        summary: "A certificate schema's labels: how the paper names each field, and whether it prints it",
        description: "For the schema a certificate names (`schema`, e.g. `wbu-degree/1`), from the schema files this service was given (`serve --schemas`).",
        params: { type: "object", properties: { name: { type: "string", pattern: "^[a-z0-9][a-z0-9._-]{0,63}$" }, version: { type: "string", pattern: "^\\d{1,6}$" } } },
        response: {
          200: {
            type: "object",
            properties: {
              id: { type: "string" },
              title: { type: "string" },
              fields: { type: "object", additionalProperties: { type: "object", properties: { label: { type: "string" }, printed: { type: "boolean" } } } },
            },
          },
          404: errorBody,
        },
      },
    },
    async (request) => {
      const id = `${request.params.name}/${request.params.version}`;
      const schema = context.schemas.get(id);
      if (!schema) throw new NotFoundError(`This service was given no schema "${id}".`);
      return labelsOf(schema);
    },
  );

  app.get<{ Params: { issuer: string; root: string; index: string }; Querystring: SourceQuery }>(
    "/v1/certificates/:issuer/:root/:index",
    {
      config: { access: "read" },
      schema: {
        tags: ["certificates"],
        security,
        summary: "A document's status by its issuer, batch root and index",
        params: documentParams,
        querystring: sourceQuery,
        response: { 200: { type: "object", properties: { ...provenanceProperties, document: looseObject } }, 400: errorBody, 404: errorBody },
      },
    },
    async (request) => {
      const { issuer, root, index } = request.params;
      const issuerOrgId = await issuerId(issuer);
      const where = await provenance(context, request.query.source);
      const [view] = await registry(request.query.source).statuses([{ issuerOrgId, root: root.toLowerCase(), index: Number(index) }]);
      return { ...where, document: { root: root.toLowerCase(), index: Number(index), ...view, sentence: STATUS_SENTENCES[view.status] } };
    },
  );

  app.get<{ Params: { issuer: string; root: string } }>(
    "/v1/certificates/:issuer/:root",
    {
      config: { access: "read" },
      schema: {
        tags: ["certificates"],
        security,
        summary: "A batch: who issued it, when, its expiry, and how many of its documents stand in each status",
        params: { type: "object", properties: { issuer: documentParams.properties.issuer, root: hash32 } },
        response: { 200: { type: "object", properties: { ...consistentProperties, batch: looseObject, documents: looseObject } }, 404: errorBody },
      },
    },
    async (request) => {
      const issuerOrgId = await issuerId(request.params.issuer);
      const root = request.params.root.toLowerCase();
      const consistent = consistency(context);
      const batch = await reader.batch(issuerOrgId, root);
      if (!batch) throw new NotFoundError(`Organisation ${issuerOrgId} issued no batch ${root}.`);
      const views = await reader.certificates.statuses(Array.from({ length: batch.documentCount }, (_, index) => ({ issuerOrgId, root, index })));
      const documents = Object.fromEntries(STATUSES.map((s) => [s, views.filter((v) => v.status === s).length]).filter(([, n]) => Number(n) > 0));
      const { replacements: _replacements, ...record } = batch;
      return { ...consistent, batch: record, documents };
    },
  );
}
