import fs from "node:fs";
import path from "node:path";
import { getAddress, type Provider } from "ethers";
import type { Deployment } from "../config/deployments";
import { InputError } from "../errors";
import { chainDescribeContext, describeCall } from "../governance/describe";
import type { Governance, Proposed, Proposer } from "../governance/governed";
import { ROLE_NAMES, ROLES, type RoleName } from "../governance/roles";
import { newProposal, readProposal, writeProposal } from "./proposal";
import { readSafe, safeCall } from "./safe";

/** The committee (a role held by a Safe) at an address, or undefined. */
export function committeeRole(deployment: Deployment, address: string): RoleName | undefined {
  return ROLE_NAMES.find((name) => deployment.roles[name]?.account.toLowerCase() === address.toLowerCase());
}

/** Where a proposal goes when no file is named: proposals/<network>/<role>-<nonce>.json, under the working folder. */
export function defaultProposalFolder(network: string): string {
  return path.join(process.cwd(), "proposals", network);
}

export interface ProposerOptions {
  readonly deployment: Deployment;
  readonly provider: Provider;
  /** The file to write; by default a new file in {@link defaultProposalFolder}. */
  readonly file?: string;
  /** The committee to propose to; by default the first whose role may make the call. */
  readonly role?: RoleName;
  /** The proposer's own words for it (the call's description is read from its calldata anyway). */
  readonly title?: string;
}

/**
 * Writes governance calls as proposals of the committee whose role may make them: the call itself when the role may
 * make it at once, its scheduling when the role waits out a delay. The nonce is the Safe's next, after those of the
 * proposals already waiting in the same folder, so that several can be signed at once and executed in order.
 */
export class CommitteeProposer implements Proposer {
  constructor(private readonly options: ProposerOptions) {}

  async committeeFor(governance: Governance, target: string, data: string): Promise<string> {
    const { deployment, provider, role } = this.options;
    const names = role ? [role] : ROLE_NAMES;
    for (const name of names) {
      const holder = deployment.roles[name]?.account;
      if (!holder || !(await readSafe(provider, holder))) continue;
      const [immediate, delay] = await governance.permission(holder, target, data);
      if (immediate || delay > 0n) return holder;
    }
    const which = role ? `The ${ROLES[role].label} committee` : "No committee of this deployment";
    throw new InputError(`${which} may make this call: only a role held by a Safe can be proposed to (see "sakshya committee show").`);
  }

  async propose(committee: string, to: string, data: string, delayed: boolean): Promise<Proposed> {
    const { deployment, provider } = this.options;
    const safe = await readSafe(provider, committee);
    if (!safe) throw new InputError(`${committee} is not a Safe.`);
    const role = committeeRole(deployment, committee) ?? "committee";
    const folder = this.options.file ? path.dirname(path.resolve(this.options.file)) : defaultProposalFolder(deployment.network);
    const nonce = nextNonce(folder, deployment.chainId, safe.address, safe.nonce);
    const transaction = safeCall(to, data, nonce);
    const title = this.options.title ?? (await describeCall(chainDescribeContext(deployment, provider), to, data)).text;
    const proposal = newProposal({ network: deployment.network, chainId: deployment.chainId, committee: { role, safe: getAddress(committee) }, title, transaction });
    const file = path.resolve(this.options.file ?? path.join(folder, `${role}-${nonce}.json`));
    if (fs.existsSync(file)) throw new InputError(`${file} exists already: name another file for this proposal.`);
    writeProposal(file, proposal);
    return { status: "proposed", file, role, safe: safe.address, nonce: transaction.nonce, safeTxHash: proposal.safeTxHash, threshold: safe.threshold, delayed, title };
  }
}

/** The Safe's next nonce not taken by a proposal waiting in `folder` (files that are not proposals are passed over). */
function nextNonce(folder: string, chainId: number, safe: string, chainNonce: bigint): bigint {
  let next = chainNonce;
  for (const name of fs.existsSync(folder) ? fs.readdirSync(folder) : []) {
    if (!name.endsWith(".json")) continue;
    try {
      const waiting = readProposal(path.join(folder, name));
      const nonce = BigInt(waiting.transaction.nonce);
      if (waiting.chainId === chainId && waiting.committee.safe === safe && nonce >= next) next = nonce + 1n;
    } catch {
      // Not a proposal of ours, or a broken one: it takes no nonce.
    }
  }
  return next;
}
