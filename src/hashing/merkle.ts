import type { Keccak } from "./keccak";

/**
 * A Merkle tree laid out, hashed and proven exactly as OpenZeppelin's `StandardMerkleTree` (leaves sorted, pairs
 * hashed in sorted order, node 0 the root and leaves at the end), so that its `verify` and Solidity's `MerkleProof`
 * accept our proofs — but built over one flat buffer with a WebAssembly keccak, which is what makes trees of a
 * million leaves fast. Callers hash their own leaves; compatibility is tested against the library itself.
 */
export class SortedMerkleTree {
  private constructor(
    /** Node `i` occupies bytes `32 * i` to `32 * i + 31`. */
    readonly nodes: Buffer,
    /** Tree position of each leaf, in the order the leaves were given. */
    readonly positions: Uint32Array,
  ) {}

  /** `leaves`: 32 bytes per leaf hash, in the caller's order. */
  static build(leaves: Uint8Array, keccak: Keccak): SortedMerkleTree {
    const count = leaves.length / 32;
    if (count === 0 || !Number.isInteger(count)) throw new RangeError("A tree needs at least one leaf, 32 bytes each.");
    const source = Buffer.from(leaves.buffer, leaves.byteOffset, leaves.byteLength);
    // Sorting indices by a 4-byte prefix first and the whole hash only on a tie keeps comparisons out of native calls.
    const prefix = new Uint32Array(count);
    for (let index = 0; index < count; index++) prefix[index] = source.readUInt32BE(32 * index);
    const order = new Uint32Array(count).map((_, index) => index);
    order.sort((a, b) => prefix[a] - prefix[b] || source.compare(source, 32 * b, 32 * b + 32, 32 * a, 32 * a + 32));
    const size = 2 * count - 1;
    const nodes = Buffer.allocUnsafe(size * 32);
    const positions = new Uint32Array(count);
    order.forEach((index, sorted) => {
      const position = size - 1 - sorted;
      source.copy(nodes, position * 32, 32 * index, 32 * index + 32);
      positions[index] = position;
    });
    const pair = Buffer.allocUnsafe(64);
    for (let i = size - 1 - count; i >= 0; i--) {
      writeSortedPair(pair, nodes.subarray((2 * i + 1) * 32, (2 * i + 2) * 32), nodes.subarray((2 * i + 2) * 32, (2 * i + 3) * 32));
      nodes.set(keccak(pair), i * 32);
    }
    return new SortedMerkleTree(nodes, positions);
  }

  get root(): string {
    return hex(this.nodes.subarray(0, 32));
  }

  get size(): number {
    return this.positions.length;
  }

  /** Sibling hashes from the leaf given `index`-th up to the root. */
  proof(index: number): string[] {
    const position = this.positions[index];
    if (position === undefined) throw new RangeError(`No leaf ${index} in this tree.`);
    return proofAt(position, (node) => this.nodes.subarray(node * 32, node * 32 + 32));
  }
}

/** The proof of the leaf at tree `position`, reading nodes through `node` (from memory or from a file). */
export function proofAt(position: number, node: (index: number) => Uint8Array): string[] {
  const proof: string[] = [];
  for (let p = position; p > 0; p = Math.floor((p - 1) / 2)) proof.push(hex(node(p % 2 === 1 ? p + 1 : p - 1)));
  return proof;
}

/** The root a proof leads to from a leaf hash. */
export function processProof(leaf: Uint8Array, proof: readonly string[], keccak: Keccak): string {
  let node = leaf;
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
