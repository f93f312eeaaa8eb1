import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { HardhatRuntimeEnvironment } from "hardhat/types";
import { Wallet, keccak256, toUtf8Bytes, type Signer } from "ethers";
import { deploySafeInfrastructure, ensureCommittee } from "../deploy/committees";
import { CommitteeProposer } from "../src/committee/propose";
import { readProposal, withSignature, writeProposal } from "../src/committee/proposal";
import { signSafeTransaction } from "../src/committee/safe";
import { executeProposal } from "../src/committee/status";
import type { Deployment } from "../src/config/deployments";
import { Governance } from "../src/governance/governed";
import { ADMIN_ROLE, ROLES } from "../src/governance/roles";
import { SakshyaAuthority__factory } from "../typechain-types";
import type { GasSnapshot } from "./gas";

const fixedKey = (label: string) => keccak256(toUtf8Bytes(`sakshya gas snapshot: ${label}`));

/**
 * What a committee's decision costs: the Safe's transaction that schedules a grant (3 of 5 members' signatures), and
 * the executor module carrying it out after the delay. An AccessManager, the Safe infrastructure and the committee of
 * their own, deployed by a key used for nothing else: every address, and so every calldata byte, repeats to the unit.
 */
export async function measureCommitteeGas(hre: HardhatRuntimeEnvironment, sender: Signer): Promise<GasSnapshot> {
  const deployer = new Wallet(fixedKey("committee deployer"), hre.ethers.provider);
  await hre.network.provider.send("hardhat_setBalance", [deployer.address, "0x56bc75e2d63100000"]);
  const members = Array.from({ length: 5 }, (_, i) => new Wallet(fixedKey(`SBIC member ${i}`)));
  const authority = await new SakshyaAuthority__factory(deployer).deploy(deployer.address);
  const manager = await authority.getAddress();
  const deployBlock = (await authority.deploymentTransaction()!.wait())!.blockNumber;
  const quiet = () => undefined;
  const safe = await deploySafeInfrastructure(deployer, manager, undefined, quiet);
  const committee = await ensureCommittee(deployer, safe, "governor", { members: members.map((m) => m.address), threshold: 3 }, quiet);
  await (await authority.grantRole(ADMIN_ROLE, committee, 3600)).wait();
  const holder = (account: string) => ({ account, executionDelay: 0 });
  const deployment: Deployment = {
    suiteVersion: "gas",
    network: "hardhat",
    chainId: Number((await hre.ethers.provider.getNetwork()).chainId),
    deployBlock,
    updatedAt: "",
    contracts: { SakshyaAuthority: { address: manager, deployBlock }, ParticipantDirectory: { address: manager, deployBlock } },
    roles: { governor: { ...holder(committee), committee: { members: members.map((m) => m.address), threshold: 3 } }, operator: holder(deployer.address), guardian: holder(deployer.address) },
    safe,
  };
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "sakshya-gas-committee-")), "grant.json");
  const grant = authority.interface.encodeFunctionData("grantRole", [ROLES.operator.id, "0x00000000000000000000000000000000000A11CE", 86_400]);
  await new Governance(authority, sender, new CommitteeProposer({ deployment, provider: hre.ethers.provider, file })).call(manager, grant);
  for (const member of members.slice(0, 3)) {
    const proposal = readProposal(file);
    writeProposal(file, withSignature(proposal, await signSafeTransaction(member, proposal.chainId, proposal.committee.safe, proposal.transaction)).proposal);
  }
  const scheduled = await executeProposal(sender, deployment, readProposal(file));
  await hre.network.provider.send("evm_increaseTime", [3600]);
  await hre.network.provider.send("evm_mine");
  const carried = await executeProposal(sender, deployment, readProposal(file));
  return {
    "committee: Safe transaction scheduling a grant (3 of 5 signatures)": Number(scheduled.receipt.gasUsed),
    "committee: executor module carrying it out after the delay": Number(carried.receipt.gasUsed),
  };
}
