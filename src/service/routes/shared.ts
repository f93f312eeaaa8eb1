import { stringify } from "csv-stringify/sync";
import type { FastifyReply } from "fastify";
import { isoTime } from "../../io/time";
import { ServiceError } from "../errors";
import type { RouteContext } from "../server";

/** How long the follower may go without hearing from the chain before answers say they may be out of date. */
export const SILENCE_MS = 60_000;

/**
 * How old an answer from the index is: the block it is consistent to, that block's time, and whether the index could
 * confirm just now that it is at the chain's head. `current: false` is said plainly wherever a verdict is shown.
 */
export interface AsOf {
  readonly block: number;
  /** The block's time, in IST (ISO 8601 with its offset), when known. */
  readonly time?: string;
  readonly current: boolean;
  /** Why it is not current, in one sentence. */
  readonly why?: string;
}

/**
 * The block every answer is consistent to, and how old it is: one rule for every route. Refuses (503) while the index
 * holds no block of the deployment, so that nothing is ever answered from an index that holds nothing.
 */
export function consistency(context: Pick<RouteContext, "status" | "readyLag" | "deployment" | "now">): { indexedBlock: number; asOf: AsOf } {
  const { status, readyLag, deployment } = context;
  if (status.indexed === undefined) throw new ServiceError(503, "The index has not read the chain yet; try again shortly.", 5);
  if (status.indexed < deployment.deployBlock) {
    throw new ServiceError(503, `The index holds nothing of the registry yet${status.error ? ` (${status.error.replace(/\.$/, "")})` : ""}; try again shortly.`, 5);
  }
  const block = status.indexed;
  const why =
    status.error !== undefined
      ? "The registry could not be reached just now."
      : status.updatedAt !== undefined && context.now() - status.updatedAt > SILENCE_MS
        ? `The index has not heard from the chain for over ${SILENCE_MS / 1000} seconds.`
        : status.head !== undefined && status.head - block > readyLag
          ? `The index is ${status.head - block} blocks behind the chain's head.`
          : undefined;
  const asOf: AsOf = { block, ...(status.indexedTime !== undefined ? { time: isoTime(status.indexedTime) } : {}), current: why === undefined, ...(why ? { why } : {}) };
  return { indexedBlock: block, asOf };
}

/** In every answer's body, as in its `X-Indexed-Block` header: the block the answer is consistent to, and how old it is. */
export const consistentProperties = {
  indexedBlock: { type: "integer", description: "the last block the index holds in full: the answer is consistent to it" },
  asOf: {
    type: "object",
    description: "how old the answer is; `current: false` means the index could not confirm just now that it is at the chain's head, so a change since `time` would not show",
    properties: { block: { type: "integer" }, time: { type: "string", description: "the block's time, IST" }, current: { type: "boolean" }, why: { type: "string" } },
  },
} as const;

/** {@link consistentProperties}, and where an item that may be read through from the chain came from. */
export const provenanceProperties = {
  ...consistentProperties,
  source: { type: "string", enum: ["index", "chain"] },
  block: { type: "integer", description: "the chain's head when the item was read through (`?source=chain`)" },
} as const;

/** `?source=chain` reads one item through from the chain instead of the index. */
export const sourceQuery = {
  type: "object",
  additionalProperties: false,
  properties: { source: { type: "string", enum: ["index", "chain"], default: "index", description: "`chain` reads this item from the chain itself, not the index" } },
} as const;

export type SourceQuery = { source?: "index" | "chain" };

/** Where an answer came from, and the block it is consistent to: the index's, or the chain's head when read through. */
export async function provenance(context: RouteContext, source: "index" | "chain" | undefined): Promise<{ source: "index" | "chain"; indexedBlock: number; asOf: AsOf; block?: number }> {
  const indexed = consistency(context);
  if (source !== "chain") return { source: "index", ...indexed };
  const block = await context.provider.getBlockNumber();
  // Read through just now: current to the head it was read at, however the index stands.
  return { source: "chain", ...indexed, asOf: { block, current: true }, block };
}

export const hash32 = { type: "string", pattern: "^0x[0-9a-fA-F]{64}$" } as const;

/** An object whose members the OpenAPI description does not list one by one. */
export const looseObject = { type: "object", additionalProperties: true } as const;

/** Sends rows as CSV (with a header line) for `?format=csv` or `Accept: text/csv`. */
export function sendCsv(reply: FastifyReply, filename: string, columns: readonly string[], rows: ReadonlyArray<Record<string, unknown>>): string {
  reply.type("text/csv; charset=utf-8").header("Content-Disposition", `attachment; filename="${filename}"`);
  return stringify(rows.map((row) => columns.map((c) => (Array.isArray(row[c]) ? (row[c] as unknown[]).join(" ") : row[c]))), { header: true, columns: [...columns] });
}

export function wantsCsv(format: string | undefined, accept: string | undefined): boolean {
  return format === "csv" || (format === undefined && (accept ?? "").includes("text/csv"));
}
