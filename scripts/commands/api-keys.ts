import { Command } from "commander";
import { action } from "../../src/cli/action";
import { parseDate } from "../../src/cli/arguments";
import { table } from "../../src/cli/output";
import { InputError } from "../../src/errors";
import { apiKeyUsage, createApiKey, formatRate, listApiKeys, parseQuota, parseRate, parseScopes, revokeApiKey, type ApiKeyRecord } from "../../src/service/api-keys";
import { openServiceIndex } from "./serve";

const describe = (k: ApiKeyRecord) => [k.id, k.name, k.scopes.join(","), formatRate(k.rate), k.quotaPerMonth === undefined ? "-" : `${k.quotaPerMonth}/month`, k.createdAt.slice(0, 10), k.revokedAt ? `revoked ${k.revokedAt.slice(0, 10)}` : "active"];

export function apiKeysCommand(): Command {
  const keys = new Command("api-keys").description("API keys of the service: create (shown once), list, revoke, usage per day");
  const db = (c: Command) => c.option("--db <file-or-url>", "the service's index (default: DATABASE_URL, else index-<network>.db)");

  db(keys.command("create"))
    .description("make a key; it is printed once and only its hash is kept")
    .requiredOption("--name <name>", "whose key it is, e.g. the department")
    .option("--scopes <list>", "what it may do: verify, read, events, submit (relay transactions)", "verify,read")
    .option("--rate <rate>", "requests per second, minute or hour", "200/s")
    .option("--quota <quota>", "requests per month, e.g. 1000000/month (default: none)")
    .action(
      action<{ db?: string; name: string; scopes: string; rate: string; quota?: string }>(async (io, _args, o) => {
        const request = { name: o.name, scopes: parseScopes(o.scopes), rate: parseRate(o.rate), quotaPerMonth: o.quota ? parseQuota(o.quota) : undefined };
        const index = await openServiceIndex(io, o.db);
        try {
          const { record, key } = await createApiKey(index, request);
          io.out.result({ ...record, key }, [`✓ API key ${record.id} for ${record.name} (${record.scopes.join(", ")}; ${formatRate(record.rate)})`, `  ${key}`, "  Store it now: it is not shown again, and only its hash is kept."]);
        } finally {
          await index.close();
        }
      }),
    );

  db(keys.command("list"))
    .description("every key: id, name, scopes, rate, quota, whether revoked (never the key)")
    .action(
      action<{ db?: string }>(async (io, _args, o) => {
        const index = await openServiceIndex(io, o.db);
        try {
          const all = await listApiKeys(index);
          io.out.result({ keys: all }, all.length === 0 ? ["No API keys yet; make one with `sakshya api-keys create --name …`."] : table(["id", "name", "scopes", "rate", "quota", "created", "state"], all.map(describe)));
        } finally {
          await index.close();
        }
      }),
    );

  db(keys.command("revoke <id>"))
    .description("revoke a key for good (every service process stops accepting it within 5 seconds)")
    .action(
      action<{ db?: string }>(async (io, [id], o) => {
        const index = await openServiceIndex(io, o.db);
        try {
          const record = await revokeApiKey(index, id);
          io.out.result(record, [`✓ API key ${record.id} (${record.name}) is revoked since ${record.revokedAt}`]);
        } finally {
          await index.close();
        }
      }),
    );

  db(keys.command("usage"))
    .description("requests per key per day (UTC), for charging")
    .option("--from <date>", "first day, YYYY-MM-DD (default: the first of this month)")
    .option("--to <date>", "last day, YYYY-MM-DD (default: today)")
    .option("--key <id>", "only this key")
    .action(
      action<{ db?: string; from?: string; to?: string; key?: string }>(async (io, _args, o) => {
        const todayText = new Date().toISOString().slice(0, 10);
        const from = o.from ?? `${todayText.slice(0, 7)}-01`;
        const to = o.to ?? todayText;
        parseDate(from, "--from");
        parseDate(to, "--to");
        if (from > to) throw new InputError(`--from ${from} is after --to ${to}.`);
        const index = await openServiceIndex(io, o.db);
        try {
          const rows = await apiKeyUsage(index, { from, to, keyId: o.key });
          const total = rows.reduce((sum, r) => sum + r.requests, 0);
          io.out.result({ from, to, total, usage: rows }, [...table(["day", "key", "name", "requests"], rows.map((r) => [r.day, r.keyId, r.name, String(r.requests)])), `${total} requests from ${from} to ${to}`]);
        } finally {
          await index.close();
        }
      }),
    );
  return keys;
}
