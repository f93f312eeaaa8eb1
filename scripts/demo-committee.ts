import fs from "node:fs";
import path from "node:path";
import hre from "hardhat";
import { Wallet, type Signer } from "ethers";
import { deploySuite } from "../deploy/suite";
import type { RolePlanSpec } from "../deploy/config";
import { CommitteeProposer } from "../src/committee/propose";
import { readProposal, withSignature, writeProposal } from "../src/committee/proposal";
import { signSafeTransaction, type TypedDataSigner } from "../src/committee/safe";
import { executeProposal } from "../src/committee/status";
import { CertificateClient, type BatchRef } from "../src/certificates/client";
import type { Verdict } from "../src/certificates/checks";
import { readDeployment } from "../src/config/deployments";
import { DirectoryClient } from "../src/directory/client";
import { RevertError } from "../src/errors";
import { describeCall } from "../src/governance/describe";
import { Governance } from "../src/governance/governed";
import { ROLES } from "../src/governance/roles";
import { hashJson } from "../src/hashing/canonical-json";
import { isoTime } from "../src/io/time";
import { SakshyaAuthority__factory } from "../typechain-types";

const HOUR = 3600;
const DAY = 24 * HOUR;

interface Certificates {
  readonly verify: (files: string[]) => Promise<Verdict[]>;
  readonly show: (verdicts: Verdict[]) => void;
  readonly files: readonly string[];
  readonly batch: BatchRef;
}

/**
 * The SBIC becomes the governor: the suite is deployed again with committees in the plan, and every rule change is
 * then a proposal its members read in plain words, sign offline, and anyone executes — scheduled, with the guardian
 * committee able to cancel it before it takes effect. Then a stolen key reported backdated: the report alone cannot
 * void old certificates, the SBIC decides it, and affirms the batch it finds genuine.
 */
export async function committeeWalkThrough(
  deploymentFile: string,
  plan: RolePlanSpec,
  keys: { governor: Signer; operator: Signer; universityKey: Signer },
  certificates: Certificates,
  workDir: string,
): Promise<void> {
  const sbic = Array.from({ length: 3 }, () => Wallet.createRandom());
  const guardians = Array.from({ length: 2 }, () => Wallet.createRandom());
  const committeePlan = {
    ...plan,
    governor: { members: sbic.map((w) => w.address), threshold: 2 },
    guardian: { members: guardians.map((w) => w.address), threshold: 2 },
    governorDelay: HOUR,
  };
  const { steps } = await deploySuite(hre, { signer: keys.governor, plan: committeePlan, deploymentFile });
  for (const step of steps.filter((s) => s.status !== "skipped")) console.log(`  ${step.status.padEnd(8)} ${step.step}`);
  const deployment = readDeployment(deploymentFile);
  console.log(`The SBIC (2 of 3) holds GOVERNOR and ADMIN at ${deployment.roles.governor.account}, waiting ${HOUR / 3600} hour (two days in production);`);
  console.log(`the guardian committee (2 of 2) is ${deployment.roles.guardian.account}. The development key ${await keys.governor.getAddress()} holds nothing now.`);

  const folder = path.join(workDir, "proposals");
  fs.mkdirSync(folder, { recursive: true });
  const authority = SakshyaAuthority__factory.connect(deployment.contracts.SakshyaAuthority.address, keys.operator);
  const propose = (file: string, role?: "governor" | "guardian") => new Governance(authority, keys.operator, new CommitteeProposer({ deployment, provider: hre.ethers.provider, file: path.join(folder, file), role }));
  const review = async (file: string) => {
    const proposal = readProposal(path.join(folder, file));
    const { text, warnings } = await describeCall({ deployment }, proposal.transaction.to, proposal.transaction.data);
    console.log(`  proposal ${file} to the ${proposal.committee.role.toUpperCase()} committee, nonce ${proposal.transaction.nonce}: ${text}`);
    for (const warning of warnings) console.log(`    ⚠ ${warning}`);
  };
  const sign = async (file: string, members: TypedDataSigner[]) => {
    for (const member of members) {
      const proposal = readProposal(path.join(folder, file));
      const signature = await signSafeTransaction(member, proposal.chainId, proposal.committee.safe, proposal.transaction);
      writeProposal(path.join(folder, file), withSignature(proposal, signature).proposal);
      console.log(`  ✓ signed offline by ${await member.getAddress()}`);
    }
  };
  const execute = async (file: string) => {
    const execution = await executeProposal(keys.operator, deployment, readProposal(path.join(folder, file)));
    const operation = execution.operation;
    if (execution.step === "operation") console.log(`  ✓ anyone carries out the scheduled operation ${operation!.operationId.slice(0, 18)}… (block ${execution.receipt.blockNumber})`);
    else if (operation?.state === "waiting") console.log(`  ✓ executed by anyone: scheduled as ${operation.operationId.slice(0, 18)}…, may run after ${isoTime(operation.readyAt)}; the guardian may cancel it until then`);
    else console.log(`  ✓ executed (block ${execution.receipt.blockNumber})`);
    return execution;
  };
  const wait = async (seconds: number) => {
    await hre.network.provider.send("evm_increaseTime", [seconds]);
    await hre.network.provider.send("evm_mine");
  };

  console.log("\nA proposal that grants power is said so. Someone proposes giving a new key OPERATOR with no delay:");
  const puppet = Wallet.createRandom().address;
  await propose("grant-operator.json").call(await authority.getAddress(), authority.interface.encodeFunctionData("grantRole", [ROLES.operator.id, puppet, 0]));
  await review("grant-operator.json");
  await sign("grant-operator.json", [sbic[0], sbic[1]]);
  const granted = await execute("grant-operator.json");
  console.log("The guardian committee sees it waiting, and cancels it by its own proposal:");
  const op = await new Governance(authority, keys.operator).operation(granted.operation!.operationId, deployment.deployBlock);
  await new CommitteeProposer({ deployment, provider: hre.ethers.provider, file: path.join(folder, "cancel-grant.json") }).propose(
    deployment.roles.guardian.account,
    await authority.getAddress(),
    new Governance(authority, keys.operator).cancelOrExecute("cancel", op),
    false,
  );
  await review("cancel-grant.json");
  await sign("cancel-grant.json", guardians);
  await execute("cancel-grant.json");
  await wait(HOUR);
  const [holds] = await authority.hasRole(ROLES.operator.id, puppet);
  console.log(`An hour later the grant never took effect: ${puppet} holds OPERATOR: ${holds}.`);

  await wait(10 * DAY);
  const registry = new CertificateClient(deployment, hre.ethers.provider);
  const issuedAt = (await registry.batch(certificates.batch))!.issuedAt;
  const copiedAt = issuedAt - DAY;
  const now = (await hre.ethers.provider.getBlock("latest"))!.timestamp;
  console.log(`\nOn ${isoTime(now)} an audit finds the wbu key was copied on ${isoTime(copiedAt)}, the day before the batch of 2026 was issued.`);
  const directory = new DirectoryClient(deployment, keys.operator, new Governance(authority, keys.operator));
  const stolen = await keys.universityKey.getAddress();
  try {
    await directory.compromiseAccount(stolen, copiedAt);
  } catch (error) {
    if (!(error instanceof RevertError)) throw error;
    console.log(`✗ The responder alone reports it from ${isoTime(copiedAt)}: ${error.message}`);
  }
  await directory.compromiseAccount(stolen, now);
  console.log(`✓ The responder reports it from now, at once: the key can no longer act, and what it signed before still stands:`);
  certificates.show(await certificates.verify([certificates.files[0]]));

  console.log("The SBIC decides the earlier cut-off:");
  await propose("backdate.json").call(deployment.contracts.ParticipantDirectory.address, directory.contract.interface.encodeFunctionData("backdateCompromise", [stolen, copiedAt, hashJson({ decision: "SBIC/2026/41" })]));
  await review("backdate.json");
  await sign("backdate.json", [sbic[1], sbic[2]]);
  await execute("backdate.json");
  await wait(HOUR);
  await execute("backdate.json");
  console.log("What the key signed since the cut-off is void now, the batch of 2026 with it:");
  certificates.show(await certificates.verify([certificates.files[0]]));

  console.log("The registrar's records show the batch was genuine; the SBIC affirms it:");
  await registry.affirmBatch(propose("affirm.json"), certificates.batch, hashJson({ decision: "SBIC/2026/42", records: "registrar's ledger of 2026" }));
  await review("affirm.json");
  await sign("affirm.json", [sbic[0], sbic[2]]);
  await execute("affirm.json");
  await wait(HOUR);
  await execute("affirm.json");
  certificates.show(await certificates.verify([certificates.files[0]]));
}
