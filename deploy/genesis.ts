import { ZeroAddress, getAddress, id as textHash, keccak256, type Signer } from "ethers";
import { IBesuPermissions__factory, ParticipantDirectory__factory, ValidatorSet__factory, type SakshyaAuthority } from "../typechain-types";
import { GENESIS_CONTRACTS, bindGenesisContracts } from "../src/besu/genesis-contracts";
import type { NetworkDescription } from "../src/besu/network";
import { sendAndWait } from "../src/chain/transact";
import type { Deployment } from "../src/config/deployments";
import { enodeHalves, parseEnode } from "../src/directory/enode";
import { encodeCode, parseCapabilities, parseKind } from "../src/directory/vocabulary";
import { ChainError, InputError } from "../src/errors";
import { ROLES } from "../src/governance/roles";
import type { StepStatus } from "./suite";

/** The genesis contracts of this chain still waiting for their bootstrap account, and who that is. */
async function awaitingBinding(signer: Signer): Promise<{ names: string[]; bootstrap?: string }> {
  const provider = signer.provider!;
  const names: string[] = [];
  let bootstrap: string | undefined;
  for (const { name, address } of GENESIS_CONTRACTS) {
    if ((await provider.getCode(address)) === "0x") continue;
    const contract = name === "ValidatorSet" ? ValidatorSet__factory.connect(address, provider) : IBesuPermissions__factory.connect(address, provider);
    const waitingFor = await contract.bootstrap();
    if (waitingFor === ZeroAddress) continue;
    names.push(name);
    bootstrap = getAddress(waitingFor);
  }
  return { names, bootstrap };
}

/**
 * Whether the chain's genesis account permissioning contract is there and not bound yet: until it is, nobody but its
 * bootstrap account may send a transaction.
 */
export async function permissioningAwaitsBinding(signer: Signer): Promise<boolean> {
  return (await awaitingBinding(signer)).names.includes("AccountPermissions");
}

/**
 * The genesis step of a deployment on a network of `besu generate`. Its ValidatorSet (and, with contract
 * permissioning, its permissioning contracts) wait for the bootstrap account, and until they are bound no other account
 * may even transact — so the operator could not register the genesis nodes that binding needs. The deployer is that
 * bootstrap account and, until it hands over, the AccessManager's admin: it makes itself operator for the moment,
 * registers the network's operating organisation and every generated node, binds the contracts, and gives the operator
 * role back up. Each step is skipped when already done, so a rerun after a failure completes it.
 */
export async function bootstrapGenesis(
  authority: SakshyaAuthority,
  signer: Signer,
  deployment: Deployment,
  network: NetworkDescription | undefined,
  record: (step: string, status: StepStatus) => void,
): Promise<void> {
  const waiting = await awaitingBinding(signer);
  if (waiting.names.length === 0) return;
  if (!network) {
    record(`${waiting.names.join(", ")} await binding: deploy again with --network-dir, or register the genesis nodes and run "sakshya besu bind"`, "skipped");
    return;
  }
  if (network.chainId !== deployment.chainId) throw new InputError(`The network folder describes chain ${network.chainId}, but this is chain ${deployment.chainId}.`);
  const deployer = getAddress(await signer.getAddress());
  if (waiting.bootstrap !== deployer) {
    throw new InputError(`The genesis contracts wait for the bootstrap account ${waiting.bootstrap}; this deployer is ${deployer}. Deploy with that account's keystore.`);
  }
  const manager = await authority.getAddress();
  const [isOperator] = await authority.hasRole(ROLES.operator.id, deployer);
  if (!isOperator) {
    const [isAdmin] = await authority.hasRole(0n, deployer);
    if (!isAdmin) {
      throw new ChainError(`The genesis contracts are not bound and the deployer no longer administers the suite: have the operator register ${network.operator.code} and its nodes, then run "sakshya besu bind".`);
    }
    await sendAndWait(signer, { to: manager, data: authority.interface.encodeFunctionData("grantRole", [ROLES.operator.id, deployer, 0]) });
    record(`genesis: the bootstrap account acts as operator for the genesis registrations`, "done");
  }

  const directory = ParticipantDirectory__factory.connect(deployment.contracts.ParticipantDirectory.address, signer);
  const code = encodeCode(network.operator.code);
  let orgId = 0;
  try {
    orgId = Number(await directory.organisationIdByCode(code));
    record(`genesis: ${network.operator.code} already onboarded (organisation ${orgId})`, "skipped");
  } catch {
    const data = directory.interface.encodeFunctionData("onboard", [code, parseKind("node-operator"), parseCapabilities("run-node,validate"), [0], textHash(network.operator.name)]);
    await sendAndWait(signer, { to: await directory.getAddress(), data });
    orgId = Number(await directory.organisationIdByCode(code));
    record(`genesis: onboard ${network.operator.code} ("${network.operator.name}") as organisation ${orgId}`, "done");
  }
  const registered = new Set((await directory.nodeIds()).map((nodeId) => nodeId.toLowerCase()));
  for (const node of network.nodes) {
    const enode = parseEnode(node.enode);
    if (registered.has(keccak256(enode.publicKey).toLowerCase())) {
      record(`genesis: ${node.name} already in the directory`, "skipped");
      continue;
    }
    const [high, low] = enodeHalves(enode.publicKey);
    const data = directory.interface.encodeFunctionData("addNode", [orgId, high, low, enode.host, enode.port, node.role === "validator"]);
    await sendAndWait(signer, { to: await directory.getAddress(), data });
    record(`genesis: register ${node.name} (${node.role}) at ${enode.host}:${enode.port}`, "done");
  }
  for (const bound of await bindGenesisContracts(signer, deployment)) {
    if (bound.status === "bound") record(`genesis: bind ${bound.contract} at ${bound.address}`, "done");
  }
  if (!isOperator) {
    await sendAndWait(signer, { to: manager, data: authority.interface.encodeFunctionData("renounceRole", [ROLES.operator.id, deployer]) });
    record(`genesis: the bootstrap account gives the operator role back up`, "done");
  }
}
