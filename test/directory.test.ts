import { expect } from "chai";
import hre from "hardhat";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import type { ParticipantDirectory } from "../typechain-types";
import { CAP, KIND, STATUS, code, deployedSuite, evidence, populatedSuite } from "./fixtures";

const ENODE_HIGH = `0x${"11".repeat(32)}`;
const ENODE_LOW = `0x${"22".repeat(32)}`;
const ZERO = `0x${"00".repeat(32)}`;

/** One call of every governed write that can grant power. */
function grantingWrites(directory: ParticipantDirectory, account: string) {
  return [
    () => directory.onboard(code("x"), KIND.court, 0, [], evidence("x")),
    () => directory.updateOrganisation(1, 0, evidence("x")),
    () => directory.setJurisdictions(1, []),
    () => directory.reinstate(1, evidence("x")),
    () => directory.addAccount(1, account),
    () => directory.addNode(2, ENODE_HIGH, ENODE_LOW, "h", 1, false),
    () => directory.setSuccessor(1, 2),
  ];
}

/** One call of every governed write that only takes power away, `offboard` sent through `governing` (the governor). */
function protectiveWrites(directory: ParticipantDirectory, governing: ParticipantDirectory, activeKey: string, nodeId: string) {
  return [
    () => directory.suspend(1, evidence("x")),
    () => directory.removeAccount(activeKey),
    () => directory.markAccountCompromised(activeKey, 1),
    () => directory.removeNode(nodeId),
    () => governing.offboard(1, evidence("x")),
  ];
}

/** Every governed write. */
function governedWrites(directory: ParticipantDirectory, governing: ParticipantDirectory, account: string, activeKey: string) {
  return [...grantingWrites(directory, account), ...protectiveWrites(directory, governing, activeKey, ENODE_HIGH)];
}

describe("ParticipantDirectory", () => {
  describe("onboarding", () => {
    it("onboards an organisation and names the actor", async () => {
      const { directory, operator } = await loadFixture(deployedSuite);
      const tx = directory.onboard(code("wbu"), KIND.university, CAP.issueCertificates, [0, 17], evidence("wbu"));
      await expect(tx)
        .to.emit(directory, "OrganisationOnboarded")
        .withArgs(1, code("wbu"), KIND.university, CAP.issueCertificates, evidence("wbu"), operator.address);
      await expect(tx).to.emit(directory, "OrganisationJurisdictionsSet").withArgs(1, [0, 17], operator.address);
      const org = await directory.organisation(1);
      expect(org.status).to.equal(STATUS.active);
      expect(org.statewide).to.equal(true);
      expect(org.code).to.equal(code("wbu"));
      expect(await directory.organisationIdByCode(code("wbu"))).to.equal(1);
      expect(await directory.organisationCount()).to.equal(1);
      expect(await directory.jurisdictionsOf(1)).to.deep.equal([0n, 17n]);
    });

    it("rejects an empty code, a taken code, unknown capabilities and an empty metadata hash", async () => {
      const { directory } = await loadFixture(populatedSuite);
      await expect(directory.onboard(ZERO, KIND.court, 0, [], evidence("x"))).to.be.revertedWithCustomError(
        directory,
        "ParticipantDirectoryEmptyCode",
      );
      await expect(directory.onboard(code("wbu"), KIND.court, 0, [], evidence("x")))
        .to.be.revertedWithCustomError(directory, "ParticipantDirectoryCodeTaken")
        .withArgs(code("wbu"), 1);
      await expect(directory.onboard(code("c"), KIND.court, 1 << 10, [], evidence("x")))
        .to.be.revertedWithCustomError(directory, "ParticipantDirectoryUnknownCapabilities")
        .withArgs(1 << 10);
      await expect(directory.onboard(code("c"), KIND.court, 0, [], ZERO)).to.be.revertedWithCustomError(
        directory,
        "ParticipantDirectoryEmptyHash",
      );
    });

    it("rejects duplicate and too many jurisdictions", async () => {
      const { directory } = await loadFixture(deployedSuite);
      await expect(directory.onboard(code("c"), KIND.court, 0, [5, 5], evidence("x")))
        .to.be.revertedWithCustomError(directory, "ParticipantDirectoryDuplicateJurisdiction")
        .withArgs(5);
      await expect(directory.onboard(code("c"), KIND.court, 0, [0, 0], evidence("x")))
        .to.be.revertedWithCustomError(directory, "ParticipantDirectoryDuplicateJurisdiction")
        .withArgs(0);
      const many = Array.from({ length: 257 }, (_, i) => i + 1);
      await expect(directory.onboard(code("c"), KIND.court, 0, many, evidence("x")))
        .to.be.revertedWithCustomError(directory, "ParticipantDirectoryTooManyJurisdictions")
        .withArgs(257, 256);
    });

    it("is restricted to the operator", async () => {
      const { directory, others } = await loadFixture(deployedSuite);
      await expect(directory.connect(others[0]).onboard(code("x"), KIND.court, 0, [], evidence("x")))
        .to.be.revertedWithCustomError(directory, "AccessManagedUnauthorized")
        .withArgs(others[0].address);
    });
  });

  describe("updating", () => {
    it("replaces capabilities, metadata and jurisdictions", async () => {
      const { directory, operator } = await loadFixture(populatedSuite);
      await expect(directory.updateOrganisation(2, CAP.approveMutations, evidence("v2")))
        .to.emit(directory, "OrganisationUpdated")
        .withArgs(2, CAP.approveMutations, evidence("v2"), operator.address);
      await expect(directory.setJurisdictions(2, [103]))
        .to.emit(directory, "OrganisationJurisdictionsSet")
        .withArgs(2, [103], operator.address);
      expect(await directory.jurisdictionsOf(2)).to.deep.equal([103n]);
      expect((await directory.organisation(2)).capabilities).to.equal(CAP.approveMutations);
      await directory.setJurisdictions(1, [7]);
      expect((await directory.organisation(1)).statewide).to.equal(false);
    });

    it("refuses unknown and offboarded organisations and invalid values", async () => {
      const { directory, governor } = await loadFixture(populatedSuite);
      await expect(directory.updateOrganisation(9, 0, evidence("x")))
        .to.be.revertedWithCustomError(directory, "ParticipantDirectoryUnknownOrganisation")
        .withArgs(9);
      await expect(directory.updateOrganisation(1, 1 << 12, evidence("x"))).to.be.revertedWithCustomError(
        directory,
        "ParticipantDirectoryUnknownCapabilities",
      );
      await expect(directory.updateOrganisation(1, 0, ZERO)).to.be.revertedWithCustomError(directory, "ParticipantDirectoryEmptyHash");
      await directory.connect(governor).offboard(1, evidence("closed"));
      await expect(directory.updateOrganisation(1, 0, evidence("x")))
        .to.be.revertedWithCustomError(directory, "ParticipantDirectoryUnexpectedStatus")
        .withArgs(1, STATUS.offboarded);
      await expect(directory.setJurisdictions(1, [])).to.be.revertedWithCustomError(directory, "ParticipantDirectoryUnexpectedStatus");
    });
  });

  describe("status", () => {
    it("suspends, reinstates and offboards with a reason, naming the actor", async () => {
      const { directory, operator, governor } = await loadFixture(populatedSuite);
      await expect(directory.suspend(1, evidence("audit")))
        .to.emit(directory, "OrganisationStatusChanged")
        .withArgs(1, STATUS.active, STATUS.suspended, evidence("audit"), operator.address);
      await expect(directory.reinstate(1, evidence("cleared")))
        .to.emit(directory, "OrganisationStatusChanged")
        .withArgs(1, STATUS.suspended, STATUS.active, evidence("cleared"), operator.address);
      await directory.suspend(1, evidence("audit"));
      await expect(directory.connect(governor).offboard(1, evidence("closed")))
        .to.emit(directory, "OrganisationStatusChanged")
        .withArgs(1, STATUS.suspended, STATUS.offboarded, evidence("closed"), governor.address);
      await expect(directory.connect(governor).offboard(2, evidence("merged")))
        .to.emit(directory, "OrganisationStatusChanged")
        .withArgs(2, STATUS.active, STATUS.offboarded, evidence("merged"), governor.address);
    });

    it("refuses transitions the status does not allow, and empty reasons", async () => {
      const { directory, governor } = await loadFixture(populatedSuite);
      await expect(directory.reinstate(1, evidence("x")))
        .to.be.revertedWithCustomError(directory, "ParticipantDirectoryUnexpectedStatus")
        .withArgs(1, STATUS.active);
      await expect(directory.suspend(1, ZERO)).to.be.revertedWithCustomError(directory, "ParticipantDirectoryEmptyHash");
      await expect(directory.suspend(5, evidence("x"))).to.be.revertedWithCustomError(
        directory,
        "ParticipantDirectoryUnknownOrganisation",
      );
      await directory.connect(governor).offboard(1, evidence("x"));
      await expect(directory.suspend(1, evidence("x"))).to.be.revertedWithCustomError(directory, "ParticipantDirectoryUnexpectedStatus");
      await expect(directory.connect(governor).offboard(1, evidence("x")))
        .to.be.revertedWithCustomError(directory, "ParticipantDirectoryUnexpectedStatus")
        .withArgs(1, STATUS.offboarded);
    });

    it("keeps offboarding for the governor", async () => {
      const { directory, operator } = await loadFixture(populatedSuite);
      await expect(directory.offboard(1, evidence("x")))
        .to.be.revertedWithCustomError(directory, "AccessManagedUnauthorized")
        .withArgs(operator.address);
    });
  });

  describe("accounts", () => {
    it("numbers each key of an organisation from 1, keeps its number when it returns, and stops at 65,535", async () => {
      const { directory, universityKey, outsider } = await loadFixture(populatedSuite);
      expect((await directory.account(universityKey.address)).number).to.equal(1);
      expect([...(await directory.numberedAccount(1, 1))]).to.deep.equal([universityKey.address, 0n]);
      expect([...(await directory.authorizedAccount(universityKey.address, CAP.issueCertificates, 0))]).to.deep.equal([1n, 1n]);
      await expect(directory.addAccount(1, outsider.address)).to.emit(directory, "AccountNumbered").withArgs(1, outsider.address, 2);
      await directory.removeAccount(universityKey.address);
      await expect(directory.addAccount(1, universityKey.address)).to.not.emit(directory, "AccountNumbered");
      expect(await directory.numberAccount.staticCall(universityKey.address)).to.equal(1);
      await expect(directory.numberAccount(hre.ethers.ZeroAddress)).to.be.revertedWithCustomError(directory, "ParticipantDirectoryUnknownAccount");
      const cutoff = await time.latest();
      await directory.markAccountCompromised(outsider.address, cutoff);
      expect([...(await directory.numberedAccount(1, 2))]).to.deep.equal([outsider.address, BigInt(cutoff)]);
      // The count of an organisation's numbers, `accountCounts[orgId]` in the directory's ERC-7201 namespace, set to its
      // end rather than adding 65,533 keys.
      const namespace = BigInt(hre.ethers.keccak256(hre.ethers.toUtf8Bytes("sakshya.storage.ParticipantDirectory"))) - 1n;
      const base = BigInt(hre.ethers.keccak256(hre.ethers.AbiCoder.defaultAbiCoder().encode(["uint256"], [namespace]))) & ~0xffn;
      const slot = hre.ethers.keccak256(hre.ethers.AbiCoder.defaultAbiCoder().encode(["uint256", "uint256"], [1, base + 11n]));
      await hre.network.provider.send("hardhat_setStorageAt", [await directory.getAddress(), slot, hre.ethers.toBeHex(65_535, 32)]);
      const newcomer = hre.ethers.Wallet.createRandom().address;
      await expect(directory.addAccount(1, newcomer)).to.be.revertedWithCustomError(directory, "ParticipantDirectoryTooManyAccounts").withArgs(1);
    });

    it("adds, removes and re-adds a key to the same organisation", async () => {
      const { directory, operator, universityKey } = await loadFixture(populatedSuite);
      await expect(directory.removeAccount(universityKey.address))
        .to.emit(directory, "AccountRemoved")
        .withArgs(1, universityKey.address, operator.address);
      expect(await directory.accountsOf(1)).to.deep.equal([]);
      await expect(directory.addAccount(1, universityKey.address))
        .to.emit(directory, "AccountAdded")
        .withArgs(1, universityKey.address, operator.address);
      expect(await directory.accountsOf(1)).to.deep.equal([universityKey.address]);
      const record = await directory.account(universityKey.address);
      expect(record.orgId).to.equal(1);
      expect(record.active).to.equal(true);
    });

    it("refuses the zero address, duplicates, keys of another organisation and offboarded organisations", async () => {
      const { directory, governor, universityKey, outsider } = await loadFixture(populatedSuite);
      await expect(directory.addAccount(1, hre.ethers.ZeroAddress)).to.be.revertedWithCustomError(
        directory,
        "ParticipantDirectoryZeroAccount",
      );
      await expect(directory.addAccount(1, universityKey.address))
        .to.be.revertedWithCustomError(directory, "ParticipantDirectoryAccountAlreadyActive")
        .withArgs(universityKey.address, 1);
      await expect(directory.addAccount(2, universityKey.address))
        .to.be.revertedWithCustomError(directory, "ParticipantDirectoryAccountBoundElsewhere")
        .withArgs(universityKey.address, 1);
      await expect(directory.addAccount(7, outsider.address)).to.be.revertedWithCustomError(
        directory,
        "ParticipantDirectoryUnknownOrganisation",
      );
      await directory.connect(governor).offboard(2, evidence("x"));
      await expect(directory.addAccount(2, outsider.address)).to.be.revertedWithCustomError(
        directory,
        "ParticipantDirectoryUnexpectedStatus",
      );
    });

    it("refuses to remove unknown and inactive keys", async () => {
      const { directory, universityKey, outsider } = await loadFixture(populatedSuite);
      await expect(directory.removeAccount(outsider.address))
        .to.be.revertedWithCustomError(directory, "ParticipantDirectoryUnknownAccount")
        .withArgs(outsider.address);
      await directory.removeAccount(universityKey.address);
      await expect(directory.removeAccount(universityKey.address))
        .to.be.revertedWithCustomError(directory, "ParticipantDirectoryAccountInactive")
        .withArgs(universityKey.address);
    });

    it("marks a key compromised from a past cut-off, for good", async () => {
      const { directory, operator, universityKey, revenueKey, outsider } = await loadFixture(populatedSuite);
      const now = await time.latest();
      await expect(directory.markAccountCompromised(universityKey.address, now - 3600))
        .to.emit(directory, "AccountCompromised")
        .withArgs(1, universityKey.address, now - 3600, operator.address);
      expect((await directory.account(universityKey.address)).compromisedAt).to.equal(now - 3600);
      expect(await directory.accountsOf(1)).to.deep.equal([]);
      await expect(directory.markAccountCompromised(universityKey.address, now))
        .to.be.revertedWithCustomError(directory, "ParticipantDirectoryAccountIsCompromised")
        .withArgs(universityKey.address, now - 3600);
      await expect(directory.addAccount(1, universityKey.address))
        .to.be.revertedWithCustomError(directory, "ParticipantDirectoryAccountIsCompromised")
        .withArgs(universityKey.address, now - 3600);
      await expect(directory.markAccountCompromised(outsider.address, now)).to.be.revertedWithCustomError(
        directory,
        "ParticipantDirectoryUnknownAccount",
      );
      await expect(directory.markAccountCompromised(revenueKey.address, 0))
        .to.be.revertedWithCustomError(directory, "ParticipantDirectoryInvalidCutoff")
        .withArgs(0);
      await expect(directory.markAccountCompromised(revenueKey.address, now + 3600))
        .to.be.revertedWithCustomError(directory, "ParticipantDirectoryInvalidCutoff")
        .withArgs(now + 3600);
      // A key removed earlier can still be reported, so what it signed after the leak is void.
      await directory.removeAccount(revenueKey.address);
      await expect(directory.markAccountCompromised(revenueKey.address, now)).to.emit(directory, "AccountCompromised");
    });
  });

  describe("nodes", () => {
    it("adds and removes nodes, and answers whether each may connect", async () => {
      const { directory, operator } = await loadFixture(populatedSuite);
      const nodeId = hre.ethers.keccak256(hre.ethers.concat([ENODE_HIGH, ENODE_LOW]));
      await expect(directory.addNode(2, ENODE_HIGH, ENODE_LOW, "10.1.0.5", 30303, false))
        .to.emit(directory, "NodeAdded")
        .withArgs(2, nodeId, ENODE_HIGH, ENODE_LOW, "10.1.0.5", 30303, false, operator.address);
      const node = await directory.node(nodeId);
      expect(node.host).to.equal("10.1.0.5");
      expect(node.port).to.equal(30303);
      expect(await directory.nodeIds()).to.deep.equal([nodeId]);
      expect(await directory.nodesOf(2)).to.deep.equal([nodeId]);
      expect(await directory.isNodeAllowed(nodeId)).to.equal(true);
      await directory.updateOrganisation(2, CAP.approveMutations, evidence("no nodes"));
      expect(await directory.isNodeAllowed(nodeId)).to.equal(false);
      await directory.updateOrganisation(2, CAP.approveMutations | CAP.runNode, evidence("nodes"));
      await directory.suspend(2, evidence("x"));
      expect(await directory.isNodeAllowed(nodeId)).to.equal(false);
      await expect(directory.removeNode(nodeId)).to.emit(directory, "NodeRemoved").withArgs(2, nodeId, operator.address);
      expect(await directory.isNodeAllowed(nodeId)).to.equal(false);
      expect(await directory.nodeIds()).to.deep.equal([]);
      await expect(directory.removeNode(nodeId))
        .to.be.revertedWithCustomError(directory, "ParticipantDirectoryUnknownNode")
        .withArgs(nodeId);
      await expect(directory.node(nodeId)).to.be.revertedWithCustomError(directory, "ParticipantDirectoryUnknownNode");
    });

    it("needs run-node, and validate for a validator", async () => {
      const { directory } = await loadFixture(populatedSuite);
      await expect(directory.addNode(1, ENODE_HIGH, ENODE_LOW, "h", 1, false))
        .to.be.revertedWithCustomError(directory, "ParticipantDirectoryMissingCapability")
        .withArgs(1, CAP.runNode);
      await expect(directory.addNode(2, ENODE_HIGH, ENODE_LOW, "h", 1, true))
        .to.be.revertedWithCustomError(directory, "ParticipantDirectoryMissingCapability")
        .withArgs(2, CAP.runNode | CAP.validate);
      await directory.updateOrganisation(2, CAP.runNode | CAP.validate, evidence("validator"));
      const tx = directory.addNode(2, ENODE_HIGH, ENODE_LOW, "h", 1, true);
      await expect(tx).to.emit(directory, "NodeAdded");
    });

    it("validates the enode, host and port, refuses duplicates and inactive organisations", async () => {
      const { directory } = await loadFixture(populatedSuite);
      await expect(directory.addNode(2, ZERO, ZERO, "h", 1, false)).to.be.revertedWithCustomError(directory, "ParticipantDirectoryInvalidEnode");
      await expect(directory.addNode(2, ENODE_HIGH, ENODE_LOW, "", 1, false)).to.be.revertedWithCustomError(
        directory,
        "ParticipantDirectoryInvalidHost",
      );
      await expect(directory.addNode(2, ENODE_HIGH, ENODE_LOW, "h".repeat(254), 1, false)).to.be.revertedWithCustomError(
        directory,
        "ParticipantDirectoryInvalidHost",
      );
      await expect(directory.addNode(2, ENODE_HIGH, ENODE_LOW, "h", 0, false)).to.be.revertedWithCustomError(
        directory,
        "ParticipantDirectoryInvalidPort",
      );
      await directory.addNode(2, ZERO, ENODE_LOW, "h", 1, false);
      await expect(directory.addNode(2, ZERO, ENODE_LOW, "other", 2, false)).to.be.revertedWithCustomError(
        directory,
        "ParticipantDirectoryNodeAlreadyRegistered",
      );
      await expect(directory.addNode(9, ENODE_HIGH, ENODE_LOW, "h", 1, false)).to.be.revertedWithCustomError(
        directory,
        "ParticipantDirectoryUnknownOrganisation",
      );
      await directory.suspend(2, evidence("x"));
      await expect(directory.addNode(2, ENODE_HIGH, ENODE_LOW, "h", 1, false))
        .to.be.revertedWithCustomError(directory, "ParticipantDirectoryUnexpectedStatus")
        .withArgs(2, STATUS.suspended);
    });
  });

  describe("the authorisation check", () => {
    it("answers yes with the organisation, inside its jurisdictions or statewide", async () => {
      const { directory, universityKey, revenueKey } = await loadFixture(populatedSuite);
      expect(await directory.authorizedOrganisation(universityKey.address, CAP.issueCertificates, 0)).to.equal(1);
      expect(await directory.authorizedOrganisation(universityKey.address, CAP.issueCertificates, 999)).to.equal(1);
      expect(await directory.authorizedOrganisation(revenueKey.address, CAP.approveMutations, 102)).to.equal(2);
      expect(await directory.authorizedOrganisation(revenueKey.address, 0, 0)).to.equal(2);
      expect(await directory.isAuthorized(revenueKey.address, CAP.approveMutations | CAP.runNode, 101)).to.equal(true);
    });

    it("says why not: unknown, compromised, inactive key, inactive organisation, capability, jurisdiction", async () => {
      const { directory, universityKey, revenueKey, outsider } = await loadFixture(populatedSuite);
      const denied = async (account: string, capability: number, jurisdiction: number, error: string, args: unknown[]) => {
        expect(await directory.isAuthorized(account, capability, jurisdiction)).to.equal(false);
        await expect(directory.authorizedOrganisation(account, capability, jurisdiction))
          .to.be.revertedWithCustomError(directory, error)
          .withArgs(...args);
      };
      await denied(outsider.address, 0, 0, "ParticipantDirectoryUnknownAccount", [outsider.address]);
      await denied(revenueKey.address, CAP.issueCertificates, 0, "ParticipantDirectoryMissingCapability", [2, CAP.issueCertificates]);
      await denied(revenueKey.address, CAP.approveMutations, 103, "ParticipantDirectoryOutsideJurisdiction", [2, 103]);
      await directory.suspend(2, evidence("audit"));
      await denied(revenueKey.address, CAP.approveMutations, 101, "ParticipantDirectoryOrganisationInactive", [2, STATUS.suspended]);
      await directory.removeAccount(universityKey.address);
      await denied(universityKey.address, 0, 0, "ParticipantDirectoryAccountInactive", [universityKey.address]);
      const cutoff = await time.latest();
      await directory.markAccountCompromised(universityKey.address, cutoff);
      await denied(universityKey.address, 0, 0, "ParticipantDirectoryAccountIsCompromised", [universityKey.address, cutoff]);
    });

    it("grants a place inside a larger one to an organisation serving either, and names the place when it serves neither", async () => {
      const { directory, universityKey, revenueKey } = await loadFixture(populatedSuite);
      // Land Revenue North serves 101 and 102; read 5001 as a block inside 102, 5002 as one inside 103.
      expect(await directory.authorizedOrganisationWithin(revenueKey.address, CAP.approveMutations, 5001, 102)).to.equal(2);
      expect(await directory.authorizedOrganisationWithin(revenueKey.address, CAP.approveMutations, 101, 103)).to.equal(2);
      expect(await directory.authorizedOrganisationWithin(universityKey.address, CAP.issueCertificates, 5002, 103)).to.equal(1);
      await expect(directory.authorizedOrganisationWithin(revenueKey.address, CAP.approveMutations, 5002, 103))
        .to.be.revertedWithCustomError(directory, "ParticipantDirectoryOutsideJurisdiction")
        .withArgs(2, 5002);
      await expect(directory.authorizedOrganisationWithin(revenueKey.address, CAP.approveMutations, 5002, 0))
        .to.be.revertedWithCustomError(directory, "ParticipantDirectoryOutsideJurisdiction")
        .withArgs(2, 5002);
      await expect(directory.authorizedOrganisationWithin(revenueKey.address, CAP.issueCertificates, 101, 102))
        .to.be.revertedWithCustomError(directory, "ParticipantDirectoryMissingCapability")
        .withArgs(2, CAP.issueCertificates);
    });
  });

  describe("views", () => {
    it("name unknown organisations, codes and their lists", async () => {
      const { directory } = await loadFixture(populatedSuite);
      await expect(directory.organisation(0)).to.be.revertedWithCustomError(directory, "ParticipantDirectoryUnknownOrganisation");
      await expect(directory.organisationIdByCode(code("nope")))
        .to.be.revertedWithCustomError(directory, "ParticipantDirectoryUnknownCode")
        .withArgs(code("nope"));
      await expect(directory.jurisdictionsOf(3)).to.be.revertedWithCustomError(directory, "ParticipantDirectoryUnknownOrganisation");
      await expect(directory.accountsOf(3)).to.be.revertedWithCustomError(directory, "ParticipantDirectoryUnknownOrganisation");
      await expect(directory.nodesOf(3)).to.be.revertedWithCustomError(directory, "ParticipantDirectoryUnknownOrganisation");
      expect(await directory.version()).to.equal("2.2.0");
    });
  });

  describe("pausing", () => {
    it("the guardian pauses, grants stop, checks go on, and only the governor unpauses", async () => {
      const { directory, guardian, governor, operator, universityKey } = await loadFixture(populatedSuite);
      await expect(directory.pause()).to.be.revertedWithCustomError(directory, "AccessManagedUnauthorized").withArgs(operator.address);
      await expect(directory.connect(guardian).pause()).to.emit(directory, "Paused").withArgs(guardian.address);
      for (const tx of grantingWrites(directory, operator.address)) await expect(tx()).to.be.revertedWithCustomError(directory, "EnforcedPause");
      expect(await directory.isAuthorized(universityKey.address, CAP.issueCertificates, 0)).to.equal(true);
      await expect(directory.connect(guardian).unpause()).to.be.revertedWithCustomError(directory, "AccessManagedUnauthorized");
      await expect(directory.connect(governor).unpause()).to.emit(directory, "Unpaused").withArgs(governor.address);
    });

    it("takes power away while paused: suspend, remove and report keys, remove nodes, offboard", async () => {
      const { directory, guardian, governor, universityKey, revenueKey } = await loadFixture(populatedSuite);
      await directory.updateOrganisation(2, CAP.approveMutations | CAP.runNode, evidence("nodes"));
      await directory.addNode(2, ENODE_HIGH, ENODE_LOW, "10.0.0.9", 30303, false);
      const nodeId = hre.ethers.keccak256(hre.ethers.concat([ENODE_HIGH, ENODE_LOW]));
      await directory.connect(guardian).pause();
      await expect(directory.suspend(2, evidence("incident"))).to.emit(directory, "OrganisationStatusChanged");
      await expect(directory.removeAccount(universityKey.address)).to.emit(directory, "AccountRemoved");
      await expect(directory.markAccountCompromised(revenueKey.address, await time.latest())).to.emit(directory, "AccountCompromised");
      await expect(directory.removeNode(nodeId)).to.emit(directory, "NodeRemoved");
      await expect(directory.connect(governor).offboard(1, evidence("closed"))).to.emit(directory, "OrganisationStatusChanged");
      expect(await directory.isAuthorized(universityKey.address, CAP.issueCertificates, 0)).to.equal(false);
      expect(await directory.isNodeAllowed(nodeId)).to.equal(false);
    });
  });

  describe("successors", () => {
    it("names, chains and clears the organisation that took over another's duties", async () => {
      const { directory, operator } = await loadFixture(populatedSuite);
      await directory.onboard(code("bank-b"), KIND.bank, CAP.liens, [0], evidence("Bank B"));
      await directory.onboard(code("bank-c"), KIND.bank, CAP.liens, [0], evidence("Bank C"));
      await expect(directory.setSuccessor(1, 3)).to.emit(directory, "SuccessorNamed").withArgs(1, 3, operator.address);
      await directory.setSuccessor(3, 4);
      expect(await directory.successorOf(1)).to.equal(3);
      expect([await directory.succeeds(3, 1), await directory.succeeds(4, 1), await directory.succeeds(2, 1), await directory.succeeds(1, 3)]).to.deep.equal([
        true,
        true,
        false,
        false,
      ]);
      // A loop of names ends after MAX_SUCCESSIONS steps instead of running out of gas.
      await directory.setSuccessor(4, 1);
      expect(await directory.succeeds(2, 1)).to.equal(false);
      await expect(directory.setSuccessor(1, 0)).to.emit(directory, "SuccessorNamed").withArgs(1, 0, operator.address);
      expect(await directory.succeeds(3, 1)).to.equal(false);
    });

    it("refuses an organisation succeeding itself, an offboarded or unknown successor", async () => {
      const { directory, governor } = await loadFixture(populatedSuite);
      await expect(directory.setSuccessor(1, 1)).to.be.revertedWithCustomError(directory, "ParticipantDirectoryInvalidSuccessor").withArgs(1, 1);
      await expect(directory.setSuccessor(9, 1)).to.be.revertedWithCustomError(directory, "ParticipantDirectoryUnknownOrganisation").withArgs(9);
      await expect(directory.setSuccessor(1, 9)).to.be.revertedWithCustomError(directory, "ParticipantDirectoryUnknownOrganisation").withArgs(9);
      await directory.connect(governor).offboard(2, evidence("closed"));
      await expect(directory.setSuccessor(1, 2)).to.be.revertedWithCustomError(directory, "ParticipantDirectoryUnexpectedStatus").withArgs(1 + 1, STATUS.offboarded);
    });

    it("answers whether an organisation itself may act, whatever its keys", async () => {
      const { directory, universityKey } = await loadFixture(populatedSuite);
      await directory.removeAccount(universityKey.address);
      expect(await directory.organisationMayAct(1, CAP.issueCertificates, 0, 0)).to.equal(true);
      expect(await directory.organisationMayAct(2, CAP.approveMutations, 101, 0)).to.equal(true);
      expect(await directory.organisationMayAct(2, CAP.approveMutations, (101 << 16) | 3, 101)).to.equal(true);
      expect(await directory.organisationMayAct(2, CAP.approveMutations, 103, 0)).to.equal(false);
      expect(await directory.organisationMayAct(2, CAP.liens, 101, 0)).to.equal(false);
      expect(await directory.organisationMayAct(9, 0, 0, 0)).to.equal(false);
      await directory.suspend(2, evidence("audit"));
      expect(await directory.organisationMayAct(2, CAP.approveMutations, 101, 0)).to.equal(false);
    });
  });

  describe("least privilege", () => {
    it("refuses every governed function to an account without its role", async () => {
      const { directory, outsider, universityKey } = await loadFixture(populatedSuite);
      const stranger = directory.connect(outsider);
      const calls = [
        ...governedWrites(stranger, stranger, outsider.address, universityKey.address),
        () => stranger.pause(),
        () => stranger.unpause(),
      ];
      for (const call of calls) {
        await expect(call()).to.be.revertedWithCustomError(directory, "AccessManagedUnauthorized").withArgs(outsider.address);
      }
    });

    it("allows a validator node only while its organisation may validate", async () => {
      const { directory } = await loadFixture(populatedSuite);
      await directory.updateOrganisation(2, CAP.runNode | CAP.validate, evidence("validator"));
      await directory.addNode(2, ENODE_HIGH, ENODE_LOW, "10.0.0.9", 30303, true);
      const nodeId = hre.ethers.keccak256(hre.ethers.concat([ENODE_HIGH, ENODE_LOW]));
      expect(await directory.isNodeAllowed(nodeId)).to.equal(true);
      await directory.updateOrganisation(2, CAP.runNode, evidence("no longer validates"));
      expect(await directory.isNodeAllowed(nodeId)).to.equal(false);
    });
  });

  describe("initialisation", () => {
    it("cannot be initialised twice, nor the implementation at all", async () => {
      const { directory, deployment } = await loadFixture(deployedSuite);
      await expect(directory.initialize(deployment.contracts.SakshyaAuthority.address)).to.be.revertedWithCustomError(
        directory,
        "InvalidInitialization",
      );
      const implementation = directory.attach(deployment.contracts.ParticipantDirectory.implementation!) as typeof directory;
      await expect(implementation.initialize(deployment.contracts.SakshyaAuthority.address)).to.be.revertedWithCustomError(
        directory,
        "InvalidInitialization",
      );
    });
  });

  it("timestamps onboarding", async () => {
    const { directory } = await loadFixture(deployedSuite);
    await directory.onboard(code("x"), KIND.court, CAP.courtOrders, [], evidence("x"));
    const org = await directory.organisation(1);
    expect(org.onboardedAt).to.equal(await time.latest());
    expect(org.updatedAt).to.equal(org.onboardedAt);
  });
});
