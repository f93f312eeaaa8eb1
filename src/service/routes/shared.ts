import { stringify } from "csv-stringify/sync";
import type { FastifyReply } from "fastify";
import type { IndexStatus } from "../../index/follow";
import { ServiceError } from "../errors";
import type { RouteContext } from "../server";

/** The block every answer is consistent to, as a field (the header says the same). */
export function consistency(status: IndexStatus): { indexedBlock: number } {
  if (status.indexed === undefined) throw new ServiceError(503, "The index has not read the chain yet; try again shortly.", 5);
  return { indexedBlock: status.indexed };
}

/** In every answer's body, as in its `X-Indexed-Block` header: the block the answer is consistent to. */
export const consistentProperties = {
  indexedBlock: { type: "integer", description: "the last block the index holds in full: the answer is consistent to it" },
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
export async function provenance(context: RouteContext, source: "index" | "chain" | undefined): Promise<{ source: "index" | "chain"; indexedBlock: number; block?: number }> {
  const indexed = consistency(context.status);
  if (source !== "chain") return { source: "index", ...indexed };
  return { source: "chain", ...indexed, block: await context.provider.getBlockNumber() };
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
