import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import hre from "hardhat";
import { rolePlan } from "../deploy/config";
import { deploySuite } from "../deploy/suite";
import { DirectoryClient } from "../src/directory/client";
import { Governance } from "../src/governance/governed";
import { hashJson } from "../src/hashing/canonical-json";
import { SakshyaAuthority__factory } from "../typechain-types";
import { siteWalkThrough } from "../scripts/demo-site";
async function main() {
  const signers = await hre.ethers.getSigners();
  const [governor, operator, guardian] = signers;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sakshya-demo-"));
  const { deployment } = await deploySuite(hre, { signer: governor, plan: rolePlan("hardhat", [governor.address, operator.address, guardian.address]), deploymentFile: path.join(dir, "hardhat.json") });
  const authority = SakshyaAuthority__factory.connect(deployment.contracts.SakshyaAuthority.address, operator);
  const directory = new DirectoryClient(deployment, operator, new Governance(authority, operator));
  const o = await directory.onboard({ code: "it-dept", kind: "department", capabilities: "publish-websites", jurisdictions: [0], metadataHash: hashJson({ name: "IT" }) });
  await directory.addAccount(o.orgId!, signers[5].address);
  await siteWalkThrough(deployment, { operator, publishers: [signers[5], signers[12]] }, dir);
}
main().catch((e) => { console.error(e); process.exitCode = 1; });
