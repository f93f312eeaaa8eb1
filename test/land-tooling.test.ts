import fs from "node:fs";
import path from "node:path";
import { expect } from "chai";
import fc from "fast-check";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { StandardMerkleTree } from "@openzeppelin/merkle-tree";
import { id, type Filter, type Log, type Provider } from "ethers";
import { getLogsFrom } from "../src/chain/logs";
import { loadKeccak } from "../src/hashing/keccak";
import { hex } from "../src/hashing/merkle";
import { commit, ownersHashOf } from "../src/land/leaf-encoding";
import { newOwnerCard, parseParty, parseShare, readOwnerCard } from "../src/land/parties";
import { ULPINS_FILE, absenceProof } from "../src/land/absence";
import { buildSnapshot, snapshotEntry } from "../src/land/snapshot";
import { landJurisdiction, ownerCommitment, ownersHash, parseUlpin, sortOwners, ulpinBytes, ulpinText } from "../src/land/titles";
import { parseJurisdiction } from "../src/directory/vocabulary";
import { evidence, rejects, tempFile } from "./fixtures";
import { applyTransfer, landSuite, owners, person } from "./helpers/land";

const HEADER = "ulpin,district,block,village,area_sqm,land_use,record_hash,owners";
const TYPES = ["bytes14", "bytes32", "uint64", "uint8", "uint16", "uint16", "uint32", "bytes32"];
const ANCHOR = { chainId: 33033, registry: "0x0000000000000000000000000000000000000001" };
const commitmentArb = fc.uint8Array({ minLength: 32, maxLength: 32 }).map((b) => hex(b));

describe("land tooling", () => {
  describe("ULPINs, shares, parties and owner cards", () => {
    it("reads a ULPIN as people write it and refuses anything else", () => {
      expect(parseUlpin("wb17-0400-0000-01")).to.equal("WB170400000001");
      expect(ulpinText(ulpinBytes("WB170400000001"))).to.equal("WB170400000001");
      expect(() => parseUlpin("WB17040000001")).to.throw(/"WB17040000001" is not a ULPIN/);
      expect(() => parseUlpin("WB17040000000Ü")).to.throw(/not a ULPIN/);
    });

    it("reads shares as percentages or basis points, and parties as cards or commitments", () => {
      expect([parseShare("100%"), parseShare("33.33%"), parseShare("0.5%"), parseShare("6000bp")]).to.deep.equal([10_000, 3_333, 50, 6_000]);
      for (const bad of ["0%", "101%", "60", "33.333%", "-5%", "10001bp"]) expect(() => parseShare(bad), bad).to.throw(/is not a share/);
      const commitment = person("asha");
      expect(parseParty(`${commitment.toUpperCase().replace("0X", "0x")}=25%`)).to.deep.equal({ commitment, share: 2_500 });
      expect(() => parseParty("asha")).to.throw(/is not a party/);
    });

    it("owner cards commit to a normalised identity with their salt, and an altered card is refused", () => {
      const file = tempFile("asha.owner.json");
      const card = newOwnerCard("wb epic-1234", "Asha");
      expect(card.commitment).to.equal(ownerCommitment("WBEPIC1234", card.salt));
      fs.writeFileSync(file, JSON.stringify(card));
      expect(readOwnerCard(file).commitment).to.equal(card.commitment);
      fs.writeFileSync(file, JSON.stringify({ ...card, identity: "WB-EPIC-9999" }));
      expect(() => readOwnerCard(file)).to.throw(/has been altered/);
      fs.writeFileSync(file, "{}");
      expect(() => readOwnerCard(file)).to.throw(/is not an owner card/);
    });

    it("land jurisdictions are district << 16 | block, and the directory reads them as district/block", () => {
      expect(landJurisdiction(17, 4)).to.equal(17 * 65_536 + 4);
      expect(parseJurisdiction("17/4")).to.equal(landJurisdiction(17, 4));
      expect(parseJurisdiction("17/*")).to.equal(landJurisdiction(17));
      expect(() => landJurisdiction(70_000)).to.throw(/district code 70000/);
    });
  });

  describe("encodings match ethers and the contract", () => {
    it("commitments and owner-list hashes written into reused buffers equal the ethers ones", async () => {
      const keccak = await loadKeccak();
      fc.assert(
        fc.property(fc.string({ minLength: 1, maxLength: 60 }).filter((s) => s.replace(/[\s-]/g, "") !== ""), fc.uint8Array({ minLength: 32, maxLength: 32 }), (identity, salt) => {
          const normalised = identity.replace(/[\s-]/g, "").toUpperCase();
          expect(hex(commit(normalised, salt, keccak))).to.equal(ownerCommitment(identity, hex(salt)));
        }),
        { numRuns: 200 },
      );
      fc.assert(
        fc.property(fc.uniqueArray(commitmentArb, { minLength: 1, maxLength: 64 }), fc.nat({ max: 10_000 }), (commitments, seed) => {
          const list = sortOwners(commitments.map((c, i) => ({ commitment: c, share: ((seed + i) % 10_000) + 1 })));
          const bytes = list.map((o) => ({ commitment: Buffer.from(o.commitment.slice(2), "hex"), share: o.share }));
          expect(hex(ownersHashOf(bytes, keccak))).to.equal(ownersHash(list));
        }),
        { numRuns: 100 },
      );
    });

    // That the registry computes these same owners is the model property of land.property.test.ts.
    it("hashes owner lists after any transfer as the registry's own ownersHash view does, and a transfer keeps the whole", async () => {
      const { land } = await loadFixture(landSuite);
      await fc.assert(
        fc.asyncProperty(fc.uniqueArray(fc.constantFrom("a", "b", "c", "d", "e"), { minLength: 1, maxLength: 4 }), fc.nat(), fc.integer({ min: 1, max: 100 }), fc.constantFrom("a", "b", "f"), async (names, giverIndex, percent, receiver) => {
          const shares = names.map((_, i) => (i === names.length - 1 ? 10_000 - Math.floor(10_000 / names.length) * (names.length - 1) : Math.floor(10_000 / names.length)));
          const current = owners(...names.map((n, i): [string, number] => [n, shares[i]]));
          const giver = current[giverIndex % current.length];
          const given = Math.max(1, Math.floor((giver.share * percent) / 100));
          const next = applyTransfer(current, [{ commitment: giver.commitment, share: given }], [{ commitment: person(receiver), share: given }]);
          expect(next.reduce((sum, o) => sum + o.share, 0)).to.equal(10_000);
          // The registry's own hashing of the list, through its pure view.
          expect(await land.ownersHash(next)).to.equal(ownersHash(next));
        }),
        { numRuns: 50 },
      );
    });
  });

  describe("migration snapshots", () => {
    const record = evidence("RoR");
    const row = (serial: number, ownersCell: string, area = 1_000) => `WB1704${String(serial).padStart(8, "0")},17,4,100234,${area},agricultural,${record},${ownersCell}`;

    it("builds the same root as OpenZeppelin's StandardMerkleTree, plain or quoted, and every proof verifies", async () => {
      const keccak = await loadKeccak();
      const a = person("a");
      const b = person("b");
      const rows = Array.from({ length: 37 }, (_, i) => row(i + 1, i % 3 === 0 ? `${a}:60%;${b}:40%` : `${b}:100%`, 500 + i));
      const plain = tempFile("export.csv");
      fs.writeFileSync(plain, `${HEADER}\n${rows.join("\n")}\n`);
      const quoted = tempFile("quoted.csv");
      fs.writeFileSync(quoted, `${HEADER}\r\n${rows.map((r) => r.split(",").map((c) => `"${c}"`).join(",")).join("\r\n")}\r\n`);
      const one = await buildSnapshot(plain, path.join(path.dirname(plain), "snap"), ANCHOR, keccak);
      const two = await buildSnapshot(quoted, path.join(path.dirname(quoted), "snap"), ANCHOR, keccak);
      const library = StandardMerkleTree.of(
        rows.map((r, i) => {
          const list = i % 3 === 0 ? sortOwners([{ commitment: a, share: 6_000 }, { commitment: b, share: 4_000 }]) : [{ commitment: b, share: 10_000 }];
          return [ulpinBytes(r.slice(0, 14)), ownersHash(list), 500 + i, 1, 17, 4, 100_234, record];
        }),
        TYPES,
      );
      expect([one.root, two.root, one.parcelCount, one.ownerSalts]).to.deep.equal([library.root, library.root, 37, 0]);
      for (const serial of [1, 2, 37]) {
        const { entry, proof } = snapshotEntry(path.join(path.dirname(plain), "snap"), `WB1704${String(serial).padStart(8, "0")}`, keccak);
        const leaf = [ulpinBytes(entry.record.ulpin), ownersHash(entry.owners), entry.record.area, entry.record.landUse, 17, 4, 100_234, record];
        expect(StandardMerkleTree.verify(library.root, TYPES, leaf, proof)).to.equal(true);
      }
    });

    it("draws a salt for each owner named by identity, and a materialised parcel matches its entry on chain", async () => {
      const keccak = await loadKeccak();
      const { land, governor, outsider } = await loadFixture(landSuite);
      const file = tempFile("export.csv");
      fs.writeFileSync(file, `${HEADER}\n${row(1, "WB-EPIC-1:50%;WB-EPIC-2:50%")}\n${row(2, "WB-EPIC-3:100%")}\n`);
      const dir = path.join(path.dirname(file), "snap");
      const manifest = await buildSnapshot(file, dir, ANCHOR, keccak);
      expect(manifest.ownerSalts).to.equal(3);
      const salts = fs.readFileSync(path.join(dir, "owner-salts.csv"), "utf8").trim().split("\n").slice(1).map((l) => l.split(","));
      expect(salts.map(([u, identity]) => `${u} ${identity}`)).to.deep.equal(["WB170400000001 WBEPIC1", "WB170400000001 WBEPIC2", "WB170400000002 WBEPIC3"]);
      expect(fs.statSync(path.join(dir, "owner-salts.csv")).mode & 0o077).to.equal(0);
      const { entry, proof } = snapshotEntry(dir, "WB170400000001", keccak);
      expect(entry.owners.map((o) => o.commitment)).to.have.members(salts.slice(0, 2).map(([, identity, salt]) => ownerCommitment(identity, salt)));
      await land.connect(governor).anchorSnapshot(manifest.root, manifest.parcelCount, manifest.exportHash, manifest.absenceRoot!);
      await land.connect(outsider).materialise(manifest.root, { ...entry.record, ulpin: ulpinBytes(entry.record.ulpin) }, entry.owners, proof);
      expect((await land.parcel(ulpinBytes("WB170400000001"))).owners).to.equal(ownersHash(entry.owners));
    });

    it("proves ULPINs absent with gaps that OpenZeppelin's StandardMerkleTree proves too, and never a held one", async () => {
      const keccak = await loadKeccak();
      const serialArb = fc.integer({ min: 1, max: 400 });
      await fc.assert(
        fc.asyncProperty(fc.uniqueArray(serialArb, { minLength: 1, maxLength: 40 }), fc.array(serialArb, { minLength: 1, maxLength: 10 }), async (held, asked) => {
          const file = tempFile("export.csv");
          fs.writeFileSync(file, `${HEADER}\n${held.map((serial) => row(serial, `${person("a")}:100%`)).join("\n")}\n`);
          const dir = path.join(path.dirname(file), "snap");
          const manifest = await buildSnapshot(file, dir, ANCHOR, keccak);
          const ulpins = held.map((serial) => ulpinBytes(`WB1704${String(serial).padStart(8, "0")}`)).sort();
          const bounds = [`0x${"00".repeat(14)}`, ...ulpins, `0x${"ff".repeat(14)}`];
          const gaps = StandardMerkleTree.of(bounds.slice(1).map((above, i) => [bounds[i], above]), ["bytes14", "bytes14"]);
          expect(manifest.absenceRoot).to.equal(gaps.root);
          for (const serial of asked) {
            const text = `WB1704${String(serial).padStart(8, "0")}`;
            if (held.includes(serial)) {
              expect(() => absenceProof(dir, { root: manifest.root, absenceRoot: gaps.root }, text, keccak)).to.throw(/is held by the active migration snapshot/);
              continue;
            }
            const proof = absenceProof(dir, { root: manifest.root, absenceRoot: gaps.root }, text, keccak);
            expect(proof.below < ulpinBytes(text) && ulpinBytes(text) < proof.above).to.equal(true);
            expect(StandardMerkleTree.verify(gaps.root, ["bytes14", "bytes14"], [proof.below, proof.above], proof.proof)).to.equal(true);
          }
        }),
        { numRuns: 25 },
      );
    });

    it("a folder altered after anchoring proves nothing, and one built before gap trees is named as such", async () => {
      const keccak = await loadKeccak();
      const file = tempFile("export.csv");
      fs.writeFileSync(file, `${HEADER}\n${[1, 5, 9].map((serial) => row(serial, `${person("a")}:100%`)).join("\n")}\n`);
      const dir = path.join(path.dirname(file), "snap");
      const manifest = await buildSnapshot(file, dir, ANCHOR, keccak);
      const anchored = { root: manifest.root, absenceRoot: manifest.absenceRoot! };
      // Dropping WB170400000005 from the sorted list would make it look free.
      const sorted = fs.readFileSync(path.join(dir, ULPINS_FILE));
      fs.writeFileSync(path.join(dir, ULPINS_FILE), Buffer.concat([sorted.subarray(0, 14), sorted.subarray(28)]));
      expect(() => absenceProof(dir, anchored, "WB170400000005", keccak)).to.throw(/has been altered/);
      fs.rmSync(path.join(dir, ULPINS_FILE));
      expect(() => absenceProof(dir, anchored, "WB170400000005", keccak)).to.throw(/built before snapshots could prove a ULPIN absent/);
    });

    it("names every bad row by its line, refuses duplicates, and leaves no folder behind", async () => {
      const keccak = await loadKeccak();
      const file = tempFile("bad.csv");
      const dir = path.join(path.dirname(file), "snap");
      fs.writeFileSync(
        file,
        [HEADER, row(1, "X:100%"), "WB17040000000A,0,4,100234,1,agricultural,0x12,X:100%", row(3, "X:50%;X:50%"), row(1, "Y:100%"), row(5, "Y:100%").replace("agricultural", "orchard"), "short,row"].join("\n"),
      );
      await rejects(buildSnapshot(file, dir, ANCHOR, keccak), /line 7: 2 columns, not 8/);
      fs.writeFileSync(file, [HEADER, row(1, "X:100%"), "WB17040000000A,0,4,100234,1,agricultural,0x12,X:100%", row(3, "X:50%;X:50%"), row(1, "Y:100%"), row(5, "Y:100%").replace("agricultural", "orchard")].join("\n"));
      const error = await buildSnapshot(file, dir, ANCHOR, keccak).then(
        () => "",
        (e: Error) => e.message,
      );
      expect(error).to.match(/has 4 bad row\(s\), so no snapshot was built/);
      expect(error).to.match(/line 3: district "0" must be a whole number from 1 to 65535/);
      expect(error).to.match(/line 4: the same owner is listed twice/);
      expect(error).to.match(/line 5: ULPIN WB170400000001 is already on line 2/);
      expect(error).to.match(/line 6: land use "orchard" is not one of/);
      expect(fs.readdirSync(path.dirname(file)).filter((f) => f.startsWith("snap"))).to.deep.equal([]);
      fs.writeFileSync(file, "ulpin,owners\n");
      await rejects(buildSnapshot(file, dir, ANCHOR, keccak), /must start with the header/);
      fs.writeFileSync(file, `${HEADER}\n`);
      await rejects(buildSnapshot(file, dir, ANCHOR, keccak), /has no parcels/);
    });

    it("catches an altered or incomplete snapshot folder before anything is sent", async () => {
      const keccak = await loadKeccak();
      const file = tempFile("export.csv");
      fs.writeFileSync(file, `${HEADER}\n${row(1, "A:100%")}\n${row(2, "B:100%")}\n`);
      const dir = path.join(path.dirname(file), "snap");
      await buildSnapshot(file, dir, ANCHOR, keccak);
      await rejects(buildSnapshot(file, dir, ANCHOR, keccak), /already exists/);
      expect(() => snapshotEntry(dir, "WB170400000009", keccak)).to.throw(/Parcel WB170400000009 is not in the snapshot/);
      const exportCopy = path.join(dir, "export.csv");
      fs.writeFileSync(exportCopy, fs.readFileSync(exportCopy, "utf8").replace(",1000,", ",1001,"));
      expect(() => snapshotEntry(dir, "WB170400000001", keccak)).to.throw(/has been altered: the entry of WB170400000001/);
      fs.rmSync(path.join(dir, "owner-salts.csv"));
      expect(() => snapshotEntry(dir, "WB170400000002", keccak)).to.throw(/owner-salts.csv is missing/);
    });
  });

  describe("log queries", () => {
    it("halve the block range until a node that caps it answers, and give up only on a real failure", async () => {
      const logs: Log[] = [];
      const calls: Array<[number, number]> = [];
      const capped = {
        getBlockNumber: async () => 10_000,
        getLogs: async (filter: Filter) => {
          const from = Number(filter.fromBlock);
          const to = Number(filter.toBlock);
          calls.push([from, to]);
          if (to - from + 1 > 1_000) throw new Error("exceeds max range");
          return logs;
        },
      } as unknown as Provider;
      await getLogsFrom(capped, { topics: [id("x")] }, 1);
      expect(calls.at(-1)![1]).to.equal(10_000);
      expect(calls.filter(([from, to]) => to - from + 1 <= 1_000).length).to.be.lessThan(20);
      const broken = { getBlockNumber: async () => 100, getLogs: async () => Promise.reject(new Error("boom")) } as unknown as Provider;
      await rejects(getLogsFrom(broken, {}, 0), /boom/);
    });
  });
});
