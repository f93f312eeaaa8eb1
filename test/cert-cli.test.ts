import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect } from "chai";
import hre from "hardhat";
import type { BatchManifest } from "../src/certificates/batch";
import { CertificateClient } from "../src/certificates/client";
import { certificateOf, computeTargetHash, type CertificateFile } from "../src/certificates/document";
import { certificateFromFragment } from "../src/certificates/link";
import { loadKeccak } from "../src/hashing/keccak";
import { certificateCode, codeSlotOf, formatShortCode } from "../src/codes/short-code";
import { readDeployment } from "../src/config/deployments";
import { CertificateRegistry__factory } from "../typechain-types";
import { CAP, KIND, code, deployedSuite, evidence } from "./fixtures";
import { expectNothingSent, runCli, serveChain, type CliResult } from "./helpers/cli";
import { PRINT_ARTIFACTS, scanPdfPage, scanSvg } from "./helpers/qr";

const SAMPLES = path.join(__dirname, "..", "scripts", "samples", "certificates");
const SCHEMA = path.join(SAMPLES, "wbu-degree.schema.json");

/** The certificate commands run as a person would, one step after another on one chain. */
describe("sakshya cert (command line)", function () {
  this.timeout(300_000);
  let chain: { url: string; close(): Promise<void> };
  let cli: (args: string[]) => Promise<CliResult>;
  let work: string;
  let deploymentFile: string;
  const issuer = ["--dev-account", "3"];

  before(async () => {
    chain = await serveChain();
    const suite = await deployedSuite();
    await suite.directory.onboard(code("wbu"), KIND.university, CAP.issueCertificates, [0], evidence("wbu"));
    await suite.directory.addAccount(1, suite.others[0].address); // development account 3
    work = fs.mkdtempSync(path.join(os.tmpdir(), "sakshya-cert-"));
    deploymentFile = suite.deploymentFile;
    cli = (args) => runCli(["--rpc-url", chain.url, "--deployments", deploymentFile, ...args]);
  });
  after(async () => chain.close());

  const ledger = () => ["--ledger", path.join(work, "ledger.json")];
  /**
   * A printed code discloses only what the paper shows: the certificate it carries has the schema's printed fields
   * alone (the date of birth redacted, its salted hash kept), and still adds up to the document's target hash.
   */
  const expectPrintedOnly = async (link: string, whole: CertificateFile) => {
    expect(link.startsWith("http://127.0.0.1:8080/#C1.")).to.equal(true);
    const carried = certificateOf(certificateFromFragment(link.split("#")[1]), "the code");
    expect(Object.keys(carried.fields).sort()).to.deep.equal(["cgpa", "college", "division", "graduationDate", "name", "programme", "rollNumber"].filter((f) => f in whole.fields).sort());
    expect(JSON.stringify(carried), "no unprinted field, not even its value").to.not.include(String(whole.fields.dateOfBirth));
    expect(carried.redacted).to.have.length(1);
    expect(computeTargetHash(carried, await loadKeccak())).to.equal(whole.proof.targetHash);
    expect(carried.proof).to.deep.equal(whole.proof);
  };
  const certificate = (roll: string) => path.join(work, "batch", "certificates", `WBU-2026-${roll}.json`);

  it("refuses a batch with bad rows, naming each line, and writes nothing", async () => {
    const out = path.join(work, "bad");
    const result = await expectNothingSent(
      cli(["cert", "batch", path.join(SAMPLES, "graduates-bad.csv"), "--schema", SCHEMA, "--issuer", "wbu", "--out", out, ...ledger()]),
      2,
      /4 bad records, nothing was built/,
    );
    expect(result.stderr).to.match(/line 2: dateOfBirth "2003-02-30" is not a date/);
    expect(result.stderr).to.match(/line 3: name is missing; cgpa 11.2 is above 10/);
    expect(result.stderr).to.match(/line 5: duplicate of line 4/);
    expect(fs.existsSync(out)).to.equal(false);
    const malformed = path.join(work, "malformed.csv");
    fs.writeFileSync(malformed, 'rollNumber,name\n"WBU-2026-000001,Unclosed\n');
    expect((await cli(["cert", "batch", malformed, "--schema", SCHEMA, "--issuer", "wbu", "--out", out])).stderr).to.match(/not well-formed CSV.*line/i);
  });

  it("prints each certificate on A4: its printed fields, its QR code and its short code, which then names it", async () => {
    const out = path.join(work, "printed");
    const built = await cli(["--json", "cert", "batch", path.join(SAMPLES, "graduates-2026.csv"), "--schema", SCHEMA, "--issuer", "wbu", "--out", out, "--pdf", "--issuer-name", "West Bengal University", "--sms-number", "51969", "--ledger", path.join(work, "printed-ledger.json")]);
    expect(built.code, built.stderr).to.equal(0);
    const { root, codes } = JSON.parse(built.stdout);
    expect(codes).to.deep.equal({ issuerOrgId: 1, slot: codeSlotOf(root) });
    expect(fs.readdirSync(path.join(out, "pdf"))).to.have.length(6);
    const file = JSON.parse(fs.readFileSync(path.join(out, "certificates", "WBU-2026-000102.json"), "utf8"));
    const pdf = path.join(out, "pdf", "WBU-2026-000102.pdf");
    const code = certificateCode(1, codeSlotOf(root), file.proof.index);
    const text = execFileSync("pdftotext", ["-layout", pdf, "-"], { encoding: "utf8" });
    for (const shown of ["West Bengal University", `Batch ${root}, document 1`, "Roll number", "WBU-2026-000102", "Rahul Das", "Date of graduation", formatShortCode(code), 'SMS "VERIFY', "51969"]) expect(text).to.include(shown);
    expect(text, "the schema does not print the date of birth").to.not.include(file.fields.dateOfBirth);
    const info = execFileSync("pdfinfo", [pdf], { encoding: "utf8" });
    expect(info).to.match(/Page size:\s+595.28 x 841.89 pts \(A4\)/);
    expect(info).to.match(/Pages:\s+1\n/);
    // The page as a person sees it, kept to look at; its QR code read back from the picture.
    fs.mkdirSync(PRINT_ARTIFACTS, { recursive: true });
    execFileSync("pdftoppm", ["-png", "-r", "100", "-singlefile", pdf, path.join(PRINT_ARTIFACTS, "certificate")]);
    await expectPrintedOnly(scanPdfPage(pdf), file);
    const issued = await cli(["cert", "issue", out, "--ledger", path.join(work, "printed-ledger.json"), ...issuer]);
    expect(issued.code, issued.stderr).to.equal(0);
    const registry = CertificateRegistry__factory.connect(JSON.parse(fs.readFileSync(deploymentFile, "utf8")).contracts.CertificateRegistry.address, hre.ethers.provider);
    expect(await registry.codeSlot(1, codeSlotOf(root))).to.equal(root);
  });

  it("refuses to issue a batch whose code slot another batch of the issuer holds, sending nothing", async () => {
    const deployment = readDeployment(deploymentFile);
    const [, , , key] = await hre.ethers.getSigners();
    const client = new CertificateClient(deployment, hre.ethers.provider, key);
    const taken = hre.ethers.id("holder of the slot");
    await (await CertificateRegistry__factory.connect(deployment.contracts.CertificateRegistry!.address, key).issue(taken, 1, 0)).wait();
    const clash = hre.ethers.toBeHex(BigInt(taken) + 100_000n, 32);
    const manifest = { format: "sakshya-batch/1", root: clash, documentCount: 1, expiresAt: 0, schema: "s/1", issuer: "wbu", anchor: { chainId: deployment.chainId, registry: deployment.contracts.CertificateRegistry!.address }, identities: [""], createdAt: "" } as BatchManifest;
    const before = await hre.ethers.provider.getBlockNumber();
    expect(await client.issue(manifest, 1).catch((e: Error) => e.message)).to.equal(
      `Batch ${taken} of organisation 1 already holds this batch's short-code slot; build the batch again (new salts give it another slot) and print from the new folder. Nothing was sent.`,
    );
    expect(await client.issue({ ...manifest, codes: { issuerOrgId: 2, slot: 0 } }, 1).catch((e: Error) => e.message)).to.match(/^The batch's short codes were printed for organisation 2, but the signer's organisation is 1/);
    expect(await hre.ethers.provider.getBlockNumber()).to.equal(before);
  });

  it("builds a batch with certificate files and QR codes, issues it once, and refuses the same records again", async () => {
    const out = path.join(work, "batch");
    const built = await cli(["--json", "cert", "batch", path.join(SAMPLES, "graduates-2026.csv"), "--schema", SCHEMA, "--issuer", "wbu", "--out", out, ...ledger()]);
    expect(built.code, built.stderr).to.equal(0);
    expect(JSON.parse(built.stdout).documentCount).to.equal(6);
    expect(fs.readdirSync(path.join(out, "certificates"))).to.have.length(6);
    expect(fs.readdirSync(path.join(out, "qr"))).to.have.length(6);
    // Each QR code scans back to a link to the local service's verification page that carries the certificate itself.
    const first = JSON.parse(fs.readFileSync(certificate("000101"), "utf8"));
    const link = scanSvg(fs.readFileSync(path.join(out, "qr", "WBU-2026-000101.svg"), "utf8"));
    expect(link.startsWith("http://127.0.0.1:8080/#C1.")).to.equal(true);
    await expectPrintedOnly(link, first);

    const issued = await cli(["cert", "issue", out, ...ledger(), ...issuer]);
    expect(issued.code, issued.stderr).to.equal(0);
    expect(issued.stdout).to.match(/✓ issued batch 0x[0-9a-f]{64} \(6 documents\) \(tx/);
    const again = await expectNothingSent(cli(["cert", "issue", out, ...ledger(), ...issuer]), 0, /^$/);
    expect(again.stdout).to.match(/already on chain, nothing sent/);
    await expectNothingSent(cli(["cert", "issue", out, ...ledger(), "--dev-account", "5"]), 2, /is not a key of any organisation/);
    await expectNothingSent(
      cli(["cert", "batch", path.join(SAMPLES, "graduates-2026.csv"), "--schema", SCHEMA, "--issuer", "wbu", "--out", path.join(work, "again"), ...ledger()]),
      2,
      /line 2: already issued in batch 0x/,
    );
  });

  it("verifies valid, redacted, tampered, revoked and foreign certificates with the right exit codes", async () => {
    const valid = await cli(["cert", "verify", path.join(work, "batch")]);
    expect(valid.code, valid.stderr).to.equal(0);
    expect(valid.stdout).to.match(/6 of 6 valid/);

    const redacted = path.join(work, "redacted.json");
    expect((await cli(["cert", "redact", certificate("000101"), "--hide", "dateOfBirth,cgpa", "--out", redacted])).code).to.equal(0);
    const shown = JSON.parse(fs.readFileSync(redacted, "utf8"));
    expect(shown.fields).to.not.have.property("dateOfBirth");
    expect(shown.redacted).to.have.length(2);
    expect((await cli(["cert", "verify", redacted])).code).to.equal(0);

    const tampered = path.join(work, "tampered.json");
    fs.writeFileSync(tampered, fs.readFileSync(certificate("000102"), "utf8").replace('"cgpa": 7.45', '"cgpa": 9.45'));
    const caught = await cli(["cert", "verify", tampered]);
    expect([caught.code, caught.stdout]).to.satisfy(([c, out]: [number, string]) => c === 1 && /✗ .*file was altered/.test(out));

    const otherBatch = JSON.parse(fs.readFileSync(certificate("000103"), "utf8"));
    otherBatch.proof.root = `0x${"ab".repeat(32)}`;
    const wrongProof = path.join(work, "wrong-proof.json");
    fs.writeFileSync(wrongProof, JSON.stringify(otherBatch));
    expect((await cli(["cert", "verify", wrongProof])).stdout).to.match(/proof does not lead to the batch root/);

    const revoke = await cli(["cert", "revoke", certificate("000104"), "--reason", "misconduct", ...issuer]);
    expect(revoke.code, revoke.stderr).to.equal(0);
    const revoked = await cli(["--json", "cert", "verify", certificate("000104")]);
    expect(revoked.code).to.equal(1);
    expect(JSON.parse(revoked.stdout).verdicts[0]).to.include({ valid: false, status: "revoked" });
    // Run again, the same revocation is found on chain and not sent; another reason is named and refused.
    const again = await expectNothingSent(cli(["cert", "revoke", certificate("000104"), "--reason", "misconduct", ...issuer]), 0, /^$/);
    expect(again.stdout).to.match(/already on chain, nothing sent/);
    await expectNothingSent(
      cli(["cert", "revoke", certificate("000104"), "--reason", "withdrawn", ...issuer]),
      2,
      /Document \d+ of batch 0x[0-9a-f]{64} is already revoked for "misconduct", not "withdrawn"; nothing was sent\./,
    );
    await expectNothingSent(cli(["cert", "revoke", certificate("000105"), "--reason", "because", ...issuer]), 2, /Unknown reason "because"/);

    // Only governance undoes a revocation, with the decision's reason.
    const restore = ["cert", "restore", certificate("000104"), "--reason", "Appeal 4/2026 allowed"];
    await expectNothingSent(cli([...restore, ...issuer]), 2, /holds no role allowed to call this function/);
    const restored = await cli([...restore, "--dev-account", "0"]);
    expect(restored.code, restored.stderr).to.equal(0);
    expect(restored.stdout).to.match(/✓ Restored document \d+ of batch 0x[0-9a-f]{64}/);
    expect((await cli(["cert", "verify", certificate("000104")])).code).to.equal(0);
    await expectNothingSent(cli([...restore, "--dev-account", "0"]), 2, /Document \d+ of batch 0x[0-9a-f]{64} is not revoked or superseded: there is nothing to restore/);

    const foreign = JSON.parse(fs.readFileSync(certificate("000105"), "utf8"));
    foreign.anchor.registry = `0x${"12".repeat(20)}`;
    const foreignFile = path.join(work, "foreign.json");
    fs.writeFileSync(foreignFile, JSON.stringify(foreign));
    expect((await cli(["cert", "verify", foreignFile])).code, "another registry cannot be judged: could not check").to.equal(2);

    // In a folder, one certificate of another deployment is "could not check"; the rest are still verified.
    const mixed = path.join(work, "mixed");
    fs.mkdirSync(mixed);
    fs.copyFileSync(foreignFile, path.join(mixed, "foreign.json"));
    fs.copyFileSync(certificate("000101"), path.join(mixed, "valid.json"));
    const partly = await cli(["cert", "verify", mixed]);
    expect(partly.code, partly.stderr).to.equal(2);
    expect(partly.stdout).to.match(/^\? .*foreign\.json: could not check: issued in registry 0x1212/m);
    expect(partly.stdout).to.match(/^✓ .*valid\.json: valid/m);
    expect(partly.stdout).to.match(/1 of 2 valid, 1 could not be checked/);
    const altered = JSON.parse(fs.readFileSync(certificate("000102"), "utf8"));
    altered.fields.cgpa = 9.99;
    fs.writeFileSync(path.join(mixed, "tampered.json"), JSON.stringify(altered));
    expect((await cli(["cert", "verify", mixed])).code, "an invalid one outranks one not checked").to.equal(1);
  });

  it("walks folders once: a symbolic-link loop and a FIFO skipped with a notice (the rest verified), a file reached twice counted once", async () => {
    const folder = path.join(work, "walk");
    fs.mkdirSync(path.join(folder, "inner"), { recursive: true });
    fs.copyFileSync(certificate("000101"), path.join(folder, "a.json"));
    fs.copyFileSync(certificate("000102"), path.join(folder, "inner", "b.json"));
    fs.symlinkSync(path.join(folder, "a.json"), path.join(folder, "inner", "same-as-a.json"));
    execFileSync("mkfifo", [path.join(folder, "pipe.json")]);
    const walked = await cli(["cert", "verify", folder, path.join(folder, "a.json")]);
    expect(walked.code, walked.stderr).to.equal(0);
    expect(walked.stdout).to.match(/2 of 2 valid/);
    expect(walked.stderr).to.match(/note: skipped .*pipe\.json: not a regular file/);

    fs.symlinkSync(folder, path.join(folder, "inner", "loop"));
    // The loop is passed over with a note; the rest is verified; all valid, yet not everything was read: exit 2.
    const looped = await cli(["cert", "verify", folder]);
    expect(looped.code, looped.stderr).to.equal(2);
    expect(looped.stdout).to.match(/2 of 2 valid/);
    expect(looped.stderr).to.match(/note: skipped .*inner\/loop: it links back to a folder above it \(a symbolic-link loop\); not followed/);
    await expectNothingSent(cli(["cert", "verify", path.join(folder, "pipe.json")]), 2, /pipe\.json" is not a regular file or a folder/);
  });

  it("corrects a certificate: cert correct builds the replacement, cert issue lets it past the ledger, cert supersede finishes it", async () => {
    const correction = path.join(work, "correction");
    const correct = (extra: string[]) => cli(["cert", "correct", certificate("000103"), "--schema", SCHEMA, "--out", correction, ...ledger(), ...extra]);
    await expectNothingSent(correct(["--set", "name=Farhana Begum"]), 2, /The changes leave every field as it is: there is nothing to correct/);
    await expectNothingSent(correct(["--set", "nickname=Farha"]), 2, /Schema wbu-degree\/1 has no field nickname/);
    await expectNothingSent(correct(["--set", "cgpa=11"]), 2, /line 1: cgpa 11 is above 10/);
    await expectNothingSent(cli(["cert", "correct", path.join(work, "redacted.json"), "--schema", SCHEMA, "--set", "cgpa=8.2", "--out", correction]), 2, /This copy has hidden fields/);

    const built = await correct(["--set", "name=Farhana Begum Sheikh"]);
    expect(built.code, built.stderr).to.equal(0);
    const replacement = path.join(correction, "certificates", "WBU-2026-000103.json");
    expect(built.stdout).to.contain(`then: sakshya cert supersede ${replacement}`);
    const manifest = JSON.parse(fs.readFileSync(path.join(correction, "batch.json"), "utf8"));
    const original = JSON.parse(fs.readFileSync(certificate("000103"), "utf8"));
    expect(manifest.corrects).to.deep.equal([{ index: 0, root: original.proof.root, oldIndex: original.proof.index }]);

    // Supersede needs the replacement on chain first; then the ledger's link names the original.
    await expectNothingSent(cli(["cert", "supersede", replacement, ...ledger(), ...issuer]), 2, /records no correction issued as document 0 of batch/);
    const issued = await cli(["cert", "issue", correction, ...ledger(), ...issuer]);
    expect(issued.code, issued.stderr).to.equal(0);
    const superseded = await cli(["cert", "supersede", replacement, ...ledger(), ...issuer]);
    expect(superseded.code, superseded.stderr).to.equal(0);
    expect(superseded.stdout).to.match(new RegExp(`✓ superseded document ${original.proof.index} of ${original.proof.root} by document 0 of ${manifest.root}`));
    const again = await expectNothingSent(cli(["cert", "supersede", replacement, ...ledger(), ...issuer]), 0, /^$/);
    expect(again.stdout).to.match(/already on chain, nothing sent/);

    const old = await cli(["cert", "verify", certificate("000103")]);
    expect(old.code).to.equal(1);
    expect(old.stdout).to.contain(`superseded by a corrected document: document 0 of batch ${manifest.root}`);
    expect((await cli(["cert", "verify", replacement])).code).to.equal(0);
    // Another supersession of the original is refused by name.
    await expectNothingSent(
      cli(["cert", "supersede", certificate("000103"), certificate("000102"), ...issuer]),
      2,
      new RegExp(`is already superseded by document 0 of batch ${manifest.root}; nothing was sent`),
    );
  });

  it("says it could not check when the chain is unreachable, never that a certificate is invalid", async () => {
    const down = await runCli(["--rpc-url", "http://127.0.0.1:9", "--deployments", deploymentFile, "cert", "verify", certificate("000101")]);
    expect([down.code, down.stdout]).to.deep.equal([2, ""]);
    expect(down.stderr).to.match(/Could not reach the RPC endpoint/);
    const missing = await runCli(["--rpc-url", chain.url, "--deployments", path.join(work, "none.json"), "cert", "verify", certificate("000101")]);
    expect([missing.code, missing.stderr]).to.satisfy(([c, err]: [number, string]) => c === 2 && /No deployment file/.test(err));
  });
});
