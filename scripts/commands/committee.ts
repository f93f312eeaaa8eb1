import fs from "node:fs";
import path from "node:path";
import { Command } from "commander";
import type { Provider } from "ethers";
import { action } from "../../src/cli/action";
import type { CommandContext } from "../../src/cli/context";
import { table } from "../../src/cli/output";
import { CommitteeProposer, defaultProposalFolder } from "../../src/committee/propose";
import { mergeSignatures, readProposal, withSignature, writeProposal, type Proposal } from "../../src/committee/proposal";
import { SAFE_INTERFACE, readSafe, signSafeTransaction } from "../../src/committee/safe";
import { executeProposal, proposalStatus, type OperationState, type ProposalStatus } from "../../src/committee/status";
import { defaultDeploymentPath, readDeployment, type Deployment } from "../../src/config/deployments";
import { resolveNetwork } from "../../src/config/networks";
import { parseAddress } from "../../src/directory/client";
import { InputError } from "../../src/errors";
import { chainDescribeContext, describeCall, type CallDescription } from "../../src/governance/describe";
import { ROLE_NAMES, type RoleName } from "../../src/governance/roles";
import { acquireLock } from "../../src/io/durable";
import { isoTime } from "../../src/io/time";
import { resolveKey } from "../../src/keys/signer";

function committeeOf(deployment: Deployment, role: string): { name: RoleName; safe: string } {
  const name = ROLE_NAMES.find((n) => n === role.toLowerCase());
  if (!name) throw new InputError(`Unknown role "${role}"; known: ${ROLE_NAMES.join(", ")}.`);
  const holder = deployment.roles[name];
  if (!holder?.committee) throw new InputError(`The ${name} is not a committee in this deployment (${holder?.account ?? "nobody"}).`);
  return { name, safe: holder.account };
}

function parseThreshold(value: string): number {
  if (!/^\d+$/.test(value) || Number(value) < 1) throw new InputError(`"${value}" is not a threshold: a whole number of signatures, at least 1.`);
  return Number(value);
}

/** What a proposal does, read from its calldata, with the version of an upgrade's target when the chain can tell. */
function describeProposal(deployment: Deployment, proposal: Proposal, provider?: Provider): Promise<CallDescription> {
  const context = provider ? chainDescribeContext(deployment, provider) : { deployment };
  return describeCall(context, proposal.transaction.to, proposal.transaction.data);
}

function operationText(operation: OperationState): string {
  if (operation.state === "waiting") return `scheduled as operation ${operation.operationId}: it may run after ${isoTime(operation.readyAt)} unless the guardian cancels it`;
  if (operation.state === "ready") return `operation ${operation.operationId} is ready: anyone may run it now ("sakshya committee execute <file>")`;
  return `operation ${operation.operationId} ${operation.state}`;
}

function statusText(status: ProposalStatus): string {
  switch (status.state) {
    case "signing":
      return `waiting for signatures: ${status.signed.length} of ${status.threshold}`;
    case "ready":
      return `ready to execute: ${status.signed.length} of ${status.threshold} signatures`;
    case "queued":
      return `signed, after the committee's earlier proposals (its next nonce is ${status.nextNonce})`;
    case "replaced":
      return "replaced: another transaction used its nonce";
    case "executed":
      return `executed (tx ${status.transaction}, block ${status.block})${status.operation ? `; ${operationText(status.operation)}` : ""}`;
  }
}

/** A proposal's lines: its words, what in it grants power, the committee, and who signed. */
function proposalLines(proposal: Proposal, description: CallDescription, members: readonly string[] | undefined, status?: ProposalStatus): string[] {
  const signed = Object.keys(proposal.signatures);
  return [
    `Proposal to the ${proposal.committee.role.toUpperCase()} committee (Safe ${proposal.committee.safe}, nonce ${proposal.transaction.nonce}, chain ${proposal.chainId})`,
    `  does:     ${description.text}`,
    ...(proposal.title !== description.text ? [`  titled:   ${proposal.title}  (the proposer's words; "does" is read from the call itself)`] : []),
    ...description.warnings.map((w) => `  ⚠ ${w}`),
    `  hash:     ${proposal.safeTxHash}`,
    `  signed:   ${signed.length ? signed.join(", ") : "nobody yet"}`,
    ...(members ? [`  members:  ${members.map((m) => (signed.includes(m) ? `${m} ✓` : m)).join(", ")}`] : []),
    ...(status ? [`  status:   ${statusText(status)}`] : []),
  ];
}

/** Proposal files of a folder, newest nonce last; files that are not proposals are named and passed over. */
function proposalsIn(folder: string): Array<{ file: string; proposal: Proposal }> {
  if (!fs.existsSync(folder)) return [];
  const found: Array<{ file: string; proposal: Proposal }> = [];
  for (const name of fs.readdirSync(folder).filter((n) => n.endsWith(".json")).sort()) {
    const file = path.join(folder, name);
    try {
      found.push({ file, proposal: readProposal(file) });
    } catch (error) {
      process.stderr.write(`note: skipped ${file}: ${(error as Error).message}\n`);
    }
  }
  return found.sort((a, b) => a.proposal.committee.safe.localeCompare(b.proposal.committee.safe) || Number(BigInt(a.proposal.transaction.nonce) - BigInt(b.proposal.transaction.nonce)));
}

/** The committee Safe's own calls on its members and threshold, written as its proposal. */
async function proposeToItself(context: CommandContext, role: string, data: string, file?: string) {
  const { name, safe } = committeeOf(context.deployment, role);
  const proposer = new CommitteeProposer({ deployment: context.deployment, provider: context.provider, file, role: name });
  return proposer.propose(safe, safe, data, false);
}

export function committeeCommand(): Command {
  const committee = new Command("committee").description(
    "committees (Safe multisigs) holding governance roles: proposals their members review and sign offline, executed once enough have signed",
  );

  committee
    .command("show [proposal]")
    .description("each committee's members and threshold; or a proposal in plain words, what in it grants power, who signed and where it stands")
    .action(
      action(async ({ out, open }, [file]) => {
        const context = await open();
        if (file) {
          const proposal = readProposal(file);
          const description = await describeProposal(context.deployment, proposal, context.provider);
          const { safe, status } = await proposalStatus(context.provider, context.deployment, proposal);
          out.result({ file, ...proposal, description, status }, proposalLines(proposal, description, safe.members, status));
          return;
        }
        const committees = [];
        for (const name of ROLE_NAMES) {
          const holder = context.deployment.roles[name];
          const safe = holder && (await readSafe(context.provider, holder.account));
          committees.push({ role: name, account: holder?.account, safe });
        }
        out.result(committees, [
          ...table(
            ["role", "held by", "committee"],
            committees.map((c) => [c.role, c.account ?? "(nobody)", c.safe ? `${c.safe.threshold} of ${c.safe.members.length}, next nonce ${c.safe.nonce}` : "a single key"]),
          ),
          ...committees.filter((c) => c.safe).flatMap((c) => ["", `${c.role} members: ${c.safe!.members.join(", ")}`]),
        ]);
      }),
    );

  committee
    .command("list [folder]")
    .description("the proposals in a folder (default proposals/<network>), with their signatures and status")
    .action(
      action(async ({ out, open }, [folder]) => {
        const context = await open();
        const found = proposalsIn(folder ?? defaultProposalFolder(context.deployment.network));
        const rows = [];
        for (const { file, proposal } of found) {
          const { status } = await proposalStatus(context.provider, context.deployment, proposal);
          const description = await describeProposal(context.deployment, proposal, context.provider);
          rows.push({ file, role: proposal.committee.role, nonce: proposal.transaction.nonce, does: description.text, warnings: description.warnings, signatures: Object.keys(proposal.signatures).length, status });
        }
        out.result(
          rows,
          rows.length
            ? table(["file", "committee", "nonce", "signed", "status", "does"], rows.map((r) => [path.basename(r.file), r.role, r.nonce, String(r.signatures), r.status.state, `${r.warnings.length ? "⚠ " : ""}${r.does}`]))
            : ["No proposals."],
        );
      }),
    );

  committee
    .command("sign <proposal>")
    .description("sign a proposal as a member, offline: needs the key (--keystore, or --dev-account on the local chain), not the chain")
    .action(
      action(async ({ out, global }, [file]) => {
        const release = await acquireLock(file, 10_000, `Another signature is being added to ${file}; try again.`);
        try {
          const proposal = readProposal(file);
          const deployment = readDeployment(global.deployments ?? defaultDeploymentPath(resolveNetwork(global).name));
          if (deployment.chainId !== proposal.chainId) throw new InputError(`The proposal is for chain ${proposal.chainId}; the deployment file describes chain ${deployment.chainId}.`);
          const members = deployment.roles[proposal.committee.role as RoleName]?.committee?.members;
          const key = await resolveKey(global, proposal.chainId, "a proposal");
          if (members && !members.includes(key.address)) throw new InputError(`${key.address} is not a member of the ${proposal.committee.role} committee as the deployment file records it (${members.join(", ")}).`);
          const description = await describeProposal(deployment, proposal);
          const signature = await signSafeTransaction(key, proposal.chainId, proposal.committee.safe, proposal.transaction);
          const { proposal: signed, member } = withSignature(proposal, signature);
          writeProposal(file, signed);
          const count = Object.keys(signed.signatures).length;
          out.result({ file, member, signature, signatures: count }, [...proposalLines(signed, description, members), `✓ Signed by ${member} (${count} signature${count === 1 ? "" : "s"} now).`]);
        } finally {
          await release();
        }
      }),
    );

  committee
    .command("merge <proposal> <copies...>")
    .description("gather into a proposal the signatures of copies of it that members signed apart")
    .action(
      action(async ({ out }, args) => {
        const [file, ...copies] = args.flat();
        const release = await acquireLock(file, 10_000, `${file} is being changed by another command; try again.`);
        try {
          const merged = mergeSignatures(readProposal(file), copies.map((copy) => ({ file: copy, proposal: readProposal(copy) })));
          writeProposal(file, merged);
          const signers = Object.keys(merged.signatures);
          out.result({ file, signatures: signers }, [`✓ ${file} now holds ${signers.length} signature${signers.length === 1 ? "" : "s"}: ${signers.join(", ")}.`]);
        } finally {
          await release();
        }
      }),
    );

  committee
    .command("execute <proposal>")
    .description("send a proposal that has enough signatures (any account may), or carry out the operation it scheduled once its delay has passed")
    .action(
      action(async ({ out, open }, [file]) => {
        const context = await open();
        const proposal = readProposal(file);
        const execution = await executeProposal(await context.wallet(), context.deployment, proposal);
        const tx = { transaction: execution.receipt.hash, block: execution.receipt.blockNumber };
        const what = (await describeProposal(context.deployment, proposal, context.provider)).text;
        const lines =
          execution.step === "operation"
            ? [`✓ Carried out the committee's scheduled operation ${execution.operation!.operationId} (tx ${tx.transaction}, block ${tx.block}).`]
            : [`✓ The ${proposal.committee.role.toUpperCase()} committee executed its proposal: ${what} (tx ${tx.transaction}, block ${tx.block}).`, ...(execution.operation ? [`  ${operationText(execution.operation)}`] : [])];
        out.result({ status: execution.step === "operation" ? "executed" : execution.operation ? "scheduled" : "executed", step: execution.step, ...tx, ...(execution.operation ? { operation: execution.operation } : {}) }, lines);
      }),
    );

  for (const [verb, description] of [
    ["add-member", "propose that a committee take a new member, with the threshold from then on"],
    ["remove-member", "propose that a committee drop a member, with the threshold from then on"],
  ] as const) {
    committee
      .command(`${verb} <role> <member>`)
      .description(description)
      .requiredOption("--threshold <n>", "signatures the committee needs afterwards")
      .option("--out <file>", "where to write the proposal (default proposals/<network>/<role>-<nonce>.json)")
      .action(
        action<{ threshold: string; out?: string }>(async ({ out, open }, [role, member], o) => {
          const context = await open();
          const { safe } = committeeOf(context.deployment, role);
          const account = parseAddress(member);
          const threshold = parseThreshold(o.threshold);
          let data: string;
          if (verb === "add-member") data = SAFE_INTERFACE.encodeFunctionData("addOwnerWithThreshold", [account, threshold]);
          else {
            const members = (await readSafe(context.provider, safe))!.members;
            const at = members.indexOf(account);
            if (at < 0) throw new InputError(`${account} is not a member of the ${role} committee.`);
            // The Safe keeps its members as a linked list: a member is removed by naming the one before it.
            const previous = at === 0 ? "0x0000000000000000000000000000000000000001" : members[at - 1];
            data = SAFE_INTERFACE.encodeFunctionData("removeOwner", [previous, account, threshold]);
          }
          out.outcome(`${verb === "add-member" ? "Add" : "Remove"} ${account}`, await proposeToItself(context, role, data, o.out));
        }),
      );
  }

  committee
    .command("set-threshold <role> <n>")
    .description("propose how many signatures a committee needs")
    .option("--out <file>", "where to write the proposal (default proposals/<network>/<role>-<nonce>.json)")
    .action(
      action<{ out?: string }>(async ({ out, open }, [role, n], o) => {
        const context = await open();
        const data = SAFE_INTERFACE.encodeFunctionData("changeThreshold", [parseThreshold(n)]);
        out.outcome(`Require ${n} signatures of the ${role} committee`, await proposeToItself(context, role, data, o.out));
      }),
    );

  return committee;
}
