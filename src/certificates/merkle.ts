import type { Keccak } from "../hashing/keccak";

/**
 * Merkle trees laid out, hashed and proven exactly as OpenZeppelin's `StandardMerkleTree` with leaf encoding
 * `["uint256", "bytes32"]` (document index, target hash) and sorted leaves — so its `verify` and Solidity's
 * `MerkleProof` accept our proofs — but built over one flat buffer with a WebAssembly keccak, which is what makes
 * 100,000-document batches fast. The compatibility is tested against the library itself.
 */
export class MerkleBatchTree {
  private constructor(
    /** Node `i` occupies bytes `32 * i` to `32 * i + 31`; node 0 is the root; leaves fill the end. */
    private readonly nodes: Buffer,
    /** Tree position of each document, by document index. */
    private readonly positions: Uint32Array,
  ) {}

  static build(targetHashes: readonly Uint8Array[], keccak: Keccak): MerkleBatchTree {
    const count = targetHashes.length;
    if (count === 0) throw new RangeError("A batch needs at least one document.");
    const leaves = targetHashes.map((target, index) => ({ index, hash: leafHash(index, target, keccak) }));
    leaves.sort((a, b) => Buffer.compare(a.hash, b.hash));
    const size = 2 * count - 1;
    const nodes = Buffer.allocUnsafe(size * 32);
    const positions = new Uint32Array(count);
    leaves.forEach((leaf, sorted) => {
      const position = size - 1 - sorted;
      nodes.set(leaf.hash, position * 32);
      positions[leaf.index] = position;
    });
    const pair = Buffer.allocUnsafe(64);
    for (let i = size - 1 - count; i >= 0; i--) {
      writeSortedPair(pair, nodes.subarray((2 * i + 1) * 32, (2 * i + 2) * 32), nodes.subarray((2 * i + 2) * 32, (2 * i + 3) * 32));
      nodes.set(keccak(pair), i * 32);
    }
    return new MerkleBatchTree(nodes, positions);
  }

  get root(): string {
    return hex(this.nodes.subarray(0, 32));
  }

  get size(): number {
    return this.positions.length;
  }

  /** Sibling hashes from the document's leaf up to the root. */
  proof(index: number): string[] {
    let position = this.positions[index];
    if (position === undefined) throw new RangeError(`No document ${index} in this batch.`);
    const proof: string[] = [];
    while (position > 0) {
      const sibling = position % 2 === 1 ? position + 1 : position - 1;
      proof.push(hex(this.nodes.subarray(sibling * 32, sibling * 32 + 32)));
      position = Math.floor((position - 1) / 2);
    }
    return proof;
  }
}

/** `keccak256(keccak256(abi.encode(index, targetHash)))`: a `StandardMerkleTree` leaf. */
export function leafHash(index: number, targetHash: Uint8Array, keccak: Keccak): Buffer {
  const encoded = Buffer.alloc(64);
  encoded.writeUIntBE(index, 26, 6);
  encoded.set(targetHash, 32);
  return Buffer.from(keccak(keccak(encoded)));
}

/** The root a proof leads to from a document's leaf. */
export function processProof(index: number, targetHash: Uint8Array, proof: readonly string[], keccak: Keccak): string {
  let node: Uint8Array = leafHash(index, targetHash, keccak);
  const pair = Buffer.allocUnsafe(64);
  for (const sibling of proof) {
    writeSortedPair(pair, node, Buffer.from(sibling.slice(2), "hex"));
    node = keccak(pair);
  }
  return hex(node);
}

function writeSortedPair(out: Buffer, a: Uint8Array, b: Uint8Array): void {
  const [first, second] = Buffer.compare(a, b) <= 0 ? [a, b] : [b, a];
  out.set(first, 0);
  out.set(second, 32);
}

export function hex(bytes: Uint8Array): string {
  return `0x${Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("hex")}`;
}
