import type { HardhatRuntimeEnvironment } from "hardhat/types";
import { SigningKey, encodeBytes32String, type Interface, id as textHash, keccak256, type Signer } from "ethers";
import { permissionsContractAccount, ACCOUNT_PERMISSIONS_ADDRESS, NODE_PERMISSIONS_ADDRESS } from "../src/besu/permission-contracts";
import { installGenesisAlloc } from "../src/besu/stand-in";
import { VALIDATOR_CONTRACT_ADDRESS, validatorContractAccount } from "../src/besu/validator-contract";
import { enodeHalves } from "../src/directory/enode";
import { ADMIN_ROLE, ROLES, VALIDATOR_SET_ROLES } from "../src/governance/roles";
import { AccountPermissions__factory, NodePermissions__factory, ValidatorSet__factory, type ParticipantDirectory, type SakshyaAuthority } from "../typechain-types";
import type { GasSnapshot } from "./gas";

const RUN_NODE_AND_VALIDATE = (1 << 6) | (1 << 7);

/** Node keys fixed by their names, so calldata and therefore gas are the same on every run. */
const nodeKey = (name: string) => new SigningKey(keccak256(Buffer.from(name))).publicKey.slice(4);

/**
 * The genesis contracts of a Besu network: five validator nodes of a node operator in the directory, four of them
 * the genesis validators. The chain is put back as it was afterwards: these contracts exist only on Besu networks.
 */
export async function measureBesuGas(hre: HardhatRuntimeEnvironment, directory: ParticipantDirectory, authority: SakshyaAuthority, bootstrap: Signer, account: string): Promise<GasSnapshot> {
  const snapshotId = await hre.network.provider.send("evm_snapshot");
  const gasOf = async (tx: Promise<{ wait(): Promise<{ gasUsed: bigint } | null> }>) => Number((await (await tx).wait())!.gasUsed);
  try {
    await (await directory.onboard(encodeBytes32String("sdc-gas"), 9, RUN_NODE_AND_VALIDATE, [0], textHash("State Data Centre"))).wait();
    const orgId = await directory.organisationCount();
    await (await directory.addAccount(orgId, account)).wait();
    const keys = Array.from({ length: 5 }, (_, i) => nodeKey(`gas validator ${i + 1}`));
    for (const [i, key] of keys.entries()) {
      const [high, low] = enodeHalves(`0x${key}`);
      await (await directory.addNode(orgId, high, low, `10.20.0.${i + 1}`, 30303, true)).wait();
    }
    const nodeIds = keys.map((key) => keccak256(`0x${key}`));
    const validators = nodeIds.map((id) => `0x${id.slice(-40)}`);
    const bootstrapAddress = await bootstrap.getAddress();
    await installGenesisAlloc(hre, {
      [VALIDATOR_CONTRACT_ADDRESS]: validatorContractAccount(validators.slice(0, 4), bootstrapAddress, 4),
      [NODE_PERMISSIONS_ADDRESS]: permissionsContractAccount("NodePermissions", bootstrapAddress),
      [ACCOUNT_PERMISSIONS_ADDRESS]: permissionsContractAccount("AccountPermissions", bootstrapAddress),
    });
    const set = ValidatorSet__factory.connect(VALIDATOR_CONTRACT_ADDRESS, bootstrap);
    const validatorSet: Interface = set.interface;
    const selectors = VALIDATOR_SET_ROLES.governor!.map((fn) => validatorSet.getFunction(fn)!.selector);
    await (await authority.setTargetFunctionRole(VALIDATOR_CONTRACT_ADDRESS, selectors, ROLES.governor.id)).wait();

    const authorityAddress = await authority.getAddress();
    const directoryAddress = await directory.getAddress();
    const roleIds = [ADMIN_ROLE, ROLES.governor.id, ROLES.operator.id, ROLES.guardian.id];
    const snapshot: GasSnapshot = {};
    snapshot["besu.ValidatorSet.bind (4 genesis validators)"] = await gasOf(set.bind(authorityAddress, directoryAddress));
    const governed = set.connect(authority.runner as Signer);
    snapshot["besu.ValidatorSet.addValidator"] = await gasOf(governed.addValidator(nodeIds[4]));
    snapshot["besu.ValidatorSet.removeValidator"] = await gasOf(governed.removeValidator(validators[1]));
    snapshot["besu.getValidators (4 validators, eth_call)"] = Number(await set.getValidators.estimateGas());
    const nodes = NodePermissions__factory.connect(NODE_PERMISSIONS_ADDRESS, bootstrap);
    const accounts = AccountPermissions__factory.connect(ACCOUNT_PERMISSIONS_ADDRESS, bootstrap);
    snapshot["besu.NodePermissions.bind"] = await gasOf(nodes.bind(authorityAddress, directoryAddress, roleIds));
    await (await accounts.bind(authorityAddress, directoryAddress, roleIds)).wait();
    snapshot["besu.connectionAllowed (registered node, eth_call)"] = Number(await nodes.connectionAllowed.estimateGas(keys[0], "10.20.0.1", 30303));
    snapshot["besu.transactionAllowed (organisation account, eth_call)"] = Number(await accounts.transactionAllowed.estimateGas(account, directoryAddress, 0, 0, 100_000, "0x"));
    snapshot["besu.transactionAllowed (governance role holder, eth_call)"] = Number(await accounts.transactionAllowed.estimateGas(authorityAddress, directoryAddress, 0, 0, 100_000, "0x"));
    return snapshot;
  } finally {
    await hre.network.provider.send("evm_revert", [snapshotId]);
  }
}
