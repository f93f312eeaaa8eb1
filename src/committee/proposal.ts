import fs from "node:fs";
import { getAddress, isHexString } from "ethers";
import { z } from "zod";
import { checksummedAddress } from "../config/deployments";
import { InputError } from "../errors";
import { writeDurably } from "../io/durable";
import { safeTransactionHash, signerOf, type SafeTransaction } from "./safe";
import { isoNow } from "../io/time";

/**
 * A committee's proposal as a file that travels between its members: the Safe transaction it would make, the hash they
 * sign, and the signatures gathered so far. Nothing in it is taken on trust: its hash is computed again from the
 * transaction, each signature is checked against the key it is filed under, and what the transaction does is read from
 * its calldata when it is shown.
 */
export const PROPOSAL_FORMAT = "sakshya-proposal/1";

const address = checksummedAddress;
const hex = z.string().refine((value): boolean => isHexString(value), "must be 0x-prefixed hex");
const hash = z.string().refine((value): boolean => isHexString(value, 32), "must be 32 bytes of hex");
const decimal = z.string().regex(/^\d+$/, "must be a whole number");

const transactionSchema = z.object({
  to: address,
  value: decimal,
  data: hex,
  operation: z.literal(0),
  safeTxGas: decimal,
  baseGas: decimal,
  gasPrice: decimal,
  gasToken: address,
  refundReceiver: address,
  nonce: decimal,
});

const proposalSchema = z.object({
  format: z.literal(PROPOSAL_FORMAT),
  network: z.string(),
  chainId: z.number().int().positive(),
  committee: z.object({ role: z.string(), safe: address }),
  /** The proposer's words, shown beside the description read from the calldata, never instead of it. */
  title: z.string().max(500),
  transaction: transactionSchema,
  safeTxHash: hash,
  proposedAt: z.string(),
  signatures: z.record(z.string(), hex),
});

export type Proposal = z.infer<typeof proposalSchema>;

export function newProposal(fields: Omit<Proposal, "format" | "safeTxHash" | "signatures" | "proposedAt"> & { transaction: SafeTransaction }): Proposal {
  return {
    format: PROPOSAL_FORMAT,
    ...fields,
    safeTxHash: safeTransactionHash(fields.chainId, fields.committee.safe, fields.transaction),
    proposedAt: isoNow(),
    signatures: {},
  };
}

/**
 * Reads a proposal and proves it whole: the hash is the transaction's, and every signature is its key's. A file changed
 * after it was signed — its call, nonce or Safe — is refused, not silently re-signed.
 */
export function readProposal(file: string): Proposal {
  let json: unknown;
  try {
    json = JSON.parse(fs.readFileSync(file, "utf8"));
  } catch (error) {
    const missing = (error as { code?: string }).code === "ENOENT";
    throw new InputError(missing ? `No proposal file at ${file}.` : `${file} is not a proposal: it is not valid JSON.`);
  }
  const parsed = proposalSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new InputError(`${file} is not a valid proposal: ${issue.path.join(".") || "the file"} ${issue.message}.`);
  }
  const proposal = parsed.data;
  const computed = safeTransactionHash(proposal.chainId, proposal.committee.safe, proposal.transaction);
  if (computed !== proposal.safeTxHash) {
    throw new InputError(`${file} was changed after it was proposed: its transaction hashes to ${computed}, not the ${proposal.safeTxHash} it names.`);
  }
  for (const [member, signature] of Object.entries(proposal.signatures)) {
    if (signerOf(proposal.safeTxHash, signature) !== member) {
      throw new InputError(`${file} holds a signature filed under ${member} that ${member} did not make.`);
    }
  }
  return proposal;
}

export function writeProposal(file: string, proposal: Proposal): void {
  writeDurably(file, `${JSON.stringify(proposalSchema.parse(proposal), null, 2)}\n`);
}

/** The proposal with one more member's signature, checked to be that member's signature of this proposal. */
export function withSignature(proposal: Proposal, signature: string): { proposal: Proposal; member: string } {
  const member = signerOf(proposal.safeTxHash, signature);
  return { member, proposal: { ...proposal, signatures: { ...proposal.signatures, [member]: signature } } };
}

/** Gathers into `proposal` the signatures of copies of it that members signed apart; a copy of anything else is refused. */
export function mergeSignatures(proposal: Proposal, copies: ReadonlyArray<{ file: string; proposal: Proposal }>): Proposal {
  let merged = proposal;
  for (const copy of copies) {
    if (copy.proposal.safeTxHash !== proposal.safeTxHash) {
      throw new InputError(`${copy.file} is another proposal (${copy.proposal.safeTxHash}), not a copy of this one (${proposal.safeTxHash}).`);
    }
    merged = { ...merged, signatures: { ...merged.signatures, ...copy.proposal.signatures } };
  }
  return merged;
}

/** The signatures of current members only: a former member's signature no longer counts for the Safe. */
export function memberSignatures(proposal: Proposal, members: readonly string[]): Map<string, string> {
  const current = new Set(members.map((m) => getAddress(m)));
  return new Map(Object.entries(proposal.signatures).filter(([signer]) => current.has(getAddress(signer))));
}
