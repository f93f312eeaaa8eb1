import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { encodeBytes32String, id as textHash, Wallet, type Signer } from "ethers";
import hre from "hardhat";
import { onboardLandOffices } from "../../bench/land";
import { buildBatch, type BuiltBatch } from "../../src/certificates/batch";
import { parseSchema } from "../../src/certificates/schema";
import type { Deployment } from "../../src/config/deployments";
import { loadKeccak } from "../../src/hashing/keccak";
import { openDatabase, type Database } from "../../src/index/database";
import type { IndexStatus } from "../../src/index/follow";
import { ChainIndexer } from "../../src/index/indexer";
import { migrate } from "../../src/index/schema";
import { buildService, type ServiceOptions } from "../../src/service/server";
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

/**
 * The service over a fresh SQLite index of the chain as it stands, in a folder of its own: `prepare` runs on the
 * database before the service starts (keys to create), and `catchUp` brings the index and the service's status to
 * the chain's head again.
 */
export async function indexedService(deployment: Deployment, options: Partial<Omit<ServiceOptions, "db" | "status" | "deployment">> = {}, prepare?: (db: Database) => Promise<void>) {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), "sakshya-service-"));
  const db = await openDatabase(path.join(folder, "index.db"));
  await migrate(db);
  const indexer = new ChainIndexer(db, hre.ethers.provider, deployment);
  const status: IndexStatus = {};
  const catchUp = async () => {
    await indexer.catchUp();
    status.indexed = status.head = (await indexer.checkpoint()).blockNumber;
  };
  await catchUp();
  await prepare?.(db);
  const app = await buildService({ db, status, deployment, provider: hre.ethers.provider, keccak: await loadKeccak(), ...options });
  return { folder, db, status, app, catchUp };
}
