import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { freePort } from "../../src/io/net";

/** The newest PostgreSQL server installed from Debian's packages (`.ci/run` installs them). */
function serverBin(): string {
  const root = "/usr/lib/postgresql";
  const versions = fs.existsSync(root) ? fs.readdirSync(root).filter((v) => fs.existsSync(path.join(root, v, "bin", "initdb"))) : [];
  if (versions.length === 0) throw new Error("PostgreSQL is not installed: run `apt-get install -y postgresql` (.ci/run does).");
  return path.join(root, versions.sort((a, b) => Number(b) - Number(a))[0], "bin");
}

export interface TestPostgres {
  /** A new, empty database on the server, as a connection URL. */
  database(): Promise<string>;
  stop(): void;
}

/**
 * A PostgreSQL server of the tests' own: a fresh cluster in a temporary folder on a free port, trusting local
 * connections, stopped and removed at the end. As root (CI), the server runs as the `postgres` user, which is what
 * initdb requires.
 */
export async function startPostgres(): Promise<TestPostgres> {
  const bin = serverBin();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sakshya-pg-"));
  const asServer = (command: string, args: string[]) => {
    const [file, argv] = process.getuid?.() === 0 ? ["runuser", ["-u", "postgres", "--", path.join(bin, command), ...args]] : [path.join(bin, command), args];
    execFileSync(file, argv, { stdio: "pipe" });
  };
  if (process.getuid?.() === 0) {
    const uid = Number(execFileSync("id", ["-u", "postgres"], { encoding: "utf8" }));
    const gid = Number(execFileSync("id", ["-g", "postgres"], { encoding: "utf8" }));
    fs.chownSync(dir, uid, gid);
  }
  const data = path.join(dir, "data");
  asServer("initdb", ["-D", data, "-A", "trust", "-U", "postgres", "-E", "UTF8", "--no-sync"]);
  const port = await freePort();
  asServer("pg_ctl", ["-D", data, "-l", path.join(dir, "server.log"), "-w", "-o", `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off`, "start"]);
  let count = 0;
  const admin = `postgres://postgres@127.0.0.1:${port}/postgres`;
  return {
    async database() {
      const name = `index_${process.pid}_${++count}`;
      const { default: pg } = await import("pg");
      const client = new pg.Client({ connectionString: admin });
      await client.connect();
      await client.query(`CREATE DATABASE ${name}`);
      await client.end();
      return `postgres://postgres@127.0.0.1:${port}/${name}`;
    },
    stop() {
      try {
        asServer("pg_ctl", ["-D", data, "-m", "immediate", "-w", "stop"]);
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}
