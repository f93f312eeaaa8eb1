import type { Database } from "./database";

/**
 * The index's migrations, in order, each applied once in its own transaction and recorded in `schema_migrations`.
 * Written in the SQL both engines accept; a new version appends a migration and never edits an old one.
 */
const MIGRATIONS: ReadonlyArray<{ version: number; statements: readonly string[] }> = [
  {
    version: 1,
    statements: [
      // What chain the index belongs to (its id and genesis hash): another chain's blocks never mix in.
      "CREATE TABLE index_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
      // The last block read in full, with its hash: the next read starts after it, and a reorganised chain is
      // noticed when the chain's block at that height has another hash.
      "CREATE TABLE index_checkpoint (id INTEGER PRIMARY KEY, block_number BIGINT NOT NULL, block_hash TEXT NOT NULL)",
      // The hash of every block that holds an indexed event, to find where a reorganised chain parted from ours.
      "CREATE TABLE indexed_blocks (block_number BIGINT PRIMARY KEY, block_hash TEXT NOT NULL)",
      `CREATE TABLE chain_events (
        block_number BIGINT NOT NULL,
        log_index INTEGER NOT NULL,
        transaction_hash TEXT NOT NULL,
        contract TEXT NOT NULL,
        address TEXT NOT NULL,
        event TEXT NOT NULL,
        args TEXT NOT NULL,
        PRIMARY KEY (block_number, log_index)
      )`,
      "CREATE INDEX chain_events_by_event ON chain_events (event, block_number)",
      "CREATE INDEX chain_events_by_contract ON chain_events (contract, block_number)",
    ],
  },
  {
    version: 2,
    statements: [
      // The index is derived data: rows of version 1 lack the raw log and subject, so it is read again from the start.
      "DELETE FROM chain_events",
      "DELETE FROM indexed_blocks",
      "DELETE FROM index_checkpoint",
      // The log as the chain gave it (decoders of the domain modules read it exactly as from an RPC node), and the
      // record it is about (`parcel:<ulpin>`, `batch:<org>:<root>`, …) so that one record's events are one lookup.
      "ALTER TABLE chain_events ADD COLUMN topics TEXT",
      "ALTER TABLE chain_events ADD COLUMN data TEXT",
      "ALTER TABLE chain_events ADD COLUMN subject TEXT",
      "CREATE INDEX chain_events_by_subject ON chain_events (subject, block_number, log_index)",
      // A block's time, read when first asked for (title histories show when each act happened).
      "ALTER TABLE indexed_blocks ADD COLUMN block_time BIGINT",
      // Current state: each record as the chain's own read functions gave it at `block_number` (JSON), re-read
      // whenever an event touches it. `org_id` finds an organisation's records when its standing changes; `label`
      // is a second key (an organisation's code).
      `CREATE TABLE current_state (
        kind TEXT NOT NULL,
        key TEXT NOT NULL,
        org_id INTEGER,
        label TEXT,
        block_number BIGINT NOT NULL,
        value TEXT NOT NULL,
        PRIMARY KEY (kind, key)
      )`,
      "CREATE INDEX current_state_by_org ON current_state (org_id, kind)",
      "CREATE INDEX current_state_by_label ON current_state (kind, label)",
      // Each batch's document status codes as the registry's range read gives them (status, reason: 2 bytes per
      // document, hex), in chunks of 256 documents so that one document's status is one short row.
      `CREATE TABLE certificate_codes (
        issuer_org_id INTEGER NOT NULL,
        root TEXT NOT NULL,
        chunk INTEGER NOT NULL,
        codes TEXT NOT NULL,
        PRIMARY KEY (issuer_org_id, root, chunk)
      )`,
    ],
  },
  {
    version: 3,
    statements: [
      // API keys: only a hash of each key is kept; `rate` is like "200/s", `quota` requests per month.
      `CREATE TABLE api_keys (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        key_hash TEXT NOT NULL UNIQUE,
        scopes TEXT NOT NULL,
        rate TEXT NOT NULL,
        quota BIGINT,
        created_at TEXT NOT NULL,
        revoked_at TEXT
      )`,
      // Requests per key per day (UTC): the quota, and the charging guideline 7.4 foresees.
      "CREATE TABLE api_usage (key_id TEXT NOT NULL, day TEXT NOT NULL, requests BIGINT NOT NULL, PRIMARY KEY (key_id, day))",
      // Webhook subscriptions: each follows the event feed from its cursor; `next_attempt_at` (Unix ms) holds back
      // a failing receiver.
      `CREATE TABLE webhooks (
        id TEXT PRIMARY KEY,
        key_id TEXT NOT NULL,
        url TEXT NOT NULL,
        secret TEXT NOT NULL,
        events TEXT NOT NULL,
        created_at TEXT NOT NULL,
        cursor TEXT,
        failures INTEGER NOT NULL,
        next_attempt_at BIGINT NOT NULL,
        deleted_at TEXT
      )`,
    ],
  },
  {
    version: 4,
    statements: [
      // Records to read again from the chain: touched while catching up (read once, at the end, not at every step)
      // or left by blocks taken back. They replace version 2's block_number = -1 marks.
      "CREATE TABLE stale_records (kind TEXT NOT NULL, key TEXT NOT NULL, PRIMARY KEY (kind, key))",
      "INSERT INTO stale_records (kind, key) SELECT kind, key FROM current_state WHERE block_number = -1",
    ],
  },
  {
    version: 5,
    statements: [
      // What short verification codes name: an issuer's code slot (`slot`, key `<org>:<slot>`, value the batch
      // root, from CodeSlotTaken) and a parcel's creation number (`parcel`, key the number, value the ULPIN, in the
      // order of ParcelCreated events). Numbers count from the start of the chain, so the index is read again.
      `CREATE TABLE short_codes (
        kind TEXT NOT NULL,
        key TEXT NOT NULL,
        value TEXT NOT NULL,
        block_number BIGINT NOT NULL,
        PRIMARY KEY (kind, key)
      )`,
      "CREATE INDEX short_codes_by_value ON short_codes (kind, value)",
      "DELETE FROM chain_events",
      "DELETE FROM indexed_blocks",
      "DELETE FROM index_checkpoint",
      "DELETE FROM current_state",
      "DELETE FROM certificate_codes",
      "DELETE FROM stale_records",
    ],
  },
  {
    version: 6,
    statements: [
      // Transactions the service relayed for organisations without a node: who sent them with which API key, and
      // what became of them (pending, mined, reverted), for GET /v1/transactions/{hash} and the TransactionMined event.
      `CREATE TABLE relayed_transactions (
        hash TEXT PRIMARY KEY,
        key_id TEXT NOT NULL,
        sender TEXT NOT NULL,
        target TEXT NOT NULL,
        nonce BIGINT NOT NULL,
        submitted_at TEXT NOT NULL,
        state TEXT NOT NULL,
        block_number BIGINT,
        reason TEXT
      )`,
      "CREATE INDEX relayed_transactions_by_state ON relayed_transactions (state)",
    ],
  },
  {
    version: 7,
    statements: [
      // Since 2.2.0 a slot a voided batch held passes to the next batch that takes it: each holder is kept, by the
      // event that made it the holder, so a rewind gives the slot back to the one before.
      `CREATE TABLE short_codes_held (
        kind TEXT NOT NULL,
        key TEXT NOT NULL,
        value TEXT NOT NULL,
        block_number BIGINT NOT NULL,
        log_index INTEGER NOT NULL,
        PRIMARY KEY (kind, key, block_number, log_index)
      )`,
      "INSERT INTO short_codes_held (kind, key, value, block_number, log_index) SELECT kind, key, value, block_number, 0 FROM short_codes",
      "DROP TABLE short_codes",
      "ALTER TABLE short_codes_held RENAME TO short_codes",
      "CREATE INDEX short_codes_by_value ON short_codes (kind, value)",
    ],
  },
];

/** Brings the schema up to date; safe to run on every start, and by several processes (the first one wins). */
export async function migrate(db: Database): Promise<number> {
  await db.execute("CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)");
  for (const migration of MIGRATIONS) {
    await db.transaction(async (tx) => {
      const done = await tx.query<{ version: number }>("SELECT version FROM schema_migrations WHERE version = $1", [migration.version]);
      if (done.length > 0) return;
      for (const statement of migration.statements) await tx.execute(statement);
      await tx.execute("INSERT INTO schema_migrations (version, applied_at) VALUES ($1, $2)", [migration.version, new Date().toISOString()]);
    });
  }
  return MIGRATIONS[MIGRATIONS.length - 1].version;
}
