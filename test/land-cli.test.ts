import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect } from "chai";
import { time } from "@nomicfoundation/hardhat-network-helpers";
import { StandardMerkleTree } from "@openzeppelin/merkle-tree";
import { keccak256, toUtf8Bytes } from "ethers";
import { ownersHash, ulpinBytes } from "../src/land/titles";
import { expectNothingSent, runCli, serveChain, type CliResult } from "./helpers/cli";
import { DAY, landSuite } from "./helpers/land";

const U1 = "WB170400000101";
const U2 = "WB170400000102";
/** Development accounts of the organisations {@link landSuite} onboards. */
const KEY = { governor: "0", survey: "3", registrar: "4", officer: "5", otherOfficer: "6", court: "7", bank: "8", appellate: "10" };
const as = (who: keyof typeof KEY) => ["--dev-account", KEY[who]];
const hashOf = (text: string) => keccak256(toUtf8Bytes(text));

/** The land commands run as the offices would, one step after another on one chain. */
describe("sakshya land (command line)", function () {
  this.timeout(600_000);
  let chain: { url: string; close(): Promise<void> };
  let cli: (args: string[]) => Promise<CliResult>;
  let work: string;
  const card = (name: string) => path.join(work, `${name}.owner.json`);
  const file = (name: string) => path.join(work, name);

  before(async () => {
    chain = await serveChain();
    const suite = await landSuite();
    work = fs.mkdtempSync(path.join(os.tmpdir(), "sakshya-land-"));
    cli = (args) => runCli(["--rpc-url", chain.url, "--deployments", suite.deploymentFile, ...args]);
  });
  after(async () => chain.close());

  async function ok(args: string[], pattern: RegExp = /✓/): Promise<CliResult> {
    const result = await cli(args);
    expect(result.code, result.stderr).to.equal(0);
    expect(result.stdout).to.match(pattern);
    return result;
  }

  it("makes owner cards offline and never overwrites one", async () => {
    for (const [name, identity] of [["asha", "WB-EPIC-1001"], ["bina", "WB-EPIC-1002"], ["dev", "WB-EPIC-1003"]]) {
      const result = await ok(["land", "owner", "new", "--identity", identity, "--name", name, "--out", card(name)], /commitment 0x[0-9a-f]{64}/);
      expect(JSON.parse(fs.readFileSync(card(name), "utf8")).commitment).to.equal(result.stdout.match(/0x[0-9a-f]{64}/)![0]);
    }
    const again = await cli(["land", "owner", "new", "--identity", "X", "--out", card("asha")]);
    expect([again.code, again.stderr]).to.deep.equal([2, `error: ${card("asha")} already exists; an owner card is never overwritten.\n`]);
  });

  it("registers parcels, refusing a malformed ULPIN, shares that do not add up and the wrong department", async () => {
    const base = ["--district", "17", "--block", "4", "--village", "100234", "--record", "RoR 101 v1"];
    await expectNothingSent(cli(["land", "register", "WB17-04", ...base, "--area", "4047", "--owner", `${card("asha")}=100%`, ...as("survey")]), 2, /"WB17-04" is not a ULPIN/);
    await expectNothingSent(cli(["land", "register", U1, ...base, "--area", "4047", "--owner", `${card("asha")}=90%`, ...as("survey")]), 2, /shares add up to 9000 basis points \(90%\), not 10000/);
    await expectNothingSent(cli(["land", "register", U1, ...base, "--area", "4047", "--owner", `${card("asha")}=100%`, ...as("registrar")]), 2, /organisation 2 lacks capability manage-parcels/);
    await ok(["land", "register", U1, ...base, "--area", "4047", "--owner", `${card("asha")}=100%`, ...as("survey")], /registered parcel WB170400000101 \(tx/);
    await ok(["land", "register", U1, ...base, "--area", "4047", "--owner", `${card("asha")}=100%`, ...as("survey")], /already on chain, nothing sent/);
    // "Already on chain" only for exactly what was asked: another land use or Record of Rights is named, exit 2.
    const other = await expectNothingSent(
      cli(["land", "register", U1, ...base.slice(0, -1), "RoR 101 v9", "--use", "homestead", "--area", "4047", "--owner", `${card("asha")}=100%`, ...as("survey")]),
      2,
      /Parcel WB170400000101 is already on chain with other details \(land use agricultural on chain, homestead asked; Record of Rights hash 0x[0-9a-f]{64} on chain, 0x[0-9a-f]{64} asked\); nothing was sent\./,
    );
    expect(other.stdout).to.equal("");
    await ok(["land", "register", U2, ...base, "--area", "2500", "--use", "homestead", "--owner", `${card("bina")}=60%`, "--owner", `${card("asha")}=40%`, ...as("survey")]);
    const shown = await ok(["land", "show", U2], /Parcel WB170400000102: active/);
    expect(shown.stdout).to.match(/2500 m², homestead; district 17, block 4, village 100234/);
    await expectNothingSent(cli(["land", "show", "WB170400000999"]), 2, /No parcel WB170400000999 is on chain/);
  });

  it("sells a parcel: the deed opens a mutation, only the block's officer approves it, at once when every owner sells", async () => {
    const deed = ["--deed", "Sale deed 101/2026", "--from", `${card("asha")}=100%`, "--to", `${card("dev")}=100%`];
    await ok(["land", "deed", U1, ...deed, ...as("registrar")], /may be decided at once/);
    await ok(["land", "deed", U1, ...deed, ...as("registrar")], /already on chain, nothing sent/);
    await expectNothingSent(
      cli(["land", "deed", U1, "--deed", "Sale deed 101/2026", "--from", `${card("asha")}=100%`, "--to", `${card("bina")}=100%`, ...as("registrar")]),
      2,
      /The sale under 0x[0-9a-f]{64} of parcel WB170400000101 is already on chain with other details \(transferees' hash 0x[0-9a-f]{64} on chain, 0x[0-9a-f]{64} asked\)/,
    );
    const deedHash = hashOf("Sale deed 101/2026");
    await expectNothingSent(cli(["land", "approve", deedHash, "--record", "RoR 101 v2", ...as("otherOfficer")]), 2, /does not act in jurisdiction district 17, block 4/);
    await ok(["land", "approve", deedHash, "--record", "RoR 101 v2", ...as("officer")], /approved mutation/);
    await ok(["land", "approve", deedHash, "--record", "RoR 101 v2", ...as("officer")], /already on chain, nothing sent/);
    // A deeds-office key may not approve: the approval being on chain does not make it this key's ✓.
    await expectNothingSent(cli(["land", "approve", deedHash, "--record", "RoR 101 v2", ...as("registrar")]), 2, /It is already on chain, but not this key's to do: organisation 2 lacks capability approve-mutations .*Nothing was sent\./);
    await ok(["land", "mutation", deedHash], /sale of parcel WB170400000101 — approved/);
  });

  it("holds a partial sale for the objection window, records objections, and rejects with a reason that is appealed", async () => {
    const deedHash = hashOf("Sale deed 102/2026");
    await ok(["land", "deed", U2, "--deed", "Sale deed 102/2026", "--from", `${card("bina")}=30%`, "--to", `${card("dev")}=30%`, ...as("registrar")], /objections until/);
    await expectNothingSent(cli(["land", "approve", deedHash, "--record", "RoR 102 v2", ...as("officer")]), 2, /objection window of 0x[0-9a-f]+ runs until 20\d\d-/);
    await ok(["land", "object", deedHash, "--objection", "Objection by a neighbour", ...as("officer")], /recorded objection/);
    await expectNothingSent(cli(["land", "reject", deedHash, "--reason", "whim", "--order", "x", ...as("officer")]), 2, /Unknown rejection reason "whim"/);
    await ok(["land", "reject", deedHash, "--reason", "objection-upheld", "--order", "Order 7/2026", ...as("officer")], /rejected mutation/);
    await ok(["land", "appeal", deedHash, "--appeal", "Appeal 3/2026", ...as("appellate")], /filed appeal/);
    await expectNothingSent(cli(["land", "decide-appeal", deedHash, "--order", "x", ...as("appellate")]), 2, /Say --allow or --dismiss/);
    await ok(["land", "decide-appeal", deedHash, "--allow", "--order", "Appellate order 3/2026", "--record", "RoR 102 v2", ...as("appellate")], /allowed the appeal/);
    const history = await ok(["land", "history", U2], /Chain of title:/);
    expect(history.stdout).to.match(/rejected by bllro-17-4 \(org 3\): an objection was upheld/);
    expect(history.stdout).to.match(/appeal on 0x[0-9a-f]+… allowed by dlro-17 \(org 8\)/);
    expect(history.stdout).to.match(/owners now .*30%.*30%.*40%|owners now .*40%.*30%.*30%|owners now .*30%.*40%.*30%/);
    expect(history.stdout).to.match(/appeal-allowed +\d+ +1 +an objection was upheld/);
  });

  it("blocks a transfer while a court freeze holds and while a lien holder has not consented", async () => {
    await ok(["land", "freeze", U1, "--order", "CS 12/2026", ...as("court")], /froze parcel/);
    const deed = ["--deed", "Sale deed 103/2026", "--from", `${card("dev")}=100%`, "--to", `${card("asha")}=100%`];
    await expectNothingSent(cli(["land", "deed", U1, ...deed, ...as("registrar")]), 2, /parcel WB170400000101 is frozen by court order 0x[0-9a-f]+ \(until lifted\)/);
    await expectNothingSent(cli(["land", "unfreeze", U1, "--order", "CS 99/2026", "--lifting-order", "CS 12/2026 final order", ...as("court")]), 2, /no freeze under order 0x[0-9a-f]+ holds parcel WB170400000101/);
    await ok(["land", "unfreeze", U1, "--order", "CS 12/2026", "--lifting-order", "CS 12/2026 final order", ...as("court")], /lifted the freeze/);
    await ok(["land", "unfreeze", U1, "--order", "CS 12/2026", "--lifting-order", "CS 12/2026 final order", ...as("court")], /already on chain/);
    await ok(["land", "lien", "register", U1, "--loan", "SBI home loan 55", ...as("bank")], /registered lien/);
    await ok(["land", "deed", U1, ...deed, ...as("registrar")]);
    const deedHash = hashOf("Sale deed 103/2026");
    await expectNothingSent(cli(["land", "approve", deedHash, "--record", "RoR 101 v3", ...as("officer")]), 2, /has 1 lien\(s\) but only 0 holder\(s\) consented/);
    await ok(["land", "lien", "consent", U1, "--loan", "SBI home loan 55", "--deed", deedHash, ...as("bank")], /consented with lien/);
    await ok(["land", "approve", deedHash, "--record", "RoR 101 v3", ...as("officer")]);
    await ok(["land", "lien", "release", U1, "--loan", "SBI home loan 55", ...as("bank")], /released lien/);
  });

  it("rectifies a wrongful mutation under a court order, and discharges the lien of a bank that has left the directory", async () => {
    const deedHash = hashOf("Sale deed 103/2026");
    const rectify = ["land", "rectify", U1, "--deed", deedHash, "--order", "Title suit 7/2026 decree", "--record", "RoR 101 v4"];
    await expectNothingSent(cli([...rectify, ...as("bank")]), 2, /organisation 6 lacks capability court-orders/);
    await ok([...rectify, ...as("court")], /rectified the title of WB170400000101/);
    await ok([...rectify, ...as("court")], /already on chain/);
    const history = await ok(["land", "history", U1], /title rectified by court-17 \(org 5\)/);
    expect(history.stdout).to.match(/rectified/);
    await ok(["land", "show", U1], /version 4/);

    const loan = ["--loan", "SBI crop loan 9"];
    await ok(["land", "lien", "register", U1, ...loan, ...as("bank")], /registered lien/);
    const discharge = ["land", "lien", "discharge", U1, ...loan, "--order", "Execution case 3/2026"];
    await expectNothingSent(cli([...discharge, ...as("court")]), 2, /organisation 6, which holds lien 0x[0-9a-f]+, is still a member/);
    // Suspended, the bank has not left: its lien stands.
    await ok(["org", "suspend", "sbi", "--reason", "licence under review", "--dev-account", "1"], /Suspended organisation 6/);
    await expectNothingSent(cli([...discharge, ...as("court")]), 2, /is still a member/);
    await ok(["org", "successor", "sbi", "ubi", "--dev-account", "1"], /Named organisation 7 successor of organisation 6/);
    await ok(["org", "show", "sbi"], /successor: +organisation 7/);
    await ok(["org", "offboard", "sbi", "--reason", "licence cancelled", "--dev-account", "0"], /Offboarded organisation 6/);
    await ok([...discharge, ...as("court")], /discharged lien/);
    await ok([...discharge, ...as("court")], /already on chain/);
  });

  it("splits with areas that must add up, and refuses a deed for the retired parent", async () => {
    fs.writeFileSync(file("ror-111.txt"), "RoR 111");
    fs.writeFileSync(file("ror-112.txt"), "RoR 112");
    const parts = (a: number, b: number) => ["--part", `WB170400000111:${a}:${file("ror-111.txt")}`, "--part", `WB170400000112:${b}:${file("ror-112.txt")}`];
    await expectNothingSent(cli(["land", "split", U1, ...parts(2000, 2000), ...as("survey")]), 2, /parts add up to 4000 m², but parcel WB170400000101 is 4047 m²/);
    await ok(["land", "split", U1, ...parts(2000, 2047), ...as("survey")], /split WB170400000101 into WB170400000111, WB170400000112/);
    await ok(["land", "split", U1, ...parts(2000, 2047), ...as("survey")], /already on chain/);
    await expectNothingSent(
      cli(["land", "deed", U1, "--deed", "Sale deed 104/2026", "--from", `${card("asha")}=100%`, "--to", `${card("dev")}=100%`, ...as("registrar")]),
      2,
      /parcel WB170400000101 was split or merged away and is retired/,
    );
    await ok(["land", "merge", "WB170400000111", "WB170400000112", "--into", "WB170400000120", "--record", "RoR 120", ...as("survey")], /merged .* into WB170400000120 \(4047 m²\)/);
    const history = await ok(["land", "history", "WB170400000120"], /came from WB170400000111 ← WB170400000112 ← WB170400000101/);
    expect(history.stdout).to.match(/\[WB170400000101\] registered by survey-17/);
    await ok(["land", "land-use", "WB170400000120", "--use", "commercial", "--record", "RoR 120 v2", ...as("survey")], /changed the land use/);
  });

  it("writes a title extract with a PDF that verifies while current, and not once edited or outdated", async () => {
    await ok(["land", "extract", "WB170400000120", "--out", file("extract.json"), "--pdf", file("extract.pdf")], /Title extract of WB170400000120 \(version 2/);
    expect(fs.readFileSync(file("extract.pdf")).subarray(0, 5).toString()).to.equal("%PDF-");
    await ok(["land", "verify-extract", file("extract.json"), "--owner", card("dev")], /genuine and current[\s\S]*holder owns 100% now/);
    const edited = JSON.parse(fs.readFileSync(file("extract.json"), "utf8"));
    edited.parcel.area = 5000;
    fs.writeFileSync(file("edited.json"), JSON.stringify(edited));
    const forged = await cli(["land", "verify-extract", file("edited.json")]);
    expect([forged.code, forged.stdout]).to.deep.equal([1, "✗ WB170400000120: parcel WB170400000120 never was as this extract says at version 2: the file was edited\n"]);
    await ok(["land", "land-use", "WB170400000120", "--use", "homestead", "--record", "RoR 120 v3", ...as("survey")]);
    const outdated = await cli(["land", "verify-extract", file("extract.json")]);
    expect([outdated.code, outdated.stdout]).to.deep.equal([1, "✗ WB170400000120: genuine for version 2, but parcel WB170400000120 has changed since: it is now at version 3\n"]);
  });

  it("builds a migration snapshot (bad rows named by line), anchors it, and materialises a parcel once", async () => {
    const header = "ulpin,district,block,village,area_sqm,land_use,record_hash,owners";
    const record = hashOf("RoR register");
    fs.writeFileSync(file("bad.csv"), `${header}\nWB170400000201,17,4,100234,900,agricultural,${record},EPIC-1:50%\nWB170400000201,17,4,100234,900,agricultural,${record},EPIC-2:100%\n`);
    const bad = await expectNothingSent(cli(["land", "snapshot", file("bad.csv"), "--out", file("bad-snapshot")]), 2, /2 bad row\(s\)/);
    expect(bad.stderr).to.match(/line 2: owners' shares add up to 50%, not 100%; line 3: ULPIN WB170400000201 is already on line/);
    expect(fs.existsSync(file("bad-snapshot"))).to.equal(false);
    fs.writeFileSync(file("export.csv"), `${header}\nWB170400000201,17,4,100234,900,agricultural,${record},EPIC-1:50%;EPIC-2:50%\nWB170400000202,17,4,100234,700,homestead,${record},EPIC-3:100%\n`);
    await ok(["land", "snapshot", file("export.csv"), "--out", file("snapshot"), "--anchor", ...as("governor")], /Built the snapshot of 2 parcels[\s\S]*Anchored snapshot/);
    await ok(["land", "snapshot-anchor", file("snapshot"), ...as("governor")], /already anchored, nothing sent/);
    await ok(["land", "materialise", "WB170400000201", "--snapshot", file("snapshot"), ...as("bank")], /materialised WB170400000201/);
    await ok(["land", "materialise", "WB170400000201", "--snapshot", file("snapshot"), ...as("bank")], /already on chain/);
    await expectNothingSent(cli(["land", "materialise", "WB170400000299", "--snapshot", file("snapshot"), ...as("bank")]), 2, /Parcel WB170400000299 is not in the snapshot/);
    const show = await ok(["land", "show", "WB170400000201"], /900 m², agricultural/);
    expect(show.stdout).to.match(/version 1/);

    // While the snapshot is active, a new ULPIN is proved absent from it, and one it holds is refused.
    const register = (ulpin: string) => ["land", "register", ulpin, "--district", "17", "--block", "4", "--village", "100234", "--record", "RoR new", "--area", "500", "--owner", `${card("dev")}=100%`];
    await expectNothingSent(cli([...register("WB170400000203"), ...as("survey")]), 2, /Migration snapshot 0x[0-9a-f]+ is active: give its folder with --snapshot/);
    await ok([...register("WB170400000203"), "--snapshot", file("snapshot"), ...as("survey")], /registered parcel WB170400000203/);
    await expectNothingSent(cli([...register("WB170400000202"), "--snapshot", file("snapshot"), ...as("survey")]), 2, /Parcel WB170400000202 is held by the active migration snapshot/);
    await ok(["land", "snapshot-retire", file("snapshot"), "--reason", "migration of block 4 closed", ...as("governor")], /Retired snapshot/);
    await ok(["land", "snapshot-retire", file("snapshot"), "--reason", "migration of block 4 closed", ...as("governor")], /already retired, nothing sent/);
    await expectNothingSent(cli(["land", "materialise", "WB170400000202", "--snapshot", file("snapshot"), ...as("bank")]), 2, /snapshot 0x[0-9a-f]+ is retired/);
    await ok([...register("WB170400000202"), ...as("survey")], /registered parcel WB170400000202/);
  });

  it("builds, in its worker threads, the root OpenZeppelin's StandardMerkleTree gives, rows split at any line", async () => {
    const header = "ulpin,district,block,village,area_sqm,land_use,record_hash,owners";
    const owner = hashOf("an owner's commitment");
    const rows = Array.from({ length: 25 }, (_, i) => `WB1704${String(300 + i).padStart(8, "0")},17,4,100234,${100 + i},agricultural,${hashOf(`RoR ${i}`)},${owner}:100%`);
    fs.writeFileSync(file("commitments.csv"), `${header}\n${rows.join("\n")}\n`);
    const built = await cli(["--json", "land", "snapshot", file("commitments.csv"), "--out", file("commitments")]);
    expect(built.code, built.stderr).to.equal(0);
    const tree = StandardMerkleTree.of(
      rows.map((r, i) => [ulpinBytes(r.slice(0, 14)), ownersHash([{ commitment: owner, share: 10_000 }]), 100 + i, 1, 17, 4, 100_234, hashOf(`RoR ${i}`)]),
      ["bytes14", "bytes32", "uint64", "uint8", "uint16", "uint16", "uint32", "bytes32"],
    );
    expect(JSON.parse(built.stdout).root).to.equal(tree.root);
    fs.writeFileSync(file("twice.csv"), `${header}\n${rows.join("\n")}\n${rows[0]}\n`);
    await expectNothingSent(cli(["land", "snapshot", file("twice.csv"), "--out", file("twice")]), 2, /line 27: ULPIN WB170400000300 is already on line 2/);
  });

  it("shows an open mutation as overdue once the service level passes", async () => {
    const deedHash = hashOf("Sale deed 105/2026");
    await ok(["land", "deed", U2, "--deed", "Sale deed 105/2026", "--from", "0x" + "00".repeat(31) + "01=10%", "--to", `${card("dev")}=10%`, ...as("registrar")]);
    await time.increase(46 * DAY);
    await ok(["land", "mutation", deedHash], /open \(OVERDUE\)/);
  });
});
