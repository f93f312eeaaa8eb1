import hre from "hardhat";
import { ParticipantDirectory__factory, SakshyaAuthority__factory } from "../../typechain-types";
import type { RolePlanSpec } from "../../deploy/config";
import { deploySuite } from "../../deploy/suite";
import { tempFile } from "../fixtures";

export const DAY = 86_400;

/**
 * The suite governed by committees, as production is: the SBIC (development accounts 3, 4 and 5, two of three to sign)
 * as governor with a one-day delay, and a guardian committee (6 and 7, both to sign). The operator (1) and responder (1)
 * are keys; the deployer (0) hands over and keeps nothing.
 */
export async function committeeSuite() {
  const signers = await hre.ethers.getSigners();
  const [deployer, operator, , sbicA, sbicB, sbicC, guardA, guardB, ...others] = signers;
  const plan: RolePlanSpec = {
    governor: { members: [sbicA.address, sbicB.address, sbicC.address], threshold: 2 },
    operator: operator.address,
    guardian: { members: [guardA.address, guardB.address], threshold: 2 },
    responder: operator.address,
    governorDelay: DAY,
    operatorDelay: DAY,
  };
  const deploymentFile = tempFile("committee.json");
  const { deployment, steps } = await deploySuite(hre, { signer: deployer, plan, deploymentFile });
  const authority = SakshyaAuthority__factory.connect(deployment.contracts.SakshyaAuthority.address, deployer);
  const directory = ParticipantDirectory__factory.connect(deployment.contracts.ParticipantDirectory.address, operator);
  return { deployment, deploymentFile, steps, plan, authority, directory, deployer, operator, sbic: [sbicA, sbicB, sbicC], guards: [guardA, guardB], others };
}
