import { expect } from "chai";
import hre from "hardhat";
import fc from "fast-check";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import { getBytes, id } from "ethers";
import { buildBatch } from "../src/certificates/batch";
import { toBitmap } from "../src/certificates/client";
import { computeTargetHash, redact } from "../src/certificates/document";
import { processProof } from "../src/certificates/merkle";
import { parseSchema } from "../src/certificates/schema";
import { loadKeccak } from "../src/hashing/keccak";
import { DOC, REASON, certificateSuite, evidence } from "./fixtures";

const COUNT = 200;
type Mark = "none" | "suspended" | "revoked";

const indices = fc.uniqueArray(fc.integer({ min: 0, max: COUNT - 1 }), { minLength: 1, maxLength: 40 });
const action = fc.oneof(
  fc.record({ kind: fc.constant("revoke" as const), indices }),
  fc.record({ kind: fc.constant("suspend" as const), indices }),
  fc.record({ kind: fc.constant("reinstate" as const), indices }),
  fc.record({ kind: fc.constantFrom("revokeBatch" as const, "suspendBatch" as const, "reinstateBatch" as const) }),
  fc.record({ kind: fc.constantFrom("compromiseLater" as const, "suspendIssuer" as const, "expire" as const) }),
);
type Action = typeof action extends fc.Arbitrary<infer A> ? A : never;

interface Model {
  marks: Mark[];
  batch: Mark;
  /** Something that voids every document: a compromised key, a suspended issuer, expiry. */
  voided: boolean;
}

/** Applies an action to the model; returns whether the contract must accept it. */
function apply(model: Model, a: Action): boolean {
  switch (a.kind) {
    case "revoke":
    case "suspend":
    case "reinstate": {
      if (model.batch === "revoked") return false;
      const allowed = (m: Mark) => (a.kind === "revoke" ? m !== "revoked" : a.kind === "suspend" ? m === "none" : m === "suspended");
      if (!a.indices.every((i) => allowed(model.marks[i]))) return false;
      for (const i of a.indices) model.marks[i] = a.kind === "revoke" ? "revoked" : a.kind === "suspend" ? "suspended" : "none";
      return true;
    }
    case "revokeBatch":
      if (model.batch === "revoked") return false;
      model.batch = "revoked";
      return true;
    case "suspendBatch":
      if (model.batch !== "none") return false;
      model.batch = "suspended";
      return true;
    case "reinstateBatch":
      if (model.batch !== "suspended") return false;
      model.batch = "none";
      return true;
    default:
      model.voided = true;
      return true;
  }
}

describe("CertificateRegistry properties", function () {
  this.timeout(600_000);

  it("no revoked, suspended, expired, compromised or issuer-suspended document verifies; every untouched one does", async () => {
    const suite = await loadFixture(certificateSuite);
    let snapshot: string = await hre.network.provider.send("evm_snapshot");
    const root = id("property batch");
    await fc.assert(
      fc.asyncProperty(fc.array(action, { minLength: 1, maxLength: 8 }), async (actions) => {
        await hre.network.provider.send("evm_revert", [snapshot]);
        snapshot = await hre.network.provider.send("evm_snapshot");
        const { registry, directory, universityKey } = suite;
        const expiry = (await time.latest()) + 10_000;
        await registry.issue(root, COUNT, expiry);
        const model: Model = { marks: new Array(COUNT).fill("none"), batch: "none", voided: false };
        for (const a of actions) {
          // Once the batch is void (compromised key, suspended issuer, expiry) the issuer's key may no longer act.
          if (model.voided) break;
          const expected = apply(model, a);
          const send = () => {
            switch (a.kind) {
              case "revoke": {
                const { firstWord, bitmap } = toBitmap(a.indices);
                return a.indices.length === 1
                  ? registry.revokeDocument(root, a.indices[0], REASON.withdrawn)
                  : registry.revokeDocuments(root, firstWord, bitmap, REASON.withdrawn);
              }
              case "suspend": {
                const { firstWord, bitmap } = toBitmap(a.indices);
                return registry.suspendDocuments(root, firstWord, bitmap, REASON.underReview);
              }
              case "reinstate": {
                const { firstWord, bitmap } = toBitmap(a.indices);
                return registry.reinstateDocuments(root, firstWord, bitmap);
              }
              case "revokeBatch": return registry.revokeBatch(root, REASON.issuedInError);
              case "suspendBatch": return registry.suspendBatch(root, REASON.underReview);
              case "reinstateBatch": return registry.reinstateBatch(root);
              // Each voids the whole batch without touching its marks.
              case "compromiseLater": return registry.batch(root).then((b) => directory.markAccountCompromised(universityKey.address, b.issuedAt));
              case "suspendIssuer": return directory.suspend(1, evidence("audit"));
              case "expire": return time.increaseTo(expiry);
            }
          };
          const succeeded = await send().then(() => true, () => false);
          expect(succeeded, `${JSON.stringify(a)}`).to.equal(expected);
        }
        const statuses = await registry.documentStatuses(Array.from({ length: COUNT }, (_, index) => ({ root, index })));
        // The range view (what `cert verify` reads) must say exactly what the per-document view says.
        const [, , codes] = await registry.documentStatusRange(root, 0, COUNT + 1);
        const range = getBytes(codes);
        statuses.forEach((s, i) => {
          const untouched = !model.voided && model.batch === "none" && model.marks[i] === "none";
          expect(Number(s.status) === DOC.valid, `document ${i}: model ${model.marks[i]}/${model.batch}, status ${s.status}`).to.equal(untouched);
          expect([range[2 * i], range[2 * i + 1]], `range view of document ${i}`).to.deep.equal([Number(s.status), Number(s.reason)]);
        });
        expect(range[2 * COUNT]).to.equal(DOC.notIssued);
      }),
      { numRuns: 60 },
    );
  });

  it("a certificate with any field changed, added or dropped never matches its target hash; any redaction still does", async () => {
    const keccak = await loadKeccak();
    const schema = parseSchema(
      {
        id: "prop/1",
        title: "property test",
        fields: { roll: { type: "string", required: true }, name: { type: "string", required: true }, score: { type: "number" }, born: { type: "date" } },
        identity: ["roll"],
      },
      "property schema",
    );
    const text = fc.string({ minLength: 1, maxLength: 30 }).filter((t) => t.trim() !== "" && !/[\r\n]/.test(t));
    const row = fc.record({ name: text, score: fc.integer({ min: -1000, max: 1000 }).map(String), born: fc.constant("2001-02-28") });
    const rows = fc.array(row, { minLength: 1, maxLength: 12 });
    await fc.assert(
      fc.asyncProperty(rows, fc.nat(), fc.oneof(text, fc.integer().map(String)), fc.subarray(["name", "score", "born"]), async (values, pick, newValue, hidden) => {
        const records = values.map((v, i) => ({ line: i + 2, values: { roll: `R-${i}`, ...v } }));
        const batch = buildBatch({ records, schema, issuer: "wbu", anchor: { chainId: 1, registry: `0x${"1".repeat(40)}` }, expiresAt: 0 }, keccak);
        const certificate = batch.certificate(pick % records.length);
        const { proof } = certificate;
        expect(computeTargetHash(certificate, keccak)).to.equal(proof.targetHash);

        const shown = redact(certificate, hidden, keccak);
        expect(computeTargetHash(shown, keccak), `hiding ${hidden.join(",")}`).to.equal(proof.targetHash);
        expect(processProof(proof.index, getBytes(proof.targetHash), proof.siblings, keccak)).to.equal(proof.root);

        const name = Object.keys(certificate.fields)[pick % Object.keys(certificate.fields).length];
        const changed = String(certificate.fields[name]) === newValue ? `${newValue}!` : newValue;
        const original = certificate.fields[name];
        const edits = [
          { ...certificate, fields: { ...certificate.fields, [name]: changed } },
          { ...certificate, issuer: `${certificate.issuer}x` },
          ...(typeof original === "number" ? [{ ...certificate, fields: { ...certificate.fields, [name]: original + 1 } }] : []),
          ...(hidden.length > 0 ? [{ ...shown, redacted: shown.redacted.slice(1) }] : []),
        ];
        for (const edit of edits) {
          let target: string | undefined;
          try {
            target = computeTargetHash(edit, keccak);
          } catch {
            target = undefined; // a field without its salt is caught as tampered before any hash
          }
          expect(target, `edit of ${name}`).to.not.equal(proof.targetHash);
        }
      }),
      { numRuns: 150 },
    );
  });
});
