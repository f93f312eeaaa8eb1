import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import hre from "hardhat";
import type { Deployment } from "../src/config/deployments";
import { loadKeccak } from "../src/hashing/keccak";
import { openDatabase } from "../src/index/database";
import type { IndexStatus } from "../src/index/follow";
import { ChainIndexer } from "../src/index/indexer";
import { migrate } from "../src/index/schema";
import { createApiKey, parseRate } from "../src/service/api-keys";
import { AuditLog, verifyAuditLog } from "../src/service/audit-log";
import { buildService } from "../src/service/server";
import { OrganisationProfiles } from "../src/directory/profiles";
import { webhookSignature } from "../src/service/webhooks";
import { loadSchemas } from "../src/certificates/schema";
import { packagePath } from "../src/io/package-root";
import type { CertificateFile } from "../src/certificates/document";
import { certificateLink } from "../src/certificates/link";
import { formatShortCode } from "../src/codes/short-code";

/**
 * The service in front of the same chain: it indexes every event, then answers a verifier without a key (a few a
 * second per address), a department with one, and refuses a wrong key and a client that asks too fast.
 */
export async function serviceWalkThrough(deployment: Deployment, certificateFiles: readonly string[], ulpin: string, workDir: string): Promise<void> {
  const db = await openDatabase(path.join(workDir, "index.db"));
  await migrate(db);
  const indexer = new ChainIndexer(db, hre.ethers.provider, deployment);
  const started = Date.now();
  const events = await indexer.catchUp();
  const { blockNumber } = await indexer.checkpoint();
  console.log(`Indexed ${events} events up to block ${blockNumber} in ${Date.now() - started} ms (SQLite, ${path.join(workDir, "index.db")}).`);

  const status: IndexStatus = { indexed: blockNumber, head: blockNumber };
  const audit = await AuditLog.open(path.join(workDir, "audit.log"));
  // The SMS gateway's shared secret: in production a file only the service reads (serve --gateway-secret-file).
  const gatewaySecret = randomBytes(24).toString("base64url");
  const app = await buildService({
    db,
    status,
    deployment,
    provider: hre.ethers.provider,
    keccak: await loadKeccak(),
    audit,
    openVerification: parseRate("3/min"),
    gateway: { secret: gatewaySecret, perPhone: parseRate("10/h") },
    profiles: OrganisationProfiles.load(path.join(workDir, "org-metadata")),
    schemas: loadSchemas(packagePath("scripts", "samples", "certificates")),
  });
  const url = await app.listen({ host: "127.0.0.1", port: 0 });
  const { key, record } = await createApiKey(db, { name: "Finance Department", scopes: ["verify", "read"], rate: parseRate("2/s"), quotaPerMonth: 100_000 });
  console.log(`Service at ${url} (OpenAPI at ${url}/openapi.json); API key ${record.id} made for ${record.name}, stored as a hash only.`);
  try {
    const certificates = certificateFiles.slice(0, 3).map((file) => JSON.parse(fs.readFileSync(file, "utf8")) as unknown);
    const verified = await fetch(`${url}/v1/certificates/verify`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ certificates }) });
    const body = (await verified.json()) as { valid: number; verdicts: Array<{ outcome: string; reason: string }>; indexedBlock: number };
    console.log(`\nAn employer posts ${certificates.length} certificate files, without a key (consistent to block ${verified.headers.get("x-indexed-block")}):`);
    body.verdicts.forEach((v, i) => console.log(`  ${v.outcome === "valid" ? "✓" : "✗"} ${path.basename(certificateFiles[i])}: ${v.reason}`));

    const page = await fetch(`${url}/`, { headers: { "accept-encoding": "br" } });
    const first = certificates[0] as CertificateFile;
    console.log(`\nThe public verification page: ${url}/ (${page.status}, ${page.headers.get("content-encoding")}); a phone that scans the first certificate's QR code opens`);
    console.log(`  ${certificateLink(first, `${url}/`).slice(0, 100)}… — hashed on the phone, only issuer, root and index sent.`);
    const checked = await fetch(`${url}/v1/certificates/check`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${key}` },
      body: JSON.stringify({ documents: [{ issuer: first.issuer, root: first.proof.root, index: first.proof.index }] }),
    });
    const code = ((await checked.json()) as { verdicts: Array<{ shortCode: string }> }).verdicts[0].shortCode;
    for (const [text, who] of [
      [`VERIFY ${formatShortCode(code)}`, "A clerk texts"],
      [`যাচাই ${code}`, "A villager texts, in Bengali,"],
    ]) {
      const body = JSON.stringify({ from: "+919830012345", text });
      const timestamp = String(Math.floor(Date.now() / 1000));
      const sms = await fetch(`${url}/v1/sms/inbound`, {
        method: "POST",
        headers: { "content-type": "application/json", "x-sakshya-timestamp": timestamp, "x-sakshya-signature": webhookSignature(gatewaySecret, timestamp, body) },
        body,
      });
      console.log(`${who} "${text}"; the gateway sends back: ${((await sms.json()) as { reply: string }).reply}`);
    }
    const unsigned = await fetch(`${url}/v1/sms/inbound`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ from: "+919830012345", text: code }) });
    console.log(`✗ The same SMS callback without the gateway's signature: ${unsigned.status} ${((await unsigned.json()) as { error: string }).error}`);

    const history = await fetch(`${url}/v1/land/parcels/${ulpin}/history`, { headers: { authorization: `Bearer ${key}` } });
    const { history: title } = (await history.json()) as { history: { entries: Array<{ summary: string }> } };
    console.log(`\nA bank reads the chain of title of ${ulpin} from the index, with the department's key (${title.entries.length} entries):`);
    title.entries.slice(0, 4).forEach((e) => console.log(`  ${e.summary}`));
    if (title.entries.length > 4) console.log(`  … and ${title.entries.length - 4} more`);

    const wrong = await fetch(`${url}/v1/land/parcels/${ulpin}`, { headers: { authorization: `Bearer sak_000000000000_${"x".repeat(43)}` } });
    console.log(`\n✗ A wrong key: ${wrong.status} ${((await wrong.json()) as { error: string }).error}`);
    const statuses: number[] = [];
    let throttled = "";
    for (let i = 0; i < 3; i++) {
      const answer = await fetch(`${url}/v1/certificates/verify`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ certificates: certificates.slice(0, 1) }) });
      statuses.push(answer.status);
      if (answer.status === 429) throttled = `${((await answer.json()) as { error: string }).error} (Retry-After: ${answer.headers.get("retry-after")} s)`;
    }
    console.log(`✗ The same address verifying again (open verification allows 3 a minute): ${statuses.join(", ")} — ${throttled}`);
  } finally {
    await app.close();
    await audit.close();
    await db.close();
  }
  const check = verifyAuditLog(audit.file);
  console.log(`\nAudit log ${audit.file}: ${check.entries} entries, hash chain ${check.broken ? `broken at line ${check.broken.line}` : "intact"} (\`sakshya audit verify\`).`);
}
