import fs from "node:fs";
import path from "node:path";
import BetterSqlite3 from "better-sqlite3";
import pg from "pg";
import { InputError } from "../errors";

export type SqlValue = string | number | null;

/**
 * The index's database, the same to its users whichever engine holds it: the embedded SQLite file by default, or
 * PostgreSQL (`postgres://…`) for production and for several API processes sharing one index. SQL is written once,
 * in the dialect both accept, with `$1`-style parameters.
 */
export interface Database {
  readonly engine: "sqlite" | "postgres";
  query<T>(sql: string, params?: readonly SqlValue[]): Promise<T[]>;
  execute(sql: string, params?: readonly SqlValue[]): Promise<void>;
  /** Runs `work` in one transaction: all of it is written, or none of it. */
  transaction<T>(work: (tx: Database) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/** Opens `target`: a `postgres://` URL, or the path of an SQLite file (created if missing, in a folder that exists). */
export async function openDatabase(target: string): Promise<Database> {
  if (/^postgres(ql)?:\/\//.test(target)) return PostgresDatabase.open(target);
  return SqliteDatabase.open(target);
}

function bind(params: readonly SqlValue[]): Record<string, SqlValue> {
  const bound: Record<string, SqlValue> = {};
  for (let i = 0; i < params.length; i++) bound[`p${i + 1}`] = params[i];
  return bound;
}

class SqliteDatabase implements Database {
  readonly engine = "sqlite";
  private constructor(private readonly db: BetterSqlite3.Database) {}

  static open(file: string): SqliteDatabase {
    // A mistyped path never makes folders (as root, anywhere): the folder must be there already.
    const folder = path.dirname(path.resolve(file));
    if (file !== ":memory:" && !fs.existsSync(folder)) throw new InputError(`The folder ${folder} for the index database does not exist; create it first, or give another --db.`);
    try {
      const db = new BetterSqlite3(file);
      // Readers (the API) see the last committed state while the indexer writes; a killed writer loses only its
      // open transaction.
      db.pragma("journal_mode = WAL");
      db.pragma("synchronous = FULL");
      db.pragma("busy_timeout = 5000");
      return new SqliteDatabase(db);
    } catch (error) {
      throw new InputError(`The index database ${file} cannot be opened: ${error instanceof Error ? error.message : String(error)}.`);
    }
  }

  /** Prepared once per SQL text: preparing costs more than running a lookup by key. */
  private readonly prepared = new Map<string, BetterSqlite3.Statement>();

  /** `$1` becomes `@p1`, bound from an object ({@link bind}): the driver does not bind numbered parameters from an array. */
  private statement(sql: string): BetterSqlite3.Statement {
    let statement = this.prepared.get(sql);
    if (!statement) {
      statement = this.db.prepare(sql.replace(/\$(\d+)/g, "@p$1"));
      // A statement per distinct text: texts built with values inlined (page sizes) stay few.
      if (this.prepared.size < 1_000) this.prepared.set(sql, statement);
    }
    return statement;
  }

  async query<T>(sql: string, params: readonly SqlValue[] = []): Promise<T[]> {
    return this.statement(sql).all(bind(params)) as T[];
  }

  async execute(sql: string, params: readonly SqlValue[] = []): Promise<void> {
    if (params.length === 0 && sql.includes(";")) {
      this.db.exec(sql);
      return;
    }
    this.statement(sql).run(bind(params));
  }

  async transaction<T>(work: (tx: Database) => Promise<T>): Promise<T> {
    this.db.exec("BEGIN IMMEDIATE");
    try {
      const result = await work(this);
      this.db.exec("COMMIT");
      return result;
    } catch (error) {
      this.db.exec("ROLLBACK");
      throw error;
    }
  }

  async close(): Promise<void> {
    this.db.close();
  }
}

// PostgreSQL returns BIGINT and COUNT as strings; every number the index keeps (blocks, indices) is far below 2^53.
pg.types.setTypeParser(20, (value) => Number(value));

class PostgresDatabase implements Database {
  readonly engine = "postgres";
  private constructor(
    private readonly pool: pg.Pool,
    private readonly client?: pg.PoolClient,
  ) {}

  static async open(url: string): Promise<PostgresDatabase> {
    const pool = new pg.Pool({ connectionString: url, max: 8, connectionTimeoutMillis: 10_000 });
    try {
      await pool.query("SELECT 1");
    } catch (error) {
      await pool.end();
      throw new InputError(`The index database at ${redactUrl(url)} cannot be reached: ${error instanceof Error ? error.message : String(error)}.`);
    }
    return new PostgresDatabase(pool);
  }

  async query<T>(sql: string, params: readonly SqlValue[] = []): Promise<T[]> {
    const result = await (this.client ?? this.pool).query(sql, params as SqlValue[]);
    return result.rows as T[];
  }

  async execute(sql: string, params: readonly SqlValue[] = []): Promise<void> {
    await (this.client ?? this.pool).query(sql, params as SqlValue[]);
  }

  async transaction<T>(work: (tx: Database) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    try {
      await client.query("BEGIN");
      const result = await work(new PostgresDatabase(this.pool, client));
      await client.query("COMMIT");
      return result;
    } catch (error) {
      await client.query("ROLLBACK").catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  async close(): Promise<void> {
    if (!this.client) await this.pool.end();
  }
}

/** A database URL without its password, for messages and logs. */
export function redactUrl(url: string): string {
  return url.replace(/\/\/([^:/@]+):[^@]*@/, "//$1:***@");
}
