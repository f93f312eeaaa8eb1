import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { HardhatRuntimeEnvironment } from "hardhat/types";
import { encodeBytes32String, id as textHash } from "ethers";
import { rolePlan } from "../deploy/config";
import { deploySuite } from "../deploy/suite";
import { ParticipantDirectory__factory } from "../typechain-types";

/** A fresh suite with one statewide university ("wbu", able to issue certificates) and one of its keys. */
export async function deployedSuiteForBench(hre: HardhatRuntimeEnvironment) {
  const [governor, operator, guardian, key] = await hre.ethers.getSigners();
  const plan = rolePlan("hardhat", [governor.address, operator.address, guardian.address]);
  const deploymentFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "sakshya-bench-")), "bench.json");
  const { deployment } = await deploySuite(hre, { signer: governor, plan, deploymentFile });
  const directory = ParticipantDirectory__factory.connect(deployment.contracts.ParticipantDirectory.address, operator);
  await (await directory.onboard(encodeBytes32String("wbu"), 1, 1, [0], textHash("bench"))).wait();
  await (await directory.addAccount(1, key.address)).wait();
  return { deployment, deploymentFile, directory, key };
}
