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
