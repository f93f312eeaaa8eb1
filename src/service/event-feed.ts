import type { Database, SqlValue } from "../index/database";
import { InputError } from "../errors";

/** An event as the feed gives it: where it happened, what emitted it, its decoded arguments. */
export interface FeedEvent {
  readonly block: number;
  readonly logIndex: number;
  readonly transaction: string;
  readonly contract: string;
  readonly address: string;
  readonly event: string;
  readonly args: Record<string, unknown>;
}

export interface FeedPage {
  readonly events: FeedEvent[];
  /** Where the next page starts: the position of this page's last event (or the position asked, if none). */
  readonly next: string | null;
  /** A full page: more events may follow at once. */
  readonly more: boolean;
}

/** A feed position: the block and log index of the last event read, written `<block>-<logIndex>`. */
export function parseCursor(cursor: string | undefined): [number, number] {
  if (cursor === undefined) return [-1, -1];
  const match = /^(\d{1,15})-(\d{1,9})$/.exec(cursor);
  if (!match) throw new InputError(`"after" must be a cursor from an earlier page (block-logIndex), not "${cursor.slice(0, 40)}".`);
  return [Number(match[1]), Number(match[2])];
}

interface EventRow {
  block_number: number;
  log_index: number;
  transaction_hash: string;
  contract: string;
  address: string;
  event: string;
  args: string;
}

/** The events after `after`, in chain order, optionally only some contracts' or some events'. */
export async function eventPage(db: Database, query: { after?: string; limit: number; contract?: string; events?: readonly string[] }): Promise<FeedPage> {
  const [block, logIndex] = parseCursor(query.after);
  const params: SqlValue[] = [block, block, logIndex];
  const filters: string[] = [];
  if (query.contract) filters.push(`AND contract = $${params.push(query.contract)}`);
  if (query.events && query.events.length > 0) filters.push(`AND event IN (${query.events.map((e) => `$${params.push(e)}`).join(", ")})`);
  const rows = await db.query<EventRow>(
    `SELECT block_number, log_index, transaction_hash, contract, address, event, args FROM chain_events
     WHERE (block_number > $1 OR (block_number = $2 AND log_index > $3)) ${filters.join(" ")}
     ORDER BY block_number, log_index LIMIT ${Math.floor(query.limit)}`,
    params,
  );
  const last = rows[rows.length - 1];
  return {
    next: last ? `${last.block_number}-${last.log_index}` : (query.after ?? null),
    more: rows.length === query.limit,
    events: rows.map((r) => ({ block: Number(r.block_number), logIndex: Number(r.log_index), transaction: r.transaction_hash, contract: r.contract, address: r.address, event: r.event, args: JSON.parse(r.args) as Record<string, unknown> })),
  };
}

/** The position of the newest indexed event: a new subscription starts after it, with what happens from now on. */
export async function latestCursor(db: Database): Promise<string | null> {
  const [row] = await db.query<{ block_number: number; log_index: number }>("SELECT block_number, log_index FROM chain_events ORDER BY block_number DESC, log_index DESC LIMIT 1");
  return row ? `${row.block_number}-${row.log_index}` : null;
}
