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

  /** `targetHashes`: 32 bytes per document, in document order. */
  static build(targetHashes: Uint8Array, keccak: Keccak): MerkleBatchTree {
    const count = targetHashes.length / 32;
    if (count === 0 || !Number.isInteger(count)) throw new RangeError("A batch needs at least one document, 32 bytes each.");
    const leaves = Buffer.allocUnsafe(32 * count);
    for (let index = 0; index < count; index++) leaves.set(leafHash(index, targetHashes.subarray(32 * index, 32 * index + 32), keccak), 32 * index);
    // Sorting indices by a 4-byte prefix first and the whole hash only on a tie keeps comparisons out of native calls.
    const prefix = new Uint32Array(count);
    for (let index = 0; index < count; index++) prefix[index] = leaves.readUInt32BE(32 * index);
    const order = new Uint32Array(count).map((_, index) => index);
    order.sort((a, b) => prefix[a] - prefix[b] || leaves.compare(leaves, 32 * b, 32 * b + 32, 32 * a, 32 * a + 32));
    const size = 2 * count - 1;
    const nodes = Buffer.allocUnsafe(size * 32);
    const positions = new Uint32Array(count);
    order.forEach((index, sorted) => {
      const position = size - 1 - sorted;
      leaves.copy(nodes, position * 32, 32 * index, 32 * index + 32);
      positions[index] = position;
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
const encoded = Buffer.alloc(64);

export function leafHash(index: number, targetHash: Uint8Array, keccak: Keccak): Uint8Array {
  encoded.writeUIntBE(index, 26, 6);
  encoded.set(targetHash, 32);
  return keccak(keccak(encoded));
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
