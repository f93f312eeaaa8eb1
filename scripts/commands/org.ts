import { Command } from "commander";
import { action } from "../../src/cli/action";
import { parseTime } from "../../src/cli/arguments";
import { table } from "../../src/cli/output";
import { isoTime } from "../../src/io/time";
import { parseAddress, type OrganisationDetail, type OrganisationView } from "../../src/directory/client";
import { parseEnode, parseNodeReference } from "../../src/directory/enode";
import { CAPABILITY_NAMES, KINDS, parseJurisdiction, parseJurisdictions } from "../../src/directory/vocabulary";
import { ExitCode } from "../../src/errors";
import { documentHash, withDocument, type DocumentOptions } from "../../src/cli/documents";

type MetadataOptions = DocumentOptions;
type ReasonOptions = DocumentOptions;

const metadataOf = (o: MetadataOptions) => documentHash(o, "metadata", "metadata");
const reasonOf = (o: ReasonOptions) => documentHash(o, "reason", "reason");
const withMetadata = (command: Command) => withDocument(command, "metadata", "public description of the organisation");
const withReason = (command: Command) => withDocument(command, "reason", "the decision or reference behind this change");

function summaryLines(org: OrganisationView): string[] {
  return [
    `Organisation ${org.id}: ${org.code} (${org.kind}) — ${org.status}`,
    `  capabilities:  ${org.capabilities.join(", ") || "none"}`,
    `  jurisdictions: ${org.jurisdictions.map((j) => (j === 0 ? "statewide" : String(j))).join(", ") || "none"}`,
    ...(org.successor === 0 ? [] : [`  successor:     organisation ${org.successor}`]),
    `  metadata hash: ${org.metadataHash}`,
    `  onboarded:     ${isoTime(org.onboardedAt)}   updated: ${isoTime(org.updatedAt)}`,
  ];
}

function detailLines(org: OrganisationDetail): string[] {
  return [
    ...summaryLines(org),
    `  accounts (${org.accounts.length}):`,
    ...org.accounts.map((a) => `    ${a.address}  added ${isoTime(a.addedAt)}`),
    `  nodes (${org.nodes.length}):`,
    ...org.nodes.map((n) => `    ${n.enode}${n.validator ? "  [validator]" : ""}  ${n.allowed ? "allowed" : "NOT allowed"}`),
  ];
}

export function orgCommand(): Command {
  const org = new Command("org").description("organisations in the participant directory, their accounts and nodes");

  withMetadata(
    org
      .command("onboard <code>")
      .description("onboard an organisation (operator; delayed)")
      .requiredOption("--kind <kind>", `one of ${KINDS.join(", ")}`)
      .option("--capabilities <list>", `comma-separated: ${CAPABILITY_NAMES.join(", ")}`, "")
      .option("--jurisdictions <codes>", "comma-separated jurisdiction codes; 0 = statewide", ""),
  ).action(
    action<MetadataOptions & { kind: string; capabilities: string; jurisdictions: string }>(async ({ out, open }, [code], o) => {
      const request = {
        code,
        kind: o.kind,
        capabilities: o.capabilities,
        jurisdictions: parseJurisdictions(o.jurisdictions),
        metadataHash: metadataOf(o),
      };
      const directory = await (await open()).writableDirectory();
      const outcome = await directory.onboard(request);
      out.outcome(outcome.orgId ? `Onboarded ${code} as organisation ${outcome.orgId}` : `Onboarding of ${code}`, outcome, {
        code,
        orgId: outcome.orgId,
      });
    }),
  );

  org
    .command("show <org>")
    .description("an organisation with its accounts and nodes (code or id)")
    .action(
      action(async ({ out, open }, [reference]) => {
        const directory = (await open()).directory();
        const detail = await directory.detail(await directory.resolveOrganisation(reference));
        out.result(detail as unknown as Record<string, unknown>, detailLines(detail));
      }),
    );

  org
    .command("list")
    .description("every organisation")
    .action(
      action(async ({ out, open }) => {
        const orgs = await (await open()).directory().list();
        const rows = orgs.map((o) => [String(o.id), o.code, o.kind, o.status, o.capabilities.join(",") || "-"]);
        out.result(orgs, orgs.length ? table(["id", "code", "kind", "status", "capabilities"], rows) : ["No organisations yet."]);
      }),
    );

  org
    .command("check <account>")
    .description("may this account act with these capabilities (in this jurisdiction)? exit 0 yes, 1 no")
    .option("--capability <list>", "comma-separated capabilities needed", "")
    .option("--jurisdiction <code>", "jurisdiction the action is in (0 = none needed)", "0")
    .action(
      action<{ capability: string; jurisdiction: string }>(async ({ out, open }, [account], o) => {
        const address = parseAddress(account);
        const jurisdiction = parseJurisdiction(o.jurisdiction);
        const result = await (await open()).directory().authorization(address, o.capability, jurisdiction);
        const what = `${address} ${o.capability ? `with ${o.capability}` : ""}${jurisdiction ? ` in jurisdiction ${jurisdiction}` : ""}`.trim();
        out.result(
          { account: address, authorized: result.authorized, orgId: result.orgId, reason: result.reason?.errorName, detail: result.reason?.message },
          [result.authorized ? `✓ authorised: ${what} acts for organisation ${result.orgId}` : `✗ not authorised: ${what} — ${result.reason?.message}`],
        );
        return result.authorized ? ExitCode.Ok : ExitCode.No;
      }),
    );

  withMetadata(
    org
      .command("update <org>")
      .description("replace an organisation's capabilities and metadata (operator; delayed)")
      .requiredOption("--capabilities <list>", "the full new capability list (comma-separated; empty for none)"),
  ).action(
    action<MetadataOptions & { capabilities: string }>(async ({ out, open }, [reference], o) => {
      const metadataHash = metadataOf(o);
      const directory = await (await open()).writableDirectory();
      const id = await directory.resolveOrganisation(reference);
      out.outcome(`Updated organisation ${id}`, await directory.updateOrganisation(id, o.capabilities, metadataHash), { orgId: id });
    }),
  );

  org
    .command("set-jurisdictions <org> <codes>")
    .description("replace an organisation's jurisdictions, comma-separated; 0 = statewide (operator; delayed)")
    .action(
      action(async ({ out, open }, [reference, codes]) => {
        const jurisdictions = parseJurisdictions(codes);
        const directory = await (await open()).writableDirectory();
        const id = await directory.resolveOrganisation(reference);
        out.outcome(`Set jurisdictions of organisation ${id}`, await directory.setJurisdictions(id, jurisdictions), { orgId: id });
      }),
    );

  org
    .command("successor <org> <successor>")
    .description("name the organisation that takes over an organisation's liens once it can no longer act — a merged bank's acquirer (operator; delayed)")
    .action(
      action(async ({ out, open }, [reference, successorReference]) => {
        const directory = await (await open()).writableDirectory();
        const id = await directory.resolveOrganisation(reference);
        const successor = await directory.resolveOrganisation(successorReference);
        out.outcome(`Named organisation ${successor} successor of organisation ${id}`, await directory.setSuccessor(id, successor), { orgId: id, successor });
      }),
    );

  const statusChanges = [
    ["suspend", "suspend an organisation: its accounts and nodes stop at once (responder; immediate)", "Suspended"],
    ["reinstate", "reinstate a suspended organisation (operator; delayed)", "Reinstated"],
    ["offboard", "offboard an organisation for good (governor; delayed)", "Offboarded"],
  ] as const;
  for (const [verb, description, past] of statusChanges) {
    withReason(org.command(`${verb} <org>`).description(description)).action(
      action<ReasonOptions>(async ({ out, open }, [reference], o) => {
        const reason = reasonOf(o);
        const directory = await (await open()).writableDirectory();
        const id = await directory.resolveOrganisation(reference);
        out.outcome(`${past} organisation ${id}`, await directory.changeStatus(verb, id, reason), { orgId: id, reason });
      }),
    );
  }

  org
    .command("add-account <org> <address>")
    .description("add a signing key to an organisation (operator; delayed)")
    .action(
      action(async ({ out, open }, [reference, account]) => {
        const address = parseAddress(account);
        const directory = await (await open()).writableDirectory();
        const id = await directory.resolveOrganisation(reference);
        out.outcome(`Added account ${address} to organisation ${id}`, await directory.addAccount(id, address), { orgId: id, account: address });
      }),
    );

  org
    .command("remove-account <address>")
    .description("remove a signing key; what it signed stays valid (responder; immediate)")
    .action(
      action(async ({ out, open }, [account]) => {
        const address = parseAddress(account);
        const directory = await (await open()).writableDirectory();
        out.outcome(`Removed account ${address}`, await directory.removeAccount(address), { account: address });
      }),
    );

  org
    .command("compromise-account <address>")
    .description("report a key compromised: removed now, and what it signed from the cut-off on is void (responder; immediate)")
    .option("--cutoff <time>", "when the key was compromised, at most 72 hours back (earlier: backdate-compromise): ISO date-time or Unix seconds (default: now)")
    .action(
      action<{ cutoff?: string }>(async ({ out, open }, [account], o) => {
        const address = parseAddress(account);
        const context = await open();
        const cutoff = o.cutoff === undefined ? (await context.provider.getBlock("latest"))!.timestamp : parseTime(o.cutoff, "--cutoff");
        const directory = await context.writableDirectory();
        out.outcome(`Marked ${address} compromised from ${isoTime(cutoff)}`, await directory.compromiseAccount(address, cutoff), {
          account: address,
          cutoff,
        });
      }),
    );

  withReason(
    org
      .command("backdate-compromise <address>")
      .description("move a reported key's cut-off earlier, voiding what it signed from then on (governor; delayed, the guardian may cancel)")
      .requiredOption("--cutoff <time>", "the earlier cut-off: ISO date-time or Unix seconds"),
  ).action(
    action<ReasonOptions & { cutoff: string }>(async ({ out, open }, [account], o) => {
      const address = parseAddress(account);
      const cutoff = parseTime(o.cutoff, "--cutoff");
      const directory = await (await open()).writableDirectory();
      out.outcome(`Moved ${address}'s cut-off back to ${isoTime(cutoff)}`, await directory.backdateCompromise(address, cutoff, reasonOf(o)), { account: address, cutoff });
    }),
  );

  org
    .command("add-node <org> <enode>")
    .description("register a node (enode://<key>@host:port) of an organisation (operator; delayed)")
    .option("--validator", "the node validates blocks (needs the validate capability)", false)
    .action(
      action<{ validator: boolean }>(async ({ out, open }, [reference, enodeUrl], o) => {
        const enode = parseEnode(enodeUrl);
        const directory = await (await open()).writableDirectory();
        const id = await directory.resolveOrganisation(reference);
        const outcome = await directory.addNode(id, enode, o.validator);
        out.outcome(`Added node ${outcome.nodeId} to organisation ${id}`, outcome, { orgId: id, nodeId: outcome.nodeId });
      }),
    );

  org
    .command("remove-node <node>")
    .description("remove a node, by node id or enode URL (responder; immediate)")
    .action(
      action(async ({ out, open }, [reference]) => {
        const id = parseNodeReference(reference);
        const directory = await (await open()).writableDirectory();
        out.outcome(`Removed node ${id}`, await directory.removeNode(id), { nodeId: id });
      }),
    );

  return org;
}


