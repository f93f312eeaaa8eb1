import type { HardhatRuntimeEnvironment } from "hardhat/types";
import { rolePlan } from "../deploy/config";
import { deploySuite } from "../deploy/suite";
import { toBitmap } from "../src/certificates/client";
import { CertificateRegistry__factory, ParticipantDirectory__factory, SakshyaAuthority__factory } from "../typechain-types";
import { measureBesuGas } from "./besu-gas";
import { measureCommitteeGas } from "./committee-gas";
import { measureLandGas } from "./land-gas";
import { measureWebsiteGas } from "./website-gas";
import { Wallet, encodeBytes32String, getAddress, id as textHash, keccak256, toUtf8Bytes } from "ethers";
import os from "node:os";
import path from "node:path";
import fs from "node:fs";

/** Gas of the suite's main operations, on fixed inputs so the figures are reproducible to the unit. */
export type GasSnapshot = Record<string, number>;

export const SNAPSHOT_FILE = path.join(__dirname, "gas-snapshot.json");

const ISSUE_CERTIFICATES = 1;
const APPROVE_MUTATIONS = 1 << 3;
const RUN_NODE = 1 << 6;

export async function measureGas(hre: HardhatRuntimeEnvironment): Promise<GasSnapshot> {
  const [, operator, guardian, universityKey, revenueKey, ...landKeys] = await hre.ethers.getSigners();
  // A deployer of its own, used for nothing else: the suite's addresses (and so the calldata that names them, 4 gas
  // a zero byte against 16) do not depend on what the shared development accounts sent before.
  const governor = new Wallet(keccak256(toUtf8Bytes("sakshya gas snapshot governor")), hre.ethers.provider);
  await hre.network.provider.send("hardhat_setBalance", [governor.address, "0x56bc75e2d63100000"]);
  const plan = rolePlan("hardhat", [governor.address, operator.address, guardian.address]);
  const deploymentFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "sakshya-gas-")), "gas.json");
  const { deployment } = await deploySuite(hre, { signer: governor, plan, deploymentFile });
  const directory = ParticipantDirectory__factory.connect(deployment.contracts.ParticipantDirectory.address, operator);
  const gasOf = async (tx: Promise<{ wait(): Promise<{ gasUsed: bigint } | null> }>) => Number((await (await tx).wait())!.gasUsed);

  const snapshot: GasSnapshot = {};
  snapshot["directory.onboard (statewide)"] = await gasOf(
    directory.onboard(encodeBytes32String("wbu"), 1, ISSUE_CERTIFICATES, [0], textHash("West Bengal University")),
  );
  snapshot["directory.onboard (3 jurisdictions)"] = await gasOf(
    directory.onboard(encodeBytes32String("lr-north"), 5, APPROVE_MUTATIONS | RUN_NODE, [101, 102, 103], textHash("Land Revenue North")),
  );
  snapshot["directory.addAccount"] = await gasOf(directory.addAccount(1, universityKey.address));
  await directory.addAccount(2, revenueKey.address);
  snapshot["directory.addNode"] = await gasOf(
    directory.addNode(2, `0x${"11".repeat(32)}`, `0x${"22".repeat(32)}`, "10.20.0.11", 30303, false),
  );
  snapshot["directory.suspend"] = await gasOf(directory.suspend(2, textHash("audit")));
  snapshot["directory.reinstate"] = await gasOf(directory.reinstate(2, textHash("cleared")));

  // What a registry pays inside its own transaction: a cold call to the directory, measured with gasleft().
  const probe = await (await hre.ethers.getContractFactory("AuthorizationProbe", governor)).deploy();
  const measure = async (account: string, capability: number, jurisdiction: number) => {
    const receipt = await (await probe.measure(deployment.contracts.ParticipantDirectory.address, account, capability, jurisdiction)).wait();
    return Number(probe.interface.parseLog(receipt!.logs[0])!.args.gasUsed);
  };
  snapshot["directory check (statewide organisation)"] = await measure(universityKey.address, ISSUE_CERTIFICATES, 0);
  snapshot["directory check (with jurisdiction)"] = await measure(revenueKey.address, APPROVE_MUTATIONS, 102);

  const registry = CertificateRegistry__factory.connect(deployment.contracts.CertificateRegistry!.address, universityKey);
  const root = textHash("gas batch");
  const spread = textHash("gas batch, spread revocations");
  const wbu = 1;
  snapshot["cert.issue (root of 10,000 documents)"] = await gasOf(registry.issue(root, 10_000, 0));
  await registry.issue(spread, 10_000, 0);
  snapshot["cert.revokeDocument (first mark in its 32-document word)"] = await gasOf(registry.revokeDocument(wbu, root, 5000, 2));
  snapshot["cert.revokeDocument (word already marked)"] = await gasOf(registry.revokeDocument(wbu, root, 5001, 2));
  // Documents 0-99 in one call, then 100 documents 100 apart (one per mark word: the worst case for the bitmap).
  const contiguous = await gasOf(registry.revokeDocuments(wbu, root, 0, [(1n << 100n) - 1n], 2));
  snapshot["cert.revokeDocuments (100 contiguous, per document)"] = Math.round(contiguous / 100);
  const { firstWord, bitmap } = toBitmap(Array.from({ length: 100 }, (_, i) => i * 100));
  snapshot["cert.revokeDocuments (100 spread over 10,000, per document)"] = Math.round((await gasOf(registry.revokeDocuments(wbu, spread, firstWord, bitmap, 2))) / 100);
  snapshot["cert.supersede"] = await gasOf(registry.supersede(wbu, root, 200, spread, 1));
  const refs = Array.from({ length: 500 }, (_, index) => ({ issuerOrgId: wbu, root, index: index * 20 }));
  snapshot["cert.documentStatuses (500 documents, one call)"] = Number(await registry.documentStatuses.estimateGas(refs));
  snapshot["cert.documentStatusRange (10,000 documents, one call)"] = Number(await registry.documentStatusRange.estimateGas(wbu, root, 0, 10_000));
  // A second university key issues a batch and is reported stolen from just before it; the governor moves the cut-off
  // further back, and affirms the batch the cut-off voided.
  const clerk = new Wallet(keccak256(toUtf8Bytes("sakshya gas snapshot: a second university key")), hre.ethers.provider);
  await hre.network.provider.send("hardhat_setBalance", [clerk.address, "0x56bc75e2d63100000"]);
  await (await directory.addAccount(wbu, clerk.address)).wait();
  const voided = textHash("gas batch, voided and affirmed");
  await (await registry.connect(clerk).issue(voided, 100, 0)).wait();
  const issuedAt = Number((await registry.batch(wbu, voided)).issuedAt);
  snapshot["directory.markAccountCompromised"] = await gasOf(directory.markAccountCompromised(clerk.address, issuedAt));
  snapshot["directory.backdateCompromise (governor)"] = await gasOf(directory.connect(governor).backdateCompromise(clerk.address, issuedAt - 60, textHash("SBIC decision")));
  snapshot["cert.affirmBatch (governor)"] = await gasOf(registry.connect(governor).affirmBatch(wbu, voided, textHash("SBIC decision")));
  const land = await measureLandGas(deployment, directory, [...landKeys.slice(0, 5), governor]);
  const websites = await measureWebsiteGas(deployment, directory, operator, governor, landKeys.slice(5, 7));
  const authority = SakshyaAuthority__factory.connect(deployment.contracts.SakshyaAuthority.address, governor);
  const besu = await measureBesuGas(hre, directory, authority, landKeys[7], getAddress(textHash("gas: an organisation's account").slice(0, 42)));
  const committee = await measureCommitteeGas(hre, guardian);
  return { ...snapshot, ...land, ...websites, ...besu, ...committee };
}
