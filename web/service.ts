/** Why the service could not answer: never a verdict on the document. */
export type Unreachable = { readonly why: "offline" | "down" } | { readonly why: "busy"; readonly seconds: number };

export class ServiceUnreachable extends Error {
  constructor(readonly unreachable: Unreachable) {
    super(`the service could not answer (${unreachable.why})`);
  }
}

/** How long the page waits for the service before it says it could not check. */
const DEADLINE_MS = 15_000;

/**
 * Asks the service that served this page (same origin: no keys, no CORS). Anything but an answer — no network, a
 * timeout, a refusal to serve now (429, 5xx) — is `ServiceUnreachable`; a 4xx other than 429 is the page's own
 * mistake and is thrown as an Error.
 */
export async function ask<T>(path: string, body?: unknown): Promise<T> {
  if (!navigator.onLine) throw new ServiceUnreachable({ why: "offline" });
  let response: Response;
  try {
    response = await fetch(path, {
      method: body === undefined ? "GET" : "POST",
      headers: body === undefined ? {} : { "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(DEADLINE_MS),
    });
  } catch {
    throw new ServiceUnreachable({ why: navigator.onLine ? "down" : "offline" });
  }
  if (response.status === 429) throw new ServiceUnreachable({ why: "busy", seconds: Number(response.headers.get("retry-after")) || 10 });
  if (response.status >= 500) throw new ServiceUnreachable({ why: "down" });
  const answer = (await response.json().catch(() => undefined)) as (T & { error?: string }) | undefined;
  if (answer === undefined) throw new ServiceUnreachable({ why: "down" });
  if (!response.ok) throw new Error(answer.error ?? `The service refused the request (${response.status}).`);
  return answer;
}

export interface DeploymentInfo {
  readonly chainId: number;
  readonly certificateRegistry: string | null;
  readonly landRegistry: string | null;
}
