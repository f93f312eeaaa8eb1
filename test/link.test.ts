import { expect } from "chai";
import fc from "fast-check";
import { certificateFromFragment, certificateLink } from "../src/certificates/link";
import { fromBase64Url, toBase64Url } from "../src/io/packing";
import { CERTIFICATE_FORMAT, type CertificateFile } from "../src/certificates/document";
import { verifyPageAddress } from "../src/config/verify-page";
import { extractOf, type TitleExtract } from "../src/land/extract";
import { extractFromFragment, extractLink } from "../src/land/extract-link";

const hex = (bytes: number) => fc.uint8Array({ minLength: bytes, maxLength: bytes }).map((b) => `0x${Buffer.from(b).toString("hex")}`);

const certificate: fc.Arbitrary<CertificateFile> = fc
  .record({
    schema: fc.string({ minLength: 1, maxLength: 30 }),
    issuer: fc.string({ minLength: 1, maxLength: 32 }),
    fields: fc.dictionary(fc.string({ minLength: 1, maxLength: 20 }), fc.oneof(fc.string({ maxLength: 80 }), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.integer()), { maxKeys: 12 }),
    redacted: fc.array(hex(32), { maxLength: 4 }),
    index: fc.nat({ max: 16_777_214 }),
    targetHash: hex(32),
    root: hex(32),
    siblings: fc.array(hex(32), { maxLength: 24 }),
    chainId: fc.integer({ min: 1, max: 2 ** 48 }),
    registry: hex(20),
    salt: hex(16),
  })
  .map(({ schema, issuer, fields, redacted, index, targetHash, root, siblings, chainId, registry, salt }) => ({
    format: CERTIFICATE_FORMAT,
    schema,
    issuer,
    // -0 is written 0 by JSON, as in every certificate file.
    fields: Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, Object.is(v, -0) ? 0 : v])),
    salts: Object.fromEntries(Object.keys(fields).map((k) => [k, salt])),
    redacted,
    proof: { index, targetHash, root, siblings },
    anchor: { chainId, registry },
  }));

describe("verification links", () => {
  it("carry any certificate and give back exactly its file", () => {
    fc.assert(
      fc.property(certificate, (file) => {
        const link = certificateLink(file, "https://verify.example.gov.in/");
        expect(certificateFromFragment(link.slice(link.indexOf("#")))).to.deep.equal(file);
      }),
      { numRuns: 300 },
    );
  });

  it("carry any title extract, all but its chain of title (which the registry holds anyway)", () => {
    const extract: fc.Arbitrary<TitleExtract> = fc
      .record({
        chainId: fc.integer({ min: 1, max: 2 ** 40 }),
        registry: hex(20),
        block: fc.nat(),
        blockHash: hex(32),
        ulpin: fc.stringMatching(/^[A-Z]{2}[0-9A-Z]{12}$/),
        status: fc.constantFrom("active", "frozen", "retired"),
        area: fc.nat({ max: Number.MAX_SAFE_INTEGER }),
        landUse: fc.constantFrom("agricultural", "homestead", "water-body"),
        where: fc.tuple(fc.nat(999), fc.nat(9_999), fc.nat(999_999)),
        version: fc.integer({ min: 1, max: 1_000_000 }),
        recordHash: hex(32),
        liens: fc.nat(50),
        mutationPending: fc.boolean(),
        owners: fc.array(fc.record({ commitment: hex(32), share: fc.integer({ min: 1, max: 10_000 }) }), { minLength: 1, maxLength: 20 }),
        ownersHash: hex(32),
      })
      .map((e) => ({
        kind: "sakshya-land-title-extract" as const,
        version: 1 as const,
        issuedAt: new Date(0).toISOString(),
        anchor: { chainId: e.chainId, registry: e.registry, block: e.block, blockHash: e.blockHash },
        parcel: { ulpin: e.ulpin, status: e.status, area: e.area, landUse: e.landUse, district: e.where[0], block: e.where[1], village: e.where[2], version: e.version, recordHash: e.recordHash, liens: e.liens, mutationPending: e.mutationPending },
        owners: e.owners,
        ownersHash: e.ownersHash,
        chainOfTitle: [{ time: 1, ulpin: e.ulpin, summary: "created" }],
      }));
    fc.assert(
      fc.property(extract, (file) => {
        const link = extractLink(file, "https://verify.example.gov.in/");
        expect(extractOf(extractFromFragment(link.split("#")[1]), "link")).to.deep.equal({ ...file, chainOfTitle: [] });
      }),
      { numRuns: 200 },
    );
    expect(() => extractFromFragment("C1.AAAA")).to.throw("This link does not carry a Sakshya title extract.");
  });

  it("base64url matches Node's, both ways", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
        expect(toBase64Url(bytes)).to.equal(Buffer.from(bytes).toString("base64url"));
        expect(Buffer.from(fromBase64Url(toBase64Url(bytes)))).to.deep.equal(Buffer.from(bytes));
      }),
    );
  });

  it("a damaged or foreign link is one sentence, never a crash", () => {
    const file = fc.sample(certificate, 1)[0];
    const fragment = certificateLink(file, "https://v.example/").split("#")[1];
    expect(() => certificateFromFragment(fragment.slice(0, -5))).to.throw("This link is damaged: part of it is missing or changed.");
    expect(() => certificateFromFragment(`${fragment}AAAA`)).to.throw("This link is damaged");
    expect(() => certificateFromFragment("C1.***")).to.throw("This link is damaged");
    expect(() => certificateFromFragment("L1.abc")).to.throw("This link does not carry a Sakshya certificate.");
  });

  it("lead to an https page, or to this machine's service on the development chain", () => {
    const saved = process.env.SAKSHYA_VERIFY_URL;
    delete process.env.SAKSHYA_VERIFY_URL;
    try {
      expect(verifyPageAddress("localhost")).to.equal("http://127.0.0.1:8080/");
      expect(verifyPageAddress("besu", "https://verify.wb.gov.in")).to.equal("https://verify.wb.gov.in/");
      expect(verifyPageAddress("besu", "https://wb.gov.in/verify")).to.equal("https://wb.gov.in/verify/");
      expect(() => verifyPageAddress("besu")).to.throw("Give the verification page's address that QR codes lead to: --verify-url https://… (or SAKSHYA_VERIFY_URL), or --no-qr.");
      expect(() => verifyPageAddress("besu", "http://verify.wb.gov.in/")).to.throw("must start with https://");
      expect(() => verifyPageAddress("besu", "https://verify.wb.gov.in/?a=1")).to.throw("must have no query, fragment or password");
      expect(() => verifyPageAddress("besu", "verify.wb.gov.in")).to.throw('"verify.wb.gov.in" is not a web address');
      process.env.SAKSHYA_VERIFY_URL = "https://env.example/";
      expect(verifyPageAddress("besu")).to.equal("https://env.example/");
    } finally {
      if (saved === undefined) delete process.env.SAKSHYA_VERIFY_URL;
      else process.env.SAKSHYA_VERIFY_URL = saved;
    }
  });
});
