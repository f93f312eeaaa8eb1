import { timingSafeEqual } from "node:crypto";
import type { FastifyInstance, FastifyRequest } from "fastify";
import { channelText, mistypedText, smsReply, answerText, type ChannelLanguage, type Freshness } from "../../codes/messages";
import { resolveShortCode, type CodeAnswer } from "../../codes/resolve";
import { InputError } from "../../errors";
import { formatRate, type Rate } from "../api-keys";
import { errorBody, ServiceError } from "../errors";
import type { RouteContext } from "../server";
import { webhookSignature } from "../webhooks";
import { consistency, consistentProperties, looseObject } from "./shared";

/** How an SMS or IVRS gateway reaches the service: the secret it signs with, and what one phone number may ask. */
export interface GatewayPolicy {
  readonly secret: string;
  /** Checks per phone number (default 10 an hour). */
  readonly perPhone?: Rate;
}

/** How far a gateway's clock (its signature's timestamp) may be from ours. */
const SIGNATURE_WINDOW_SECONDS = 300;
const SMS_KEYWORDS = /^\s*(verify|check|v|যাচাই)(?=\s|$)\s*/i;
const BENGALI = /[\u0980-\u09ff]/;

declare module "fastify" {
  interface FastifyRequest {
    /** The body as the gateway sent it: what its signature covers. */
    gatewayBody?: string;
    /** The phone number a gateway request is about, for the per-number limit. */
    phone?: string;
  }
}

/** Fields of an SMS or IVRS callback, whether it came as JSON or as a form (gateways send either). */
type GatewayFields = Record<string, string | undefined>;

function fieldsOf(request: FastifyRequest): GatewayFields {
  const body = (request.body ?? {}) as GatewayFields;
  return { ...(request.query as GatewayFields), ...body };
}

const first = (fields: GatewayFields, ...names: string[]) => names.map((n) => fields[n]).find((v) => typeof v === "string" && v.trim() !== "")?.trim();

/** A phone number as one key for the per-number limit: digits only, with a leading + kept. */
function phoneOf(fields: GatewayFields): string {
  const raw = first(fields, "from", "From", "caller", "Caller", "CallFrom", "msisdn");
  if (!raw) throw new ServiceError(400, "The gateway's request names no phone number (from, or caller).");
  const phone = raw.replace(/[^\d+]/g, "");
  if (!/^\+?\d{6,15}$/.test(phone)) throw new ServiceError(400, "The gateway's request names no valid phone number.");
  return phone;
}

function languageOf(fields: GatewayFields, text = ""): ChannelLanguage {
  const asked = first(fields, "lang", "language")?.toLowerCase();
  if (asked === "bn" || asked === "en") return asked;
  return BENGALI.test(text) ? "bn" : "en";
}

/**
 * Short verification codes: `GET /v1/codes/{code}` for the page and any client, and the SMS and IVRS gateways'
 * callbacks, which answer in a text the gateway sends back or reads out. A gateway request must carry the HMAC of
 * its timestamp and body with the shared secret (the scheme of the service's own webhooks); each phone number is
 * limited; the audit log keeps the request as it keeps every other — route, status, time — never the message.
 */
export function codeRoutes(app: FastifyInstance, context: RouteContext, gateway?: GatewayPolicy): void {
  const { reader, profiles } = context;
  const sources = {
    codes: reader,
    certificates: reader.certificates,
    organisation: (id: number) => reader.organisation(id),
    parcel: (ulpin: string) => reader.parcel(ulpin),
  };
  const resolve = async (text: string): Promise<{ answer: CodeAnswer; freshness: Freshness }> => {
    const { asOf } = consistency(context);
    const freshness = { current: asOf.current, time: context.status.indexedTime };
    return { answer: await resolveShortCode(text, sources), freshness };
  };
  const issuerOf = (answer: CodeAnswer) => (answer.kind === "certificate" && answer.found ? { code: answer.issuer.code, profile: profiles.of(answer.issuer.metadataHash) } : undefined);

  app.get<{ Params: { code: string } }>(
    "/v1/codes/:code",
    {
      config: { access: "verify" },
      schema: {
        tags: ["codes"],
        security: [{ apiKey: [] }],
        summary: "What a short verification code names, and the registry's word on it",
        description:
          "A certificate's code gives `cert verify`'s verdict on its document and its issuer's standing; a title extract's code says whether the parcel is still at the extract's version. A code that names nothing is `found: false`; a mistyped one (its check digit does not match) is a 400.",
        params: { type: "object", properties: { code: { type: "string", pattern: "^[0-9 -]{10,40}$" } } },
        response: {
          200: {
            type: "object",
            properties: {
              ...consistentProperties,
              kind: { type: "string", enum: ["certificate", "title"] },
              digits: { type: "string" },
              found: { type: "boolean" },
              outcome: { type: "string", enum: ["valid", "invalid", "current", "outdated", "not-found"] },
              verdict: looseObject,
              issuer: looseObject,
              parcel: looseObject,
              version: { type: "integer" },
            },
          },
          400: errorBody,
          503: errorBody,
        },
      },
    },
    async (request) => {
      const consistent = consistency(context);
      const { answer } = await resolve(request.params.code);
      const base = { ...consistent, kind: answer.kind, digits: answer.digits, found: answer.found };
      if (!answer.found) return { ...base, outcome: "not-found" };
      if (answer.kind === "title") return { ...base, outcome: answer.verdict, parcel: answer.parcel, version: answer.code.version };
      const { metadataHash, ...issuer } = answer.issuer;
      return { ...base, outcome: answer.verdict.valid ? "valid" : "invalid", verdict: answer.verdict, issuer: { ...issuer, ...profiles.of(metadataHash) } };
    },
  );

  const perPhone = gateway?.perPhone ?? { count: 10, windowMs: 3_600_000 };
  const channelSchema = (summary: string, description: string, answer: object) => ({
    tags: ["codes"],
    summary,
    description,
    headers: {
      type: "object",
      properties: {
        "x-sakshya-timestamp": { type: "string", description: "Unix seconds when the gateway signed" },
        "x-sakshya-signature": { type: "string", description: "sha256=<hex HMAC-SHA256 of `<timestamp>.<body>` (GET: of the query string) with the shared secret>" },
      },
    },
    response: { 200: answer, 400: errorBody, 401: errorBody, 429: { type: "object", properties: { error: { type: "string" }, reply: { type: "string" }, say: { type: "string" } } }, 503: errorBody },
  });

  // The gateway's callbacks parse their own bodies (JSON or a form), keeping the bytes the signature covers.
  app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser(["application/json", "application/x-www-form-urlencoded"], { parseAs: "string", bodyLimit: 4_096 }, (request, body, done) => {
      const text = String(body);
      request.gatewayBody = text;
      try {
        done(null, request.headers["content-type"]?.startsWith("application/json") ? (JSON.parse(text) as unknown) : Object.fromEntries(new URLSearchParams(text)));
      } catch {
        done(new ServiceError(400, "The request body is not valid JSON."), undefined);
      }
    });
    // Signed, then limited per phone number: an unsigned request never counts against anybody's number.
    scope.addHook("preHandler", async (request) => {
      if (!gateway) throw new ServiceError(503, "SMS and IVRS are not set up on this service (it has no gateway secret).");
      const timestamp = String(request.headers["x-sakshya-timestamp"] ?? "");
      const presented = String(request.headers["x-sakshya-signature"] ?? "");
      const signed = request.method === "GET" ? (request.url.split("?")[1] ?? "") : (request.gatewayBody ?? "");
      const expected = webhookSignature(gateway.secret, timestamp, signed);
      const matches = presented.length === expected.length && timingSafeEqual(Buffer.from(presented), Buffer.from(expected));
      if (!/^\d{1,12}$/.test(timestamp) || !matches) throw new ServiceError(401, "The gateway's signature is missing or wrong.");
      if (Math.abs(Date.now() / 1000 - Number(timestamp)) > SIGNATURE_WINDOW_SECONDS) throw new ServiceError(401, "The gateway's signature is too old (or its clock is wrong): more than 5 minutes from ours.");
      request.phone = phoneOf(fieldsOf(request));
    });
    const limited = {
      access: "gateway" as const,
      rateLimit: {
        hook: "preHandler" as const,
        max: perPhone.count,
        timeWindow: perPhone.windowMs,
        keyGenerator: (request: FastifyRequest) => `phone:${request.phone}`,
        allowList: () => false,
        errorResponseBuilder: (request: FastifyRequest) => {
          const language = languageOf(fieldsOf(request), String(first(fieldsOf(request), "text", "Body", "message") ?? ""));
          const text = channelText("busy", language);
          return new ServiceError(429, `Too many checks from this phone number: at most ${formatRate(perPhone)}.`, Math.ceil(perPhone.windowMs / 1000), { reply: text, say: text });
        },
      },
    };

    scope.post(
      "/v1/sms/inbound",
      {
        config: limited,
        schema: channelSchema(
          "An SMS gateway's inbound message: VERIFY and a code (or the code alone), answered in one SMS",
          "Fields `from` and `text` (also `From`/`Body`), as JSON or a form; optional `lang` (`en`, `bn`; Bengali text is answered in Bengali). The reply fits one SMS: 160 GSM-7 characters, or 70 in Bengali.",
          { type: "object", properties: { reply: { type: "string" }, language: { type: "string" }, outcome: { type: "string" } } },
        ),
      },
      async (request) => {
        const fields = fieldsOf(request);
        const text = first(fields, "text", "Body", "message") ?? "";
        const language = languageOf(fields, text);
        const code = text.replace(SMS_KEYWORDS, "").trim();
        if (code === "") return { reply: channelText("usage", language), language, outcome: "usage" };
        const resolved = await channelAnswer(code, language);
        if (typeof resolved === "string") return { reply: resolved, language, outcome: resolved === channelText("unavailable", language) ? "could-not-check" : "mistyped" };
        const { answer, freshness } = resolved;
        return { reply: smsReply(answer, issuerOf(answer), language, freshness), language, outcome: outcomeOf(answer) };
      },
    );

    const ivrs = async (request: FastifyRequest, reply: { type(t: string): unknown }) => {
      const fields = fieldsOf(request);
      const language = languageOf(fields);
      const digits = first(fields, "digits", "Digits") ?? "";
      const answer = digits === "" ? channelText("usage", language) : await channelAnswer(digits.replace(/[#*]/g, ""), language);
      const say = typeof answer === "string" ? answer : answerText(answer.answer, issuerOf(answer.answer), language, { spoken: true, freshness: answer.freshness });
      if (first(fields, "format") === "xml" || String(request.headers.accept ?? "").includes("xml")) {
        reply.type("application/xml; charset=utf-8");
        return `<?xml version="1.0" encoding="UTF-8"?><Response><Say language="${language === "bn" ? "bn-IN" : "en-IN"}">${escapeXml(say)}</Say></Response>`;
      }
      return { say, language: language === "bn" ? "bn-IN" : "en-IN", outcome: typeof answer === "string" ? "message" : outcomeOf(answer.answer) };
    };
    const ivrsSchema = channelSchema(
      "An IVRS call: the code keyed in as digits, answered in a short text for text-to-speech",
      "Fields `digits` (keypad digits; * and # are ignored) and `caller`, in the query (GET) or the body (POST); optional `lang` and `format=xml` (a `<Response><Say>` document).",
      { type: "object", properties: { say: { type: "string" }, language: { type: "string" }, outcome: { type: "string" } } },
    );
    scope.get("/v1/ivrs", { config: limited, schema: ivrsSchema }, ivrs);
    scope.post("/v1/ivrs", { config: limited, schema: ivrsSchema }, ivrs);
  });

  /** A resolved code, or the sentence a channel answers with instead: mistyped, or the registry not reachable. */
  async function channelAnswer(code: string, language: ChannelLanguage): Promise<{ answer: CodeAnswer; freshness: Freshness } | string> {
    try {
      return await resolve(code);
    } catch (error) {
      if (error instanceof InputError) return mistypedText(error.message, language);
      if (error instanceof ServiceError && error.statusCode === 503) return channelText("unavailable", language);
      throw error;
    }
  }
}

function outcomeOf(answer: CodeAnswer): string {
  if (!answer.found) return "not-found";
  if (answer.kind === "title") return answer.verdict;
  return answer.verdict.valid ? "valid" : "invalid";
}

function escapeXml(text: string): string {
  return text.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
