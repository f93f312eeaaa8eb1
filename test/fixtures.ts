import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect } from "chai";
import hre from "hardhat";
import { encodeBytes32String, id as textHash } from "ethers";
import { CertificateRegistry__factory, ParticipantDirectory__factory, SakshyaAuthority__factory } from "../typechain-types";
import { deploySuite } from "../deploy/suite";
import type { UpgradeResult } from "../deploy/upgrade";
import type { RolePlan } from "../deploy/config";

export const CAP = {
  issueCertificates: 1 << 0,
  publishWebsites: 1 << 1,
  registerDeeds: 1 << 2,
  approveMutations: 1 << 3,
  courtOrders: 1 << 4,
  liens: 1 << 5,
  runNode: 1 << 6,
  validate: 1 << 7,
  manageParcels: 1 << 8,
  hearAppeals: 1 << 9,
};
export const KIND = { agency: 0, university: 1, registration: 4, landRevenue: 5, court: 7, bank: 8, nodeOperator: 9 };
export const STATUS = { none: 0, active: 1, suspended: 2, offboarded: 3 };

export const code = (text: string) => encodeBytes32String(text);
export const evidence = (text: string) => textHash(text);

/** The university's public metadata, as a file whose hash it was onboarded with (`org onboard --metadata-file`). */
export const WBU_METADATA = JSON.stringify({ name: "West Bengal University", names: { bn: "পশ্চিমবঙ্গ বিশ্ববিদ্যালয়" } });

export function tempFile(name: string): string {
  return path.join(fs.mkdtempSync(path.join(os.tmpdir(), "sakshya-")), name);
}

/** The suite deployed exactly as `npm run deploy` does, with roles on development accounts 0-2. */
export async function deployedSuite(overrides: Partial<RolePlan> = {}) {
  const signers = await hre.ethers.getSigners();
  const [governor, operator, guardian, ...others] = signers;
  const plan: RolePlan = {
    governor: governor.address,
    operator: operator.address,
    guardian: guardian.address,
    responder: operator.address,
    governorDelay: 0,
    operatorDelay: 0,
    ...overrides,
  };
  const deploymentFile = tempFile("hardhat.json");
  const { deployment, steps } = await deploySuite(hre, { signer: governor, plan, deploymentFile });
  const directory = ParticipantDirectory__factory.connect(deployment.contracts.ParticipantDirectory.address, operator);
  const authority = SakshyaAuthority__factory.connect(deployment.contracts.SakshyaAuthority.address, governor);
  return { deployment, deploymentFile, steps, plan, directory, authority, governor, operator, guardian, others };
}

/** A suite with a university (statewide) and a land revenue office (jurisdictions 101, 102), each with one key. */
export async function populatedSuite() {
  const suite = await deployedSuite();
  const { directory, others } = suite;
  const [universityKey, revenueKey, outsider] = others;
  await directory.onboard(code("wbu"), KIND.university, CAP.issueCertificates, [0], evidence(WBU_METADATA));
  await directory.onboard(code("lr-north"), KIND.landRevenue, CAP.approveMutations | CAP.runNode, [101, 102], evidence("Land Revenue North"));
  await directory.addAccount(1, universityKey.address);
  await directory.addAccount(2, revenueKey.address);
  return { ...suite, universityKey, revenueKey, outsider };
}

/** An upgrade that went ahead (not held back for delays): its implementation and governance outcome. */
export function upgraded(result: UpgradeResult): Extract<UpgradeResult, { status: "upgrade" }> {
  if (result.status !== "upgrade") throw new Error(`The upgrade was held back: ${result.shortfalls.map((s) => `${s.label} ${s.account}`).join(", ")} below the plan's delay.`);
  return result;
}

/** Awaits a promise that must fail, and checks its message. */
export async function rejects(promise: Promise<unknown>, pattern: RegExp): Promise<void> {
  const outcome = await promise.then(
    () => undefined,
    (error: unknown) => (error instanceof Error ? error.message : String(error)),
  );
  expect(outcome, `expected a failure matching ${pattern}`).to.be.a("string");
  expect(outcome).to.match(pattern);
}

export const REASON = {
  none: 0,
  other: 1,
  issuedInError: 2,
  superseded: 3,
  withdrawn: 4,
  misconduct: 5,
  duplicate: 6,
  keyCompromise: 7,
  courtOrder: 8,
  holderRequest: 9,
  underReview: 10,
};
export const DOC = {
  valid: 0,
  notIssued: 1,
  invalidProof: 2,
  keyCompromised: 3,
  issuerOffboarded: 4,
  issuerSuspended: 5,
  revoked: 6,
  superseded: 7,
  suspended: 8,
  expired: 9,
};

/** {@link populatedSuite} plus the certificate registry, a second key of the university and a second university. */
export async function certificateSuite() {
  const suite = await populatedSuite();
  const { directory, others, deployment } = suite;
  const [, , , secondKey, boardKey] = others;
  await directory.addAccount(1, secondKey.address);
  await directory.onboard(code("wbchse"), KIND.university, CAP.issueCertificates, [0], evidence("WB Council of Higher Secondary Education"));
  await directory.addAccount(3, boardKey.address);
  const address = deployment.contracts.CertificateRegistry!.address;
  const registry = CertificateRegistry__factory.connect(address, suite.universityKey);
  return { ...suite, registry, secondKey, boardKey };
}
