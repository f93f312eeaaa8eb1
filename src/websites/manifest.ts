import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import picomatch from "picomatch";
import { keccak256, toUtf8Bytes } from "ethers";
import { z } from "zod";
import { InputError } from "../errors";
import type { Keccak } from "../hashing/keccak";
import { SortedMerkleTree } from "../hashing/merkle";
import { walkFiles, type SkipNotice } from "../io/walk";

/** One file a release serves: its URL path (relative, `/`-separated), SHA-256 of its bytes, and its size. */
export interface ManifestFile {
  readonly path: string;
  readonly sha256: string;
  readonly size: number;
}

/** A release's manifest: every file, the paths deliberately left out, and the Merkle root that goes on chain. */
export interface SiteManifest {
  readonly kind: "sakshya-site-manifest";
  readonly version: 1;
  readonly site: string;
  readonly siteId: string;
  readonly release: string;
  readonly root: string;
  readonly fileCount: number;
  readonly totalBytes: number;
  /** Glob patterns (picomatch) of paths that may change without a release; a verifier shows them as not covered. */
  readonly exclude: string[];
  readonly files: ManifestFile[];
}

/** Where a site serves its manifest, and where `site manifest --emit` writes it; never part of the manifest itself. */
export const WELL_KNOWN_MANIFEST = ".well-known/sakshya-manifest.json";

const HEX32 = /^0x[0-9a-f]{64}$/;
const manifestSchema = z.object({
  kind: z.literal("sakshya-site-manifest"),
  version: z.literal(1),
  site: z.string(),
  siteId: z.string().regex(HEX32),
  release: z.string(),
  root: z.string().regex(HEX32),
  fileCount: z.number().int().positive(),
  totalBytes: z.number().int().nonnegative(),
  exclude: z.array(z.string()),
  files: z.array(z.object({ path: z.string().min(1), sha256: z.string().regex(HEX32), size: z.number().int().nonnegative() }).strict()).min(1),
});

/** Parses a manifest's text; `source` names it in the error (a file, or the URL it was served at). */
export function parseManifest(text: string, source: string): SiteManifest {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new InputError(`${source} is not a site manifest: it is not JSON.`);
  }
  const parsed = manifestSchema.safeParse(json);
  if (!parsed.success) throw new InputError(`${source} is not a site manifest (${parsed.error.issues[0].path.join(".") || "kind"}: ${parsed.error.issues[0].message}).`);
  return parsed.data;
}

/** A manifest file as written, with its on-chain hash. */
export function readManifestFile(file: string): { manifest: SiteManifest; text: string; hash: string } {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch {
    throw new InputError(`Cannot read the manifest ${file}.`);
  }
  return { manifest: parseManifest(text, file), text, hash: manifestHash(text) };
}

/** Paths left out of the manifest: the declared exclusions, and the manifest's own well-known path. */
export function exclusionMatcher(exclude: readonly string[]): (path: string) => boolean {
  const declared = exclude.length > 0 ? picomatch([...exclude], { dot: true }) : () => false;
  return (path) => path === WELL_KNOWN_MANIFEST || declared(path);
}

/** A site's id on chain: keccak256 of its domain, lower-cased, without scheme, port or trailing dot. */
export function siteIdOf(domain: string): string {
  return keccak256(toUtf8Bytes(normaliseDomain(domain)));
}

export function normaliseDomain(domain: string): string {
  const host = domain.trim().toLowerCase().replace(/^[a-z]+:\/\//, "").replace(/[/:].*$/, "").replace(/\.$/, "");
  if (!/^(?=.{1,253}$)([a-z0-9-]{1,63}\.)*[a-z0-9-]{1,63}$/.test(host)) throw new InputError(`"${domain}" is not a domain name.`);
  return host;
}

/** SHA-256 and size of each file, read whole (files of a web release are small; one read beats a stream). */
export function hashFiles(files: ReadonlyMap<string, string>, dir: string): ManifestFile[] {
  const hashed: ManifestFile[] = [];
  for (const [relative, real] of files) {
    let bytes: Buffer;
    try {
      bytes = fs.readFileSync(real);
    } catch {
      throw new InputError(`Cannot read ${path.join(dir, relative)}.`);
    }
    hashed.push({ path: relative, sha256: `0x${createHash("sha256").update(bytes).digest("hex")}`, size: bytes.length });
  }
  return hashed.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/**
 * The manifest of a build folder: every file not excluded, hashed, and the Merkle root over
 * `StandardMerkleTree` leaves of `[string path, bytes32 sha256, uint256 size]`.
 */
export function buildManifest(dir: string, options: { site: string; release: string; exclude?: readonly string[]; onSkip?: SkipNotice }, keccak: Keccak): SiteManifest {
  const exclude = [...(options.exclude ?? [])];
  const excluded = exclusionMatcher(exclude);
  const listed = walkFiles(dir, options.onSkip);
  for (const relative of [...listed.keys()]) if (excluded(relative)) listed.delete(relative);
  if (listed.size === 0) throw new InputError(`${dir} has no files to publish${exclude.length ? " once the exclusions are applied" : ""}.`);
  const files = hashFiles(listed, dir);
  const tree = manifestTree(files, keccak);
  return {
    kind: "sakshya-site-manifest",
    version: 1,
    site: normaliseDomain(options.site),
    siteId: siteIdOf(options.site),
    release: options.release,
    root: tree.root,
    fileCount: files.length,
    totalBytes: files.reduce((sum, f) => sum + f.size, 0),
    exclude,
    files,
  };
}

/** The tree over the manifest's files, in its file order. */
export function manifestTree(files: readonly ManifestFile[], keccak: Keccak): SortedMerkleTree {
  const leaves = Buffer.allocUnsafe(32 * files.length);
  files.forEach((file, i) => leaves.set(manifestLeaf(file, keccak), 32 * i));
  return SortedMerkleTree.build(leaves, keccak);
}

/** `keccak256(keccak256(abi.encode(string path, bytes32 sha256, uint256 size)))`. */
export function manifestLeaf(file: ManifestFile, keccak: Keccak): Uint8Array {
  const pathBytes = Buffer.from(file.path, "utf8");
  const encoded = Buffer.alloc(128 + Math.ceil(pathBytes.length / 32) * 32);
  encoded.writeUInt8(0x60, 31);
  encoded.write(file.sha256.slice(2), 32, "hex");
  encoded.writeBigUInt64BE(BigInt(file.size), 88);
  encoded.writeUInt32BE(pathBytes.length, 124);
  pathBytes.copy(encoded, 128);
  return keccak(keccak(encoded));
}

/** The manifest as written: stable key order, one file per line, so the file's hash is reproducible. */
export function manifestText(manifest: SiteManifest): string {
  const { files, ...head } = manifest;
  const lines = files.map((f) => `    ${JSON.stringify(f)}`);
  return `${JSON.stringify(head, null, 2).replace(/\n}$/, "")},\n  "files": [\n${lines.join(",\n")}\n  ]\n}\n`;
}

/** The hash that goes on chain as the release's manifest: keccak256 of the manifest file's bytes. */
export function manifestHash(text: string): string {
  return keccak256(toUtf8Bytes(text));
}
