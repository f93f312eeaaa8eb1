import fs from "node:fs";
import path from "node:path";
import { InputError } from "../errors";
import type { Keccak } from "../hashing/keccak";
import { SortedMerkleTree, hex, processProof, proofAt } from "../hashing/merkle";

/**
 * What proves a snapshot does not hold a ULPIN. A snapshot's ULPINs, sorted, leave gaps between neighbours (below the
 * first and above the last too); each gap is a `StandardMerkleTree` leaf `[bytes14 below, bytes14 above]` of a second
 * tree, whose root is anchored beside the snapshot's. A ULPIN strictly inside a gap is not in the snapshot — what
 * `LandRegistry` asks of every new ULPIN while the snapshot is active, so that nobody registers a parcel a migration
 * still holds for its recorded owners.
 */

/** The bottom and the top of the ULPIN space: 14 zero bytes, 14 bytes of 0xff. */
export const BOTTOM = "\u0000".repeat(14);
export const TOP = "\u00ff".repeat(14);

export const ULPINS_FILE = "ulpins.bin";
export const ABSENCE_TREE = "absence.bin";

const gapInput = Buffer.alloc(64);

/** `keccak256(keccak256(abi.encode(bytes14 below, bytes14 above)))`: the leaf of the gap between two ULPINs. */
export function gapLeaf(below: string, above: string, keccak: Keccak): Uint8Array {
  gapInput.fill(0);
  gapInput.write(below, 0, "latin1");
  gapInput.write(above, 32, "latin1");
  return keccak(keccak(gapInput));
}

/**
 * Writes the snapshot's sorted ULPINs (14 bytes each) and the tree of their gaps into `dir`; returns the tree's root.
 * `ulpins` holds 14 bytes per ULPIN in any order.
 */
export function writeAbsenceTree(dir: string, ulpins: Buffer, keccak: Keccak): string {
  const count = ulpins.length / 14;
  const sorted = Array.from({ length: count }, (_, i) => ulpins.toString("latin1", 14 * i, 14 * i + 14)).sort();
  fs.writeFileSync(path.join(dir, ULPINS_FILE), Buffer.from(sorted.join(""), "latin1"));
  const leaves = Buffer.allocUnsafe(32 * (count + 1));
  for (let i = 0; i <= count; i++) leaves.set(gapLeaf(i === 0 ? BOTTOM : sorted[i - 1], i === count ? TOP : sorted[i], keccak), 32 * i);
  const tree = SortedMerkleTree.build(leaves, keccak);
  fs.writeFileSync(path.join(dir, ABSENCE_TREE), tree.nodes);
  return tree.root;
}

/** An absence proof as `LandRegistry` takes it: the ULPIN's gap, as bytes14 hex, and the gap leaf's proof. */
export interface AbsenceProof {
  readonly below: string;
  readonly above: string;
  readonly proof: string[];
}

/**
 * Proves that the snapshot in `dir` does not hold `ulpin`, by binary search in its sorted ULPINs and then in its gap
 * tree's leaves; only the nodes on the path are read. A ULPIN the snapshot holds cannot be proved absent: that is
 * said, naming the snapshot, for it is to be materialised instead.
 */
export function absenceProof(dir: string, snapshot: { root: string; absenceRoot: string }, ulpin: string, keccak: Keccak): AbsenceProof {
  const { absenceRoot } = snapshot;
  const ulpins = readPart(dir, ULPINS_FILE);
  const count = ulpins.length / 14;
  const at = (i: number) => ulpins.toString("latin1", 14 * i, 14 * i + 14);
  let low = 0;
  let high = count;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (at(middle) < ulpin) low = middle + 1;
    else high = middle;
  }
  if (low < count && at(low) === ulpin) {
    throw new InputError(`Parcel ${ulpin} is held by the active migration snapshot ${snapshot.root}: materialise it from ${dir} instead.`);
  }
  const below = low === 0 ? BOTTOM : at(low - 1);
  const above = low === count ? TOP : at(low);
  const leaf = Buffer.from(gapLeaf(below, above, keccak));
  const size = 2 * (count + 1) - 1;
  const fd = fs.openSync(path.join(dir, ABSENCE_TREE), "r");
  try {
    const node = (index: number) => {
      const bytes = Buffer.alloc(32);
      if (fs.readSync(fd, bytes, 0, 32, index * 32) !== 32) throw new InputError(`The snapshot folder ${dir} is incomplete: its gap tree is short.`);
      return bytes;
    };
    // Leaves sit at the end of the tree, the k-th smallest hash at position size - 1 - k.
    let first = 0;
    let last = count;
    while (first <= last) {
      const middle = (first + last) >>> 1;
      const order = Buffer.compare(node(size - 1 - middle), leaf);
      if (order === 0) {
        const proof = proofAt(size - 1 - middle, node);
        if (processProof(leaf, proof, keccak) !== absenceRoot) break;
        return { below: hex(Buffer.from(below, "latin1")), above: hex(Buffer.from(above, "latin1")), proof };
      }
      if (order < 0) first = middle + 1;
      else last = middle - 1;
    }
  } finally {
    fs.closeSync(fd);
  }
  throw new InputError(`The snapshot folder ${dir} has been altered: the gap around ${ulpin} does not lead to its anchored gap root.`);
}

function readPart(dir: string, name: string): Buffer {
  try {
    return fs.readFileSync(path.join(dir, name));
  } catch {
    throw new InputError(`The snapshot folder ${dir} has no ${name}: it was built before snapshots could prove a ULPIN absent; build it again.`);
  }
}
