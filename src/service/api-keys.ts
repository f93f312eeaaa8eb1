import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import type { Database } from "../index/database";
import { InputError, NotFoundError } from "../errors";

/** What a key may do: verify certificates and extracts, read records, follow events (and subscribe webhooks). */
export const SCOPES = ["verify", "read", "events", "submit"] as const;
export type Scope = (typeof SCOPES)[number];

/** Requests allowed per window: `200/s`, `1000/min`, `50000/h`. */
export interface Rate {
  readonly count: number;
  readonly windowMs: number;
}

export interface ApiKeyRecord {
  /** Public: shown in lists, logs and the audit log. The key itself is never kept. */
  readonly id: string;
  readonly name: string;
  readonly scopes: Scope[];
  readonly rate: Rate;
  /** Requests allowed per calendar month (UTC), or undefined for no quota. */
  readonly quotaPerMonth?: number;
  readonly createdAt: string;
  readonly revokedAt?: string;
}

const WINDOWS: Record<string, number> = { s: 1_000, sec: 1_000, min: 60_000, m: 60_000, h: 3_600_000, hour: 3_600_000 };

export function parseRate(text: string): Rate {
  const match = /^(\d{1,9})\/(s|sec|min|m|h|hour)$/.exec(text.trim());
  if (!match || Number(match[1]) === 0) throw new InputError(`"${text}" is not a rate; write it as requests per second, minute or hour, e.g. 200/s, 1000/min.`);
  return { count: Number(match[1]), windowMs: WINDOWS[match[2]] };
}

/** `200/s`, as `parseRate` reads it back. */
export function formatRate(rate: Rate): string {
  const unit = rate.windowMs === 1_000 ? "s" : rate.windowMs === 60_000 ? "min" : "h";
  return `${rate.count}/${unit}`;
}

export function parseQuota(text: string): number {
  const match = /^(\d{1,12})\/month$/.exec(text.trim());
  if (!match || Number(match[1]) === 0) throw new InputError(`"${text}" is not a quota; write it as requests per month, e.g. 1000000/month.`);
  return Number(match[1]);
}

export function parseScopes(text: string): Scope[] {
  const scopes = [...new Set(text.split(",").map((s) => s.trim()).filter(Boolean))];
  const unknown = scopes.filter((s) => !SCOPES.includes(s as Scope));
  if (scopes.length === 0 || unknown.length > 0) throw new InputError(`Unknown scope${unknown.length === 1 ? "" : "s"} ${unknown.join(", ") || "(none given)"}; use some of ${SCOPES.join(", ")}.`);
  return scopes as Scope[];
}

const hashOf = (key: string) => createHash("sha256").update(key).digest("hex");

/** `sak_<id>_<secret>`: the id finds the record, the secret (256 random bits) proves the holder. */
const KEY_FORMAT = /^sak_([0-9a-f]{12})_([A-Za-z0-9_-]{43})$/;

interface KeyRow {
  id: string;
  name: string;
  key_hash: string;
  scopes: string;
  rate: string;
  quota: number | null;
  created_at: string;
  revoked_at: string | null;
}

function recordOf(row: KeyRow): ApiKeyRecord {
  return {
    id: row.id,
    name: row.name,
    scopes: row.scopes.split(",") as Scope[],
    rate: parseRate(row.rate),
    ...(row.quota === null ? {} : { quotaPerMonth: Number(row.quota) }),
    createdAt: row.created_at,
    ...(row.revoked_at === null ? {} : { revokedAt: row.revoked_at }),
  };
}

export interface NewKey {
  readonly name: string;
  readonly scopes: Scope[];
  readonly rate: Rate;
  readonly quotaPerMonth?: number;
}

/** Makes a key and stores only its hash: the key is in the answer and nowhere else. */
export async function createApiKey(db: Database, request: NewKey): Promise<{ record: ApiKeyRecord; key: string }> {
  const name = request.name.trim();
  if (name.length === 0 || name.length > 100) throw new InputError("Give the key a name of 1 to 100 characters (whose it is, e.g. the department).");
  const id = randomBytes(6).toString("hex");
  const key = `sak_${id}_${randomBytes(32).toString("base64url")}`;
  const createdAt = new Date().toISOString();
  await db.execute("INSERT INTO api_keys (id, name, key_hash, scopes, rate, quota, created_at, revoked_at) VALUES ($1, $2, $3, $4, $5, $6, $7, NULL)", [
    id,
    name,
    hashOf(key),
    request.scopes.join(","),
    formatRate(request.rate),
    request.quotaPerMonth ?? null,
    createdAt,
  ]);
  return { record: { id, name, scopes: request.scopes, rate: request.rate, quotaPerMonth: request.quotaPerMonth, createdAt }, key };
}

export async function listApiKeys(db: Database): Promise<ApiKeyRecord[]> {
  return (await db.query<KeyRow>("SELECT * FROM api_keys ORDER BY created_at, id")).map(recordOf);
}

/** Revokes a key for good; revoking it again changes nothing. */
export async function revokeApiKey(db: Database, id: string): Promise<ApiKeyRecord> {
  const [row] = await db.query<KeyRow>("SELECT * FROM api_keys WHERE id = $1", [id]);
  if (!row) throw new NotFoundError(`There is no API key ${id}; \`sakshya api-keys list\` shows them.`);
  if (row.revoked_at === null) await db.execute("UPDATE api_keys SET revoked_at = $1 WHERE id = $2", [new Date().toISOString(), id]);
  return recordOf((await db.query<KeyRow>("SELECT * FROM api_keys WHERE id = $1", [id]))[0]);
}

export interface UsageRow {
  readonly keyId: string;
  readonly name: string;
  readonly day: string;
  readonly requests: number;
}

/** Requests per key per day (UTC) from `from` to `to` inclusive (YYYY-MM-DD), for charging. */
export async function apiKeyUsage(db: Database, range: { from: string; to: string; keyId?: string }): Promise<UsageRow[]> {
  const rows = await db.query<{ key_id: string; name: string; day: string; requests: number }>(
    `SELECT u.key_id, k.name, u.day, u.requests FROM api_usage u JOIN api_keys k ON k.id = u.key_id
     WHERE u.day >= $1 AND u.day <= $2 ${range.keyId ? "AND u.key_id = $3" : ""} ORDER BY u.day, u.key_id`,
    range.keyId ? [range.from, range.to, range.keyId] : [range.from, range.to],
  );
  return rows.map((r) => ({ keyId: r.key_id, name: r.name, day: r.day, requests: Number(r.requests) }));
}

let lastDay = { from: 0, to: 0, day: "" };

/** The UTC day of `now`, worked out once a day rather than once a request. */
function today(now: number): string {
  if (now < lastDay.from || now >= lastDay.to) {
    const from = now - (now % 86_400_000);
    lastDay = { from, to: from + 86_400_000, day: new Date(from).toISOString().slice(0, 10) };
  }
  return lastDay.day;
}
const monthStart = (now: number) => `${new Date(now).toISOString().slice(0, 7)}-01`;

/** Seconds from `now` to the first moment of next month (UTC), when a monthly quota starts again. */
export function secondsToNextMonth(now: number): number {
  const d = new Date(now);
  return Math.ceil((Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1) - now) / 1000);
}

interface CachedKey {
  readonly record: ApiKeyRecord;
  readonly hash: Buffer;
  /** This month's requests as stored when the key was (re)loaded. */
  readonly storedThisMonth: number;
  readonly loadedAt: number;
}

/**
 * The service's view of the keys: checks a presented key against its stored hash, counts each key's requests per
 * day (kept in memory, written every few seconds), and says when a monthly quota is spent. A key revoked in the
 * database stops working within {@link RELOAD_MS}, in every process sharing it.
 */
export class ApiKeyRing {
  static readonly RELOAD_MS = 5_000;
  private readonly cache = new Map<string, CachedKey>();
  /** Requests not yet written, by key and day. */
  private pending = new Map<string, Map<string, number>>();

  constructor(
    private readonly db: Database,
    private readonly clock: () => number = Date.now,
  ) {}

  /** The key's record when `presented` is a live key; undefined for a wrong, unknown or revoked one. */
  async authenticate(presented: string): Promise<ApiKeyRecord | undefined> {
    const match = KEY_FORMAT.exec(presented);
    if (!match) return undefined;
    const cached = await this.load(match[1]);
    if (!cached || cached.record.revokedAt) return undefined;
    const hash = Buffer.from(hashOf(presented), "hex");
    return timingSafeEqual(hash, cached.hash) ? cached.record : undefined;
  }

  /** Counts one request of the key; true while it is within its monthly quota (this request included). */
  count(record: ApiKeyRecord): boolean {
    const now = this.clock();
    const days = this.pending.get(record.id) ?? new Map<string, number>();
    const day = today(now);
    days.set(day, (days.get(day) ?? 0) + 1);
    this.pending.set(record.id, days);
    if (record.quotaPerMonth === undefined) return true;
    const cached = this.cache.get(record.id);
    const month = monthStart(now);
    const unwritten = [...days].filter(([day]) => day >= month).reduce((sum, [, n]) => sum + n, 0);
    return (cached?.storedThisMonth ?? 0) + unwritten <= record.quotaPerMonth;
  }

  /** Writes the counted requests: one upsert per key and day. */
  async flush(): Promise<void> {
    const pending = this.pending;
    this.pending = new Map();
    if (pending.size === 0) return;
    await this.db.transaction(async (tx) => {
      for (const [keyId, days] of pending) {
        for (const [day, requests] of days) {
          await tx.execute(
            "INSERT INTO api_usage (key_id, day, requests) VALUES ($1, $2, $3) ON CONFLICT (key_id, day) DO UPDATE SET requests = api_usage.requests + excluded.requests",
            [keyId, day, requests],
          );
        }
      }
    });
    // What was written is now in the stored count: reload it with the next request.
    for (const keyId of pending.keys()) this.cache.delete(keyId);
  }

  private async load(id: string): Promise<CachedKey | undefined> {
    const now = this.clock();
    const cached = this.cache.get(id);
    if (cached && now - cached.loadedAt < ApiKeyRing.RELOAD_MS) return cached;
    const [row] = await this.db.query<KeyRow>("SELECT * FROM api_keys WHERE id = $1", [id]);
    if (!row) return undefined;
    const [used] = await this.db.query<{ requests: number | null }>("SELECT SUM(requests) AS requests FROM api_usage WHERE key_id = $1 AND day >= $2", [id, monthStart(now)]);
    const fresh = { record: recordOf(row), hash: Buffer.from(row.key_hash, "hex"), storedThisMonth: Number(used?.requests ?? 0), loadedAt: now };
    this.cache.set(id, fresh);
    return fresh;
  }
}
