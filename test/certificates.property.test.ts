import { expect } from "chai";
import hre from "hardhat";
import fc from "fast-check";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import { getBytes, id } from "ethers";
import { BatchRejectedError, buildBatch } from "../src/certificates/batch";
import { toBitmap } from "../src/certificates/client";
import { computeTargetHash, redact } from "../src/certificates/document";
import { processProof } from "../src/certificates/merkle";
import { parseSchema } from "../src/certificates/schema";
import { loadKeccak } from "../src/hashing/keccak";
import { DOC, REASON, certificateSuite } from "./fixtures";

const COUNT = 200;
const W = 1;

/** Who acts: two keys of the issuing university, or governance (whose marks always count). */
type Actor = "keyA" | "keyB" | "governance";
type Suspension = { state: "none" } | { state: "suspended" | "lifted"; by: Actor; at: number };
interface Layers {
  revocation?: { by: Actor; at: number };
  suspension: Suspension;
}

const indices = fc.uniqueArray(fc.integer({ min: 0, max: COUNT - 1 }), { minLength: 1, maxLength: 40 });
const actor = fc.constantFrom<Actor>("keyA", "keyB", "governance");
const action = fc.oneof(
  fc.record({ kind: fc.constantFrom("revoke" as const, "suspend" as const, "reinstate" as const), indices, actor }),
  fc.record({ kind: fc.constantFrom("revokeBatch" as const, "suspendBatch" as const, "reinstateBatch" as const), actor }),
);
type Action = typeof action extends fc.Arbitrary<infer A> ? A : never;

/** The registry's rules, as the tests' model: every mark remembers who made it and when. */
class Model {
  readonly documents: Layers[] = Array.from({ length: COUNT }, () => ({ suspension: { state: "none" } }));
  readonly batch: Layers = { suspension: { state: "none" } };
  /** Marks by key A at or after this time do not count (Infinity: A was never reported). */
  cutoff = Infinity;

  counts(by: Actor, at: number): boolean {
    return by !== "keyA" || at < this.cutoff;
  }

  revoked(l: Layers): boolean {
    return l.revocation !== undefined && this.counts(l.revocation.by, l.revocation.at);
  }

  suspended(l: Layers): boolean {
    const s = l.suspension;
    if (s.state === "none") return false;
    return s.state === "suspended" ? this.counts(s.by, s.at) : !this.counts(s.by, s.at);
  }

  /** Applies an act at time `at`; returns whether the registry must accept it. */
  apply(a: Action, at: number): boolean {
    if (this.revoked(this.batch)) return false;
    const targets = "indices" in a ? a.indices.map((i) => this.documents[i]) : [this.batch];
    const kind = a.kind.replace("Batch", "") as "revoke" | "suspend" | "reinstate";
    const allowed = (l: Layers) => {
      if ("indices" in a && this.revoked(l)) return false;
      if (kind === "suspend") return !this.suspended(l);
      if (kind === "reinstate") {
        const imposedByGovernance = l.suspension.state === "suspended" && l.suspension.by === "governance";
        return this.suspended(l) && (a.actor === "governance" || !imposedByGovernance);
      }
      return true;
    };
    if (!targets.every(allowed)) return false;
    for (const l of targets) {
      if (kind === "revoke") l.revocation = { by: a.actor, at };
      else if (kind === "suspend") l.suspension = { state: "suspended", by: a.actor, at };
      else l.suspension = a.actor === "governance" ? { state: "none" } : { state: "lifted", by: a.actor, at };
    }
    return true;
  }

  status(i: number): number {
    if (this.revoked(this.batch)) return DOC.revoked;
    if (this.revoked(this.documents[i])) return DOC.revoked;
    return this.suspended(this.batch) || this.suspended(this.documents[i]) ? DOC.suspended : DOC.valid;
  }
}

describe("CertificateRegistry properties", function () {
  this.timeout(600_000);

  it("marks by two keys and governance, one key later reported stolen: every status is the model's, the range view agrees", async () => {
    const suite = await loadFixture(certificateSuite);
    let snapshot: string = await hre.network.provider.send("evm_snapshot");
    const root = id("property batch");
    await fc.assert(
      fc.asyncProperty(fc.array(action, { minLength: 1, maxLength: 10 }), fc.nat(), async (actions, stolenFrom) => {
        await hre.network.provider.send("evm_revert", [snapshot]);
        snapshot = await hre.network.provider.send("evm_snapshot");
        const { registry, directory, universityKey, secondKey, governor, operator } = suite;
        await registry.issue(root, COUNT, 0);
        const model = new Model();
        const times: number[] = [];
        for (const a of actions) {
          const at = (await time.latest()) + 1;
          times.push(at);
          await time.setNextBlockTimestamp(at);
          const expected = model.apply(a, at);
          // Governance acts through its roles: revoking is the governor's, suspending the responder's, lifting the operator's.
          const caller = a.actor === "keyA" ? universityKey : a.actor === "keyB" ? secondKey : a.kind.startsWith("revoke") ? governor : operator;
          const r = registry.connect(caller);
          const send = () => {
            if (!("indices" in a)) {
              return a.kind === "revokeBatch" ? r.revokeBatch(W, root, REASON.issuedInError) : a.kind === "suspendBatch" ? r.suspendBatch(W, root, REASON.underReview) : r.reinstateBatch(W, root);
            }
            const { firstWord, bitmap } = toBitmap(a.indices);
            if (a.kind === "revoke") {
              return a.indices.length === 1 ? r.revokeDocument(W, root, a.indices[0], REASON.withdrawn) : r.revokeDocuments(W, root, firstWord, bitmap, REASON.withdrawn);
            }
            return a.kind === "suspend" ? r.suspendDocuments(W, root, firstWord, bitmap, REASON.underReview) : r.reinstateDocuments(W, root, firstWord, bitmap);
          };
          const succeeded = await send().then(() => true, () => false);
          expect(succeeded, `${JSON.stringify(a)}`).to.equal(expected);
        }
        // Key A is reported stolen from one of the acts on (or never, one time in eleven or so).
        const from = stolenFrom % (actions.length + 1);
        if (from < actions.length) {
          model.cutoff = times[from];
          await directory.markAccountCompromised(universityKey.address, times[from]);
        }
        const statuses = await registry.documentStatuses(Array.from({ length: COUNT }, (_, index) => ({ issuerOrgId: W, root, index })));
        // The range view (what `cert verify` reads) must say exactly what the per-document view says.
        const [, codes] = await registry.documentStatusRange(W, root, 0, COUNT + 1);
        const range = getBytes(codes);
        statuses.forEach((s, i) => {
          expect(Number(s.status), `document ${i}`).to.equal(model.status(i));
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

describe("certificate identities", () => {
  it("are the same record whatever the case, spacing or Unicode form of the identity fields", async () => {
    const keccak = await loadKeccak();
    const schema = parseSchema(
      { id: "names/1", title: "identity test", fields: { name: { type: "string", required: true }, born: { type: "date", required: true } }, identity: ["name", "born"] },
      "identity schema",
    );
    const records = [
      // য় as one code point (U+09DF) and as য + nukta (U+09AF U+09BC): one person, written two ways.
      { line: 2, values: { name: "অমিত রা\u09DF", born: "2001-02-28" } },
      { line: 3, values: { name: "  অমিত   রা\u09AF\u09BC ", born: "2001-02-28" } },
    ];
    expect(() => buildBatch({ records, schema, issuer: "wbu", anchor: { chainId: 1, registry: `0x${"1".repeat(40)}` }, expiresAt: 0 }, keccak)).to.throw(
      BatchRejectedError,
      /line 3: duplicate of line 2 \(name, born\)/,
    );
    const latin = [
      { line: 2, values: { name: "Amit Ray", born: "2001-02-28" } },
      { line: 3, values: { name: "AMIT  RAY", born: "2001-02-28" } },
    ];
    expect(() => buildBatch({ records: latin, schema, issuer: "wbu", anchor: { chainId: 1, registry: `0x${"1".repeat(40)}` }, expiresAt: 0 }, keccak)).to.throw(/duplicate of line 2/);
  });
});
