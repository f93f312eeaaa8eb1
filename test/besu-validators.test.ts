import fs from "node:fs";
import path from "node:path";
import { expect } from "chai";
import hre from "hardhat";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { RLP } from "@ethereumjs/rlp";
import { getAddress, hexlify } from "ethers";
import { decodeQbftExtraData, encodeQbftGenesisExtraData } from "../src/besu/extra-data";
import { QBFT_MIX_HASH, qbftGenesis, DEFAULT_QBFT } from "../src/besu/genesis";
import { newNodeKey, readNodeKeyFile, type NodeKey } from "../src/besu/node-keys";
import { VALIDATOR_CONTRACT_ADDRESS, erc7201Slot, validatorContractAccount } from "../src/besu/validator-contract";
import { installGenesisAlloc } from "../src/besu/stand-in";
import { enodeHalves } from "../src/directory/enode";
import { ROLES } from "../src/governance/roles";
import { ValidatorSet__factory } from "../typechain-types";
import { CAP, KIND, code, deployedSuite, evidence, tempFile } from "./fixtures";
import { restoreChainAfter } from "./helpers/chain";

/** The two `extraData` encodings published in Besu's QBFT documentation ("Configure QBFT consensus"). */
const DOCUMENTED = {
  validators: ["0x4592c8e45706cc08b8f44b11e43cba0cfc5892cb", "0x06e23768a0f59cf365e18c2e0c89e151bcdedc70", "0xc5327f96ee02d7bcbc1bf1236b8c15148971e1de", "0xab5e7f4061c605820d3744227eed91ff8e2c8908"],
  headerSelection:
    "0xf87aa00000000000000000000000000000000000000000000000000000000000000000f854944592c8e45706cc08b8f44b11e43cba0cfc5892cb9406e23768a0f59cf365e18c2e0c89e151bcdedc7094c5327f96ee02d7bcbc1bf1236b8c15148971e1de94ab5e7f4061c605820d3744227eed91ff8e2c8908c080c0",
  contractSelection: "0xe5a00000000000000000000000000000000000000000000000000000000000000000c0c080c0",
};

describe("QBFT extraData and genesis", () => {
  it("encodes the validators exactly as Besu's documentation does, and decodes back with a standard RLP library", () => {
    expect(encodeQbftGenesisExtraData(DOCUMENTED.validators)).to.equal(DOCUMENTED.headerSelection);
    expect(encodeQbftGenesisExtraData([])).to.equal(DOCUMENTED.contractSelection);
    const [vanity, validators, vote, round, seals] = RLP.decode(DOCUMENTED.headerSelection) as [Uint8Array, Uint8Array[], unknown[], Uint8Array, unknown[]];
    expect([hexlify(vanity), validators.map((v) => hexlify(v)), vote, round.length, seals]).to.deep.equal([`0x${"00".repeat(32)}`, DOCUMENTED.validators, [], 0, []]);
    expect(decodeQbftExtraData(DOCUMENTED.headerSelection)).to.deep.equal({ vanity: `0x${"00".repeat(32)}`, validators: DOCUMENTED.validators.map((v) => getAddress(v)), round: 0, seals: [] });
  });

  it("reads a header's vote, round and seals, and refuses what is not QBFT extraData", () => {
    const seal = new Uint8Array(65).fill(7);
    const header = hexlify(RLP.encode([new Uint8Array(32), [], [DOCUMENTED.validators[0], new Uint8Array([0xff])], new Uint8Array([0, 0, 1, 2]), [seal]]));
    expect(decodeQbftExtraData(header)).to.deep.include({ vote: { recipient: getAddress(DOCUMENTED.validators[0]), add: true }, round: 258, seals: [hexlify(seal)] });
    expect(() => decodeQbftExtraData("0xzz")).to.throw(/not valid RLP/);
    expect(() => decodeQbftExtraData(hexlify(RLP.encode([new Uint8Array(32), []])))).to.throw(/not a list of five fields/);
    expect(() => decodeQbftExtraData(hexlify(RLP.encode([new Uint8Array(31), [], [], new Uint8Array(0), []])))).to.throw(/vanity is malformed/);
    expect(() => decodeQbftExtraData(hexlify(RLP.encode([new Uint8Array(32), [new Uint8Array(19)], [], new Uint8Array(0), []])))).to.throw(/validator address is malformed/);
    expect(() => decodeQbftExtraData(hexlify(RLP.encode([new Uint8Array(32), [], [new Uint8Array(1)], new Uint8Array(0), []])))).to.throw(/vote is malformed/);
    expect(() => decodeQbftExtraData(hexlify(RLP.encode([new Uint8Array(32), [], [], new Uint8Array(5), []])))).to.throw(/round is malformed/);
    expect(() => decodeQbftExtraData(hexlify(RLP.encode([new Uint8Array(32), [], [], new Uint8Array(0), new Uint8Array(0)])))).to.throw(/seal list is not a list/);
    expect(() => encodeQbftGenesisExtraData(["0x12"])).to.throw(/"0x12" is not a validator address/);
    expect(() => encodeQbftGenesisExtraData([], new Uint8Array(4))).to.throw(/vanity is 4 bytes; it must be 32/);
  });

  it("writes a QBFT genesis: forks to cancun from block 0, free gas, Istanbul mixHash, validators sorted in extraData or in the contract", () => {
    const validators = [newNodeKey(), newNodeKey(), newNodeKey()].map((k) => k.address);
    const sorted = [...validators].sort((a, b) => (a.toLowerCase() < b.toLowerCase() ? -1 : 1));
    const base = { ...DEFAULT_QBFT, chainId: 2026, validators, bootstrap: validators[0] };
    const header = qbftGenesis({ ...base, selection: "header" }) as { config: Record<string, unknown>; extraData: string; alloc: object; mixHash: string; difficulty: string };
    expect(header.config).to.deep.include({ chainId: 2026, berlinBlock: 0, londonBlock: 0, shanghaiTime: 0, cancunTime: 0, zeroBaseFee: true, contractSizeLimit: 24_576 });
    expect(header.config.qbft).to.deep.equal({ blockperiodseconds: 2, epochlength: 30_000, requesttimeoutseconds: 4 });
    expect(decodeQbftExtraData(header.extraData).validators).to.deep.equal(sorted);
    expect([header.mixHash, header.difficulty, header.alloc]).to.deep.equal([QBFT_MIX_HASH, "0x1", {}]);
    const contract = qbftGenesis({ ...base, selection: "contract" }) as { config: { qbft: object }; extraData: string; alloc: Record<string, { code: string }> };
    expect(contract.extraData).to.equal(DOCUMENTED.contractSelection);
    expect(contract.config.qbft).to.deep.include({ validatorcontractaddress: VALIDATOR_CONTRACT_ADDRESS });
    const artifact = JSON.parse(fs.readFileSync(path.join(__dirname, "..", "artifacts", "contracts", "besu", "ValidatorSet.sol", "ValidatorSet.json"), "utf8")) as { deployedBytecode: string };
    expect(contract.alloc[VALIDATOR_CONTRACT_ADDRESS].code).to.equal(artifact.deployedBytecode);
    expect(() => qbftGenesis({ ...base, validators: [], selection: "header" })).to.throw(/at least one validator/);
  });

  it("reads node key files as Besu writes them and refuses malformed ones", () => {
    const key = newNodeKey();
    const file = tempFile("key");
    fs.writeFileSync(file, key.privateKey);
    expect(readNodeKeyFile(file)).to.deep.equal(key);
    fs.writeFileSync(file, `${key.privateKey.slice(2).toUpperCase()}\n`);
    expect(readNodeKeyFile(file)).to.deep.equal(key);
    for (const bad of ["0x1234", `${key.privateKey}\n${key.privateKey}`, `0x${"0".repeat(64)}`, `0x${"f".repeat(64)}`]) {
      fs.writeFileSync(file, bad);
      expect(() => readNodeKeyFile(file)).to.throw(/is not a Besu node key file|does not hold a valid secp256k1 private key/);
    }
    expect(() => readNodeKeyFile(`${file}.missing`)).to.throw(/Cannot read the node key file/);
    expect(erc7201Slot("sakshya.storage.ValidatorSet")).to.equal(0x8bfbd0218ac8f1dd1c0b879faf33c4230b77df2a28ce52640d1bda66f308b900n);
  });
});

/** The suite, a node operator with four validator nodes in the directory, and the ValidatorSet as the genesis writes it. */
async function validatorSuite() {
  const suite = await deployedSuite();
  const { directory, governor, operator, others, authority } = suite;
  const keys: NodeKey[] = Array.from({ length: 5 }, () => newNodeKey());
  await directory.onboard(code("sdc"), KIND.nodeOperator, CAP.runNode | CAP.validate, [0], evidence("State Data Centre"));
  await directory.onboard(code("dept"), KIND.agency, CAP.runNode, [0], evidence("a department that runs a plain node"));
  const nodeIds: string[] = [];
  for (const [i, key] of keys.entries()) {
    const [high, low] = enodeHalves(`0x${key.enodeId}`);
    const tx = await directory.addNode(i === 4 ? 2 : 1, high, low, `10.20.0.${i + 1}`, 30303, i !== 4);
    await tx.wait();
    nodeIds.push(hre.ethers.keccak256(`0x${key.enodeId}`));
  }
  const genesisValidators = keys.slice(0, 3).map((k) => k.address);
  const bootstrap = others[0];
  // A network generated with three validators may be pruned down to one.
  await installGenesisAlloc(hre, { [VALIDATOR_CONTRACT_ADDRESS]: validatorContractAccount(genesisValidators, bootstrap.address, 1) });
  const validatorSet = ValidatorSet__factory.connect(VALIDATOR_CONTRACT_ADDRESS, bootstrap);
  const functions = (["addValidator", "removeValidator"] as const).map((f) => validatorSet.interface.getFunction(f)!.selector);
  await authority.connect(governor).setTargetFunctionRole(VALIDATOR_CONTRACT_ADDRESS, functions, ROLES.governor.id);
  return { ...suite, keys, nodeIds, genesisValidators, bootstrap, validatorSet, operator };
}

describe("ValidatorSet (pre-deployed in the genesis)", () => {
  restoreChainAfter();

  it("holds exactly the storage its constructor would have written, so Besu reads the genesis validators", async () => {
    const { genesisValidators, bootstrap, validatorSet } = await loadFixture(validatorSuite);
    expect(await validatorSet.getValidators()).to.deep.equal(genesisValidators);
    expect(await validatorSet.bootstrap()).to.equal(bootstrap.address);
    const deployed = await new ValidatorSet__factory(bootstrap).deploy(bootstrap.address, genesisValidators, 3);
    const account = validatorContractAccount(genesisValidators, bootstrap.address, 3);
    for (const slot of Object.keys(account.storage ?? {})) {
      expect(await hre.ethers.provider.getStorage(await deployed.getAddress(), `0x${slot}`)).to.equal(`0x${account.storage![slot]}`);
    }
    expect(await hre.ethers.provider.getCode(await deployed.getAddress())).to.equal(account.code);
  });

  it("is bound once by the bootstrap account, after the directory lists every genesis validator", async () => {
    const { validatorSet, authority, directory, others, genesisValidators, nodeIds, governor, keys } = await loadFixture(validatorSuite);
    const directoryAddress = await directory.getAddress();
    const authorityAddress = await authority.getAddress();
    await expect(validatorSet.connect(others[1]).bind(authorityAddress, directoryAddress)).to.be.revertedWithCustomError(validatorSet, "ValidatorSetNotBootstrap").withArgs(others[1].address);
    await expect(validatorSet.bind(hre.ethers.ZeroAddress, directoryAddress)).to.be.revertedWithCustomError(validatorSet, "ValidatorSetZeroAddress");
    await expect(validatorSet.bind(authorityAddress, hre.ethers.ZeroAddress)).to.be.revertedWithCustomError(validatorSet, "ValidatorSetZeroAddress");
    await expect(validatorSet.connect(governor).addValidator(nodeIds[3])).to.be.reverted; // no authority yet: nothing is governed
    await directory.removeNode(nodeIds[2]);
    await expect(validatorSet.bind(authorityAddress, directoryAddress)).to.be.revertedWithCustomError(validatorSet, "ValidatorSetNotInDirectory").withArgs(genesisValidators[2]);
    const [high, low] = enodeHalves(`0x${keys[2].enodeId}`);
    // Registered again, but as a node that does not validate: still not a validator node of the directory.
    await directory.addNode(1, high, low, "10.20.0.3", 30303, false);
    await expect(validatorSet.bind(authorityAddress, directoryAddress)).to.be.revertedWithCustomError(validatorSet, "ValidatorSetNotInDirectory").withArgs(genesisValidators[2]);
    await directory.removeNode(nodeIds[2]);
    await directory.addNode(1, high, low, "10.20.0.3", 30303, true);
    await expect(validatorSet.bind(authorityAddress, directoryAddress)).to.emit(validatorSet, "ValidatorSetBound").withArgs(authorityAddress, directoryAddress, genesisValidators);
    expect([await validatorSet.bootstrap(), await validatorSet.directory(), await validatorSet.authority()]).to.deep.equal([hre.ethers.ZeroAddress, directoryAddress, authorityAddress]);
    await expect(validatorSet.bind(authorityAddress, directoryAddress)).to.be.revertedWithCustomError(validatorSet, "ValidatorSetAlreadyBound");
  });

  it("adds and removes validators through governance, only nodes the directory lets validate, never the last one", async () => {
    const { validatorSet, authority, directory, governor, others, keys, nodeIds, genesisValidators } = await loadFixture(validatorSuite);
    await validatorSet.bind(await authority.getAddress(), await directory.getAddress());
    const governed = validatorSet.connect(governor);
    await expect(validatorSet.connect(others[1]).addValidator(nodeIds[3])).to.be.revertedWithCustomError(validatorSet, "AccessManagedUnauthorized").withArgs(others[1].address);
    await expect(validatorSet.connect(others[1]).removeValidator(keys[0].address)).to.be.revertedWithCustomError(validatorSet, "AccessManagedUnauthorized").withArgs(others[1].address);
    await expect(governed.addValidator(nodeIds[4])).to.be.revertedWithCustomError(validatorSet, "ValidatorSetNodeNotAllowed").withArgs(nodeIds[4]); // not a validator node
    await expect(governed.addValidator(hre.ethers.id("unknown"))).to.be.revertedWithCustomError(validatorSet, "ValidatorSetNodeNotAllowed");
    await expect(governed.addValidator(nodeIds[0])).to.be.revertedWithCustomError(validatorSet, "ValidatorSetAlreadyValidator").withArgs(keys[0].address);
    await expect(governed.addValidator(nodeIds[3])).to.emit(validatorSet, "ValidatorAdded").withArgs(keys[3].address, nodeIds[3], 1, governor.address);
    expect(await validatorSet.getValidators()).to.deep.equal([...genesisValidators, keys[3].address]);
    await expect(governed.removeValidator(keys[0].address)).to.emit(validatorSet, "ValidatorRemoved").withArgs(keys[0].address, false, governor.address);
    expect(await validatorSet.getValidators()).to.deep.equal([keys[3].address, keys[1].address, keys[2].address]);
    await expect(governed.removeValidator(keys[0].address)).to.be.revertedWithCustomError(validatorSet, "ValidatorSetUnknownValidator").withArgs(keys[0].address);
    await governed.removeValidator(keys[1].address);
    await governed.removeValidator(keys[2].address);
    await expect(governed.removeValidator(keys[3].address)).to.be.revertedWithCustomError(validatorSet, "ValidatorSetLastValidator").withArgs(keys[3].address);
  });

  it("lets anyone prune a validator whose organisation was offboarded or whose node was removed, down to the minimum", async () => {
    const { validatorSet, authority, directory, governor, others, keys, nodeIds, genesisValidators } = await loadFixture(validatorSuite);
    await expect(validatorSet.prune(keys[0].address)).to.be.revertedWithCustomError(validatorSet, "ValidatorSetNotPrunable").withArgs(keys[0].address); // not bound yet
    await validatorSet.bind(await authority.getAddress(), await directory.getAddress());
    expect([await validatorSet.minimum(), await validatorSet.isValidator(keys[0].address), await validatorSet.isValidator(keys[3].address)]).to.deep.equal([1n, true, false]);
    await expect(validatorSet.connect(others[3]).prune(keys[0].address)).to.be.revertedWithCustomError(validatorSet, "ValidatorSetNotPrunable");
    await expect(validatorSet.prune(keys[3].address)).to.be.revertedWithCustomError(validatorSet, "ValidatorSetUnknownValidator");
    await directory.removeNode(nodeIds[1]);
    await expect(validatorSet.connect(others[3]).prune(keys[1].address)).to.emit(validatorSet, "ValidatorRemoved").withArgs(keys[1].address, true, others[3].address);
    await directory.connect(governor).offboard(1, evidence("contract ended"));
    await validatorSet.prune(keys[0].address);
    await expect(validatorSet.prune(keys[2].address)).to.be.revertedWithCustomError(validatorSet, "ValidatorSetAtMinimum").withArgs(keys[2].address, 1, 1);
    expect(await validatorSet.getValidators()).to.deep.equal([genesisValidators[2]]);
  });
});
