import fs from "node:fs";
import path from "node:path";
import { expect } from "chai";
import { AbiCoder, concat, getBytes, hexlify, keccak256, toUtf8Bytes } from "ethers";

/**
 * docs/formats.md re-implemented from the page alone — ethers' primitives, nothing from src/ — and checked against
 * the published vectors: if this passes, a third party reading the page computes what Sakshya computes.
 */
const VECTORS = JSON.parse(fs.readFileSync(path.join(__dirname, "..", "docs", "format-vectors.json"), "utf8"));
const abi = AbiCoder.defaultAbiCoder();

type Json = string | number | boolean | null | Json[] | { [key: string]: Json };

function canonical(value: Json): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  if (value !== null && typeof value === "object") return `{${Object.keys(value).sort().map((k) => `${JSON.stringify(k)}:${canonical(value[k])}`).join(",")}}`;
  return JSON.stringify(value);
}

const fieldHash = (name: string, value: Json, salt: string) => keccak256(concat([salt, toUtf8Bytes(canonical([name, value]))]));

function targetHash(file: { format: string; issuer: string; schema: string; fields: Record<string, Json>; salts: Record<string, string>; redacted: string[] }): string {
  const header = keccak256(toUtf8Bytes(canonical({ format: file.format, issuer: file.issuer, schema: file.schema })));
  const hashes = [...Object.keys(file.fields).map((name) => fieldHash(name, file.fields[name], file.salts[name])), ...file.redacted];
  hashes.sort((a, b) => Buffer.compare(Buffer.from(getBytes(a)), Buffer.from(getBytes(b))));
  return keccak256(concat([header, ...hashes]));
}

const doubleHash = (encoded: string) => keccak256(keccak256(encoded));

function fold(leaf: string, siblings: string[]): string {
  return siblings.reduce((node, sibling) => {
    const [a, b] = Buffer.compare(Buffer.from(getBytes(node)), Buffer.from(getBytes(sibling))) <= 0 ? [node, sibling] : [sibling, node];
    return keccak256(concat([a, b]));
  }, leaf);
}

describe("formats a third party can re-implement (docs/formats.md)", () => {
  it("certificate target hash, batch leaf and proof", () => {
    const { file, targetHash: expected, root } = VECTORS.certificate;
    expect(targetHash(file)).to.equal(expected);
    expect(file.proof.targetHash).to.equal(expected);
    const leaf = doubleHash(abi.encode(["uint256", "bytes32"], [file.proof.index, expected]));
    expect(fold(leaf, file.proof.siblings)).to.equal(root);
    // Any change to a field is caught.
    expect(targetHash({ ...file, fields: { ...file.fields, cgpa: 9.91 } })).to.not.equal(expected);
  });

  it("redaction keeps the target hash", () => {
    const { hide, file } = VECTORS.redaction;
    const original = VECTORS.certificate.file;
    for (const name of hide) {
      expect(file.fields).to.not.have.property(name);
      expect(file.redacted).to.include(fieldHash(name, original.fields[name], original.salts[name]));
    }
    expect(targetHash(file)).to.equal(VECTORS.certificate.targetHash);
  });

  it("verification link: the whole certificate, packed into the fragment", () => {
    const [page, fragment] = VECTORS.verificationLink.split("#");
    expect(page).to.match(/^https:\/\//);
    expect(fragment.startsWith("C1.")).to.equal(true);
    const bytes = Buffer.from(fragment.slice(3), "base64url");
    let at = 0;
    const take = (n: number) => bytes.subarray(at, (at += n));
    const varint = () => {
      let value = 0;
      for (let scale = 1; ; scale *= 128) {
        const byte = take(1)[0];
        value += (byte & 127) * scale;
        if (byte < 128) return value;
      }
    };
    const text = () => take(varint()).toString("utf8");
    const hex = (n: number) => hexlify(take(n));
    const hashes = () => Array.from({ length: varint() }, () => hex(32));
    const chainId = varint();
    const registry = hex(20);
    const issuer = text();
    const schema = text();
    const index = varint();
    const target = hex(32);
    const root = hex(32);
    const siblings = hashes();
    const redacted = hashes();
    const fields: Record<string, Json> = {};
    const salts: Record<string, string> = {};
    for (let n = varint(); n > 0; n--) {
      const name = text();
      fields[name] = JSON.parse(text());
      salts[name] = hex(16);
    }
    expect(at).to.equal(bytes.length, "nothing left over");
    const file = VECTORS.certificate.file;
    expect({ chainId, registry }).to.deep.equal({ chainId: file.anchor.chainId, registry: file.anchor.registry.toLowerCase() });
    expect({ issuer, schema, fields, salts, redacted }).to.deep.equal({ issuer: file.issuer, schema: file.schema, fields: file.fields, salts: file.salts, redacted: file.redacted });
    expect({ index, targetHash: target, root, siblings }).to.deep.equal(file.proof);
    expect(targetHash({ format: file.format, issuer, schema, fields, salts, redacted })).to.equal(target, "the unpacked fields hash to the target");
  });

  it("land owner commitment, owners hash and snapshot leaf", () => {
    const { owners, ownersHash, parcel, snapshotLeaf } = VECTORS.land;
    const domain = keccak256(toUtf8Bytes("sakshya.land.owner.v1"));
    for (const owner of owners) {
      const normalised = owner.identity.replace(/[\s-]/g, "").toUpperCase();
      expect(keccak256(abi.encode(["bytes32", "string", "bytes32"], [domain, normalised, owner.salt]))).to.equal(owner.commitment);
    }
    const list = owners.map((o: { commitment: string; share: number }) => [o.commitment, o.share]);
    expect(keccak256(abi.encode(["tuple(bytes32,uint16)[]"], [list]))).to.equal(ownersHash);
    const ulpin = hexlify(toUtf8Bytes(parcel.ulpin));
    const encoded = abi.encode(
      ["bytes14", "bytes32", "uint64", "uint8", "uint16", "uint16", "uint32", "bytes32"],
      [ulpin, ownersHash, parcel.area, parcel.landUse, parcel.district, parcel.block, parcel.village, parcel.recordHash],
    );
    expect(doubleHash(encoded)).to.equal(snapshotLeaf);
  });

  it("website file leaf and manifest root", () => {
    const { files, root, proofOfFirst } = VECTORS.website;
    const leaf = doubleHash(abi.encode(["string", "bytes32", "uint256"], [files[0].path, files[0].sha256, files[0].size]));
    expect(fold(leaf, proofOfFirst)).to.equal(root);
    const other = doubleHash(abi.encode(["string", "bytes32", "uint256"], [files[1].path, files[1].sha256, files[1].size]));
    expect(proofOfFirst).to.deep.equal([other]);
  });
});
