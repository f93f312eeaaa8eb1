/** What asking a server for one URL gave. Only `served` and `absent` say anything about the site's content. */
export type Fetched =
  | { readonly state: "served"; readonly bytes: Buffer; readonly truncated: boolean }
  | { readonly state: "absent"; readonly status: number }
  | { readonly state: "redirected"; readonly location: string }
  | { readonly state: "unreachable"; readonly detail: string };

export interface FetchOptions {
  readonly timeoutMs: number;
  /** Bytes to read at most; a longer body is cut there and marked `truncated`. */
  readonly limit: number;
  /** Follow redirects to other origins too (for content trusted by its hash alone). */
  readonly anyOrigin?: boolean;
}

const MAX_REDIRECTS = 5;

/**
 * GETs `url`, following redirects within its origin. 404 and 410 mean the server does not have the file; any other
 * failure (timeouts, refused connections, 5xx, 429, 401, 403) says nothing about the content and is "unreachable",
 * so a network fault is never reported as tampering.
 */
export async function fetchBytes(url: string, options: FetchOptions & { anyOrigin: true }): Promise<Exclude<Fetched, { state: "redirected" }>>;
export async function fetchBytes(url: string, options: FetchOptions): Promise<Fetched>;
export async function fetchBytes(url: string, options: FetchOptions): Promise<Fetched> {
  const signal = AbortSignal.timeout(options.timeoutMs);
  let current = new URL(url);
  try {
    for (let hop = 0; hop <= MAX_REDIRECTS; hop++) {
      const response = await fetch(current, { redirect: "manual", signal, headers: { "cache-control": "no-cache", "user-agent": "sakshya-site-verify" } });
      if (response.status >= 300 && response.status < 400 && response.headers.has("location")) {
        await response.body?.cancel();
        const next = new URL(response.headers.get("location")!, current);
        if (next.origin !== current.origin && !options.anyOrigin) return { state: "redirected", location: next.href };
        current = next;
        continue;
      }
      if (response.status === 404 || response.status === 410) {
        await response.body?.cancel();
        return { state: "absent", status: response.status };
      }
      if (response.status !== 200) {
        await response.body?.cancel();
        return { state: "unreachable", detail: `the server answered ${response.status}${response.statusText ? ` ${response.statusText}` : ""}` };
      }
      return { state: "served", ...(await readLimited(response, options.limit)) };
    }
    return { state: "unreachable", detail: `more than ${MAX_REDIRECTS} redirects` };
  } catch (error) {
    return { state: "unreachable", detail: describeFailure(error, options.timeoutMs) };
  }
}

async function readLimited(response: Response, limit: number): Promise<{ bytes: Buffer; truncated: boolean }> {
  const chunks: Buffer[] = [];
  let length = 0;
  const reader = response.body!.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return { bytes: Buffer.concat(chunks, length), truncated: false };
    chunks.push(Buffer.from(value.buffer, value.byteOffset, value.byteLength));
    length += value.byteLength;
    if (length > limit) {
      await reader.cancel();
      return { bytes: Buffer.concat(chunks, length).subarray(0, limit), truncated: true };
    }
  }
}

function describeFailure(error: unknown, timeoutMs: number): string {
  if (error instanceof Error && (error.name === "TimeoutError" || error.name === "AbortError")) return `no answer within ${timeoutMs / 1000} s`;
  const cause = error instanceof Error ? (error.cause as { code?: string; message?: string } | undefined) : undefined;
  if (cause?.code === "ECONNREFUSED") return "the connection was refused";
  if (cause?.code === "ENOTFOUND" || cause?.code === "EAI_AGAIN") return "the host name does not resolve";
  if (cause?.code === "ECONNRESET" || cause?.code === "UND_ERR_SOCKET") return "the connection was dropped";
  if (cause?.message === "bad port") return "the port is one that web clients refuse to connect to";
  return cause?.message ?? (error instanceof Error ? error.message : String(error));
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
