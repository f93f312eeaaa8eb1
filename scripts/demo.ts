import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import hre from "hardhat";
import { rolePlan } from "../deploy/config";
import { deploySuite } from "../deploy/suite";
import { SakshyaAuthority__factory } from "../typechain-types";
import { table } from "../src/cli/output";
import { DirectoryClient } from "../src/directory/client";
import { parseEnode } from "../src/directory/enode";
import { Governance } from "../src/governance/governed";
import { describeRoles } from "../src/governance/inspect";
import { hashJson } from "../src/hashing/canonical-json";
import { Wallet, type Signer } from "ethers";
import { CERTIFICATES_DIR, buildBatch, writeBatch } from "../src/certificates/batch";
import { CertificateClient } from "../src/certificates/client";
import { redact, type CertificateFile } from "../src/certificates/document";
import { readRecords } from "../src/certificates/records";
import { readSchema } from "../src/certificates/schema";
import type { Verdict } from "../src/certificates/checks";
import { LOCAL_VERIFY_PAGE } from "../src/config/verify-page";
import { certificateCode, codeSlotOf, formatShortCode } from "../src/codes/short-code";
import { collectCertificateFiles, verifyCertificates } from "../src/certificates/verify";
import { REASONS } from "../src/certificates/vocabulary";
import { deployedContractOf, readDeployment, type Deployment } from "../src/config/deployments";
import { loadKeccak } from "../src/hashing/keccak";
import { landJurisdiction } from "../src/land/titles";
import { landWalkThrough } from "./demo-land";
import { siteWalkThrough } from "./demo-site";
import { besuWalkThrough } from "./demo-besu";
import { serviceWalkThrough } from "./demo-service";
import { committeeWalkThrough } from "./demo-committee";
import { isoTime } from "../src/io/time";

/** The sample participants of the backbone, with the capabilities their work needs. */
const PARTICIPANTS = [
  { code: "wbu", kind: "university", capabilities: "issue-certificates", jurisdictions: [0], name: "West Bengal University" },
  { code: "wbchse", kind: "exam-board", capabilities: "issue-certificates", jurisdictions: [0], name: "Council for Higher Secondary Education" },
  { code: "it-dept", kind: "department", capabilities: "publish-websites", jurisdictions: [0], name: "Department of IT & Electronics" },
  { code: "reg-nadia", kind: "registration", capabilities: "register-deeds", jurisdictions: [landJurisdiction(10)], name: "District Sub-Registrar, Nadia" },
  { code: "lr-nadia", kind: "land-revenue", capabilities: "approve-mutations", jurisdictions: [landJurisdiction(10, 1), landJurisdiction(10, 2)], name: "BL&LRO Krishnagar I and II" },
  { code: "hc-calcutta", kind: "court", capabilities: "court-orders,hear-appeals", jurisdictions: [0], name: "High Court at Calcutta" },
  { code: "sbi-kolkata", kind: "bank", capabilities: "liens", jurisdictions: [0], name: "State Bank, Kolkata Main" },
  { code: "sdc", kind: "node-operator", capabilities: "run-node,validate", jurisdictions: [0], name: "State Data Centre" },
  { code: "survey-nadia", kind: "survey", capabilities: "manage-parcels", jurisdictions: [landJurisdiction(10)], name: "Survey & Settlement, Nadia" },
] as const;

function heading(text: string) {
  console.log(`\n━━ ${text} ${"━".repeat(Math.max(0, 70 - text.length))}`);
}

async function main() {
  // Everything the demo writes goes into one temporary folder, removed at the end however the demo ends.
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), "sakshya-demo-"));
  try {
    await walkThrough(workDir);
  } finally {
    fs.rmSync(workDir, { recursive: true, force: true });
  }
}

async function walkThrough(workDir: string) {
  const signers = await hre.ethers.getSigners();
  const [governor, operator, guardian] = signers;
  const deploymentFile = path.join(workDir, "hardhat.json");

  heading("1. Deploy the suite (AccessManager, then the directory and registries behind UUPS proxies)");
  const plan = rolePlan("hardhat", [governor.address, operator.address, guardian.address]);
  const { deployment, steps } = await deploySuite(hre, { signer: governor, plan, deploymentFile });
  console.log(`${steps.length} steps; authority ${deployment.contracts.SakshyaAuthority.address}, directory ${deployment.contracts.ParticipantDirectory.address}`);
  const again = await deploySuite(hre, { signer: governor, plan, deploymentFile });
  console.log(`Re-run: ${again.steps.filter((s) => s.status === "skipped").length} of ${again.steps.length} steps skipped as already done.`);

  heading("2. Governance roles");
  const authority = SakshyaAuthority__factory.connect(deployment.contracts.SakshyaAuthority.address, operator);
  const roles = await describeRoles(authority, deployment);
  console.log(table(["role", "member", "delay", "guardian"], roles.flatMap((r) => r.members.map((m) => [r.label, m.account, `${m.executionDelay}s`, r.guardian]))).join("\n"));

  heading("3. Onboard the participants (signed by the SIA operator)");
  const directory = new DirectoryClient(deployment, operator, new Governance(authority, operator));
  const keys = signers.slice(3);
  // Each organisation's public metadata, kept where the service reads names from (serve --org-metadata).
  const metadataDir = path.join(path.dirname(deploymentFile), "org-metadata");
  fs.mkdirSync(metadataDir, { recursive: true });
  for (const [i, p] of PARTICIPANTS.entries()) {
    const metadata = { name: p.name, kind: p.kind };
    fs.writeFileSync(path.join(metadataDir, `${p.code}.json`), JSON.stringify(metadata));
    const outcome = await directory.onboard({ ...p, jurisdictions: [...p.jurisdictions], metadataHash: hashJson(metadata) });
    await directory.addAccount(outcome.orgId!, keys[i].address);
    console.log(`✓ ${p.code.padEnd(12)} organisation ${outcome.orgId}, key ${keys[i].address}`);
  }
  for (const [i, host] of ["10.20.0.11", "10.20.0.12"].entries()) {
    const publicKey = hre.ethers.SigningKey.computePublicKey(hre.ethers.id(`sdc-node-${i}`), false).slice(4);
    const enode = parseEnode(`enode://${publicKey}@${host}:30303`);
    const { nodeId } = await directory.addNode(await directory.resolveOrganisation("sdc"), enode, true);
    console.log(`✓ validator node ${nodeId.slice(0, 18)}… at ${host}:30303`);
  }

  heading("4. The directory");
  const orgs = await directory.list();
  console.log(table(["id", "code", "kind", "status", "capabilities", "jurisdictions"], orgs.map((o) => [String(o.id), o.code, o.kind, o.status, o.capabilities.join(","), o.jurisdictions.map((j) => (j === 0 ? "statewide" : j)).join(",")])).join("\n"));

  heading("5. The check every registry makes");
  const checks: Array<[string, string, number, string]> = [
    [keys[0].address, "issue-certificates", 0, "university key issues a certificate"],
    [keys[4].address, "approve-mutations", landJurisdiction(10, 1), "Krishnagar revenue officer approves a mutation in district 10, block 1"],
    [keys[4].address, "approve-mutations", landJurisdiction(11, 1), "Krishnagar revenue officer approves a mutation in district 11, block 1"],
    [keys[6].address, "issue-certificates", 0, "bank key tries to issue a certificate"],
  ];
  for (const [account, capability, jurisdiction, what] of checks) {
    const result = await directory.authorization(account, capability, jurisdiction);
    console.log(`${result.authorized ? "✓ allowed" : "✗ refused"}  ${what}${result.reason ? ` — ${result.reason.message}` : ""}`);
  }

  heading("6. Certificates: a university issues a batch; verifiers check files");
  const certificates = await certificateWalkThrough(deployment, keys[0], directory, path.dirname(deploymentFile));
  await stolenKeyWalkThrough(deployment, directory, new Governance(authority.connect(governor), governor), certificates, governor);

  heading("7. Suspension cuts every key of an organisation at once");
  await directory.changeStatus("suspend", await directory.resolveOrganisation("wbu"), hashJson({ decision: "SBIC/2026/17", reason: "audit" }));
  const suspended = await directory.authorization(keys[0].address, "issue-certificates", 0);
  console.log(`✗ university key after suspension — ${suspended.reason?.message}`);
  const [afterSuspension] = await certificates.verify([certificates.valid]);
  console.log(`✗ ${path.basename(afterSuspension.file)}: ${afterSuspension.reason}`);

  heading("8. Land records: deeds, mutations, courts, liens, a split, a title extract and a migration snapshot");
  const landKeys = { registrar: keys[3], officer: keys[4], court: keys[5], bank: keys[6], survey: keys[8], governor };
  await landWalkThrough(deployment, landKeys, path.dirname(deploymentFile));

  heading("9. Websites: a portal published with two approvals, verified, defaced, caught by the monitor, restored");
  await siteWalkThrough(deployment, { operator, publishers: [keys[2], keys[9]] }, path.dirname(deploymentFile));

  heading("10. The Besu backbone: a generated QBFT network, its genesis contracts bound, the stand-in node");
  await besuWalkThrough(deployment, directory, path.dirname(deploymentFile));

  heading("11. The Sakshya service: an index of the chain and a REST API for verifiers without a node");
  const reinstated = await directory.changeStatus("reinstate", await directory.resolveOrganisation("wbu"), hashJson({ decision: "SBIC/2026/19", reason: "audit closed" }));
  console.log(`The audit of wbu is closed: reinstated (${reinstated.status}), its certificates stand again.`);
  await serviceWalkThrough(deployment, certificates.files, "WB100100000002", path.dirname(deploymentFile));

  heading("12. The SBIC governs as a committee: proposals, offline signatures, the guardian's veto, a backdated report");
  await committeeWalkThrough(deploymentFile, plan, { governor, operator, universityKey: keys[0] }, certificates, path.dirname(deploymentFile));

  heading("Summary");
  const active = (await directory.list()).filter((o) => o.status === "active").length;
  const final = readDeployment(deploymentFile);
  console.log(`Chain ${deployment.chainId} (in-process Hardhat, EVM cancun, gas price 0): ${orgs.length} organisations onboarded, ${active} active,`);
  console.log(`${PARTICIPANTS.length} signing keys, ${(await directory.contract.nodeIds()).length} nodes; governor the SBIC committee ${final.roles.governor.account}, operator ${final.roles.operator.account},`);
  console.log(`guardian committee ${final.roles.guardian.account}.`);
}

/** Builds, issues and verifies the sample batch; shows a tampered, a revoked and a redacted certificate. */
async function certificateWalkThrough(deployment: Deployment, universityKey: Signer, directory: DirectoryClient, workDir: string) {
  const keccak = await loadKeccak();
  const samples = path.join(__dirname, "samples", "certificates");
  const anchor = { chainId: deployment.chainId, registry: deployedContractOf(deployment, "CertificateRegistry").address };
  const records = readRecords(path.join(samples, "graduates-2026.csv"));
  const schema = readSchema(path.join(samples, "wbu-degree.schema.json"));
  const batch = buildBatch({ records, schema, issuer: "wbu", anchor, expiresAt: 0 }, keccak);
  const out = path.join(workDir, "graduates-2026");
  const wbu = await directory.resolveOrganisation("wbu");
  // Printed codes name the issuer and the batch's code slot; a fresh chain has every slot free.
  const slot = codeSlotOf(batch.manifest.root);
  batch.manifest.codes = { issuerOrgId: wbu, slot };
  const pdf = { schema, issuerName: "West Bengal University", code: (index: number) => certificateCode(wbu, slot, index) };
  await writeBatch(out, batch, { verifyPage: LOCAL_VERIFY_PAGE, pdf });
  console.log(`Built ${batch.manifest.documentCount} certificates with QR codes and printable PDFs in ${out}; root ${batch.manifest.root}`);
  console.log(`  the first prints verification code ${formatShortCode(pdf.code(0))}; its QR code opens ${LOCAL_VERIFY_PAGE} on its verdict`);
  const client = new CertificateClient(deployment, universityKey, universityKey);
  const issued = await client.issue(batch.manifest, wbu);
  console.log(`✓ wbu anchored the root in block ${issued.blockNumber}; again: ${(await client.issue(batch.manifest, wbu)).status}`);

  const reader = new CertificateClient(deployment, universityKey);
  const verify = (files: string[]) => verifyCertificates(files, reader, (code) => directory.organisationIdOf(code), keccak);
  const files = collectCertificateFiles([path.join(out, CERTIFICATES_DIR)]);
  const show = (verdicts: Verdict[]) => verdicts.forEach((v) => console.log(`${v.valid ? "✓" : "✗"} ${path.basename(v.file)}: ${v.reason}`));
  show(await verify(files));

  const tampered = path.join(workDir, "tampered.json");
  const original = JSON.parse(fs.readFileSync(files[0], "utf8")) as CertificateFile;
  fs.writeFileSync(tampered, JSON.stringify({ ...original, fields: { ...original.fields, cgpa: 9.99 } }));
  await client.revokeDocuments({ issuerOrgId: wbu, root: batch.manifest.root }, [1], REASONS.indexOf("misconduct"));
  const redacted = path.join(workDir, "redacted.json");
  fs.writeFileSync(redacted, JSON.stringify(redact(JSON.parse(fs.readFileSync(files[2], "utf8")) as CertificateFile, ["dateOfBirth"], keccak)));
  console.log("\nA grade edited by hand, document 1 revoked for misconduct, and document 2 with its date of birth hidden:");
  show(await verify([tampered, files[1], redacted]));
  return { verify, show, files, batch: { issuerOrgId: wbu, root: batch.manifest.root }, valid: files[3] };
}

/**
 * A second key of the university is stolen and used to revoke good certificates; once the responder reports it, what
 * it did after its cut-off no longer counts. A revocation found wrong on appeal is undone by the governor.
 */
async function stolenKeyWalkThrough(
  deployment: Deployment,
  directory: DirectoryClient,
  governance: Governance,
  certificates: Awaited<ReturnType<typeof certificateWalkThrough>>,
  funder: Signer,
) {
  const { verify, show, files, batch } = certificates;
  const provider = hre.ethers.provider;
  const clerk = Wallet.createRandom().connect(provider);
  // The in-process chain charges for gas (Besu's free-gas network would not): the new key needs a little ether.
  await (await funder.sendTransaction({ to: clerk.address, value: hre.ethers.parseEther("1") })).wait();
  await directory.addAccount(batch.issuerOrgId, clerk.address);
  console.log(`\nA second wbu key, ${clerk.address} on a clerk's laptop, is stolen; the thief revokes two good certificates:`);
  const cutoff = (await provider.getBlock("latest"))!.timestamp;
  await new CertificateClient(deployment, clerk, clerk).revokeDocuments(batch, [4, 5], REASONS.indexOf("withdrawn"));
  show(await verify([files[4], files[5]]));
  await directory.compromiseAccount(clerk.address, cutoff);
  console.log(`The responder reports the key compromised from ${isoTime(cutoff)}, at once: its acts since stop counting.`);
  show(await verify([files[4], files[5]]));
  console.log("\nAn appeal overturns the misconduct finding: only the governor undoes a revocation (after two days in production).");
  const outcome = await new CertificateClient(deployment, provider).restoreDocument(governance, { ...batch, index: 1 }, hashJson({ appeal: "WBU/A/2026/3", allowed: true }));
  console.log(`✓ restoreDocument: ${outcome.status}`);
  show(await verify([files[1]]));
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
