import http from "node:http";
import https from "node:https";
import zlib from "node:zlib";

/** What asking a server for one URL gave. Only `served` and `absent` say anything about the site's content. */
export type Fetched =
  | { readonly state: "served"; readonly bytes: Buffer; readonly truncated: boolean }
  | { readonly state: "absent"; readonly status: number }
  | { readonly state: "redirected"; readonly location: string }
  | { readonly state: "unreachable"; readonly detail: string };

export interface GetOptions {
  /** Bytes to read at most; a longer body is cut there and marked `truncated`. */
  readonly limit: number;
  /** Follow redirects to other origins too (for content trusted by its hash alone). */
  readonly anyOrigin?: boolean;
}

const MAX_REDIRECTS = 5;

interface Answer {
  readonly status: number;
  readonly statusText: string;
  readonly location?: string;
  readonly body?: { bytes: Buffer; truncated: boolean };
}

/**
 * GETs a site's files over keep-alive connections, a bounded number at a time. Node's `http` module rather than
 * `fetch`: a verification is thousands of small requests, and `fetch` took 1.4 s for 2,000 of them cold against
 * 0.8 s (measured on localhost; warm, 0.63 s against 0.43 s). Close it when done, to let its connections go.
 */
export class SiteFetcher {
  private readonly agents: { "http:": http.Agent; "https:": https.Agent };

  constructor(
    private readonly timeoutMs: number,
    readonly concurrency: number,
    private readonly aliases: readonly string[] = [],
  ) {
    this.agents = { "http:": new http.Agent({ keepAlive: true, maxSockets: concurrency }), "https:": new https.Agent({ keepAlive: true, maxSockets: concurrency }) };
  }

  /**
   * GETs `url`, following redirects within the site: its origin, the same host over https, or a host it is also
   * served under (its aliases). Any other redirect is reported as such, never followed. 404 and 410 mean the server
   * does not have the file; any other failure (timeouts, refused connections, 5xx, 429, 401, 403) says nothing about
   * the content and is "unreachable", so a network fault is never reported as tampering.
   */
  async get(url: string, options: GetOptions & { anyOrigin: true }): Promise<Exclude<Fetched, { state: "redirected" }>>;
  async get(url: string, options: GetOptions): Promise<Fetched>;
  async get(url: string, options: GetOptions): Promise<Fetched> {
    const deadline = Date.now() + this.timeoutMs;
    let current = new URL(url);
    try {
      for (let hop = 0; hop <= MAX_REDIRECTS; hop++) {
        const answer = await this.request(current, options.limit, deadline);
        if (answer.status >= 300 && answer.status < 400 && answer.location !== undefined) {
          const next = new URL(answer.location, current);
          if (!options.anyOrigin && !this.withinSite(current, next)) return { state: "redirected", location: next.href };
          current = next;
          continue;
        }
        if (answer.status === 404 || answer.status === 410) return { state: "absent", status: answer.status };
        if (answer.status !== 200 || !answer.body) return { state: "unreachable", detail: `the server answered ${answer.status}${answer.statusText ? ` ${answer.statusText}` : ""}` };
        return { state: "served", ...answer.body };
      }
      return { state: "unreachable", detail: `more than ${MAX_REDIRECTS} redirects` };
    } catch (error) {
      return { state: "unreachable", detail: describeFailure(error) };
    }
  }

  private withinSite(from: URL, to: URL): boolean {
    if (to.origin === from.origin) return true;
    const upgrade = from.protocol === "http:" && to.protocol === "https:" && to.hostname === from.hostname;
    return upgrade || this.aliases.includes(to.hostname.toLowerCase());
  }

  close(): void {
    this.agents["http:"].destroy();
    this.agents["https:"].destroy();
  }

  private request(url: URL, limit: number, deadline: number): Promise<Answer> {
    if (url.protocol !== "http:" && url.protocol !== "https:") return Promise.reject(new Error(`cannot fetch ${url.protocol} URLs`));
    const client = url.protocol === "https:" ? https : http;
    return new Promise<Answer>((resolve, reject) => {
      const request = client.get(url, { agent: this.agents[url.protocol as "http:"], headers: { "user-agent": "sakshya-site-verify", "accept-encoding": "gzip, br" } }, (response) => {
        const status = response.statusCode ?? 0;
        const answer = { status, statusText: response.statusMessage ?? "", location: response.headers.location };
        if (status !== 200) {
          response.resume();
          response.on("end", () => resolve(answer)).on("error", reject);
          return;
        }
        const encoding = response.headers["content-encoding"];
        const stream = encoding === "gzip" ? response.pipe(zlib.createGunzip()) : encoding === "br" ? response.pipe(zlib.createBrotliDecompress()) : response;
        const chunks: Buffer[] = [];
        let length = 0;
        stream.on("data", (chunk: Buffer) => {
          chunks.push(chunk);
          length += chunk.length;
          if (length > limit) {
            resolve({ ...answer, body: { bytes: Buffer.concat(chunks, length).subarray(0, limit), truncated: true } });
            request.destroy();
          }
        });
        stream.on("end", () => resolve({ ...answer, body: { bytes: Buffer.concat(chunks, length), truncated: false } }));
        stream.on("error", reject);
      });
      // A whole-request deadline: a server trickling bytes is as stuck as a silent one.
      const timer = setTimeout(() => request.destroy(new TimeoutError(this.timeoutMs)), Math.max(1, deadline - Date.now()));
      request.on("error", reject);
      request.on("close", () => clearTimeout(timer));
    });
  }
}

class TimeoutError extends Error {
  constructor(readonly ms: number) {
    super(`no answer within ${ms / 1000} s`);
  }
}

function describeFailure(error: unknown): string {
  if (error instanceof TimeoutError) return error.message;
  const code = (error as { code?: string }).code;
  if (code === "ECONNREFUSED") return "the connection was refused";
  if (code === "ENOTFOUND" || code === "EAI_AGAIN") return "the host name does not resolve";
  if (code === "ECONNRESET" || code === "EPIPE") return "the connection was dropped";
  return error instanceof Error ? error.message : String(error);
}

/** Runs `task` over `items` with at most `limit` at a time, keeping the order of results. */
export async function mapConcurrently<T, R>(items: readonly T[], limit: number, task: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await task(items[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
