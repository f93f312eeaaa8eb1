import { Command } from "commander";
import { action } from "../../src/cli/action";
import { parsePort } from "../../src/cli/arguments";
import { openDatabase, redactUrl } from "../../src/index/database";
import { followChain, type IndexStatus } from "../../src/index/follow";
import { ChainIndexer } from "../../src/index/indexer";
import { migrate } from "../../src/index/schema";
import { buildService } from "../../src/service/server";

export function serveCommand(): Command {
  return new Command("serve")
    .description("index the chain and answer over HTTP (runs until stopped): health, readiness, the event feed, OpenAPI at /openapi.json")
    .option("--db <file-or-url>", "the index: an SQLite file, or postgres://… (default: DATABASE_URL, else index-<network>.db)")
    .option("--host <host>", "address to listen on", "127.0.0.1")
    .option("--port <port>", "port to listen on (0: any free one)", "8080")
    .action(
      action<{ db?: string; host: string; port: string }>(async (io, _args, o) => {
        const port = parsePort(o.port, "--port");
        const context = await io.open();
        const target = o.db ?? process.env.DATABASE_URL ?? `index-${context.target.name}.db`;
        // The indexer writes through one connection, the API reads through another: a reader sees whole steps only.
        const writer = await openDatabase(target);
        await migrate(writer);
        const reader = await openDatabase(target);
        const status: IndexStatus = {};
        const stop = new AbortController();
        const following = followChain(new ChainIndexer(writer, context.provider, context.deployment), context.provider, status, { signal: stop.signal });
        const app = await buildService({ db: reader, status });
        const address = await app.listen({ host: o.host, port });
        io.out.result({ url: address, db: redactUrl(target) }, [`Sakshya service at ${address}, index in ${redactUrl(target)}. Stop it with Ctrl-C.`]);
        await new Promise<void>((resolve) => process.once("SIGINT", resolve).once("SIGTERM", resolve));
        stop.abort();
        await app.close();
        await following;
        await Promise.all([writer.close(), reader.close()]);
      }),
    );
}
