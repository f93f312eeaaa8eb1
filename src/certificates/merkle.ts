import type { Keccak } from "../hashing/keccak";
import { SortedMerkleTree, processProof as processLeafProof } from "../hashing/merkle";

export { hex } from "../hashing/merkle";

/**
 * A batch's tree: a {@link SortedMerkleTree} whose leaves are OpenZeppelin `StandardMerkleTree` leaves of
 * `["uint256", "bytes32"]` (document index, target hash).
 */
export class MerkleBatchTree {
  private constructor(private readonly tree: SortedMerkleTree) {}

  /** `targetHashes`: 32 bytes per document, in document order. */
  static build(targetHashes: Uint8Array, keccak: Keccak): MerkleBatchTree {
    const count = targetHashes.length / 32;
    if (count === 0 || !Number.isInteger(count)) throw new RangeError("A batch needs at least one document, 32 bytes each.");
    const leaves = Buffer.allocUnsafe(32 * count);
    for (let index = 0; index < count; index++) leaves.set(leafHash(index, targetHashes.subarray(32 * index, 32 * index + 32), keccak), 32 * index);
    return new MerkleBatchTree(SortedMerkleTree.build(leaves, keccak));
  }

  get root(): string {
    return this.tree.root;
  }

  get size(): number {
    return this.tree.size;
  }

  /** Sibling hashes from the document's leaf up to the root. */
  proof(index: number): string[] {
    if (index < 0 || index >= this.tree.size) throw new RangeError(`No document ${index} in this batch.`);
    return this.tree.proof(index);
  }
}

/** `keccak256(keccak256(abi.encode(index, targetHash)))`: a `StandardMerkleTree` leaf. */
const encoded = Buffer.alloc(64);

export function leafHash(index: number, targetHash: Uint8Array, keccak: Keccak): Uint8Array {
  encoded.writeUIntBE(index, 26, 6);
  encoded.set(targetHash, 32);
  return keccak(keccak(encoded));
}

/** The root a proof leads to from a document's leaf. */
export function processProof(index: number, targetHash: Uint8Array, proof: readonly string[], keccak: Keccak): string {
  return processLeafProof(leafHash(index, targetHash, keccak), proof, keccak);
}
