import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { HardhatRuntimeEnvironment } from "hardhat/types";
import { Wallet, keccak256, toUtf8Bytes, type Signer } from "ethers";
import { deploySuite } from "../deploy/suite";
import { CommitteeProposer } from "../src/committee/propose";
import { readProposal, withSignature, writeProposal } from "../src/committee/proposal";
import { signSafeTransaction } from "../src/committee/safe";
import { executeProposal } from "../src/committee/status";
import { Governance } from "../src/governance/governed";
import { ROLES } from "../src/governance/roles";
import { SakshyaAuthority__factory } from "../typechain-types";
import type { GasSnapshot } from "./gas";

/**
 * What a committee's decision costs: the Safe's transaction that schedules a grant (3 of 5 members' signatures), and
 * the executor module carrying it out after the delay. Members are fixed keys, so the figures repeat to the unit.
 */
export async function measureCommitteeGas(hre: HardhatRuntimeEnvironment, deployer: Signer, operator: Signer, sender: Signer): Promise<GasSnapshot> {
  const members = Array.from({ length: 5 }, (_, i) => new Wallet(keccak256(toUtf8Bytes(`sakshya gas snapshot: SBIC member ${i}`))));
  const plan = {
    governor: { members: members.map((m) => m.address), threshold: 3 },
    operator: await operator.getAddress(),
    guardian: await operator.getAddress(),
    responder: await operator.getAddress(),
    governorDelay: 3600,
    operatorDelay: 0,
  };
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), "sakshya-gas-committee-"));
  const { deployment } = await deploySuite(hre, { signer: deployer, plan, deploymentFile: path.join(folder, "committee.json") });
  const authority = SakshyaAuthority__factory.connect(deployment.contracts.SakshyaAuthority.address, operator);
  const file = path.join(folder, "grant.json");
  const proposer = new CommitteeProposer({ deployment, provider: hre.ethers.provider, file });
  const grant = authority.interface.encodeFunctionData("grantRole", [ROLES.operator.id, "0x00000000000000000000000000000000000A11CE", 86_400]);
  await new Governance(authority, operator, proposer).call(await authority.getAddress(), grant);
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
