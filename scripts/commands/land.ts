import fs from "node:fs";
import { Command } from "commander";
import { action, type ActionIo } from "../../src/cli/action";
import { documentHash, withDocument, type DocumentOptions } from "../../src/cli/documents";
import { parseDate } from "../../src/cli/arguments";
import { reportWrite, table } from "../../src/cli/output";
import { isoTime } from "../../src/io/time";
import { defaultDeploymentPath, deployedContractOf, readDeployment } from "../../src/config/deployments";
import { resolveNetwork } from "../../src/config/networks";
import { LOCAL_VERIFY_PAGE, verifyPageAddress } from "../../src/config/verify-page";
import { ExitCode, InputError } from "../../src/errors";
import { loadKeccak } from "../../src/hashing/keccak";
import { buildSnapshot, readSnapshotManifest, snapshotEntry, snapshotThreads } from "../../src/land/snapshot";
import { LandClient, type MutationView, type NewParcel, type ParcelView, type SnapshotFolders } from "../../src/land/client";
import { describeOwners, titleHistory, type TitleHistory } from "../../src/land/history";
import { deadlinesFrom } from "../../src/chain/deadlines";
import { ServiceClient } from "../../src/service/client";
import { makeExtract, readExtract, verifyExtract } from "../../src/land/extract";
import { newOwnerCard, parseParties, readOwnerCard } from "../../src/land/parties";
import { landJurisdiction, parseUlpin, percent } from "../../src/land/titles";
import { LAND_USES, REJECTION_REASONS, parseDeedKind, parseLandUse, parseRejectionReason } from "../../src/land/vocabulary";

const collect = (value: string, previous: string[]) => [...previous, value];

function parseWhole(value: string, what: string, max = Number.MAX_SAFE_INTEGER): number {
  if (!/^\d+$/.test(value.trim()) || Number(value) < 1 || Number(value) > max) {
    throw new InputError(`${what} must be a whole number from 1 to ${max}, not "${value}".`);
  }
  return Number(value);
}

/** A day that exists, or 0 (none) when not given. */
function optionalDate(value: string | undefined, what: string): number {
  return value === undefined ? 0 : parseDate(value, what);
}

function parseHash(value: string, what: string): string {
  if (!/^0x[0-9a-fA-F]{64}$/.test(value)) throw new InputError(`The ${what} must be 0x followed by 64 hex digits, not "${value}".`);
  return value.toLowerCase();
}

/** A new parcel of a split, written `<ULPIN>:<area m²>:<record file>`. */
function parsePart(spec: string, landUse: number): NewParcel {
  const [ulpin, area, recordFile, ...rest] = spec.split(":");
  if (!ulpin || !area || !recordFile || rest.length > 0) {
    throw new InputError(`"${spec}" is not a part: write <ULPIN>:<area in m²>:<Record-of-Rights file>.`);
  }
  return {
    ulpin: parseUlpin(ulpin),
    area: parseWhole(area, `The area of ${ulpin}`),
    landUse,
    recordHash: documentHash({ recordFile }, "record", "Record of Rights"),
  };
}

async function landClient(io: ActionIo, write: boolean): Promise<LandClient> {
  const context = await io.open();
  return new LandClient(context.deployment, context.provider, write ? await context.wallet() : undefined);
}

/** The folders of the active migration snapshots, for proving a new ULPIN is not one they hold. */
async function snapshotFolders(o: { snapshot: string[] }): Promise<SnapshotFolders> {
  return { folders: o.snapshot, keccak: await loadKeccak() };
}

/** Commands that create ULPINs take the folders of the active migration snapshots. */
function withSnapshots(command: Command): Command {
  return command.option("--snapshot <dir>", "the folder of an active migration snapshot, to prove the new ULPIN is not one it holds (repeat)", collect, []);
}

/** Commands on a mutation name it by its deed, and by its parcel when the deed conveys several. */
function withUlpin(command: Command): Command {
  return command.option("--ulpin <ulpin>", "the parcel, when the deed opened mutations of several");
}

const ulpinOf = (o: { ulpin?: string }) => (o.ulpin === undefined ? undefined : parseUlpin(o.ulpin));

function parcelLines(p: ParcelView): string[] {
  const freezes = p.freezes.map((f) => `court order ${f.order}, ${f.expiresAt ? `until ${isoTime(f.expiresAt)}` : "until lifted"}`);
  return [
    `Parcel ${p.ulpin}: ${p.status}${freezes.length ? ` (${freezes.join("; ")})` : ""}`,
    `  ${p.area} m², ${p.landUse}; district ${p.district}, block ${p.block}, village ${p.village}`,
    `  version ${p.version}, Record of Rights ${p.recordHash}`,
    `  owners hash ${p.ownersHash}`,
    `  liens ${p.liens}${p.mutationPending ? "; a mutation is pending" : ""}`,
  ];
}

function mutationLines(m: MutationView): string[] {
  const now = Date.now() / 1000;
  const window = m.objectionDeadline <= m.openedAt ? "may be decided at once" : m.objectionDeadline > now ? `objections until ${isoTime(m.objectionDeadline)}` : `objection window closed ${isoTime(m.objectionDeadline)}`;
  return [
    `Mutation ${m.deedHash}: ${m.kind} of parcel ${m.ulpin} — ${m.status}${m.overdue ? " (OVERDUE)" : ""}`,
    `  opened ${isoTime(m.openedAt)}; ${window}`,
    `  objections ${m.objections}, lien consents ${m.consents}${m.appealedAt ? `, appealed ${isoTime(m.appealedAt)}` : ""}`,
  ];
}

function historyLines(h: TitleHistory): string[] {
  const lines = [
    ...parcelLines(h.parcel),
    `  current owners: ${describeOwners(h.owners)}`,
    ...(h.ancestors.length ? [`  came from ${h.ancestors.join(" ← ")}`] : []),
    "",
    "Chain of title:",
    ...h.entries.map((e) => `  ${isoTime(e.time)}  ${e.ulpin === h.ulpin ? "" : `[${e.ulpin}] `}${e.summary}`),
  ];
  if (h.mutations.length > 0) {
    lines.push("", "Mutations:");
    lines.push(
      ...table(
        ["deed", "kind", "outcome", "days", "objections", "reason"],
        h.mutations.map((m) => [
          `${m.deedHash.slice(0, 10)}…`,
          m.kind,
          `${m.outcome}${m.overdue ? " (OVERDUE)" : ""}`,
          String(m.days),
          String(m.objections),
          m.rejection?.sentence ?? "-",
        ]),
      ).map((l) => `  ${l}`),
    );
  }
  return lines;
}

export function landCommand(): Command {
  const land = new Command("land").description("land records: parcels, deeds and mutations, courts, liens, history and title extracts");

  const owner = land.command("owner").description("owner cards: how an owner is known on chain without their identity");
  owner
    .command("new")
    .description("make an owner card with a fresh salt (offline); the owner keeps it")
    .requiredOption("--identity <reference>", "an identity document number the office and the owner both know")
    .option("--name <name>", "a name printed on the card, never sent anywhere")
    .requiredOption("--out <file>", "where to write the card")
    .action(
      action<{ identity: string; name?: string; out: string }>(async ({ out }, _args, o) => {
        if (fs.existsSync(o.out)) throw new InputError(`${o.out} already exists; an owner card is never overwritten.`);
        const card = newOwnerCard(o.identity, o.name);
        fs.writeFileSync(o.out, `${JSON.stringify(card, null, 2)}\n`, { mode: 0o600 });
        out.result({ commitment: card.commitment, out: o.out }, [`✓ Owner card written to ${o.out}`, `  commitment ${card.commitment}`]);
      }),
    );

  withDocument(
    withSnapshots(land.command("register <ulpin>"))
      .description("register a new parcel (survey and records staff)")
      .requiredOption("--district <code>", "LGD district code")
      .requiredOption("--block <code>", "LGD block code")
      .requiredOption("--village <code>", "LGD village (mouza) code")
      .requiredOption("--area <m2>", "area in square metres")
      .option("--use <class>", LAND_USES.join(", "), "agricultural")
      .option("--owner <card=share>", "an owner and their share, e.g. asha.owner.json=100% (repeat for each)", collect, []),
    "record",
    "the Record-of-Rights document",
  ).action(
    action<DocumentOptions & { district: string; block: string; village: string; area: string; use: string; owner: string[]; snapshot: string[] }>(async (io, [raw], o) => {
      const record = {
        ulpin: parseUlpin(raw),
        area: parseWhole(o.area, "--area"),
        landUse: parseLandUse(o.use),
        district: parseWhole(o.district, "--district", 0xffff),
        block: parseWhole(o.block, "--block", 0xffff),
        village: parseWhole(o.village, "--village", 0xffffffff),
        recordHash: documentHash(o, "record", "Record of Rights"),
      };
      const owners = parseParties(o.owner, "owners", true);
      const client = await landClient(io, true);
      reportWrite(io.out, `registered parcel ${record.ulpin}`, await client.registerParcel(record, owners, await snapshotFolders(o)), {
        ulpin: record.ulpin,
        jurisdiction: landJurisdiction(record.district, record.block),
      });
    }),
  );

  land
    .command("show <ulpin>")
    .description("a parcel as the registry holds it (no key needed)")
    .action(
      action(async (io, [raw]) => {
        const parcel = await (await landClient(io, false)).requireParcel(parseUlpin(raw));
        io.out.result(parcel as unknown as Record<string, unknown>, parcelLines(parcel));
      }),
    );

  withDocument(
    land
      .command("land-use <ulpin>")
      .description("change a parcel's land use with its new Record of Rights (survey and records staff)")
      .requiredOption("--use <class>", LAND_USES.join(", ")),
    "record",
    "the new Record-of-Rights document",
  ).action(
    action<DocumentOptions & { use: string }>(async (io, [raw], o) => {
      const ulpin = parseUlpin(raw);
      const client = await landClient(io, true);
      reportWrite(io.out, `changed the land use of ${ulpin} to ${o.use}`, await client.changeLandUse(ulpin, parseLandUse(o.use), documentHash(o, "record", "Record of Rights")), { ulpin });
    }),
  );

  withDocument(
    land
      .command("deed <ulpin>")
      .description("register a sale, gift or partition deed; it opens a mutation (Registration department)")
      .option("--kind <kind>", "sale, gift or partition", "sale")
      .option("--from <party=share>", "a seller and the share they give, e.g. asha.owner.json=100% (repeat)", collect, [])
      .option("--to <party=share>", "a buyer and the share they receive (repeat)", collect, []),
    "deed",
    "the registered deed",
  ).action(
    action<DocumentOptions & { kind: string; from: string[]; to: string[] }>(async (io, [raw], o) => {
      const ulpin = parseUlpin(raw);
      const kind = parseDeedKind(o.kind);
      const deedHash = documentHash(o, "deed", "deed");
      const transfer = { from: parseParties(o.from, "sellers", false), to: parseParties(o.to, "buyers", false) };
      const client = await landClient(io, true);
      const result = await client.registerDeed(deedHash, ulpin, kind, transfer);
      reportWrite(io.out, `registered ${o.kind} deed ${deedHash} on ${ulpin}`, result, { ulpin, deedHash });
      const m = await client.requireMutation(deedHash, ulpin);
      io.out.lines(mutationLines(m).slice(1));
    }),
  );

  withDocument(
    land
      .command("succession <ulpin>")
      .description("open a succession on a succession certificate (Land Revenue office)")
      .option("--from <party=share>", "the deceased owner's share (repeat if several)", collect, [])
      .option("--to <party=share>", "an heir and their share (repeat)", collect, []),
    "certificate",
    "the succession certificate",
  ).action(
    action<DocumentOptions & { from: string[]; to: string[] }>(async (io, [raw], o) => {
      const ulpin = parseUlpin(raw);
      const certificateHash = documentHash(o, "certificate", "succession certificate");
      const transfer = { from: parseParties(o.from, "deceased owners", false), to: parseParties(o.to, "heirs", false) };
      const client = await landClient(io, true);
      reportWrite(io.out, `opened succession ${certificateHash} on ${ulpin}`, await client.openSuccession(certificateHash, ulpin, transfer), { ulpin, deedHash: certificateHash });
    }),
  );

  withUlpin(land.command("mutation <deed-hash>"))
    .description("where a mutation stands, and whether it is overdue (no key needed)")
    .action(
      action<{ ulpin?: string }>(async (io, [hash], o) => {
        const m = await (await landClient(io, false)).requireMutation(parseHash(hash, "deed hash"), ulpinOf(o));
        io.out.result(m as unknown as Record<string, unknown>, mutationLines(m));
      }),
    );

  withDocument(withUlpin(land.command("object <deed-hash>")).description("record an objection within the objection window (Land Revenue office)"), "objection", "the objection").action(
    action<DocumentOptions & { ulpin?: string }>(async (io, [hash], o) => {
      const deedHash = parseHash(hash, "deed hash");
      const objection = documentHash(o, "objection", "objection");
      const client = await landClient(io, true);
      reportWrite(io.out, `recorded objection ${objection} to ${deedHash}`, await client.lodgeObjection(deedHash, objection, ulpinOf(o)), { deedHash, objection });
    }),
  );

  withDocument(withUlpin(land.command("approve <deed-hash>")).description("approve a mutation: owners and Record of Rights change together (Land Revenue office)"), "record", "the new Record-of-Rights document").action(
    action<DocumentOptions & { ulpin?: string }>(async (io, [hash], o) => {
      const deedHash = parseHash(hash, "deed hash");
      const recordHash = documentHash(o, "record", "Record of Rights");
      const client = await landClient(io, true);
      reportWrite(io.out, `approved mutation ${deedHash}`, await client.approve(deedHash, recordHash, ulpinOf(o)), { deedHash });
    }),
  );

  withDocument(
    withUlpin(land.command("reject <deed-hash>"))
      .description("reject a mutation with a reason and the reasoned order (Land Revenue office)")
      .requiredOption("--reason <reason>", REJECTION_REASONS.filter((r) => r !== "none").join(", ")),
    "order",
    "the reasoned order",
  ).action(
    action<DocumentOptions & { reason: string; ulpin?: string }>(async (io, [hash], o) => {
      const deedHash = parseHash(hash, "deed hash");
      const reason = parseRejectionReason(o.reason);
      const order = documentHash(o, "order", "order");
      const client = await landClient(io, true);
      reportWrite(io.out, `rejected mutation ${deedHash} (${o.reason})`, await client.reject(deedHash, reason, order, ulpinOf(o)), { deedHash, reason: o.reason });
    }),
  );

  withDocument(withUlpin(land.command("appeal <deed-hash>")).description("file the one appeal a rejected mutation may have (appellate authority)"), "appeal", "the appeal").action(
    action<DocumentOptions & { ulpin?: string }>(async (io, [hash], o) => {
      const deedHash = parseHash(hash, "deed hash");
      const appeal = documentHash(o, "appeal", "appeal");
      const client = await landClient(io, true);
      reportWrite(io.out, `filed appeal ${appeal} against the rejection of ${deedHash}`, await client.fileAppeal(deedHash, appeal, ulpinOf(o)), { deedHash });
    }),
  );

  withDocument(
    withDocument(
      withUlpin(land.command("decide-appeal <deed-hash>"))
        .description("allow an appeal (the mutation takes effect) or dismiss it for good (appellate authority)")
        .option("--allow", "allow the appeal")
        .option("--dismiss", "dismiss the appeal"),
      "order",
      "the appellate order",
    ),
    "record",
    "the new Record-of-Rights document (when allowing)",
  ).action(
    action<DocumentOptions & { allow?: boolean; dismiss?: boolean; ulpin?: string }>(async (io, [hash], o) => {
      if (Boolean(o.allow) === Boolean(o.dismiss)) throw new InputError("Say --allow or --dismiss.");
      const deedHash = parseHash(hash, "deed hash");
      const order = documentHash(o, "order", "order");
      const recordHash = o.allow ? documentHash(o, "record", "Record of Rights") : undefined;
      const client = await landClient(io, true);
      const ulpin = ulpinOf(o);
      const result = recordHash ? await client.allowAppeal(deedHash, order, recordHash, ulpin) : await client.dismissAppeal(deedHash, order, ulpin);
      reportWrite(io.out, `${o.allow ? "allowed" : "dismissed"} the appeal on ${deedHash}`, result, { deedHash, allowed: Boolean(o.allow) });
    }),
  );

  withDocument(
    land
      .command("freeze <ulpin>")
      .description("freeze a parcel under a court order (courts)")
      .option("--until <date>", "the freeze lapses on this date (YYYY-MM-DD); until lifted by default"),
    "order",
    "the court order",
  ).action(
    action<DocumentOptions & { until?: string }>(async (io, [raw], o) => {
      const ulpin = parseUlpin(raw);
      const order = documentHash(o, "order", "court order");
      const client = await landClient(io, true);
      reportWrite(io.out, `froze parcel ${ulpin}`, await client.freeze(ulpin, order, optionalDate(o.until, "--until")), { ulpin, order });
    }),
  );

  withDocument(
    withDocument(
      land
        .command("rectify <ulpin>")
        .description("restore, under a court order, the owners a parcel had before a wrongful mutation (courts)")
        .requiredOption("--deed <hash>", "the mutation set aside"),
      "order",
      "the court's order",
    ),
    "record",
    "the Record-of-Rights document after the rectification",
  ).action(
    action<DocumentOptions & { deed: string }>(async (io, [raw], o) => {
      const ulpin = parseUlpin(raw);
      const deedHash = parseHash(o.deed, "deed hash");
      const order = documentHash(o, "order", "court order");
      const client = await landClient(io, true);
      reportWrite(io.out, `rectified the title of ${ulpin}: ${deedHash} set aside`, await client.rectify(ulpin, deedHash, order, documentHash(o, "record", "Record of Rights")), {
        ulpin,
        deedHash,
        order,
      });
    }),
  );

  withDocument(
    withDocument(land.command("unfreeze <ulpin>").description("lift a freeze: the court that ordered it (another court of the parcel's jurisdiction once that one has left the directory)"), "order", "the order the freeze was made under"),
    "lifting-order",
    "the order lifting it",
  ).action(
    action<DocumentOptions>(async (io, [raw], o) => {
      const ulpin = parseUlpin(raw);
      const order = documentHash(o, "order", "court order");
      const liftingOrder = documentHash(o, "lifting-order", "lifting order");
      const client = await landClient(io, true);
      reportWrite(io.out, `lifted the freeze on ${ulpin}`, await client.unfreeze(ulpin, order, liftingOrder), { ulpin, order, liftingOrder });
    }),
  );

  const lien = land.command("lien").description("bank liens: register, consent to a transfer, release (banks); discharge (courts)");
  for (const [verb, description] of [
    ["register", "register a lien on a parcel"],
    ["consent", "consent, as lien holder, to a pending mutation (--deed)"],
    ["release", "release a lien"],
  ] as const) {
    withDocument(lien.command(`${verb} <ulpin>`).description(description), "loan", "the loan or mortgage reference")
      .option("--deed <hash>", "the mutation consented to (consent only)")
      .action(
        action<DocumentOptions & { deed?: string }>(async (io, [raw], o) => {
          const ulpin = parseUlpin(raw);
          const loan = documentHash(o, "loan", "loan reference");
          if ((verb === "consent") !== (o.deed !== undefined)) throw new InputError("--deed goes with consent, and only with it.");
          const client = await landClient(io, true);
          const result =
            verb === "register" ? await client.registerLien(ulpin, loan) : verb === "consent" ? await client.consent(ulpin, loan, parseHash(o.deed!, "deed hash")) : await client.releaseLien(ulpin, loan);
          const done = { register: "registered", consent: "consented with", release: "released" }[verb];
          reportWrite(io.out, `${done} lien ${loan} on ${ulpin}`, result, { ulpin, lien: loan });
        }),
      );
  }
  withDocument(
    withDocument(lien.command("discharge <ulpin>").description("discharge a lien whose bank can no longer act on it (courts)"), "loan", "the loan or mortgage reference"),
    "order",
    "the court's order",
  ).action(
    action<DocumentOptions>(async (io, [raw], o) => {
      const ulpin = parseUlpin(raw);
      const loan = documentHash(o, "loan", "loan reference");
      const order = documentHash(o, "order", "court order");
      const client = await landClient(io, true);
      reportWrite(io.out, `discharged lien ${loan} on ${ulpin}`, await client.dischargeLien(ulpin, loan, order), { ulpin, lien: loan, order });
    }),
  );

  withSnapshots(land.command("split <ulpin>"))
    .description("split a parcel into parts whose areas add up to its own; they keep its owners (survey staff)")
    .option("--part <ulpin:area:record-file>", "a new parcel, its area in m² and its Record-of-Rights file (repeat)", collect, [])
    .option("--use <class>", "land use of the parts (default: the parcel's)")
    .action(
      action<{ part: string[]; use?: string; snapshot: string[] }>(async (io, [raw], o) => {
        const ulpin = parseUlpin(raw);
        const client = await landClient(io, true);
        const parcel = await client.requireParcel(ulpin);
        const parts = o.part.map((spec) => parsePart(spec, o.use ? parseLandUse(o.use) : LAND_USES.indexOf(parcel.landUse)));
        const total = parts.reduce((sum, p) => sum + p.area, 0);
        if (parcel.status !== "retired" && total !== parcel.area) {
          throw new InputError(`The parts add up to ${total} m², but parcel ${ulpin} is ${parcel.area} m²; nothing was sent.`);
        }
        reportWrite(io.out, `split ${ulpin} into ${parts.map((p) => p.ulpin).join(", ")}`, await client.split(ulpin, parts, await snapshotFolders(o)), { ulpin, parts: parts.map((p) => p.ulpin) });
      }),
    );

  withDocument(
    withSnapshots(land.command("merge <ulpins...>"))
      .description("merge parcels of the same owners in one village (survey staff)")
      .requiredOption("--into <ulpin>", "the merged parcel's ULPIN")
      .option("--use <class>", "its land use (default: the first parcel's)"),
    "record",
    "the merged parcel's Record-of-Rights document",
  ).action(
    action<DocumentOptions & { into: string; use?: string; snapshot: string[] }>(async (io, [raws], o) => {
      const ulpins = (raws as unknown as string[]).map(parseUlpin);
      const client = await landClient(io, true);
      const parcels = await Promise.all(ulpins.map((u) => client.requireParcel(u)));
      const merged = {
        ulpin: parseUlpin(o.into),
        area: parcels.reduce((sum, p) => sum + p.area, 0),
        landUse: o.use ? parseLandUse(o.use) : LAND_USES.indexOf(parcels[0].landUse),
        recordHash: documentHash(o, "record", "Record of Rights"),
      };
      reportWrite(io.out, `merged ${ulpins.join(", ")} into ${merged.ulpin} (${merged.area} m²)`, await client.merge(ulpins, merged, await snapshotFolders(o)), { ulpins, into: merged.ulpin });
    }),
  );

  land
    .command("history <ulpin>")
    .description("the chain of title: owners, mutations with reasons and timings, freezes and liens (no key needed)")
    .action(
      action(async (io, [raw]) => {
        const ulpin = parseUlpin(raw);
        const { api, apiKey } = io.global;
        // With --api, the history comes from the service's index (a key with the read scope).
        if (api) {
          const history = await new ServiceClient(api, apiKey ?? process.env.SAKSHYA_API_KEY, deadlinesFrom(io.global.timeout)).titleHistory(ulpin);
          io.out.result(history as unknown as Record<string, unknown>, historyLines(history));
          return;
        }
        const context = await io.open();
        const client = new LandClient(context.deployment, context.provider);
        const now = (await context.provider.getBlock("latest"))!.timestamp;
        const history = await titleHistory(client, context.directory(), ulpin, now);
        io.out.result(history as unknown as Record<string, unknown>, historyLines(history));
      }),
    );

  land
    .command("extract <ulpin>")
    .description("a title extract as JSON, and as a printable PDF with a QR code (no key needed)")
    .requiredOption("--out <file>", "where to write the JSON extract")
    .option("--pdf <file>", "also write a printable PDF, its QR code linking to the verification page")
    .option("--verify-url <url>", `with --pdf: the verification page the QR code links to (or SAKSHYA_VERIFY_URL; on the development chain ${LOCAL_VERIFY_PAGE})`)
    .action(
      action<{ out: string; pdf?: string; verifyUrl?: string }>(async (io, [raw], o) => {
        const page = o.pdf ? verifyPageAddress(resolveNetwork(io.global).name, o.verifyUrl) : undefined;
        const context = await io.open();
        const client = new LandClient(context.deployment, context.provider);
        const head = (await context.provider.getBlock("latest"))!;
        const history = await titleHistory(client, context.directory(), parseUlpin(raw), head.timestamp);
        const extract = makeExtract(history, { chainId: context.deployment.chainId, registry: client.address, block: head.number, blockHash: head.hash! });
        fs.writeFileSync(o.out, `${JSON.stringify(extract, null, 2)}\n`);
        // pdfkit takes a sixth of a second to load; only this command needs it.
        if (o.pdf) await (await import("../../src/land/extract-pdf")).writeExtractPdf(extract, o.pdf, page!);
        io.out.result({ out: o.out, pdf: o.pdf, ulpin: extract.parcel.ulpin, version: extract.parcel.version, block: head.number }, [
          `✓ Title extract of ${extract.parcel.ulpin} (version ${extract.parcel.version}, block ${head.number}) written to ${o.out}${o.pdf ? ` and ${o.pdf}` : ""}`,
        ]);
      }),
    );

  land
    .command("verify-extract <file>")
    .description("check a title extract against the chain: exit 0 genuine and current, 1 outdated or not genuine")
    .option("--owner <card>", "also say what share this owner card's holder has now")
    .action(
      action<{ owner?: string }>(async (io, [file], o) => {
        const extract = readExtract(file);
        const commitment = o.owner ? readOwnerCard(o.owner).commitment : undefined;
        const client = await landClient(io, false);
        const result = await verifyExtract(extract, client, commitment);
        const mark = result.verdict === "current" ? "✓" : "✗";
        const ownerLine = result.ownerShare === undefined ? [] : [result.ownerShare > 0 ? `  the owner card's holder owns ${percent(result.ownerShare)} now` : "  the owner card's holder owns no share now"];
        io.out.result({ verdict: result.verdict, detail: result.sentence, ulpin: extract.parcel.ulpin, ownerShare: result.ownerShare }, [`${mark} ${extract.parcel.ulpin}: ${result.sentence}`, ...ownerLine]);
        return result.verdict === "current" ? ExitCode.Ok : ExitCode.No;
      }),
    );

  land
    .command("snapshot <export>")
    .description("build the migration tree of a register export (offline), and anchor its root with --anchor (governor)")
    .requiredOption("--out <dir>", "new folder for the snapshot")
    .option("--anchor", "anchor the root on chain once built")
    .action(
      action<{ out: string; anchor?: boolean }>(async (io, [file], o) => {
        const target = resolveNetwork(io.global);
        const deployment = readDeployment(io.global.deployments ?? defaultDeploymentPath(target.name));
        const anchor = { chainId: deployment.chainId, registry: deployedContractOf(deployment, "LandRegistry").address };
        const started = Date.now();
        const manifest = await buildSnapshot(file, o.out, anchor, await loadKeccak(), { threads: snapshotThreads() });
        const seconds = (Date.now() - started) / 1000;
        const lines = [
          `✓ Built the snapshot of ${manifest.parcelCount} parcels in ${o.out} (${seconds.toFixed(1)} s, ${Math.round(manifest.parcelCount / seconds)} parcels/s)`,
          `  root ${manifest.root}`,
          ...(manifest.ownerSalts > 0 ? [`  ${manifest.ownerSalts} owner salts in ${o.out}/owner-salts.csv: hand each owner theirs, and keep the file private`] : []),
        ];
        if (!o.anchor) {
          io.out.result({ ...manifest, out: o.out, seconds }, [...lines, `  next: sakshya land snapshot-anchor ${o.out}`]);
          return;
        }
        io.out.result({ ...manifest, out: o.out, seconds }, lines);
        await anchorFolder(io, o.out);
      }),
    );

  land
    .command("snapshot-anchor <dir>")
    .description("anchor a built snapshot's root on chain (governor; safe to re-run)")
    .action(action(async (io, [dir]) => anchorFolder(io, dir)));

  withDocument(
    land.command("snapshot-retire <root-or-dir>").description("retire a migration snapshot: nothing more materialises from it (governor; safe to re-run)"),
    "reason",
    "the decision retiring it",
  ).action(
    action<DocumentOptions>(async (io, [target], o) => {
      const root = /^0x[0-9a-fA-F]{64}$/.test(target) ? target.toLowerCase() : readSnapshotManifest(target).root;
      const context = await io.open();
      const client = new LandClient(context.deployment, context.provider);
      const outcome = await client.retireSnapshot(await context.governance(), root, documentHash(o, "reason", "reason"));
      if (outcome === "already-done") io.out.result({ status: "already-done", root }, [`✓ Snapshot ${root} is already retired, nothing sent.`]);
      else io.out.outcome(`Retired snapshot ${root}`, outcome, { root });
    }),
  );

  land
    .command("materialise <ulpin>")
    .description("bring a parcel of an anchored snapshot on chain, exactly as its entry says (any key)")
    .requiredOption("--snapshot <dir>", "the snapshot folder")
    .action(
      action<{ snapshot: string }>(async (io, [raw], o) => {
        const ulpin = parseUlpin(raw);
        const { manifest, entry, proof } = snapshotEntry(o.snapshot, ulpin, await loadKeccak());
        const client = await landClient(io, true);
        if (!(await client.snapshot(manifest.root))) throw new InputError(`Snapshot ${manifest.root} is not anchored on this chain yet.`);
        reportWrite(io.out, `materialised ${ulpin} from snapshot ${manifest.root}`, await client.materialise(manifest.root, entry.record, entry.owners, proof), { ulpin, root: manifest.root });
      }),
    );

  return land;
}

async function anchorFolder(io: ActionIo, dir: string): Promise<void> {
  const manifest = readSnapshotManifest(dir);
  const context = await io.open();
  const client = new LandClient(context.deployment, context.provider);
  if (manifest.anchor.chainId !== context.deployment.chainId || manifest.anchor.registry.toLowerCase() !== client.address.toLowerCase()) {
    throw new InputError(`The snapshot was built for registry ${manifest.anchor.registry} on chain ${manifest.anchor.chainId}, not this deployment's.`);
  }
  if (!manifest.absenceRoot) throw new InputError(`${dir} was built before snapshots could prove a ULPIN absent; build it again from its export before anchoring.`);
  const outcome = await client.anchorSnapshot(await context.governance(), manifest.root, manifest.parcelCount, manifest.exportHash, manifest.absenceRoot);
  if (outcome === "already-done") io.out.result({ status: "already-done", root: manifest.root }, [`✓ Snapshot ${manifest.root} is already anchored, nothing sent.`]);
  else io.out.outcome(`Anchored snapshot ${manifest.root} (${manifest.parcelCount} parcels)`, outcome, { root: manifest.root });
}
