import type { Signer } from "ethers";
import { encodeBytes32String, id as textHash } from "ethers";
import type { Deployment } from "../src/config/deployments";
import { WebsiteRegistry__factory, type ParticipantDirectory } from "../typechain-types";
import type { GasSnapshot } from "./gas";

const PUBLISH_WEBSITES = 1 << 1;

/** The website registry's main operations: a department with two publisher keys, a portal needing one approval. */
export async function measureWebsiteGas(deployment: Deployment, directory: ParticipantDirectory, operator: Signer, governor: Signer, keys: Signer[]): Promise<GasSnapshot> {
  const [first, second] = keys;
  const gasOf = async (tx: Promise<{ wait(): Promise<{ gasUsed: bigint } | null> }>) => Number((await (await tx).wait())!.gasUsed);
  await (await directory.onboard(encodeBytes32String("it-dept"), 3, PUBLISH_WEBSITES, [0], textHash("IT department"))).wait();
  const orgId = Number(await directory.organisationCount());
  for (const key of [first, second]) await (await directory.addAccount(orgId, await key.getAddress())).wait();
  const sites = WebsiteRegistry__factory.connect(deployment.contracts.WebsiteRegistry!.address, first);
  const portal = textHash("wb.gov.in");
  const snapshot: GasSnapshot = {};
  snapshot["site.registerSite"] = await gasOf(sites.connect(operator).registerSite(portal, orgId, 1));
  const release = (n: number) => [portal, encodeBytes32String(`2026.11.${n}`), textHash(`root ${n}`), 2_000, 1_073_741_824, textHash(`manifest ${n}`)] as const;
  snapshot["site.publish (one approval needed: current at once)"] = await gasOf(sites.publish(...release(1)));
  snapshot["site.publish (a later release, current at once)"] = await gasOf(sites.publish(...release(2)));
  await (await sites.connect(operator).setThreshold(portal, 2)).wait();
  snapshot["site.publish (two approvals needed: pending)"] = await gasOf(sites.publish(...release(3)));
  snapshot["site.approve (the second approval: current)"] = await gasOf(sites.connect(second).approve(portal, 3));
  snapshot["site.rollback"] = await gasOf(sites.rollback(portal, 2));
  snapshot["site.revoke"] = await gasOf(sites.revoke(portal, 3, 2));
  // The second key is reported stolen from before its approval of release 4; the governor affirms the release.
  await (await sites.publish(...release(4))).wait();
  await (await sites.connect(second).approve(portal, 4)).wait();
  const approvedAt = Number((await sites.approvalsOf(portal, 4))[1].approvedAt);
  await (await directory.markAccountCompromised(await second.getAddress(), approvedAt)).wait();
  snapshot["site.affirmRelease (governor)"] = await gasOf(sites.connect(governor).affirmRelease(portal, 4, textHash("SBIC decision")));
  return snapshot;
}
