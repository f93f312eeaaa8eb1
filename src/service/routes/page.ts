import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { brotliCompressSync, gzipSync, constants as zlib } from "node:zlib";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { packagePath } from "../../io/package-root";
import { errorBody, ServiceError } from "../errors";
import type { RouteContext } from "../server";

/** Where `npm run build` puts the verification page: `index.html` and its hashed assets. */
export const PAGE_FOLDER = packagePath("dist", "web");

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".svg": "image/svg+xml",
  ".woff2": "font/woff2",
};

/**
 * What the page may do, and nothing more: its own scripts, styles and service only (no CDN, no inline script), the
 * camera for scanning, WebAssembly for hashing, and never inside another site's frame.
 */
const PAGE_HEADERS = {
  "content-security-policy":
    "default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; font-src 'self'; img-src 'self' data: blob:; media-src 'self' blob:; connect-src 'self'; manifest-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  "x-content-type-options": "nosniff",
  "referrer-policy": "no-referrer",
  "permissions-policy": "camera=(self), microphone=(), geolocation=()",
  "cross-origin-opener-policy": "same-origin",
};

interface Asset {
  readonly type: string;
  readonly etag: string;
  readonly identity: Buffer;
  readonly br: Buffer;
  readonly gzip: Buffer;
}

/** The page's files, read and compressed once, at start: small, and the same for every request. */
function loadAssets(folder: string): Map<string, Asset> {
  const assets = new Map<string, Asset>();
  if (!fs.existsSync(path.join(folder, "index.html"))) return assets;
  for (const name of fs.readdirSync(folder)) {
    const type = TYPES[path.extname(name)];
    if (!type) continue;
    const identity = fs.readFileSync(path.join(folder, name));
    assets.set(name, {
      type,
      etag: `"${createHash("sha256").update(identity).digest("base64url").slice(0, 16)}"`,
      identity,
      br: brotliCompressSync(identity, { params: { [zlib.BROTLI_PARAM_QUALITY]: 11 } }),
      gzip: gzipSync(identity, { level: 9 }),
    });
  }
  return assets;
}

function send(request: FastifyRequest, reply: FastifyReply, asset: Asset, cache: string): Buffer | FastifyReply {
  reply.headers(PAGE_HEADERS).header("cache-control", cache).header("etag", asset.etag).header("vary", "accept-encoding").type(asset.type);
  if (request.headers["if-none-match"] === asset.etag) return reply.code(304).send();
  const accepted = String(request.headers["accept-encoding"] ?? "");
  if (/\bbr\b/.test(accepted)) return reply.header("content-encoding", "br").send(asset.br);
  if (/\bgzip\b/.test(accepted)) return reply.header("content-encoding", "gzip").send(asset.gzip);
  return reply.send(asset.identity);
}

/**
 * The public verification page at `/` and its assets at `/assets/<name>` (names carry their content's hash, so they
 * are cached for a year; the page itself is revalidated), and what the page needs to know of this deployment.
 */
export function pageRoutes(app: FastifyInstance, context: RouteContext, folder = PAGE_FOLDER): void {
  const assets = loadAssets(folder);
  const hidden = { schema: { hide: true } };

  app.get("/", hidden, async (request, reply) => {
    const page = assets.get("index.html");
    if (!page) throw new ServiceError(503, "The verification page was not built with this service; run npm run build.");
    return send(request, reply, page, "no-cache");
  });

  app.get<{ Params: { name: string } }>("/assets/:name", hidden, async (request, reply) => {
    const asset = request.params.name === "index.html" ? undefined : assets.get(request.params.name);
    if (!asset) throw new ServiceError(404, `There is no asset ${request.params.name}.`);
    return send(request, reply, asset, "public, max-age=31536000, immutable");
  });

  const { deployment } = context;
  app.get(
    "/v1/deployment",
    {
      schema: {
        tags: ["service"],
        summary: "The chain and registries this service answers for: what a verifier checks a file's anchor against",
        response: {
          200: {
            type: "object",
            properties: {
              chainId: { type: "integer" },
              certificateRegistry: { type: "string", nullable: true },
              landRegistry: { type: "string", nullable: true },
            },
          },
          404: errorBody,
        },
      },
    },
    async () => ({
      chainId: deployment.chainId,
      certificateRegistry: deployment.contracts.CertificateRegistry?.address ?? null,
      landRegistry: deployment.contracts.LandRegistry?.address ?? null,
    }),
  );
}
