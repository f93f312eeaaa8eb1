import { encodeBytes32String, id as textHash, Wallet, type Signer } from "ethers";
import hre from "hardhat";
import { onboardLandOffices } from "../../bench/land";
import { buildBatch, type BuiltBatch } from "../../src/certificates/batch";
import { parseSchema } from "../../src/certificates/schema";
import { loadKeccak } from "../../src/hashing/keccak";
import { ownerCommitment, ulpinBytes } from "../../src/land/titles";
import { siteIdOf } from "../../src/websites/manifest";
import { ILandRegistry__factory, WebsiteRegistry__factory } from "../../typechain-types";
import { CAP, KIND, REASON, certificateSuite, code, evidence } from "../fixtures";

export type Suite = Awaited<ReturnType<typeof certificateSuite>>;

export const ULPIN = "WB170400000001";
export const DOMAIN = "wb.gov.in";

/** The chain every engine's service reads: certificates (one revoked), a parcel that changed hands once, a website. */
export async function busyChain(): Promise<{ suite: Suite; batch: BuiltBatch; root: string }> {
  const suite = await certificateSuite();
  const keccak = await loadKeccak();
  const schema = parseSchema(
    { id: "degree/1", title: "Degree", fields: { roll: { type: "string", required: true }, name: { type: "string", required: true }, cgpa: { type: "number" } }, identity: ["roll"] },
    "schema",
  );
  const records = ["Asha Roy", "Bikash Das", "Chandana Sen"].map((name, i) => ({ line: i + 2, values: { roll: `R-${i}`, name, cgpa: String(8 + i / 10) } }));
  const anchor = { chainId: suite.deployment.chainId, registry: suite.deployment.contracts.CertificateRegistry!.address };
  const batch = buildBatch({ records, schema, issuer: "wbu", anchor, expiresAt: 0 }, keccak);
  const root = batch.manifest.root;
  await (await suite.registry.issue(root, 3, 0)).wait();
  await (await suite.registry.revokeDocument(1, root, 1, REASON.misconduct)).wait();

  const keys = (await hre.ethers.getSigners()).slice(8, 13) as Signer[];
  await onboardLandOffices(suite.directory, keys);
  const [survey, registrar, officer] = keys;
  const land = ILandRegistry__factory.connect(suite.deployment.contracts.LandRegistry!.address, survey);
  const [asha, dev] = ["asha", "dev"].map((name) => [{ commitment: ownerCommitment(`ID-${name}`, textHash(name)), share: 10_000 }]);
  const record = { ulpin: ulpinBytes(ULPIN), area: 4_047, landUse: 1, district: 17, block: 4, village: 100_234, recordHash: textHash("RoR v1") };
  await (await land.registerParcel(record, asha, [])).wait();
  await (await land.connect(registrar).registerDeed(textHash("deed 1"), record.ulpin, 0, asha, dev)).wait();
  await (await land.connect(officer).approveMutation(record.ulpin, textHash("deed 1"), [], asha, dev, textHash("RoR v2"))).wait();

  const publisher = Wallet.createRandom().connect(hre.ethers.provider);
  await (await suite.governor.sendTransaction({ to: publisher.address, value: 10n ** 18n })).wait();
  await (await suite.directory.onboard(code("wb-it"), KIND.agency, CAP.publishWebsites, [0], evidence("WB IT Department"))).wait();
  const orgId = Number(await suite.directory.organisationCount());
  await (await suite.directory.addAccount(orgId, publisher.address)).wait();
  const sites = WebsiteRegistry__factory.connect(suite.deployment.contracts.WebsiteRegistry!.address, suite.operator);
  await (await sites.registerSite(siteIdOf(DOMAIN), orgId, 1)).wait();
  await (await sites.connect(publisher).publish(siteIdOf(DOMAIN), encodeBytes32String("v1"), textHash("files"), 3, 1_000, textHash("manifest"))).wait();
  return { suite, batch, root };
}
