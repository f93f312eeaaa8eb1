import { expect } from "chai";
import hre from "hardhat";
import { id, type Signer } from "ethers";
import { getStorageUpgradeErrors } from "@openzeppelin/upgrades-core";
import { currentRelease, releasedContract } from "../deploy/releases";
import { UPGRADEABLE } from "../deploy/upgrade";
import { readDeployment } from "../src/config/deployments";
import { landJurisdiction } from "../src/land/titles";
import { CertificateRegistry__factory, ILandRegistry__factory, ParticipantDirectory__factory, WebsiteRegistry__factory } from "../typechain-types";
import { CAP, DOC, KIND, REASON, code, evidence } from "./fixtures";
import { legacySuite } from "./helpers/legacy";
import { DISTRICT, BLOCK, MSTATUS, MUTATION, PARCEL_STATUS, gapTree, owners, record, ulpin } from "./helpers/land";

describe("Upgrades from recorded releases", () => {
  it("every contract's current version is recorded in deploy/releases with the layout it compiles to", async () => {
    for (const name of UPGRADEABLE) {
      const { version, contract } = await currentRelease(hre, name);
      const recorded = releasedContract(version, name);
      // Both ways: a field added since the record was written is a change of layout too, and needs a new version.
      const forward = getStorageUpgradeErrors(recorded.layout, contract.layout);
      const backward = getStorageUpgradeErrors(contract.layout, recorded.layout);
      expect([...forward, ...backward].map((e) => e.kind), `${name} ${version}: raise its version() and run scripts/freeze-release.ts`).to.deep.equal([]);
    }
  });

  it("a 1.0.0 suite full of records upgrades in place to 2.0.0: everything reads as before and keeps working", async function () {
    this.timeout(300_000);
    const { governor, operator, others, contracts, deploymentFile, steps, legacy, wireLegacy, upgradeAll } = await legacySuite();
    const [university, survey, registrar, officer, court, bank, publisher] = others;
    // Today's deployment found 1.0.0's proxies and kept them.
    expect(steps.filter((s) => / proxy deployed/.test(s.step))).to.deep.equal([]);

    const directory = legacy("ParticipantDirectory", operator);
    const district = landJurisdiction(DISTRICT);
    const orgs: Array<[string, number, number, number[], Signer]> = [
      ["wbu", KIND.university, CAP.issueCertificates, [0], university],
      ["survey-17", KIND.agency, CAP.manageParcels, [district], survey],
      ["sro-17", KIND.registration, CAP.registerDeeds, [district], registrar],
      ["bllro-17-4", KIND.landRevenue, CAP.approveMutations, [landJurisdiction(DISTRICT, BLOCK)], officer],
      ["court-17", KIND.court, CAP.courtOrders, [district], court],
      ["sbi", KIND.bank, CAP.liens, [0], bank],
      ["it-dept", KIND.agency, CAP.publishWebsites, [0], publisher],
    ];
    for (const [i, [name, kind, caps, jurisdictions, key]] of orgs.entries()) {
      await directory.onboard(code(name), kind, caps, jurisdictions, evidence(name));
      await directory.addAccount(i + 1, await key.getAddress());
    }

    const root = id("wbu 2025 degrees");
    const certificates = legacy("CertificateRegistry", university);
    await certificates.issue(root, 100, 0);
    await certificates.revokeDocument(root, 7, REASON.misconduct);
    await certificates.suspendDocuments(root, 0, [1n << 9n], REASON.underReview);
    await certificates.supersede(root, 8, root, 50);

    const ASHA = owners(["asha", 10_000]);
    const BINA = owners(["bina", 10_000]);
    const land = legacy("LandRegistry", survey);
    await land.registerParcel(record(1), ASHA);
    await land.registerParcel(record(2), BINA);
    await land.connect(registrar).getFunction("registerDeed")(id("deed A"), ulpin(1), MUTATION.sale, ASHA, owners(["dev", 10_000]));
    await land.connect(registrar).getFunction("registerDeed")(id("deed B"), ulpin(2), MUTATION.sale, BINA, owners(["eve", 10_000]));
    await land.connect(officer).getFunction("approveMutation")(id("deed B"), [], BINA, owners(["eve", 10_000]), evidence("RoR 2 v2"));
    await land.connect(court).getFunction("freeze")(ulpin(2), evidence("CS 1/2025"), 0);
    await land.connect(bank).getFunction("registerLien")(ulpin(1), id("loan"));
    // 1.0.0's anchorSnapshot is not among today's wired functions: the governor wires it for this test.
    await wireLegacy("LandRegistry", "anchorSnapshot", "governor");
    const snapshotRoot = id("block 4 register");
    await land.connect(governor).getFunction("anchorSnapshot")(snapshotRoot, 1, evidence("export"));

    const site = id("wb.gov.in");
    const sites = legacy("WebsiteRegistry", publisher);
    await sites.connect(operator).getFunction("registerSite")(site, 7, 1);
    await sites.publish(site, code("v1"), id("release 1"), 10, 1_000, id("manifest 1"));

    // ------------------------------------------------------------ the upgrade, each contract checked by the plugin
    expect(await upgradeAll()).to.deep.equal(UPGRADEABLE.map(() => "executed"));
    const deployment = readDeployment(deploymentFile);

    // ------------------------------------------------------------ everything reads as before
    const directory2 = ParticipantDirectory__factory.connect(contracts.ParticipantDirectory.address, operator);
    expect([await directory2.version(), await directory2.organisationCount()]).to.deep.equal(["2.2.0", 7n]);
    const [org, number] = await directory2.authorizedAccount(university.address, CAP.issueCertificates, 0);
    expect([org, number]).to.deep.equal([1n, 0n]); // a 1.0.0 key has no number until it acts or is numbered

    const certificates2 = CertificateRegistry__factory.connect(contracts.CertificateRegistry.address, university);
    const status = async (index: number) => (await certificates2.documentStatus(1, root, index)).status;
    expect([await status(0), await status(7), await status(8), await status(9)]).to.deep.equal([BigInt(DOC.valid), BigInt(DOC.revoked), BigInt(DOC.superseded), BigInt(DOC.suspended)]);
    expect((await certificates2.batch(1, root)).documentCount).to.equal(100n);
    // ... and keeps working: the legacy key marks a legacy batch, numbered on its first act; governance restores.
    await certificates2.revokeDocument(1, root, 11, REASON.withdrawn);
    expect([await status(11), (await directory2.account(university.address)).number]).to.deep.equal([BigInt(DOC.revoked), 1n]);
    await certificates2.reinstateDocuments(1, root, 0, [1n << 9n]);
    expect(await status(9)).to.equal(DOC.valid);
    await certificates2.connect(governor).restoreDocument(1, root, 7, evidence("appeal allowed"));
    expect(await status(7)).to.equal(DOC.valid);

    const land2 = ILandRegistry__factory.connect(contracts.LandRegistry.address, survey);
    expect((await land2.mutation(ulpin(1), id("deed A"))).status).to.equal(MSTATUS.open);
    expect((await land2.mutation(ulpin(2), id("deed B"))).status).to.equal(MSTATUS.approved);
    expect([await land2.parcelStatus(ulpin(2)), (await land2.freezesOf(ulpin(2))).map((f) => f.order)]).to.deep.equal([BigInt(PARCEL_STATUS.frozen), [evidence("CS 1/2025")]]);
    // A 1.0.0 mutation kept no earlier owners: a court cannot rectify it on chain, and is told so.
    await land2.connect(court).unfreeze(ulpin(2), evidence("CS 1/2025"), evidence("CS 1/2025 final order"));
    await expect(land2.connect(court).rectify(ulpin(2), id("deed B"), BINA, evidence("decree"), evidence("RoR 2 v3")))
      .to.be.revertedWithCustomError(land2, "LandRegistryUnexpectedMutationStatus")
      .withArgs(id("deed B"), MSTATUS.approved);
    // The legacy mutation is decided under 2.0.0, with the bank's consent to its lien.
    await land2.connect(bank).consentToMutation(ulpin(1), id("loan"), id("deed A"));
    await land2.connect(officer).approveMutation(ulpin(1), id("deed A"), [], ASHA, owners(["dev", 10_000]), evidence("RoR 1 v2"));
    expect((await land2.parcel(ulpin(1))).owners).to.equal(await land2.ownersHash(owners(["dev", 10_000])));
    // The 1.0.0 snapshot held nothing until it is anchored again with its gap root.
    expect(await land2.activeSnapshots()).to.deep.equal([]);
    const gaps = gapTree([100]);
    await land2.connect(governor).anchorSnapshot(snapshotRoot, 1, evidence("export"), gaps.root);
    expect(await land2.activeSnapshots()).to.deep.equal([snapshotRoot]);
    await expect(land2.registerParcel(record(100), ASHA, [])).to.be.revertedWithCustomError(land2, "LandRegistryHeldBySnapshot");
    await land2.registerParcel(record(3), ASHA, [gaps.proofOf(3)]);
    await expect(land2.connect(governor).anchorSnapshot(snapshotRoot, 1, evidence("export"), gaps.root)).to.be.revertedWithCustomError(land2, "LandRegistrySnapshotExists");

    const sites2 = WebsiteRegistry__factory.connect(contracts.WebsiteRegistry.address, publisher);
    const [current] = await sites2.currentRelease(site);
    expect(current).to.equal(1);
    await sites2.publish(site, code("v2"), id("release 2"), 10, 1_000, id("manifest 2"));
    expect((await sites2.currentRelease(site))[0]).to.equal(2);
    expect(deployment.suiteVersion).to.equal(require("../package.json").version);
  });

  it("a 2.1.0 suite full of records upgrades in place to 2.2.0: records read as before, and 2.2.0's rules hold for them", async function () {
    this.timeout(300_000);
    const { governor, operator, others, contracts, legacy, upgradeAll } = await legacySuite("2.1.0");
    const [university, clerk, survey, court, bank, publisher, second] = others;
    const directory = legacy("ParticipantDirectory", operator);
    const district = landJurisdiction(DISTRICT);
    const orgs: Array<[string, number, number, number[], Signer[]]> = [
      ["wbu", KIND.university, CAP.issueCertificates, [0], [university, clerk]],
      ["survey-17", KIND.agency, CAP.manageParcels, [district], [survey]],
      ["court-17", KIND.court, CAP.courtOrders, [district], [court]],
      ["sbi", KIND.bank, CAP.liens, [0], [bank]],
      ["it-dept", KIND.agency, CAP.publishWebsites, [0], [publisher, second]],
    ];
    for (const [i, [name, kind, caps, jurisdictions, keys]] of orgs.entries()) {
      await directory.onboard(code(name), kind, caps, jurisdictions, evidence(name));
      for (const key of keys) await directory.addAccount(i + 1, await key.getAddress());
    }
    const certificates = legacy("CertificateRegistry", university);
    const root = id("wbu 2026 degrees");
    await certificates.issue(root, 100, 0);
    await certificates.revokeDocument(1, root, 7, REASON.misconduct);
    // A clerk's key issues a batch and is reported stolen from before it: 2.1.0 took a cut-off from any time.
    const junk = id("clerk's batch");
    await certificates.connect(clerk).getFunction("issue")(junk, 10, 0);
    await directory.markAccountCompromised(await clerk.getAddress(), 1);
    // The 2.x land registry hands liens and freezes to its extension: its whole interface is ILandRegistry's.
    const land = ILandRegistry__factory.connect(contracts.LandRegistry.address, survey);
    await land.registerParcel(record(1), owners(["asha", 10_000]), []);
    await land.connect(bank).registerLien(ulpin(1), id("loan"));
    await land.connect(court).freeze(ulpin(1), evidence("CS 1/2026"), 0);
    const site = id("wb.gov.in");
    const sites = legacy("WebsiteRegistry", publisher);
    await sites.connect(operator).getFunction("registerSite")(site, 5, 2);
    await sites.publish(site, code("v1"), id("release 1"), 10, 1_000, id("manifest 1"));
    await sites.connect(second).getFunction("approve")(site, 1);

    expect(await upgradeAll()).to.deep.equal(UPGRADEABLE.map(() => "executed"));

    const directory2 = ParticipantDirectory__factory.connect(contracts.ParticipantDirectory.address, operator);
    const certificates2 = CertificateRegistry__factory.connect(contracts.CertificateRegistry.address, university);
    const land2 = ILandRegistry__factory.connect(contracts.LandRegistry.address, survey);
    const sites2 = WebsiteRegistry__factory.connect(contracts.WebsiteRegistry.address, publisher);
    expect(await Promise.all([directory2.version(), certificates2.version(), land2.version(), sites2.version()])).to.deep.equal(["2.2.0", "2.2.0", "2.2.0", "2.2.0"]);
    const status = async (batch: string, index: number) => Number((await certificates2.documentStatus(1, batch, index)).status);
    expect([await status(root, 0), await status(root, 7), await status(junk, 0)]).to.deep.equal([DOC.valid, DOC.revoked, DOC.keyCompromised]);
    expect((await directory2.account(await clerk.getAddress())).compromisedAt).to.equal(1n);
    // The voided batch's code slot is free under 2.2.0's rule; the governor may affirm the batch.
    expect(await certificates2.codeSlot(1, BigInt(junk) % 100_000n)).to.equal(junk);
    await certificates2.connect(governor).affirmBatch(1, junk, evidence("the clerk's batch was genuine"));
    expect(await status(junk, 0)).to.equal(DOC.valid);
    // The freeze and the lien stand as they were; only the court lifts the one, the bank releases the other.
    expect((await land2.freezesOf(ulpin(1))).map((f) => f.order)).to.deep.equal([evidence("CS 1/2026")]);
    await land2.connect(court).unfreeze(ulpin(1), evidence("CS 1/2026"), evidence("final order"));
    await land2.connect(bank).releaseLien(ulpin(1), id("loan"));
    expect((await land2.parcel(ulpin(1))).liens).to.equal(0n);
    // The site's current release was approved by its own organisation's keys: it stays current.
    expect((await sites2.currentRelease(site))[0]).to.equal(1n);
    expect((await sites2.site(site)).reassignedAt).to.equal(0n);
  });
});
