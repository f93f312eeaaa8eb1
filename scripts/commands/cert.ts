import fs from "node:fs";
import path from "node:path";
import { Command } from "commander";
import { SingleBar } from "cli-progress";
import { action, type ActionIo } from "../../src/cli/action";
import { parseDate } from "../../src/cli/arguments";
import { reportWrite as reportWriteTo, skipped } from "../../src/cli/output";
import { isoTime } from "../../src/io/time";
import { certificateLink } from "../../src/certificates/link";
import { CERTIFICATES_DIR, buildBatch, writeBatch, type BuiltBatch } from "../../src/certificates/batch";
import { certificateCode, codeSlotOf, formatShortCode } from "../../src/codes/short-code";
import { buildCorrection, parseChanges } from "../../src/certificates/correction";
import { CertificateClient, type BatchRef, type DocumentRef, type WriteResult } from "../../src/certificates/client";
import { redact } from "../../src/certificates/document";
import { LOCAL_VERIFY_PAGE, verifyPageAddress } from "../../src/config/verify-page";
import { batchOf, documentOf, documentsOf, issueBatchFolder, organisationOf } from "../../src/certificates/issuing";
import { IssuedLedger } from "../../src/certificates/ledger";
import { readRecords } from "../../src/certificates/records";
import { readSchema } from "../../src/certificates/schema";
import { couldNotCheck, summariseVerdicts, verdictsExitCode } from "../../src/certificates/checks";
import { collectCertificateFiles, readCertificate, verifyCertificates } from "../../src/certificates/verify";
import { parseReason } from "../../src/certificates/vocabulary";
import { defaultDeploymentPath, deployedContractOf, readDeployment } from "../../src/config/deployments";
import { resolveNetwork } from "../../src/config/networks";
import { documentHash, withDocument, type DocumentOptions } from "../../src/cli/documents";
import { ExitCode, InputError } from "../../src/errors";
import { loadKeccak } from "../../src/hashing/keccak";
import { deadlinesFrom } from "../../src/chain/deadlines";
import { ServiceClient } from "../../src/service/client";
import { counted } from "../../src/io/counted";

const DEFAULT_LEDGER = "certificates-ledger.json";

/**
 * Progress of work worth watching (1,000 items or more) on stderr: a bar on a terminal; a line every few seconds
 * (SAKSHYA_PROGRESS_SECONDS, default 2) when stderr is a pipe or a log, so a scheduled job's log shows it moving.
 * Nothing in JSON mode.
 */
function progress(io: ActionIo, label: string, total: number): ((done: number) => void) & { stop(): void } {
  const worth = !io.out.json && total >= 1000;
  if (worth && process.stderr.isTTY) {
    const bar = new SingleBar({ format: `${label} [{bar}] {value}/{total} {eta_formatted}`, stream: process.stderr });
    bar.start(total, 0);
    return Object.assign((done: number) => bar.update(done), { stop: () => bar.stop() });
  }
  const everyMs = 1000 * Number(process.env.SAKSHYA_PROGRESS_SECONDS || 2);
  let last = Date.now();
  const report = (done: number) => {
    if (!worth || done >= total || Date.now() - last < everyMs) return;
    last = Date.now();
    process.stderr.write(`${label}: ${done.toLocaleString("en-IN")} of ${total.toLocaleString("en-IN")}\n`);
  };
  return Object.assign(report, { stop: () => undefined });
}

function parseExpiry(value: string | undefined): number {
  if (value === undefined) return 0;
  const seconds = parseDate(value, "--expires");
  if (seconds <= Date.now() / 1000) throw new InputError(`--expires ${value} is not in the future.`);
  return seconds;
}

const collect = (value: string, previous: string[]) => [...previous, value];

/** The document a correction replaces, as the ledger recorded it when the correction was issued. */
function correctedDocument(replacement: DocumentRef, ledger: string): DocumentRef {
  const old = IssuedLedger.open(ledger).correctedBy(replacement.root, replacement.index);
  if (!old) {
    throw new InputError(`The ledger ${ledger} records no correction issued as document ${replacement.index} of batch ${replacement.root}; name the certificate it replaces as well.`);
  }
  return { issuerOrgId: replacement.issuerOrgId, ...old };
}

function parseIndices(value: string): number[] {
  return value.split(",").map((part) => {
    if (!/^\d+$/.test(part.trim())) throw new InputError(`"${part}" is not a document index.`);
    return Number(part);
  });
}

function reportWrite(io: ActionIo, what: string, result: WriteResult, extra: Record<string, unknown> = {}): void {
  reportWriteTo(io.out, what, result, extra, "already-issued");
}

async function writableClient(io: ActionIo): Promise<CertificateClient> {
  const context = await io.open();
  return new CertificateClient(context.deployment, context.provider, await context.wallet());
}

interface SelectionOptions {
  batch?: string;
  index?: string;
  issuer?: string;
}

/** A selection resolved: whole batches (no indices) or chosen documents of batches. */
type Selected = Array<{ batch: BatchRef; indices?: number[] }>;

/**
 * What a selection names: whole batches (`--batch`), chosen indices of a batch, or certificate files. A batch given by
 * its bare root is the signer's organisation's unless `--issuer` names another (governance acting).
 */
async function selected(io: ActionIo, files: string[], options: SelectionOptions, verb: string): Promise<Selected> {
  if ((options.batch === undefined) === (files.length === 0)) {
    throw new InputError(`Name certificate files, or a batch with --batch (and --index to pick documents), to ${verb}.`);
  }
  const context = await io.open();
  const directory = context.directory();
  const issuerId = (code: string) => directory.resolveOrganisation(code);
  if (options.batch === undefined) return documentsOf(files, issuerId);
  const own = async () => (await organisationOf(directory, await (await context.wallet()).getAddress())).orgId;
  const batch = await batchOf(options.batch, issuerId, options.issuer, own);
  return [{ batch, indices: options.index === undefined ? undefined : parseIndices(options.index) }];
}

/** Runs a revoke/suspend/reinstate on what a selection names, as the signer. */
/** What a selection command did, in words ("suspend" is not "suspendd"). */
const PAST_TENSE: Record<string, string> = { suspend: "suspended", revoke: "revoked", reinstate: "reinstated", restore: "restored" };

async function onSelection(
  io: ActionIo,
  files: string[],
  options: SelectionOptions,
  verb: string,
  whole: (client: CertificateClient, batch: BatchRef) => Promise<WriteResult>,
  some: (client: CertificateClient, batch: BatchRef, indices: number[]) => Promise<WriteResult>,
): Promise<void> {
  const selection = await selected(io, files, options, verb);
  const client = await writableClient(io);
  for (const { batch, indices } of selection) {
    const { root } = batch;
    const done = PAST_TENSE[verb] ?? `${verb}d`;
    if (indices === undefined) reportWrite(io, `${done} batch ${root}`, await whole(client, batch), { root });
    else reportWrite(io, `${done} ${counted(indices.length, "document")} of batch ${root}`, await some(client, batch, indices), { root, indices });
  }
}

function withSelection(command: Command): Command {
  return command
    .argument("[certificates...]", "certificate files")
    .option("--batch <dir-or-root>", "a whole batch, by its folder or root")
    .option("--index <list>", "with --batch: only these document indices, e.g. 3,17,240")
    .option("--issuer <code>", "with --batch given as a root: the issuing organisation (default: the signer's)");
}

interface BatchOptions {
  schema: string;
  issuer: string;
  out: string;
  expires?: string;
  ledger: string;
  qr: boolean;
  verifyUrl?: string;
  pdf?: boolean;
  issuerName?: string;
  smsNumber?: string;
}

/** Tries this many builds for a free code slot: each is taken with a chance of the issuer's batches in 100,000. */
const SLOT_ATTEMPTS = 8;

async function buildWithFreeSlot(io: ActionIo, issuer: string, build: () => BuiltBatch): Promise<{ batch: BuiltBatch; issuerOrgId: number }> {
  const context = await io.open();
  const issuerOrgId = await context.directory().organisationIdOf(issuer);
  if (issuerOrgId === undefined) throw new InputError(`"${issuer}" is no organisation of the directory; printed codes name the issuer's directory id.`);
  const registry = new CertificateClient(context.deployment, context.provider);
  for (let attempt = 1; ; attempt++) {
    const batch = build();
    if ((await registry.slotHolder(issuerOrgId, codeSlotOf(batch.manifest.root))) === undefined) return { batch, issuerOrgId };
    if (attempt === SLOT_ATTEMPTS) throw new InputError(`Every build landed on a code slot another batch of ${issuer} holds (${SLOT_ATTEMPTS} tries); its slots are nearly full.`);
  }
}

export function certCommand(): Command {
  const cert = new Command("cert").description("academic certificates: build, issue, revoke, redact and verify");

  cert
    .command("batch")
    .description("validate records and build a batch of certificate files, proofs and QR codes (offline; --pdf reads the chain)")
    .argument("<records>", "records as .csv (header row) or .json (array of objects)")
    .requiredOption("--schema <file>", "schema the records must follow")
    .requiredOption("--issuer <code>", "directory code of the issuing organisation, e.g. wbu")
    .requiredOption("--out <dir>", "new folder for the batch")
    .option("--expires <date>", "expiry date of every certificate (YYYY-MM-DD); none by default")
    .option("--ledger <file>", "the issuer's ledger of issued records, checked for duplicates", DEFAULT_LEDGER)
    .option("--verify-url <url>", `the verification page QR codes link to (or SAKSHYA_VERIFY_URL; on the development chain ${LOCAL_VERIFY_PAGE})`)
    .option("--no-qr", "skip the QR code images")
    .option("--pdf", "also write a printable A4 PDF per certificate, with its QR code and short code (reads the issuer's id and a free code slot from the chain)")
    .option("--issuer-name <name>", "with --pdf: the issuer's name as printed (default: its code)")
    .option("--sms-number <number>", "with --pdf: the number verifiers send VERIFY <code> to")
    .action(
      action<BatchOptions>(async (io, [recordsFile], o) => {
        const target = resolveNetwork(io.global);
        if (o.pdf && !o.qr) throw new InputError("A printed certificate carries its QR code: --pdf cannot go with --no-qr.");
        const verifyPage = o.qr ? verifyPageAddress(target.name, o.verifyUrl) : undefined;
        const deployment = readDeployment(io.global.deployments ?? defaultDeploymentPath(target.name));
        const anchor = { chainId: deployment.chainId, registry: deployedContractOf(deployment, "CertificateRegistry").address };
        const schema = readSchema(o.schema);
        const records = readRecords(recordsFile);
        const keccak = await loadKeccak();
        const started = Date.now();
        const build = () => {
          const hashing = progress(io, "hashing", records.length);
          const built = buildBatch(
            { records, schema, issuer: o.issuer, anchor, expiresAt: parseExpiry(o.expires), ledger: IssuedLedger.open(o.ledger), onProgress: hashing },
            keccak,
            recordsFile,
          );
          hashing.stop();
          return built;
        };
        // Printed codes need the issuer's id and a code slot no batch of the issuer holds: built again until free.
        const { batch, issuerOrgId } = o.pdf ? await buildWithFreeSlot(io, o.issuer, build) : { batch: build(), issuerOrgId: undefined };
        const pdf =
          issuerOrgId === undefined
            ? undefined
            : { schema, issuerName: o.issuerName ?? o.issuer, smsNumber: o.smsNumber, code: (index: number) => certificateCode(issuerOrgId, codeSlotOf(batch.manifest.root), index) };
        if (issuerOrgId !== undefined) batch.manifest.codes = { issuerOrgId, slot: codeSlotOf(batch.manifest.root) };
        const writing = progress(io, "writing", records.length);
        await writeBatch(o.out, batch, { verifyPage, pdf, onProgress: writing });
        writing.stop();
        const seconds = (Date.now() - started) / 1000;
        const { manifest } = batch;
        io.out.result({ root: manifest.root, documentCount: manifest.documentCount, out: o.out, seconds, codes: manifest.codes }, [
          `✓ Built ${manifest.documentCount} certificates${pdf ? " with printable PDFs" : ""} in ${o.out} (${seconds.toFixed(1)} s)`,
          `  root ${manifest.root}`,
          ...(pdf ? [`  short codes from ${formatShortCode(pdf.code(0))}`] : []),
          `  next: sakshya cert issue ${o.out}`,
        ]);
      }),
    );

  cert
    .command("issue")
    .description("anchor a built batch's root (safe to re-run)")
    .argument("<dir>", "batch folder from `cert batch`")
    .option("--ledger <file>", "the issuer's ledger, updated once the batch is on chain", DEFAULT_LEDGER)
    .action(
      action<{ ledger: string }>(async (io, [dir], o) => {
        const context = await io.open();
        const signer = await context.wallet();
        const client = new CertificateClient(context.deployment, context.provider, signer);
        const { manifest, result } = await issueBatchFolder(dir, client, context.directory(), await signer.getAddress(), o.ledger, context.deadlines.inclusionMs);
        reportWrite(io, `issued batch ${manifest.root} (${counted(manifest.documentCount, "document")})`, result, { root: manifest.root });
      }),
    );

  withSelection(cert.command("revoke").description("revoke certificates, chosen documents of a batch, or a whole batch"))
    .requiredOption("--reason <reason>", "issued-in-error, withdrawn, misconduct, duplicate, key-compromise, court-order, holder-request, other")
    .action(
      action<SelectionOptions & { reason: string }>(async (io, [files], o) => {
        const reason = parseReason(o.reason, "revoke");
        await onSelection(io, files as unknown as string[], o, "revoke", (c, b) => c.revokeBatch(b, reason), (c, b, i) => c.revokeDocuments(b, i, reason));
      }),
    );

  withSelection(cert.command("suspend").description("suspend certificates or a batch until reinstated"))
    .requiredOption("--reason <reason>", "under-review, court-order, misconduct, other, …")
    .action(
      action<SelectionOptions & { reason: string }>(async (io, [files], o) => {
        const reason = parseReason(o.reason, "suspend");
        await onSelection(io, files as unknown as string[], o, "suspend", (c, b) => c.suspendBatch(b, reason), (c, b, i) => c.suspendDocuments(b, i, reason));
      }),
    );

  withSelection(cert.command("reinstate").description("lift a suspension")).action(
    action<SelectionOptions>(async (io, [files], o) => {
      await onSelection(io, files as unknown as string[], o, "reinstate", (c, b) => c.reinstateBatch(b), (c, b, i) => c.reinstateDocuments(b, i));
    }),
  );

  withDocument(
    withSelection(cert.command("restore").description("undo a revocation or supersession of a batch or documents (governor; delayed)")),
    "reason",
    "the decision undoing it",
  ).action(
    action<SelectionOptions & DocumentOptions>(async (io, [files], o) => {
      const reason = documentHash(o, "reason", "reason");
      const selection = await selected(io, files as unknown as string[], o, "restore");
      const context = await io.open();
      const client = new CertificateClient(context.deployment, context.provider);
      const governance = await context.governance();
      for (const { batch, indices } of selection) {
        const { root } = batch;
        if (indices === undefined) io.out.outcome(`Restored batch ${root}`, await client.restoreBatch(governance, batch, reason), { root });
        for (const index of indices ?? []) io.out.outcome(`Restored document ${index} of batch ${root}`, await client.restoreDocument(governance, { ...batch, index }, reason), { root, index });
      }
    }),
  );

  withDocument(
    cert
      .command("affirm")
      .description("affirm a batch its signing key's compromise voided: it reads valid again, with the decision (governor; delayed)")
      .option("--batch <dir-or-root>", "the batch, by its folder or root")
      .option("--issuer <code>", "with --batch given as a root: the issuing organisation"),
    "reason",
    "the decision affirming it",
  ).action(
    action<DocumentOptions & { batch?: string; issuer?: string }>(async (io, _args, o) => {
      if (o.batch === undefined) throw new InputError("Name the batch to affirm with --batch (its folder, or its root with --issuer).");
      const reason = documentHash(o, "reason", "reason");
      const context = await io.open();
      const directory = context.directory();
      const batch = await batchOf(o.batch, (code) => directory.resolveOrganisation(code), o.issuer, async () => {
        throw new InputError("Name the issuing organisation with --issuer.");
      });
      const client = new CertificateClient(context.deployment, context.provider);
      io.out.outcome(`Affirmed batch ${batch.root}`, await client.affirmBatch(await context.governance(), batch, reason), { root: batch.root, issuerOrgId: batch.issuerOrgId });
    }),
  );

  cert
    .command("correct")
    .description("build the corrected replacement of an issued certificate, linked to it in the ledger (offline)")
    .argument("<certificate>", "the issuer's full copy of the certificate to correct")
    .requiredOption("--schema <file>", "the schema the certificate follows")
    .requiredOption("--set <field=value>", "a corrected field (repeatable); an empty value removes an optional field", collect, [])
    .requiredOption("--out <dir>", "new folder for the one-certificate correction batch")
    .option("--expires <date>", "expiry date of the replacement (YYYY-MM-DD); none by default")
    .option("--ledger <file>", "the issuer's ledger of issued records", DEFAULT_LEDGER)
    .option("--verify-url <url>", `the verification page the QR code links to (or SAKSHYA_VERIFY_URL; on the development chain ${LOCAL_VERIFY_PAGE})`)
    .option("--no-qr", "skip the QR code image")
    .action(
      action<{ schema: string; set: string[]; out: string; expires?: string; ledger: string; qr: boolean; verifyUrl?: string }>(async (io, [file], o) => {
        const verifyPage = o.qr ? verifyPageAddress(resolveNetwork(io.global).name, o.verifyUrl) : undefined;
        const certificate = readCertificate(file);
        const batch = buildCorrection(certificate, parseChanges(o.set), { schema: readSchema(o.schema), expiresAt: parseExpiry(o.expires), ledger: IssuedLedger.open(o.ledger) }, await loadKeccak());
        await writeBatch(o.out, batch, { verifyPage });
        const replacement = path.join(o.out, CERTIFICATES_DIR, `${batch.names[0]}.json`);
        const { root, index } = certificate.proof;
        io.out.result({ root: batch.manifest.root, corrects: { root, index }, out: o.out, replacement }, [
          `✓ Built the correction of document ${index} of batch ${root} in ${o.out}`,
          `  next: sakshya cert issue ${o.out}`,
          `  then: sakshya cert supersede ${replacement}`,
        ]);
      }),
    );

  cert
    .command("supersede")
    .description("revoke a certificate in favour of its corrected, issued replacement (a correction names its original)")
    .argument("<old-or-replacement>", "the certificate being replaced; or, alone, the replacement `cert correct` built")
    .argument("[replacement]", "certificate file of the corrected document")
    .option("--ledger <file>", "the issuer's ledger, which links a correction to its original", DEFAULT_LEDGER)
    .action(
      action<{ ledger: string }>(async (io, [first, second], o) => {
        const directory = (await io.open()).directory();
        const issuerId = (code: string) => directory.resolveOrganisation(code);
        const replacement = await documentOf(second ?? first, issuerId);
        const old = second === undefined ? correctedDocument(replacement, o.ledger) : await documentOf(first, issuerId);
        const result = await (await writableClient(io)).supersede(old, replacement);
        reportWrite(io, `superseded document ${old.index} of ${old.root} by document ${replacement.index} of ${replacement.root}`, result, { old, replacement });
      }),
    );

  cert
    .command("link")
    .description("print a certificate's verification link: open it, or send it, to see the verdict (offline)")
    .argument("<certificate>", "certificate file (a redacted copy gives a link that shows only what it shows)")
    .option("--verify-url <url>", `the verification page (or SAKSHYA_VERIFY_URL; on the development chain ${LOCAL_VERIFY_PAGE})`)
    .action(
      action<{ verifyUrl?: string }>(async (io, [file], o) => {
        const link = certificateLink(readCertificate(file), verifyPageAddress(resolveNetwork(io.global).name, o.verifyUrl));
        io.out.result({ file, link }, [link]);
      }),
    );

  cert
    .command("redact")
    .description("hide fields of a certificate; the copy still verifies (offline)")
    .argument("<certificate>", "certificate file")
    .requiredOption("--hide <fields>", "comma-separated field names, e.g. dateOfBirth,cgpa")
    .requiredOption("--out <file>", "where to write the redacted copy")
    .action(
      action<{ hide: string; out: string }>(async (io, [file], o) => {
        if (fs.existsSync(o.out)) throw new InputError(`${o.out} already exists; choose another file for the redacted copy.`);
        const names = o.hide.split(",").map((n) => n.trim()).filter(Boolean);
        if (names.length === 0) throw new InputError("Name at least one field to hide, e.g. --hide dateOfBirth,cgpa.");
        const redacted = redact(readCertificate(file), names, await loadKeccak());
        fs.writeFileSync(o.out, `${JSON.stringify(redacted, null, 1)}\n`);
        io.out.result({ out: o.out, hidden: names }, [`✓ Wrote ${o.out} with ${names.join(", ")} hidden`]);
      }),
    );

  cert
    .command("verify")
    .description("check certificates: integrity, proof and on-chain status (exit 0 all valid, 1 any invalid, 2 could not check)")
    .argument("<targets...>", "certificate files or folders")
    .action(
      action(async (io, [targets]) => {
        // A loop passed over leaves part of a folder unread: the verdicts then cannot say "all valid" (exit 2).
        let loops = 0;
        const files = collectCertificateFiles(targets as unknown as string[], (file, why, kind) => {
          if (kind === "loop") loops++;
          skipped(file, why);
        });
        const { api, apiKey } = io.global;
        // With --api, verification asks the service's index (no RPC access needed), as the page does.
        const verdicts = api ? await new ServiceClient(api, apiKey ?? process.env.SAKSHYA_API_KEY, deadlinesFrom(io.global.timeout)).verifyFiles(files) : await verifyOverRpc(io, files);
        const summary = summariseVerdicts(verdicts);
        const { valid, couldNotCheck: unchecked } = summary;
        io.out.result({ ...summary, verdicts }, [
          ...verdicts.map((v) => `${v.valid ? "✓" : couldNotCheck(v) ? "?" : "✗"} ${v.file}: ${v.reason}`),
          `${valid} of ${verdicts.length} valid${unchecked > 0 ? `, ${unchecked} could not be checked` : ""}${verdicts.some((v) => v.onChain) ? ` (checked at ${isoTime(Math.floor(Date.now() / 1000))})` : ""}`,
        ]);
        const code = verdictsExitCode(verdicts);
        return code === ExitCode.Ok && loops > 0 ? ExitCode.CouldNotRun : code;
      }),
    );

  return cert;
}

async function verifyOverRpc(io: ActionIo, files: readonly string[]) {
  const context = await io.open();
  const client = new CertificateClient(context.deployment, context.provider);
  const directory = context.directory();
  const bar = progress(io, "verifying", files.length);
  const verdicts = await verifyCertificates(files, client, (code) => directory.organisationIdOf(code), await loadKeccak(), bar);
  bar.stop();
  return verdicts;
}
