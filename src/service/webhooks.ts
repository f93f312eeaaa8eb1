import { createHmac, randomBytes } from "node:crypto";
import { isIP } from "node:net";
import type { Database } from "../index/database";
import { sleep } from "../io/time";
import { InputError, NotFoundError } from "../errors";
import { eventPage, type FeedEvent } from "./event-feed";

export interface WebhookRecord {
  readonly id: string;
  readonly keyId: string;
  readonly url: string;
  /** Only these events (by name); every event when empty. */
  readonly events: string[];
  readonly createdAt: string;
  /** The last event delivered (`block-logIndex`); the next delivery starts after it. */
  readonly cursor: string | null;
  readonly failures: number;
}

interface WebhookRow {
  id: string;
  key_id: string;
  url: string;
  secret: string;
  events: string;
  created_at: string;
  cursor: string | null;
  failures: number;
  next_attempt_at: number;
}

const recordOf = (row: WebhookRow): WebhookRecord => ({
  id: row.id,
  keyId: row.key_id,
  url: row.url,
  events: row.events ? row.events.split(",") : [],
  createdAt: row.created_at,
  cursor: row.cursor,
  failures: Number(row.failures),
});

/** Loopback, private and link-local addresses: a webhook there would let a key holder reach the service's own network. */
function isPrivateHost(host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, "");
  if (bare === "localhost" || bare.endsWith(".localhost")) return true;
  if (isIP(bare) === 4) return /^(127\.|10\.|192\.168\.|169\.254\.|0\.)/.test(bare) || /^172\.(1[6-9]|2\d|3[01])\./.test(bare);
  if (isIP(bare) === 6) return bare === "::1" || /^(fc|fd|fe80)/i.test(bare);
  return false;
}

export interface WebhookPolicy {
  /** Allow webhooks to loopback and private addresses (tests, an intranet receiver). */
  readonly allowPrivate: boolean;
}

/** Subscribes `keyId` to the event feed at `url`; the signing secret is in the answer only. */
export async function createWebhook(db: Database, keyId: string, request: { url: string; events?: string[] }, policy: WebhookPolicy, startAfter: string | null): Promise<{ record: WebhookRecord; secret: string }> {
  let url: URL;
  try {
    url = new URL(request.url);
  } catch {
    throw new InputError(`"${request.url.slice(0, 100)}" is not a URL.`);
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") throw new InputError("A webhook URL must be http or https.");
  if (url.username || url.password) throw new InputError("A webhook URL must not carry a user name or password; deliveries are signed instead.");
  if (!policy.allowPrivate && isPrivateHost(url.hostname)) throw new InputError(`Webhooks to ${url.hostname} (a loopback or private address) are not allowed by this service.`);
  const id = randomBytes(8).toString("hex");
  const secret = randomBytes(32).toString("base64url");
  const events = [...new Set(request.events ?? [])];
  const createdAt = new Date().toISOString();
  await db.execute(
    "INSERT INTO webhooks (id, key_id, url, secret, events, created_at, cursor, failures, next_attempt_at, deleted_at) VALUES ($1, $2, $3, $4, $5, $6, $7, 0, 0, NULL)",
    [id, keyId, url.toString(), secret, events.join(","), createdAt, startAfter],
  );
  return { record: { id, keyId, url: url.toString(), events, createdAt, cursor: startAfter, failures: 0 }, secret };
}

export async function listWebhooks(db: Database, keyId: string): Promise<WebhookRecord[]> {
  return (await db.query<WebhookRow>("SELECT * FROM webhooks WHERE key_id = $1 AND deleted_at IS NULL ORDER BY created_at, id", [keyId])).map(recordOf);
}

/** Ends a subscription of `keyId`'s; another key's subscription is as unknown as a missing one. */
export async function deleteWebhook(db: Database, keyId: string, id: string): Promise<void> {
  const [row] = await db.query<WebhookRow>("SELECT * FROM webhooks WHERE id = $1 AND key_id = $2 AND deleted_at IS NULL", [id, keyId]);
  if (!row) throw new NotFoundError(`This key has no webhook ${id}.`);
  await db.execute("UPDATE webhooks SET deleted_at = $1 WHERE id = $2", [new Date().toISOString(), id]);
}

/** The signature a receiver recomputes: HMAC-SHA256 of `<timestamp>.<body>` with the subscription's secret. */
export function webhookSignature(secret: string, timestamp: string, body: string): string {
  return `sha256=${createHmac("sha256", secret).update(`${timestamp}.${body}`).digest("hex")}`;
}

export interface DeliveryOptions {
  readonly signal: AbortSignal;
  /** Events per delivery (default 100). */
  readonly batch?: number;
  /** How long a receiver may take to answer (default 10 s). */
  readonly timeoutMs?: number;
  /** Longest wait between retries of a failing receiver; waits start at 1 s and double (default 1 h). */
  readonly maxBackoffMs?: number;
  readonly pollMs?: number;
}

/**
 * Delivers each subscription's events in chain order, at least once: a delivery that is not answered with a 2xx is
 * sent again (the same events, the same delivery id) after a wait that doubles, and the cursor moves only past what
 * a receiver accepted. Each event carries its id (`block-logIndex`) for the receiver to drop a repeat.
 */
export async function deliverWebhooks(db: Database, options: DeliveryOptions): Promise<void> {
  while (!options.signal.aborted) {
    const due = await db.query<WebhookRow>("SELECT * FROM webhooks WHERE deleted_at IS NULL AND next_attempt_at <= $1 ORDER BY id", [Date.now()]);
    for (const hook of due) {
      if (options.signal.aborted) break;
      await deliverOnce(db, hook, options);
    }
    await sleep(options.pollMs ?? 1_000, options.signal);
  }
}

async function deliverOnce(db: Database, hook: WebhookRow, options: DeliveryOptions): Promise<void> {
  const events = hook.events ? hook.events.split(",") : [];
  const page = await eventPage(db, { after: hook.cursor ?? undefined, limit: options.batch ?? 100, events });
  if (page.events.length === 0) return;
  const first = page.events[0];
  const last = page.events[page.events.length - 1];
  const body = JSON.stringify({ webhook: hook.id, delivery: `${hook.id}:${idOf(first)}:${idOf(last)}`, events: page.events.map((e) => ({ id: idOf(e), ...e })) });
  const timestamp = String(Math.floor(Date.now() / 1000));
  let accepted = false;
  try {
    const answer = await fetch(hook.url, {
      method: "POST",
      headers: { "content-type": "application/json", "x-sakshya-timestamp": timestamp, "x-sakshya-signature": webhookSignature(hook.secret, timestamp, body) },
      body,
      redirect: "manual",
      signal: AbortSignal.timeout(options.timeoutMs ?? 10_000),
    });
    accepted = answer.status >= 200 && answer.status < 300;
    await answer.body?.cancel();
  } catch {
    accepted = false; // unreachable, refused or too slow: the same as a refusal
  }
  if (accepted) {
    await db.execute("UPDATE webhooks SET cursor = $1, failures = 0, next_attempt_at = 0 WHERE id = $2", [idOf(last), hook.id]);
  } else {
    const failures = Number(hook.failures) + 1;
    const wait = Math.min(1_000 * 2 ** (failures - 1), options.maxBackoffMs ?? 3_600_000);
    await db.execute("UPDATE webhooks SET failures = $1, next_attempt_at = $2 WHERE id = $3", [failures, Date.now() + wait, hook.id]);
  }
}

const idOf = (event: FeedEvent) => `${event.block}-${event.logIndex}`;
