import { getBytes, type ContractRunner, type Signer } from "ethers";
import { CertificateRegistry__factory, type CertificateRegistry } from "../../typechain-types";
import { ALREADY_DONE, ContractClient, type WriteResult } from "../chain/contract-client";
import { deployedContractOf, type Deployment } from "../config/deployments";
import { InputError } from "../errors";
import type { BatchManifest } from "./batch";
import { reasonName, statusName, type ReasonName, type StatusName } from "./vocabulary";

export interface BatchRecord {
  readonly signer: string;
  readonly issuedAt: number;
  readonly expiresAt: number;
  readonly documentCount: number;
  readonly mark: number;
}

export interface DocumentRef {
  readonly root: string;
  readonly index: number;
}

export interface DocumentStatusView {
  readonly status: StatusName;
  readonly reason: ReasonName | `reason#${number}`;
  readonly issuerOrgId: number;
  readonly signer: string;
  readonly issuedAt: number;
  readonly expiresAt: number;
  readonly replacement?: DocumentRef;
}

export type { WriteResult } from "../chain/contract-client";

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

  constructor(
    readonly deployment: Deployment,
    runner: ContractRunner,
    signer?: Signer,
  ) {
    const address = deployedContractOf(deployment, "CertificateRegistry").address;
    super(address, CertificateRegistry__factory.createInterface(), signer, "registry");
    this.contract = CertificateRegistry__factory.connect(address, runner);
  }

  /** The batch's on-chain record, or undefined if the root was never issued. */
  async batch(root: string): Promise<BatchRecord | undefined> {
    const b = await this.read(() => this.contract.batch(root));
    if (b.signer === "0x0000000000000000000000000000000000000000") return undefined;
    return {
      signer: b.signer,
      issuedAt: Number(b.issuedAt),
      expiresAt: Number(b.expiresAt),
      documentCount: Number(b.documentCount),
      mark: Number(b.mark),
    };
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

  /** Anchors a built batch. Safe to re-run: a batch already on chain is reported, not sent again. */
  async issue(manifest: BatchManifest): Promise<WriteResult> {
    this.requireAnchoredHere(manifest);
    const existing = await this.batch(manifest.root);
    if (existing) {
      if (existing.documentCount !== manifest.documentCount) {
        throw new InputError(`Root ${manifest.root} is on chain with ${existing.documentCount} documents, not ${manifest.documentCount}.`);
      }
      return ALREADY_DONE;
    }
    return this.send("issue", [manifest.root, manifest.documentCount, manifest.expiresAt]);
  }

  revokeBatch(root: string, reason: number): Promise<WriteResult> {
    return this.send("revokeBatch", [root, reason]);
  }

  suspendBatch(root: string, reason: number): Promise<WriteResult> {
    return this.send("suspendBatch", [root, reason]);
  }

  reinstateBatch(root: string): Promise<WriteResult> {
    return this.send("reinstateBatch", [root]);
  }

  /** One document goes through the cheaper single-document call; several through one bitmap call. */
  revokeDocuments(root: string, indices: readonly number[], reason: number): Promise<WriteResult> {
    if (indices.length === 1) return this.send("revokeDocument", [root, indices[0], reason]);
    const { firstWord, bitmap } = toBitmap(indices);
    return this.send("revokeDocuments", [root, firstWord, bitmap, reason]);
  }

  suspendDocuments(root: string, indices: readonly number[], reason: number): Promise<WriteResult> {
    const { firstWord, bitmap } = toBitmap(indices);
    return this.send("suspendDocuments", [root, firstWord, bitmap, reason]);
  }

  reinstateDocuments(root: string, indices: readonly number[]): Promise<WriteResult> {
    const { firstWord, bitmap } = toBitmap(indices);
    return this.send("reinstateDocuments", [root, firstWord, bitmap]);
  }

  supersede(old: DocumentRef, replacement: DocumentRef): Promise<WriteResult> {
    return this.send("supersede", [old.root, old.index, replacement.root, replacement.index]);
  }

  /**
   * Status of many documents, in the order asked. Each batch's documents are read in ranges (`documentStatusRange`,
   * up to {@link STATUS_CALL_SIZE} documents a call, a few calls in flight): a folder of one batch takes a call or two,
   * and documents far apart in a batch cost a small range each, not the gap between them.
   */
  async statuses(documents: readonly DocumentRef[]): Promise<DocumentStatusView[]> {
    const indicesByRoot = new Map<string, Set<number>>();
    for (const { root, index } of documents) {
      const key = root.toLowerCase();
      indicesByRoot.set(key, (indicesByRoot.get(key) ?? new Set()).add(index));
    }
    const ranges: Array<{ root: string; first: number; count: number; wanted: number[] }> = [];
    for (const [root, set] of indicesByRoot) {
      const sorted = [...set].sort((a, b) => a - b);
      let start = 0;
      sorted.forEach((index, i) => {
        const next = sorted[i + 1];
        if (next === undefined || next - index > RANGE_GAP || next - sorted[start] >= STATUS_CALL_SIZE) {
          ranges.push({ root, first: sorted[start], count: index - sorted[start] + 1, wanted: sorted.slice(start, i + 1) });
          start = i + 1;
        }
      });
    }
    const views = new Map<string, DocumentStatusView>();
    let next = 0;
    const caller = async () => {
      while (next < ranges.length) {
        const { root, first, count, wanted } = ranges[next++];
        const [record, issuerOrgId, packed] = await this.read(() => this.contract.documentStatusRange(root, first, count));
        const codes = getBytes(packed);
        for (const index of wanted) {
          const status = statusName(codes[2 * (index - first)]);
          views.set(`${root}:${index}`, {
            status,
            reason: reasonName(codes[2 * (index - first) + 1]),
            issuerOrgId: Number(issuerOrgId),
            signer: record.signer,
            issuedAt: Number(record.issuedAt),
            expiresAt: Number(record.expiresAt),
            ...(status === "superseded" ? { replacement: await this.replacementOf(root, index) } : {}),
          });
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(PARALLEL_CALLS, ranges.length) }, caller));
    return documents.map(({ root, index }) => views.get(`${root.toLowerCase()}:${index}`)!);
  }

  private async replacementOf(root: string, index: number): Promise<DocumentRef> {
    const replacement = await this.read(() => this.contract.replacementOf(root, index));
    return { root: replacement.root, index: Number(replacement.index) };
  }
}
