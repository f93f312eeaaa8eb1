import { getBytes, isCallException, ZeroHash, type ContractRunner, type Signer } from "ethers";
import { CertificateRegistry__factory, type CertificateRegistry } from "../../typechain-types";
import { ContractClient, type WriteResult } from "../chain/contract-client";
import { deployedContractOf, type Deployment } from "../config/deployments";
import { codeSlotOf } from "../codes/short-code";
import { DirectoryClient } from "../directory/client";
import { InputError } from "../errors";
import type { Governance, Outcome } from "../governance/governed";
import type { BatchManifest } from "./batch";
import { reasonName, statusName, type ReasonName, type StatusName } from "./vocabulary";

export interface BatchRecord {
  readonly signer: string;
  readonly issuedAt: number;
  readonly expiresAt: number;
  readonly documentCount: number;
  readonly mark: number;
  /** The decision by which governance affirmed the batch after its signing key was reported compromised. */
  readonly affirmation?: string;
}

/** A document named fully: the organisation that issued its batch, the batch root, its index. */
export interface DocumentRef {
  readonly issuerOrgId: number;
  readonly root: string;
  readonly index: number;
}

/** A batch named fully: the organisation that issued it and its root. */
export interface BatchRef {
  readonly issuerOrgId: number;
  readonly root: string;
}

export interface DocumentStatusView {
  readonly status: StatusName;
  readonly reason: ReasonName | `reason#${number}`;
  readonly issuerOrgId: number;
  readonly signer: string;
  readonly issuedAt: number;
  readonly expiresAt: number;
  readonly replacement?: DocumentRef;
  /** The decision by which governance affirmed the document's batch, which its signer's compromise had voided. */
  readonly affirmation?: string;
}

export type { WriteResult } from "../chain/contract-client";

/** What the registry says of a batch mark that matters here: its reason code, and whether it counts. */
interface BatchMark {
  readonly value: bigint;
  readonly counts: boolean;
}

/** A batch the organisation never issued has no marks: the write itself then gives the registry's sentence. */
const NO_MARKS: readonly [BatchMark, BatchMark] = [
  { value: 0n, counts: false },
  { value: 0n, counts: false },
];

/** Documents per status range: 10,000 cost 5.8 million gas (gas snapshot), so 20,000 stay inside the 16.7 million cap. */
export const STATUS_CALL_SIZE = 20_000;
/** A gap wider than this between wanted documents starts a new range rather than reading the documents between. */
const RANGE_GAP = 256;
const PARALLEL_CALLS = 4;

/** A set of document indices as the registry's bitmap: bit `b` of word `j` is index `(firstWord + j) * 256 + b`. */
export function toBitmap(indices: readonly number[]): { firstWord: bigint; bitmap: bigint[] } {
  if (indices.length === 0) throw new InputError("Select at least one document.");
  const words = indices.map((i) => Math.floor(i / 256));
  const firstWord = Math.min(...words);
  const bitmap: bigint[] = new Array(Math.max(...words) - firstWord + 1).fill(0n);
  for (const index of indices) bitmap[Math.floor(index / 256) - firstWord] |= 1n << BigInt(index % 256);
  return { firstWord: BigInt(firstWord), bitmap };
}

/** Reads the certificate registry and, given a signer, writes to it as an issuer (or governance role holder). */
export class CertificateClient extends ContractClient {
  readonly contract: CertificateRegistry;
  /** The directory, for what a batch's standing depends on: its signer's compromise cut-off. */
  private readonly directory: DirectoryClient;
  /** Most documents asked in one range call: halved for good when a range runs out of the node's call gas. */
  private rangeLimit = STATUS_CALL_SIZE;

  constructor(
    readonly deployment: Deployment,
    runner: ContractRunner,
    signer?: Signer,
  ) {
    const address = deployedContractOf(deployment, "CertificateRegistry").address;
    super(address, CertificateRegistry__factory.createInterface(), signer, "registry");
    this.contract = CertificateRegistry__factory.connect(address, runner);
    this.directory = new DirectoryClient(deployment, runner);
  }

  /** The batch's on-chain record, or undefined if the organisation never issued this root. */
  async batch({ issuerOrgId, root }: BatchRef): Promise<BatchRecord | undefined> {
    const [b, affirmation] = await this.read(() => Promise.all([this.contract.batch(issuerOrgId, root), this.affirmationOf({ issuerOrgId, root })]));
    if (b.signer === "0x0000000000000000000000000000000000000000") return undefined;
    return {
      signer: b.signer,
      issuedAt: Number(b.issuedAt),
      expiresAt: Number(b.expiresAt),
      documentCount: Number(b.documentCount),
      mark: Number(b.mark),
      ...(affirmation ? { affirmation } : {}),
    };
  }

  /** The decision by which governance affirmed a batch a compromise cut-off voided, or undefined. */
  async affirmationOf({ issuerOrgId, root }: BatchRef): Promise<string | undefined> {
    const reason = await this.read(() => this.contract.batchAffirmation(issuerOrgId, root));
    return reason === ZeroHash ? undefined : reason;
  }

  /**
   * Whether a batch's signer was reported compromised with a cut-off at or before its issue, and governance has not
   * affirmed it: such a batch neither counts nor holds its short-code slot.
   */
  async voided(record: BatchRecord): Promise<boolean> {
    const cutoff = (await this.directory.account(record.signer)).compromisedAt;
    return cutoff !== 0 && record.issuedAt >= cutoff && record.affirmation === undefined;
  }

  /**
   * Affirms through governance (the governor's, delayed) a batch its signer's compromise cut-off voided, with the
   * decision's hash. Refused before anything is sent when the batch is not voided.
   */
  async affirmBatch(governance: Governance, batch: BatchRef, reason: string): Promise<Outcome> {
    const record = await this.requireBatch(batch);
    if (!(await this.voided(record))) {
      const why = record.affirmation ? "was affirmed already" : "was not voided by its signer's compromise";
      throw new InputError(`Batch ${batch.root} of organisation ${batch.issuerOrgId} ${why}: there is nothing to affirm.`);
    }
    return this.govern(governance, "affirmBatch", [batch.issuerOrgId, batch.root, reason]);
  }

  /** Whether the organisation issued this batch and it is not revoked as a whole (by a mark that counts). */
  async standing(batch: BatchRef): Promise<boolean> {
    const marks = await this.marksOf(batch);
    return marks !== undefined && !(marks[0].value !== 0n && marks[0].counts);
  }

  /** Refuses a batch built for another registry or chain: its certificates would point somewhere else. */
  requireAnchoredHere(manifest: BatchManifest): void {
    const { chainId, registry } = manifest.anchor;
    if (chainId !== this.deployment.chainId || registry.toLowerCase() !== this.address.toLowerCase()) {
      throw new InputError(
        `The batch was built for registry ${registry} on chain ${chainId}, but this deployment's registry is ${this.address} on chain ${this.deployment.chainId}.`,
      );
    }
  }

  /** The root of the issuer's batch holding a short-code slot (see codes/short-code), or undefined while it is free. */
  async codeSlotRoot(issuerOrgId: number, slot: number): Promise<string | undefined> {
    const root = await this.read(() => this.contract.codeSlot(issuerOrgId, slot));
    return root === ZeroHash ? undefined : root;
  }

  /**
   * The root of the standing batch that holds a short-code slot, or undefined when a new batch may take it: the slot
   * is free, or its batch was voided by its signer's compromise (the registry's own rule).
   */
  async slotHolder(issuerOrgId: number, slot: number): Promise<string | undefined> {
    const root = await this.codeSlotRoot(issuerOrgId, slot);
    if (root === undefined) return undefined;
    const record = await this.batch({ issuerOrgId, root });
    return record && (await this.voided(record)) ? undefined : root;
  }

  /** Anchors a built batch for `issuerOrgId`, the signer's organisation. Safe to re-run: a batch already on chain is reported, not sent again. */
  async issue(manifest: BatchManifest, issuerOrgId: number): Promise<WriteResult> {
    this.requireAnchoredHere(manifest);
    const existing = await this.batch({ issuerOrgId, root: manifest.root });
    if (existing) {
      return this.sameAsAsked(`Batch ${manifest.root}`, { documents: manifest.documentCount, expiry: manifest.expiresAt }, { documents: existing.documentCount, expiry: existing.expiresAt });
    }
    // Printed codes name the issuer and the slot: they must name the signer's organisation, and the slot must be free.
    if (manifest.codes && manifest.codes.issuerOrgId !== issuerOrgId) {
      throw new InputError(`The batch's short codes were printed for organisation ${manifest.codes.issuerOrgId}, but the signer's organisation is ${issuerOrgId}; build it again with the right --issuer.`);
    }
    const holder = await this.slotHolder(issuerOrgId, codeSlotOf(manifest.root));
    if (holder !== undefined) {
      throw new InputError(`Batch ${holder} of organisation ${issuerOrgId} already holds this batch's short-code slot; build the batch again (new salts give it another slot) and print from the new folder. Nothing was sent.`);
    }
    return this.send("issue", [manifest.root, manifest.documentCount, manifest.expiresAt]);
  }

  /** Already done, for a key of the batch's issuer; refused for any other key. */
  private alreadyDone(batch: BatchRef, what: string): Promise<WriteResult> {
    return this.alreadyDoneAsKeyOf(this.directory, batch.issuerOrgId, "issue-certificates", `${what} of batch ${batch.root}`);
  }

  /** Revokes a batch; already done when it stands revoked for this reason, refused when for another. */
  async revokeBatch(batch: BatchRef, reason: number): Promise<WriteResult> {
    const [revocation] = (await this.marksOf(batch)) ?? NO_MARKS;
    if (this.markedAlready(revocation, reason, `Batch ${batch.root} is already revoked`)) return this.alreadyDone(batch, "The revocation");
    return this.send("revokeBatch", [batch.issuerOrgId, batch.root, reason]);
  }

  async suspendBatch(batch: BatchRef, reason: number): Promise<WriteResult> {
    const [, suspension] = (await this.marksOf(batch)) ?? NO_MARKS;
    if (this.markedAlready(suspension, reason, `Batch ${batch.root} is already suspended`)) return this.alreadyDone(batch, "The suspension");
    return this.send("suspendBatch", [batch.issuerOrgId, batch.root, reason]);
  }

  async reinstateBatch(batch: BatchRef): Promise<WriteResult> {
    const [, suspension] = (await this.marksOf(batch)) ?? NO_MARKS;
    if (suspension.value === 0n || !suspension.counts) return this.alreadyDone(batch, "The reinstatement");
    return this.send("reinstateBatch", [batch.issuerOrgId, batch.root]);
  }

  /**
   * Revokes the documents not yet revoked: one through the cheaper single-document call, several through one bitmap
   * call. Already done when all are revoked for this reason; refused, naming one, when any is for another.
   */
  async revokeDocuments(batch: BatchRef, indices: readonly number[], reason: number): Promise<WriteResult> {
    const todo = await this.stillToMark(batch, indices, "revoked", reason);
    if (todo.length === 0) return this.alreadyDone(batch, "The revocation");
    if (todo.length === 1) return this.send("revokeDocument", [batch.issuerOrgId, batch.root, todo[0], reason]);
    const { firstWord, bitmap } = toBitmap(todo);
    return this.send("revokeDocuments", [batch.issuerOrgId, batch.root, firstWord, bitmap, reason]);
  }

  async suspendDocuments(batch: BatchRef, indices: readonly number[], reason: number): Promise<WriteResult> {
    const todo = await this.stillToMark(batch, indices, "suspended", reason);
    if (todo.length === 0) return this.alreadyDone(batch, "The suspension");
    const { firstWord, bitmap } = toBitmap(todo);
    return this.send("suspendDocuments", [batch.issuerOrgId, batch.root, firstWord, bitmap, reason]);
  }

  /** Lifts the suspensions that hold; already done when none of the documents is suspended. */
  async reinstateDocuments(batch: BatchRef, indices: readonly number[]): Promise<WriteResult> {
    const views = await this.statuses(indices.map((index) => ({ ...batch, index })));
    const todo = indices.filter((_, i) => views[i].status === "suspended");
    if (todo.length === 0) return this.alreadyDone(batch, "The reinstatement");
    const { firstWord, bitmap } = toBitmap(todo);
    return this.send("reinstateDocuments", [batch.issuerOrgId, batch.root, firstWord, bitmap]);
  }

  /** A batch's revocation and suspension marks, or undefined when the organisation never issued it. */
  private async marksOf(batch: BatchRef): Promise<readonly [BatchMark, BatchMark] | undefined> {
    if (!(await this.batch(batch))) return undefined;
    return this.read(() => this.contract.batchMarks(batch.issuerOrgId, batch.root));
  }

  /** True when a mark that counts already says `reason`; a mark that counts with another reason is refused. */
  private markedAlready(mark: BatchMark, reason: number, already: string): boolean {
    if (mark.value === 0n || !mark.counts) return false;
    if (Number(mark.value) === reason) return true;
    throw new InputError(`${already} for "${reasonName(Number(mark.value))}", not "${reasonName(reason)}"; nothing was sent.`);
  }

  /** The documents that do not yet have `status`; one that has it for another reason is refused, by name. */
  private async stillToMark(batch: BatchRef, indices: readonly number[], status: "revoked" | "suspended", reason: number): Promise<number[]> {
    const views = await this.statuses(indices.map((index) => ({ ...batch, index })));
    const other = views.findIndex((v) => v.status === status && v.reason !== reasonName(reason));
    if (other >= 0) {
      throw new InputError(`Document ${indices[other]} of batch ${batch.root} is already ${status} for "${views[other].reason}", not "${reasonName(reason)}"; nothing was sent.`);
    }
    return indices.filter((_, i) => views[i].status !== status);
  }

  /**
   * Undoes a batch's revocation through governance — the governor's role, delayed, so usually scheduled. Refused before
   * anything is sent when the batch is not revoked.
   */
  async restoreBatch(governance: Governance, batch: BatchRef, reason: string): Promise<Outcome> {
    await this.requireBatch(batch);
    const [revocation] = await this.read(() => this.contract.batchMarks(batch.issuerOrgId, batch.root));
    if (revocation.value === 0n) throw new InputError(`Batch ${batch.root} of organisation ${batch.issuerOrgId} is not revoked: there is nothing to restore.`);
    return this.govern(governance, "restoreBatch", [batch.issuerOrgId, batch.root, reason]);
  }

  /** Undoes a document's revocation or supersession through governance, as {@link restoreBatch} does a batch's. */
  async restoreDocument(governance: Governance, document: DocumentRef, reason: string): Promise<Outcome> {
    const { issuerOrgId, root, index } = document;
    const found = await this.requireBatch(document);
    if (index >= found.documentCount) throw new InputError(`Batch ${root} has ${found.documentCount} documents, so index ${index} does not exist.`);
    const [revocation] = await this.read(() => this.contract.documentMarks(issuerOrgId, root, index));
    if (revocation.value === 0n) throw new InputError(`Document ${index} of batch ${root} is not revoked or superseded: there is nothing to restore.`);
    return this.govern(governance, "restoreDocument", [issuerOrgId, root, index, reason]);
  }

  private async requireBatch(batch: BatchRef): Promise<BatchRecord> {
    const found = await this.batch(batch);
    if (!found) throw new InputError(`Organisation ${batch.issuerOrgId} issued no batch ${batch.root} in this registry.`);
    return found;
  }

  /**
   * Revokes `old` in favour of `replacement`, a document of the same issuer; already done when `old` stands
   * superseded by this replacement, refused when by another.
   */
  async supersede(old: DocumentRef, replacement: DocumentRef): Promise<WriteResult> {
    if (old.issuerOrgId !== replacement.issuerOrgId) throw new InputError("A replacement must be a certificate of the same issuer.");
    const [status] = await this.statuses([old]);
    if (status.status === "superseded" && status.replacement) {
      const now = status.replacement;
      if (now.root === replacement.root.toLowerCase() && now.index === replacement.index) return this.alreadyDone(old, "The replacement");
      throw new InputError(`Document ${old.index} of batch ${old.root} is already superseded by document ${now.index} of batch ${now.root}; nothing was sent.`);
    }
    return this.send("supersede", [old.issuerOrgId, old.root, old.index, replacement.root, replacement.index]);
  }

  /**
   * Status of many documents, in the order asked. Each batch's documents are read in ranges (`documentStatusRange`,
   * up to {@link STATUS_CALL_SIZE} documents a call, a few calls in flight): a folder of one batch takes a call or two,
   * and documents far apart in a batch cost a small range each, not the gap between them.
   */
  async statuses(documents: readonly DocumentRef[]): Promise<DocumentStatusView[]> {
    const batchKey = (issuerOrgId: number, root: string) => `${issuerOrgId}:${root.toLowerCase()}`;
    const indicesByBatch = new Map<string, Set<number>>();
    for (const { issuerOrgId, root, index } of documents) {
      const key = batchKey(issuerOrgId, root);
      indicesByBatch.set(key, (indicesByBatch.get(key) ?? new Set()).add(index));
    }
    const ranges: Array<{ issuerOrgId: number; root: string; first: number; count: number; wanted: number[] }> = [];
    for (const [key, set] of indicesByBatch) {
      const [issuerOrgId, root] = [Number(key.split(":")[0]), key.split(":")[1]];
      const sorted = [...set].sort((a, b) => a - b);
      let start = 0;
      sorted.forEach((index, i) => {
        const next = sorted[i + 1];
        if (next === undefined || next - index > RANGE_GAP || next - sorted[start] >= STATUS_CALL_SIZE) {
          ranges.push({ issuerOrgId, root, first: sorted[start], count: index - sorted[start] + 1, wanted: sorted.slice(start, i + 1) });
          start = i + 1;
        }
      });
    }
    const views = new Map<string, DocumentStatusView>();
    const affirmations = new Map(await Promise.all([...indicesByBatch.keys()].map(async (key) => [key, await this.affirmationOf({ issuerOrgId: Number(key.split(":")[0]), root: key.split(":")[1] })] as const)));
    let next = 0;
    const caller = async () => {
      while (next < ranges.length) {
        const { issuerOrgId, root, first, count, wanted } = ranges[next++];
        const { record, codes } = await this.rangeCodes(issuerOrgId, root, first, count);
        for (const index of wanted) {
          const status = statusName(codes[2 * (index - first)]);
          views.set(`${batchKey(issuerOrgId, root)}:${index}`, {
            status,
            reason: reasonName(codes[2 * (index - first) + 1]),
            issuerOrgId,
            signer: record.signer,
            issuedAt: Number(record.issuedAt),
            expiresAt: Number(record.expiresAt),
            ...(status === "superseded" ? { replacement: await this.replacementOf({ issuerOrgId, root, index }) } : {}),
            ...(affirmations.get(batchKey(issuerOrgId, root)) ? { affirmation: affirmations.get(batchKey(issuerOrgId, root)) } : {}),
          });
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(PARALLEL_CALLS, ranges.length) }, caller));
    return documents.map(({ issuerOrgId, root, index }) => views.get(`${batchKey(issuerOrgId, root)}:${index}`)!);
  }

  /**
   * Every document's status code of a batch as the registry's range read gives it (status, reason: two bytes per
   * document), with the replacement of each superseded one: what an index keeps so that it never decides a status
   * itself. Undefined when the organisation never issued the batch.
   */
  async batchCodes(batch: BatchRef): Promise<{ record: BatchRecord; codes: Uint8Array; replacements: Record<number, DocumentRef> } | undefined> {
    const record = await this.batch(batch);
    if (!record) return undefined;
    return { record, ...(await this.documentCodes(batch, 0, record.documentCount)) };
  }

  /** {@link batchCodes} for documents `first` to `first + count - 1` only: what an index re-reads after a document's mark. */
  async documentCodes(batch: BatchRef, first: number, count: number): Promise<{ codes: Uint8Array; replacements: Record<number, DocumentRef> }> {
    const codes = new Uint8Array(2 * count);
    for (let offset = 0; offset < count; offset += STATUS_CALL_SIZE) {
      const size = Math.min(STATUS_CALL_SIZE, count - offset);
      codes.set((await this.rangeCodes(batch.issuerOrgId, batch.root, first + offset, size)).codes, 2 * offset);
    }
    const replacements: Record<number, DocumentRef> = {};
    for (let i = 0; i < count; i++) {
      if (statusName(codes[2 * i]) === "superseded") replacements[first + i] = await this.replacementOf({ ...batch, index: first + i });
    }
    return { codes, replacements };
  }

  /**
   * One range of status codes. A range's cost grows with the marks in it (an unmarked word of 32 documents is read
   * once, a marked one document by document), so a range that runs out of the node's call gas is read as two halves.
   */
  private async rangeCodes(issuerOrgId: number, root: string, first: number, count: number): Promise<{ record: { signer: string; issuedAt: bigint; expiresAt: bigint }; codes: Uint8Array }> {
    if (count <= this.rangeLimit) {
      try {
        const [record, packed] = await this.contract.documentStatusRange(issuerOrgId, root, first, count);
        return { record, codes: getBytes(packed) };
      } catch (error) {
        // Out of gas reverts with no data; a custom error or a transport failure is no reason to split.
        const outOfGas = isCallException(error) && (error.data === null || error.data === "0x") && !error.revert;
        if (!outOfGas || count === 1) return this.read(() => Promise.reject(error));
        // Later ranges start at the size that last fit.
        this.rangeLimit = Math.ceil(count / 2);
      }
    }
    const half = Math.ceil(count / 2);
    const [low, high] = await Promise.all([this.rangeCodes(issuerOrgId, root, first, half), this.rangeCodes(issuerOrgId, root, first + half, count - half)]);
    const codes = new Uint8Array(2 * count);
    codes.set(low.codes);
    codes.set(high.codes, 2 * half);
    return { record: low.record, codes };
  }

  private async replacementOf({ issuerOrgId, root, index }: DocumentRef): Promise<DocumentRef> {
    const replacement = await this.read(() => this.contract.replacementOf(issuerOrgId, root, index));
    return { issuerOrgId, root: replacement.root, index: Number(replacement.index) };
  }
}
