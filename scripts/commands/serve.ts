import fs from "node:fs";
import { Command } from "commander";
import { action, type ActionIo } from "../../src/cli/action";
import { parsePort } from "../../src/cli/arguments";
import { resolveNetwork } from "../../src/config/networks";
import { loadSchemas } from "../../src/certificates/schema";
import { OrganisationProfiles } from "../../src/directory/profiles";
import { InputError } from "../../src/errors";
import { portInUse, requirePortFree } from "../../src/io/net";
import { loadKeccak } from "../../src/hashing/keccak";
import { openDatabase, redactUrl, type Database } from "../../src/index/database";
import { followChain, type IndexStatus } from "../../src/index/follow";
import { ChainIndexer } from "../../src/index/indexer";
import { migrate } from "../../src/index/schema";
import { parseRate } from "../../src/service/api-keys";
import { AuditLog } from "../../src/service/audit-log";
import { buildService } from "../../src/service/server";
import { deliverWebhooks } from "../../src/service/webhooks";
import { trackRelayed } from "../../src/service/relay";

/** The index the service and its administration commands share: `--db`, else DATABASE_URL, else a file per network. */
export function indexTarget(io: ActionIo, db: string | undefined): string {
  return db ?? process.env.DATABASE_URL ?? `index-${resolveNetwork(io.global).name}.db`;
}

/** Opens the index and brings its schema up to date. */
export async function openIndex(target: string): Promise<Database> {
  const db = await openDatabase(target);
  await migrate(db);
  return db;
}

/**
 * Opens the index a running service keeps, for what is stored beside it (API keys): refused when no service ever
 * followed a chain into it, so that a key never goes into an index no service reads. Says which index it opened.
 */
export async function openServiceIndex(io: ActionIo, db: string | undefined): Promise<Database> {
  const target = indexTarget(io, db);
  const where = redactUrl(target);
  const chosen = db ? "" : process.env.DATABASE_URL ? " (from DATABASE_URL)" : ` (the default for --network ${resolveNetwork(io.global).name})`;
  if (!/^postgres(ql)?:\/\//.test(target) && !fs.existsSync(target)) {
    throw new InputError(`There is no index at ${where}${chosen}: no service has run with it. Give the service's index with --db, or start the service (sakshya serve) first.`);
  }
  const index = await openIndex(target);
  const [followed] = await index.query<{ value: string }>("SELECT value FROM index_meta WHERE key = 'chain_id'");
  if (!followed) {
    await index.close();
    throw new InputError(`No service has ever used the index ${where}${chosen}. Give the service's index with --db, or start the service (sakshya serve) first.`);
  }
  process.stderr.write(`note: the index ${where}${chosen}\n`);
  return index;
}

function readPem(file: string, what: string): Buffer {
  try {
    return fs.readFileSync(file);
  } catch {
    throw new InputError(`Cannot read the TLS ${what} ${file}.`);
  }
}

interface ServeOptions {
  db?: string;
  host: string;
  port: string;
  audit?: string;
  tlsCert?: string;
  tlsKey?: string;
  cors?: string;
  trustProxy?: boolean;
  openVerify: string;
  readyLag: string;
  allowPrivateWebhooks?: boolean;
  orgMetadata?: string;
  schemas?: string;
  gatewaySecretFile?: string;
  smsLimit: string;
}

/** The gateway's shared secret, from a file or the environment: never from the command line, where `ps` shows it. */
function readGatewaySecret(file: string | undefined): string | undefined {
  let secret = process.env.SAKSHYA_GATEWAY_SECRET;
  if (file !== undefined) {
    try {
      secret = fs.readFileSync(file, "utf8");
    } catch {
      throw new InputError(`Cannot read the gateway secret file ${file}.`);
    }
  }
  if (secret === undefined) return undefined;
  secret = secret.trim();
  if (secret.length < 16) throw new InputError("The gateway secret must be at least 16 characters long.");
  return secret;
}

export function serveCommand(): Command {
  return new Command("serve")
    .description("index the chain and answer over HTTP (runs until stopped): the public verification page, verification, records, events, webhooks; OpenAPI at /openapi.json, a browsable description at /docs")
    .option("--db <file-or-url>", "the index: an SQLite file, or postgres://… (default: DATABASE_URL, else index-<network>.db)")
    .option("--host <host>", "address to listen on", "127.0.0.1")
    .option("--port <port>", "port to listen on (0: any free one)", "8080")
    .option("--audit <file>", "the append-only audit log, one per process (default: audit-<network>-<port>.log in the working folder)")
    .option("--tls-cert <file>", "serve HTTPS with this certificate (PEM), with --tls-key")
    .option("--tls-key <file>", "the certificate's private key (PEM)")
    .option("--cors <origins>", "origins browsers may call from, comma-separated, or *")
    .option("--trust-proxy", "take the client address from X-Forwarded-For (behind an API gateway)")
    .option("--open-verify <rate|off>", "verification without an API key, limited per client address", "20/s")
    .option("--ready-lag <blocks>", "/ready fails while the index is more blocks than this behind the head", "5")
    .option("--allow-private-webhooks", "let webhooks post to loopback and private addresses")
    .option("--org-metadata <folder>", "organisations' metadata files (as onboarded), for the names the verification page shows")
    .option("--schemas <folder>", "certificate schema files (*.schema.json), for the field labels the verification page shows")
    .option("--gateway-secret-file <file>", "the SMS/IVRS gateway's shared secret, in a file (or SAKSHYA_GATEWAY_SECRET); without it those routes answer 503")
    .option("--sms-limit <rate>", "SMS and IVRS checks per phone number", "10/hour")
    .action(
      action<ServeOptions>(async (io, _args, o) => {
        const port = parsePort(o.port, "--port");
        if (Boolean(o.tlsCert) !== Boolean(o.tlsKey)) throw new InputError("Give --tls-cert and --tls-key together.");
        if (!/^\d{1,6}$/.test(o.readyLag)) throw new InputError(`--ready-lag must be a number of blocks, not "${o.readyLag}".`);
        const openVerification = o.openVerify === "off" ? false : parseRate(o.openVerify);
        const profiles = o.orgMetadata ? OrganisationProfiles.load(o.orgMetadata) : undefined;
        const schemas = o.schemas ? loadSchemas(o.schemas) : undefined;
        const gatewaySecret = readGatewaySecret(o.gatewaySecretFile);
        const gateway = gatewaySecret === undefined ? undefined : { secret: gatewaySecret, perPhone: parseRate(o.smsLimit) };
        const https = o.tlsCert && o.tlsKey ? { cert: readPem(o.tlsCert, "certificate"), key: readPem(o.tlsKey, "key") } : undefined;
        await requirePortFree(o.host, port);
        const context = await io.open();
        const target = indexTarget(io, o.db);
        // The indexer writes through one connection, the API reads through another: a reader sees whole steps only.
        const writer = await openIndex(target);
        const reader = await openDatabase(target);
        const audit = await AuditLog.open(o.audit ?? `audit-${context.target.name}-${port}.log`);
        const status: IndexStatus = {};
        const stop = new AbortController();
        const following = followChain(new ChainIndexer(writer, context.provider, context.deployment), context.provider, status, { signal: stop.signal });
        const delivering = deliverWebhooks(writer, { signal: stop.signal });
        const tracking = trackRelayed(writer, context.provider, status, { signal: stop.signal });
        const app = await buildService({
          db: reader,
          status,
          deployment: context.deployment,
          provider: context.provider,
          keccak: await loadKeccak(),
          audit,
          https,
          cors: o.cors?.split(",").map((s) => s.trim()).filter(Boolean),
          trustProxy: o.trustProxy,
          openVerification,
          readyLag: Number(o.readyLag),
          webhooks: { allowPrivate: Boolean(o.allowPrivateWebhooks) },
          profiles,
          gateway,
          schemas,
        });
        // Taken meanwhile by another process: the same sentence, never "listen EADDRINUSE".
        const address = await app.listen({ host: o.host, port }).catch(async (error: NodeJS.ErrnoException) => {
          stop.abort();
          await Promise.all([following, delivering, tracking, audit.close()]).catch(() => undefined);
          throw error.code === "EADDRINUSE" ? portInUse(o.host, port) : error;
        });
        io.out.result({ url: address, db: redactUrl(target), audit: audit.file, smsAndIvrs: gateway !== undefined }, [
          `Sakshya service at ${address} (verification page at ${address}/, API description at ${address}/docs), index in ${redactUrl(target)}, audit log ${audit.file}, SMS and IVRS ${gateway ? "on" : "off (no gateway secret)"}. Stop it with Ctrl-C.`,
        ]);
        await new Promise<void>((resolve) => process.once("SIGINT", resolve).once("SIGTERM", resolve));
        stop.abort();
        await app.close();
        await Promise.all([following, delivering, tracking]);
        await audit.close();
        await Promise.all([writer.close(), reader.close()]);
      }),
    );
}
