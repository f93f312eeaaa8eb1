import { expect } from "chai";
import hre from "hardhat";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { getAddress } from "ethers";
import { newNodeKey } from "../src/besu/node-keys";
import { ACCOUNT_PERMISSIONS_ADDRESS, NODE_PERMISSIONS_ADDRESS, accountCheckCalldata, permissionsContractAccount } from "../src/besu/permission-contracts";
import { installGenesisAlloc } from "../src/besu/stand-in";
import { enodeHalves } from "../src/directory/enode";
import { ROLES } from "../src/governance/roles";
import { AccountPermissions__factory, NodePermissions__factory } from "../typechain-types";
import { CAP, KIND, code, deployedSuite, evidence } from "./fixtures";
import { restoreChainAfter } from "./helpers/chain";

/**
 * Payloads from Besu's own NodeSmartContractV2PermissioningControllerTest ("created using Remix"): what Besu sends
 * for enode://fcbe9f…17ae@127.0.0.1:30303 and enode://3548c8…00e9@127.0.0.1:40404.
 */
const BESU_NODE_PAYLOADS = [
  {
    enodeId: "fcbe9f83218487b3c0b50878193880e6c25cfd86708c0a0bf0ca91f0ce633746a892fe240afa5b9a880b8bca48e8a22704ef937fdda2d7cc63e4d41ed1b417ae",
    host: "127.0.0.1",
    port: 30303,
    payload:
      "0x45a59e5b00000000000000000000000000000000000000000000000000000000000000600000000000000000000000000000000000000000000000000000000000000100000000000000000000000000000000000000000000000000000000000000765f0000000000000000000000000000000000000000000000000000000000000080666362653966383332313834383762336330623530383738313933383830653663323563666438363730386330613062663063613931663063653633333734366138393266653234306166613562396138383062386263613438653861323237303465663933376664646132643763633633653464343165643162343137616500000000000000000000000000000000000000000000000000000000000000093132372e302e302e310000000000000000000000000000000000000000000000",
  },
  {
    enodeId: "3548c87b9920ff16aa4bdcf01c85f25117a29ae1574d759bad48cc9463d8e9f7c3c1d1e9fb0d28e73898951f90e02714abb770fd6d22e90371882a45658800e9",
    host: "127.0.0.1",
    port: 40404,
    payload:
      "0x45a59e5b000000000000000000000000000000000000000000000000000000000000006000000000000000000000000000000000000000000000000000000000000001000000000000000000000000000000000000000000000000000000000000009dd40000000000000000000000000000000000000000000000000000000000000080333534386338376239393230666631366161346264636630316338356632353131376132396165313537346437353962616434386363393436336438653966376333633164316539666230643238653733383938393531663930653032373134616262373730666436643232653930333731383832613435363538383030653900000000000000000000000000000000000000000000000000000000000000093132372e302e302e310000000000000000000000000000000000000000000000",
  },
];

const TRUE = `0x${"0".repeat(63)}1`;
const FALSE = `0x${"0".repeat(64)}`;

/** The suite, a node operator and a department with nodes and accounts, and both contracts as the genesis writes them. */
async function permissionsSuite() {
  const suite = await deployedSuite();
  const { directory, others } = suite;
  const [bootstrap, sdcKey, deptKey, outsider] = others;
  await directory.onboard(code("sdc"), KIND.nodeOperator, CAP.runNode | CAP.validate, [0], evidence("State Data Centre"));
  await directory.onboard(code("dept"), KIND.agency, CAP.runNode | CAP.publishWebsites, [0], evidence("IT department"));
  await directory.addAccount(1, sdcKey.address);
  await directory.addAccount(2, deptKey.address);
  const nodes = [newNodeKey(), newNodeKey()];
  for (const [i, key] of nodes.entries()) {
    const [high, low] = enodeHalves(`0x${key.enodeId}`);
    await directory.addNode(i + 1, high, low, `10.20.0.${i + 1}`, 30303, i === 0);
  }
  await installGenesisAlloc(hre, {
    [NODE_PERMISSIONS_ADDRESS]: permissionsContractAccount("NodePermissions", bootstrap.address),
    [ACCOUNT_PERMISSIONS_ADDRESS]: permissionsContractAccount("AccountPermissions", bootstrap.address),
  });
  const nodePermissions = NodePermissions__factory.connect(NODE_PERMISSIONS_ADDRESS, bootstrap);
  const accountPermissions = AccountPermissions__factory.connect(ACCOUNT_PERMISSIONS_ADDRESS, bootstrap);
  const roleIds = [0n, ROLES.governor.id, ROLES.operator.id, ROLES.guardian.id];
  return { ...suite, bootstrap, sdcKey, deptKey, outsider, nodes, nodePermissions, accountPermissions, roleIds };
}

const raw = (to: string, data: string) => hre.ethers.provider.call({ to, data });

describe("Besu permissioning contracts", () => {
  restoreChainAfter();

  describe("interfaces", () => {
    it("have Besu's selectors, and encode a node check exactly as Besu's own test payloads", () => {
      const node = NodePermissions__factory.createInterface();
      const account = AccountPermissions__factory.createInterface();
      expect(node.getFunction("connectionAllowed")!.selector).to.equal("0x45a59e5b");
      expect(node.getFunction("connectionAllowed")!.format("sighash")).to.equal("connectionAllowed(string,string,uint16)");
      expect(account.getFunction("transactionAllowed")!.selector).to.equal("0x936421d5");
      expect(account.getFunction("transactionAllowed")!.format("sighash")).to.equal("transactionAllowed(address,address,uint256,uint256,uint256,bytes)");
      for (const vector of BESU_NODE_PAYLOADS) {
        expect(node.encodeFunctionData("connectionAllowed", [vector.enodeId, vector.host, vector.port])).to.equal(vector.payload);
      }
      const tx = { sender: getAddress("0x" + "11".repeat(20)), target: getAddress("0x" + "22".repeat(20)), value: 5n, gasPrice: 0n, gasLimit: 90_000n, payload: "0x1234" };
      expect(accountCheckCalldata(tx)).to.equal(account.encodeFunctionData("transactionAllowed", [tx.sender, tx.target, tx.value, tx.gasPrice, tx.gasLimit, tx.payload]));
    });

    it("hold exactly the code and storage a constructor deployment has", async () => {
      const { bootstrap } = await loadFixture(permissionsSuite);
      for (const [factory, name] of [
        [new NodePermissions__factory(bootstrap), "NodePermissions"],
        [new AccountPermissions__factory(bootstrap), "AccountPermissions"],
      ] as const) {
        const deployed = await factory.deploy(bootstrap.address);
        const account = permissionsContractAccount(name, bootstrap.address);
        expect(await hre.ethers.provider.getCode(await deployed.getAddress())).to.equal(account.code);
        for (const [slot, value] of Object.entries(account.storage!)) {
          expect(await hre.ethers.provider.getStorage(await deployed.getAddress(), `0x${slot}`)).to.equal(`0x${value}`);
        }
      }
    });
  });

  describe("before binding", () => {
    it("let every node connect (the nodes' own allow-lists decide) and only the bootstrap account transact", async () => {
      const { bootstrap, outsider, nodePermissions } = await loadFixture(permissionsSuite);
      for (const vector of BESU_NODE_PAYLOADS) expect(await raw(NODE_PERMISSIONS_ADDRESS, vector.payload)).to.equal(TRUE);
      const deploy = { value: 0n, gasPrice: 0n, gasLimit: 5_000_000n, payload: "0x6080604052" };
      expect(await raw(ACCOUNT_PERMISSIONS_ADDRESS, accountCheckCalldata({ ...deploy, sender: bootstrap.address }))).to.equal(TRUE);
      expect(await raw(ACCOUNT_PERMISSIONS_ADDRESS, accountCheckCalldata({ ...deploy, sender: outsider.address }))).to.equal(FALSE);
      expect(await nodePermissions.bootstrap()).to.equal(bootstrap.address);
      expect(await nodePermissions.directory()).to.equal(hre.ethers.ZeroAddress);
    });

    it("are bound once, by the bootstrap account only, to non-zero addresses", async () => {
      const { bootstrap, outsider, nodePermissions, accountPermissions, authority, directory, roleIds } = await loadFixture(permissionsSuite);
      const [authorityAddress, directoryAddress] = [await authority.getAddress(), await directory.getAddress()];
      for (const contract of [nodePermissions, accountPermissions]) {
        await expect(contract.connect(outsider).bind(authorityAddress, directoryAddress, roleIds))
          .to.be.revertedWithCustomError(contract, "BesuPermissionsNotBootstrap")
          .withArgs(outsider.address);
        await expect(contract.bind(hre.ethers.ZeroAddress, directoryAddress, roleIds)).to.be.revertedWithCustomError(contract, "BesuPermissionsZeroAddress");
        await expect(contract.bind(authorityAddress, hre.ethers.ZeroAddress, roleIds)).to.be.revertedWithCustomError(contract, "BesuPermissionsZeroAddress");
        await expect(contract.bind(authorityAddress, directoryAddress, roleIds))
          .to.emit(contract, "BesuPermissionsBound")
          .withArgs(authorityAddress, directoryAddress, roleIds);
        expect(await contract.bootstrap()).to.equal(hre.ethers.ZeroAddress);
        expect(await contract.directory()).to.equal(directoryAddress);
        await expect(contract.connect(bootstrap).bind(authorityAddress, directoryAddress, roleIds)).to.be.revertedWithCustomError(contract, "BesuPermissionsAlreadyBound");
      }
    });
  });

  describe("bound to the directory", () => {
    async function bound() {
      const suite = await loadFixture(permissionsSuite);
      const [authorityAddress, directoryAddress] = [await suite.authority.getAddress(), await suite.directory.getAddress()];
      await suite.nodePermissions.bind(authorityAddress, directoryAddress, suite.roleIds);
      await suite.accountPermissions.bind(authorityAddress, directoryAddress, suite.roleIds);
      return suite;
    }
    const nodeCall = (enodeId: string, host: string, port: number) =>
      raw(NODE_PERMISSIONS_ADDRESS, NodePermissions__factory.createInterface().encodeFunctionData("connectionAllowed", [enodeId, host, port]));

    it("allow a registered node at its host and port, and nothing else, answering exactly 0 or 1", async () => {
      const { nodes } = await bound();
      const [sdc, dept] = nodes;
      expect(await nodeCall(sdc.enodeId, "10.20.0.1", 30303)).to.equal(TRUE);
      expect(await nodeCall(dept.enodeId, "10.20.0.2", 30303)).to.equal(TRUE);
      expect(await nodeCall(sdc.enodeId.toUpperCase(), "10.20.0.1", 30303)).to.equal(TRUE);
      expect(await nodeCall(sdc.enodeId, "10.20.0.1", 30304)).to.equal(FALSE);
      expect(await nodeCall(sdc.enodeId, "10.20.0.9", 30303)).to.equal(FALSE);
      expect(await nodeCall(newNodeKey().enodeId, "10.20.0.1", 30303)).to.equal(FALSE);
      expect(await nodeCall(sdc.enodeId.slice(2), "10.20.0.1", 30303)).to.equal(FALSE);
      expect(await nodeCall(`${sdc.enodeId.slice(0, 127)}g`, "10.20.0.1", 30303)).to.equal(FALSE);
      expect(await nodeCall(`${sdc.enodeId.slice(0, 126)}:0`, "10.20.0.1", 30303)).to.equal(FALSE);
      for (const vector of BESU_NODE_PAYLOADS) expect(await raw(NODE_PERMISSIONS_ADDRESS, vector.payload)).to.equal(FALSE);
    });

    it("drop a node when it is removed or its organisation is suspended or offboarded", async () => {
      const { nodes, directory, governor } = await bound();
      const [sdc, dept] = nodes;
      await directory.removeNode(hre.ethers.keccak256(`0x${dept.enodeId}`));
      expect(await nodeCall(dept.enodeId, "10.20.0.2", 30303)).to.equal(FALSE);
      await directory.suspend(1, evidence("audit"));
      expect(await nodeCall(sdc.enodeId, "10.20.0.1", 30303)).to.equal(FALSE);
      await directory.reinstate(1, evidence("audit closed"));
      expect(await nodeCall(sdc.enodeId, "10.20.0.1", 30303)).to.equal(TRUE);
      await directory.connect(governor).offboard(1, evidence("contract ended"));
      expect(await nodeCall(sdc.enodeId, "10.20.0.1", 30303)).to.equal(FALSE);
    });

    it("allow transactions from active accounts of active organisations and from governance role holders, with Besu's calldata", async () => {
      const { sdcKey, deptKey, outsider, governor, operator, guardian, bootstrap, directory } = await bound();
      const call = (sender: string, target?: string, payload = "0x") =>
        raw(ACCOUNT_PERMISSIONS_ADDRESS, accountCheckCalldata({ sender, target, value: 0n, gasPrice: 0n, gasLimit: 100_000n, payload }));
      const registry = await directory.getAddress();
      for (const allowed of [sdcKey, deptKey, governor, operator, guardian]) expect(await call(allowed.address, registry, "0xabcdef")).to.equal(TRUE);
      expect(await call(deptKey.address, undefined, `0x${"60".repeat(64)}`)).to.equal(TRUE);
      expect(await call(outsider.address, registry)).to.equal(FALSE);
      expect(await call(bootstrap.address, registry)).to.equal(FALSE);
      await directory.removeAccount(deptKey.address);
      expect(await call(deptKey.address, registry)).to.equal(FALSE);
      await directory.suspend(1, evidence("audit"));
      expect(await call(sdcKey.address, registry)).to.equal(FALSE);
    });
  });
});
