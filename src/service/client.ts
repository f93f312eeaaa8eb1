import fs from "node:fs";
import path from "node:path";
import { parseJson } from "../certificates/document";
import type { Verdict, VerdictSummary } from "../certificates/checks";
import type { Deadlines } from "../chain/deadlines";
import { ChainError, InputError, NotFoundError } from "../errors";
import type { TitleHistory } from "../land/history";
import { MAX_VERIFY } from "./routes/certificates";

/** Longest Retry-After the client waits out by itself; a longer one is reported instead. */
const MAX_WAIT_SECONDS = 10;

/**
 * The Sakshya service seen from the command line, for verifiers without RPC access: the same verdicts and histories
 * as over JSON-RPC, asked of the service's index. A refusal is the service's own sentence; an unreachable service
 * is "could not check", never a verdict.
 */
export class ServiceClient {
  private readonly base: string;

  constructor(
    url: string,
    private readonly apiKey: string | undefined,
    private readonly deadlines: Deadlines,
  ) {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      throw new InputError(`--api must be the service's URL (http:// or https://), not "${url}".`);
    }
    if (parsed.protocol !== "http:" && parsed.protocol !== "https:") throw new InputError(`--api must be the service's URL (http:// or https://), not "${url}".`);
    this.base = parsed.toString().replace(/\/$/, "");
  }

  /**
   * Verdicts for certificate files, in order: what is not even JSON is unreadable here, as `cert verify` says; the
   * rest go to the service, a request per {@link MAX_VERIFY}.
   */
  async verifyFiles(files: readonly string[]): Promise<Verdict[]> {
    const verdicts: Verdict[] = new Array(files.length);
    const parsed: Array<{ slot: number; file: string; json: unknown }> = [];
    files.forEach((file, slot) => {
      try {
        parsed.push({ slot, file, json: parseJson(fs.readFileSync(file, "utf8"), path.basename(file)) });
      } catch (error) {
        if (!(error instanceof InputError)) throw error;
        verdicts[slot] = { file, valid: false, status: "unreadable", reason: error.message };
      }
    });
    const answered = await this.verify(parsed);
    parsed.forEach(({ slot }, i) => (verdicts[slot] = answered[i]));
    return verdicts;
  }

  /** Verdicts for certificates already parsed, in order, a request per {@link MAX_VERIFY}. */
  async verify(certificates: ReadonlyArray<{ file: string; json: unknown }>): Promise<Verdict[]> {
    const verdicts: Verdict[] = [];
    for (let first = 0; first < certificates.length; first += MAX_VERIFY) {
      const chunk = certificates.slice(first, first + MAX_VERIFY);
      const answer = await this.request<VerdictSummary & { verdicts: Verdict[] }>("POST", "/v1/certificates/verify", { certificates: chunk.map((c) => c.json) });
      // The service names them by position; the verdicts name the files again.
      verdicts.push(...answer.verdicts.map((v, i) => ({ ...v, file: chunk[i].file })));
    }
    return verdicts;
  }

  async titleHistory(ulpin: string): Promise<TitleHistory> {
    return (await this.request<{ history: TitleHistory }>("GET", `/v1/land/parcels/${encodeURIComponent(ulpin)}/history`)).history;
  }

  private async request<T>(method: "GET" | "POST", path: string, body?: unknown, attempt = 1): Promise<T> {
    let response: Response;
    try {
      response = await fetch(`${this.base}${path}`, {
        method,
        headers: { ...(body === undefined ? {} : { "content-type": "application/json" }), ...(this.apiKey ? { authorization: `Bearer ${this.apiKey}` } : {}) },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(this.deadlines.requestMs * 4),
      });
    } catch (error) {
      const why = error instanceof Error && error.name === "TimeoutError" ? "did not answer in time" : "cannot be reached";
      throw new ChainError(`The Sakshya service at ${this.base} ${why}; nothing could be checked.`);
    }
    const text = await response.text();
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw new ChainError(`The Sakshya service at ${this.base} answered ${response.status} with something other than JSON; is --api the service's URL?`);
    }
    if (response.ok) return json as T;
    const sentence = (json as { error?: unknown }).error;
    const said = typeof sentence === "string" ? sentence : `status ${response.status}`;
    const retryAfter = Number(response.headers.get("retry-after"));
    if (response.status === 429 && attempt < 3 && retryAfter > 0 && retryAfter <= MAX_WAIT_SECONDS) {
      await new Promise((resolve) => setTimeout(resolve, retryAfter * 1000));
      return this.request<T>(method, path, body, attempt + 1);
    }
    if (response.status === 404) throw new NotFoundError(said);
    if (response.status < 500 && response.status !== 429) throw new InputError(`The service refused: ${said}`);
    throw new ChainError(`The service could not answer: ${said}`);
  }
}
