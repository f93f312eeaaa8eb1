import { expect } from "chai";
import fc from "fast-check";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import { StandardMerkleTree } from "@openzeppelin/merkle-tree";
import { id } from "ethers";
import { ownersHash, sortOwners, WHOLE, type Owner } from "../src/land/titles";
import { evidence } from "./fixtures";
import { DAY, MUTATION, REJECTION, applyTransfer, landSuite, owners, person, record, ulpin } from "./helpers/land";

interface ModelParcel {
  serial: number;
  owners: Owner[];
  area: number;
  version: number;
  retired: boolean;
  frozen: boolean;
  liens: number;
  landUse: number;
  pending?: { deed: string; from: Owner[]; to: Owner[]; deadline: "now" | "window"; consents: number };
  /** Mutations that took effect, latest last, with the owners each replaced; set aside once rectified. */
  applied: Array<{ deed: string; before: Owner[]; rectified: boolean }>;
}

const PEOPLE = ["p0", "p1", "p2", "p3"];
const pick = <T>(list: readonly T[], i: number) => list[i % list.length];

// Parcels are picked modulo the list, so small numbers keep most actions on the same few parcels, where deeds, liens,
// consents and approvals meet; deeds and approvals are drawn more often so that sequences reach approved mutations.
const parcelIndex = fc.integer({ min: 0, max: 3 });
const action = fc.oneof(
  { arbitrary: fc.record({ kind: fc.constant("deed" as const), parcel: parcelIndex, giver: fc.nat(), percent: fc.oneof(fc.constant(100), fc.integer({ min: 1, max: 100 })), to: fc.nat() }), weight: 4 },
  { arbitrary: fc.record({ kind: fc.constant("wait" as const) }), weight: 2 },
  { arbitrary: fc.record({ kind: fc.constant("approve" as const), parcel: parcelIndex }), weight: 4 },
  { arbitrary: fc.record({ kind: fc.constant("reject" as const), parcel: parcelIndex }), weight: 1 },
  { arbitrary: fc.record({ kind: fc.constant("freeze" as const), parcel: parcelIndex }), weight: 1 },
  { arbitrary: fc.record({ kind: fc.constant("unfreeze" as const), parcel: parcelIndex }), weight: 1 },
  { arbitrary: fc.record({ kind: fc.constant("lien" as const), parcel: parcelIndex }), weight: 1 },
  { arbitrary: fc.record({ kind: fc.constant("consent" as const), parcel: parcelIndex }), weight: 2 },
  { arbitrary: fc.record({ kind: fc.constant("release" as const), parcel: parcelIndex }), weight: 1 },
  { arbitrary: fc.record({ kind: fc.constant("split" as const), parcel: parcelIndex, cut: fc.integer({ min: 1, max: 99 }) }), weight: 1 },
  { arbitrary: fc.record({ kind: fc.constant("merge" as const), a: fc.nat({ max: 6 }), b: fc.nat({ max: 6 }) }), weight: 1 },
  { arbitrary: fc.record({ kind: fc.constant("landUse" as const), parcel: parcelIndex }), weight: 1 },
  { arbitrary: fc.record({ kind: fc.constant("rectify" as const), parcel: parcelIndex, back: fc.nat() }), weight: 1 },
);

/** Two parcels: p0 owns the first, p1 and p2 the second; every lien is the same bank's. */
async function startingSuite() {
  const suite = await landSuite();
  await suite.land.registerParcel(record(1, 10_000), owners(["p0", 10_000]), []);
  await suite.land.registerParcel(record(2, 6_000), owners(["p1", 6_000], ["p2", 4_000]), []);
  return suite;
}

describe("LandRegistry properties", function () {
  this.timeout(600_000);

  it("over random sequences of actions: shares make the whole, area is conserved, owners change only by approved mutation or a court's rectification, a frozen parcel never changes", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(action, { minLength: 8, maxLength: 30 }), async (actions) => {
        const suite = await loadFixture(startingSuite);
        const { land, registrar, officer, court, bank, survey } = suite;
        const model: ModelParcel[] = [
          { serial: 1, owners: owners(["p0", 10_000]), area: 10_000, version: 1, retired: false, frozen: false, liens: 0, landUse: 1, applied: [] },
          { serial: 2, owners: owners(["p1", 6_000], ["p2", 4_000]), area: 6_000, version: 1, retired: false, frozen: false, liens: 0, landUse: 1, applied: [] },
        ];
        const totalArea = 16_000;
        let nextSerial = 100;
        let deeds = 0;

        for (const a of actions) {
          const before = await Promise.all(model.map((p) => land.parcel(ulpin(p.serial))));
          // Decisions, liens and consents go to a parcel with a pending mutation when there is one.
          const pending = model.filter((p) => p.pending);
          const decides = a.kind === "approve" || a.kind === "reject" || a.kind === "consent" || a.kind === "lien";
          const target = "parcel" in a ? pick(decides && pending.length > 0 ? pending : model, a.parcel) : undefined;
          const movable = (p: ModelParcel) => !p.retired && !p.frozen && p.pending === undefined;
          let expected: boolean;
          let send: () => Promise<unknown>;
          let apply = () => {};

          switch (a.kind) {
            case "deed": {
              const p = target!;
              const giver = pick(p.owners, a.giver);
              const share = Math.max(1, Math.floor((giver.share * a.percent) / 100));
              const from = [{ commitment: giver.commitment, share }];
              const to = [{ commitment: person(pick(PEOPLE, a.to)), share }];
              const deed = id(`deed ${deeds++}`);
              const whole = ownersHash(from) === ownersHash(p.owners);
              expected = movable(p);
              send = () => land.connect(registrar).registerDeed(deed, ulpin(p.serial), MUTATION.sale, from, to);
              apply = () => (p.pending = { deed, from, to, deadline: whole ? "now" : "window", consents: 0 });
              break;
            }
            case "wait":
              expected = true;
              send = () => time.increase(31 * DAY);
              apply = () => model.forEach((p) => p.pending && (p.pending.deadline = "now"));
              break;
            case "approve": {
              const p = target!;
              const m = p.pending;
              // A court's rectification since the deed may have taken the transferors' shares away: then it cannot apply.
              const appliable = m !== undefined && (() => {
                try {
                  applyTransfer(p.owners, m.from, m.to);
                  return true;
                } catch {
                  return false;
                }
              })();
              expected = appliable && m!.deadline === "now" && !p.frozen && m!.consents >= p.liens;
              send = () => land.connect(officer).approveMutation(ulpin(p.serial), m?.deed ?? id("none"), p.owners, m?.from ?? [], m?.to ?? [], evidence(`RoR ${p.serial} v${p.version + 1}`));
              apply = () => {
                p.applied.push({ deed: m!.deed, before: p.owners, rectified: false });
                p.owners = applyTransfer(p.owners, m!.from, m!.to);
                p.version++;
                p.pending = undefined;
              };
              break;
            }
            case "reject": {
              const p = target!;
              expected = p.pending !== undefined;
              send = () => land.connect(officer).rejectMutation(ulpin(p.serial), p.pending?.deed ?? id("none"), REJECTION.other, evidence("order"));
              apply = () => (p.pending = undefined);
              break;
            }
            case "freeze":
            case "unfreeze": {
              const p = target!;
              expected = !p.retired && p.frozen === (a.kind === "unfreeze");
              send = () => (a.kind === "freeze" ? land.connect(court).freeze(ulpin(p.serial), evidence("order"), 0) : land.connect(court).unfreeze(ulpin(p.serial), evidence("order"), evidence("lifted")));
              apply = () => (p.frozen = a.kind === "freeze");
              break;
            }
            case "lien": {
              const p = target!;
              expected = !p.retired && !p.frozen;
              send = () => land.connect(bank).registerLien(ulpin(p.serial), id(`loan ${p.serial} ${p.liens}`));
              apply = () => p.liens++;
              break;
            }
            case "consent": {
              const p = target!;
              expected = p.liens > 0 && p.pending !== undefined && p.pending.consents === 0;
              send = () => land.connect(bank).consentToMutation(ulpin(p.serial), id(`loan ${p.serial} 0`), p.pending?.deed ?? id("none"));
              apply = () => p.pending!.consents++;
              break;
            }
            case "release": {
              const p = target!;
              const top = p.liens - 1;
              expected = p.liens > 0;
              send = () => land.connect(bank).releaseLien(ulpin(p.serial), id(`loan ${p.serial} ${top}`));
              apply = () => {
                p.liens--;
                // Only lien 0 ever consents, so releasing it takes its consent back.
                if (top === 0 && p.pending && p.pending.consents > 0) p.pending.consents--;
              };
              break;
            }
            case "split": {
              const p = target!;
              const first = Math.max(1, Math.floor((p.area * a.cut) / 100));
              const second = p.area - first;
              const serials = [nextSerial++, nextSerial++];
              expected = movable(p) && p.liens === 0 && second > 0;
              const parts = [
                { ulpin: ulpin(serials[0]), area: first, landUse: 1, recordHash: evidence(`RoR ${serials[0]}`) },
                { ulpin: ulpin(serials[1]), area: second, landUse: 1, recordHash: evidence(`RoR ${serials[1]}`) },
              ];
              send = () => land.connect(survey).split(ulpin(p.serial), p.owners, parts, []);
              apply = () => {
                p.retired = true;
                model.push(
                  { serial: serials[0], owners: p.owners, area: first, version: 1, retired: false, frozen: false, liens: 0, landUse: 1, applied: [] },
                  { serial: serials[1], owners: p.owners, area: second, version: 1, retired: false, frozen: false, liens: 0, landUse: 1, applied: [] },
                );
              };
              break;
            }
            case "merge": {
              const p = pick(model, a.a);
              const q = pick(model, a.b);
              const serial = nextSerial++;
              expected = p !== q && movable(p) && movable(q) && p.liens === 0 && q.liens === 0 && ownersHash(p.owners) === ownersHash(q.owners);
              const merged = { ulpin: ulpin(serial), area: p.area + q.area, landUse: 1, recordHash: evidence(`RoR ${serial}`) };
              send = () => land.connect(survey).merge([ulpin(p.serial), ulpin(q.serial)], p.owners, merged, []);
              apply = () => {
                p.retired = true;
                q.retired = true;
                model.push({ serial, owners: p.owners, area: p.area + q.area, version: 1, retired: false, frozen: false, liens: 0, landUse: 1, applied: [] });
              };
              break;
            }
            case "rectify": {
              // A court sets aside any mutation that took effect (not only the latest), restoring the owners it replaced.
              const p = target!;
              const m = p.applied.length > 0 ? pick(p.applied, a.back) : undefined;
              expected = !p.retired && !p.frozen && m !== undefined && !m.rectified;
              send = () => land.connect(court).rectify(ulpin(p.serial), m?.deed ?? id("none"), m?.before ?? p.owners, evidence("decree"), evidence(`RoR ${p.serial} v${p.version + 1}`));
              apply = () => {
                m!.rectified = true;
                p.owners = m!.before;
                p.version++;
              };
              break;
            }
            case "landUse": {
              const p = target!;
              expected = !p.retired && !p.frozen;
              const use = p.landUse === 1 ? 2 : 1;
              send = () => land.connect(survey).changeLandUse(ulpin(p.serial), use, evidence(`RoR ${p.serial} use v${p.version + 1}`));
              apply = () => {
                p.landUse = use;
                p.version++;
              };
              break;
            }
          }

          const succeeded = await send().then(
            () => true,
            () => false,
          );
          expect(succeeded, `${a.kind} ${JSON.stringify(a)}`).to.equal(expected);
          if (succeeded) apply();

          // The title of a parcel frozen before the action did not move. (A pending mutation may still be rejected
          // and a lien released: neither touches the title.)
          const title = (p: Awaited<ReturnType<typeof land.parcel>>) => [p.owners, p.area, p.landUse, p.version, p.recordHash, p.state, p.village];
          for (const [i, p] of model.entries()) {
            if (i < before.length && p.frozen && before[i].frozen) expect(title(await land.parcel(ulpin(p.serial)))).to.deep.equal(title(before[i]));
          }
        }

        let liveArea = 0;
        for (const p of model) {
          const onChain = await land.parcel(ulpin(p.serial));
          expect(onChain.state).to.equal(p.retired ? 2n : 1n);
          if (p.retired) continue;
          liveArea += Number(onChain.area);
          expect(p.owners.reduce((sum, o) => sum + o.share, 0)).to.equal(WHOLE);
          expect(onChain.owners, `owners of ${p.serial}`).to.equal(ownersHash(sortOwners(p.owners)));
          expect(Number(onChain.version)).to.equal(p.version);
        }
        expect(liveArea).to.equal(totalArea);
      }),
      { numRuns: 40 },
    );
  });

  it("a materialised parcel is exactly its snapshot entry, and no other form of it is accepted", async () => {
    const TYPES = ["bytes14", "bytes32", "uint64", "uint8", "uint16", "uint16", "uint32", "bytes32"];
    const entry = fc.record({
      area: fc.integer({ min: 1, max: 1_000_000 }),
      landUse: fc.integer({ min: 0, max: 9 }),
      village: fc.integer({ min: 1, max: 2 ** 32 - 1 }),
      split: fc.integer({ min: 1, max: WHOLE }),
    });
    await fc.assert(
      fc.asyncProperty(fc.array(entry, { minLength: 1, maxLength: 8 }), fc.nat(), fc.integer({ min: 0, max: 3 }), async (entries, chosen, tamper) => {
        const { land, governor, outsider } = await loadFixture(landSuite);
        const rows = entries.map((e, i) => {
          const list = e.split === WHOLE ? owners([`m${i}`, WHOLE]) : owners([`m${i}`, e.split], [`n${i}`, WHOLE - e.split]);
          const r = { ...record(500 + i, e.area, e.village), landUse: e.landUse };
          return { record: r, owners: list, leaf: [r.ulpin, ownersHash(list), r.area, r.landUse, r.district, r.block, r.village, r.recordHash] };
        });
        const tree = StandardMerkleTree.of(rows.map((r) => r.leaf), TYPES);
        await land.connect(governor).anchorSnapshot(tree.root, rows.length, evidence("export"), id("gaps"));
        const i = chosen % rows.length;
        const { record: r, owners: list } = rows[i];
        const proof = tree.getProof(i);
        const forms = [
          { ...r, area: Number(r.area) + 1 },
          { ...r, village: Number(r.village) === 1 ? 2 : Number(r.village) - 1 },
          { ...r, recordHash: evidence("another record") },
          { ...r, landUse: (r.landUse + 1) % 10 },
        ];
        await expect(land.connect(outsider).materialise(tree.root, forms[tamper], list, proof)).to.be.revertedWithCustomError(land, "LandRegistryInvalidProof");
        await land.connect(outsider).materialise(tree.root, r, list, proof);
        const p = await land.parcel(r.ulpin);
        expect([p.area, p.landUse, p.village, p.recordHash, p.owners, p.version]).to.deep.equal([
          BigInt(r.area),
          BigInt(r.landUse),
          BigInt(r.village),
          r.recordHash,
          ownersHash(list),
          1n,
        ]);
        await expect(land.connect(outsider).materialise(tree.root, r, list, proof)).to.be.revertedWithCustomError(land, "LandRegistryParcelExists");
      }),
      { numRuns: 20 },
    );
  });
});
