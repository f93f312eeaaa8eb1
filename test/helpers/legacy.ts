import hre from "hardhat";
import { Contract, ContractFactory, Interface, type Signer } from "ethers";
import ERC1967Proxy from "@openzeppelin/upgrades-core/artifacts/@openzeppelin/contracts-v5/proxy/ERC1967/ERC1967Proxy.sol/ERC1967Proxy.json";
import fs from "node:fs";
import { RELEASES_DIR, readRelease, releasedContract } from "../../deploy/releases";
import { deploySuite } from "../../deploy/suite";
import { UPGRADEABLE, upgradeContract, type UpgradeableName } from "../../deploy/upgrade";
import { readDeployment, writeDeployment, type DeployedContract } from "../../src/config/deployments";
import { ROLES } from "../../src/governance/roles";
import { SakshyaAuthority__factory } from "../../typechain-types";
import { tempFile, upgraded } from "../fixtures";

/** The record of a contract as `version` of the suite ran it: its own, or that of the last version that changed it. */
function contractAt(version: string, name: UpgradeableName) {
  const versions = fs.readdirSync(RELEASES_DIR).map((f) => f.replace(/\.json$/, "")).filter((v) => /^\d+\.\d+\.\d+$/.test(v));
  const earlier = versions.filter((v) => compareVersions(v, version) <= 0).sort(compareVersions).reverse();
  for (const candidate of earlier) if (readRelease(candidate).contracts[name]) return releasedContract(candidate, name);
  throw new Error(`No release up to ${version} records ${name}.`);
}

function compareVersions(a: string, b: string): number {
  const [x, y] = [a, b].map((v) => v.split(".").map(Number));
  return x[0] - y[0] || x[1] - y[1] || x[2] - y[2];
}

/**
 * The suite as `version` shipped (1.0.0 by default) — its recorded bytecode behind ERC1967 proxies — wired by today's
 * deployment, which finds the proxies and keeps them. Fill it through {@link legacy} (that version's ABI), then
 * {@link upgradeAll} to today's version.
 */
export async function legacySuite(version = "1.0.0") {
  const [governor, operator, guardian, ...others] = await hre.ethers.getSigners();
  const plan = { governor: governor.address, operator: operator.address, guardian: guardian.address, responder: operator.address, governorDelay: 0, operatorDelay: 0 };
  const deploymentFile = tempFile("legacy.json");
  const authority = await new SakshyaAuthority__factory(governor).deploy(governor.address);
  const deployed = async (name: UpgradeableName, args: unknown[]): Promise<DeployedContract> => {
    const { abi, bytecode, companions } = contractAt(version, name);
    // Since 2.0.0 the land registry is built with its extension, deployed with it from the same record.
    for (const companion of Object.values(companions ?? {})) {
      const extension = await new ContractFactory(companion.abi, companion.bytecode, governor).deploy(...args);
      args = [...args, await extension.getAddress()];
    }
    const implementation = await new ContractFactory(abi, bytecode, governor).deploy(...args);
    const init = new Interface(abi).encodeFunctionData("initialize", [await authority.getAddress()]);
    const proxy = await new ContractFactory(ERC1967Proxy.abi, ERC1967Proxy.bytecode, governor).deploy(await implementation.getAddress(), init);
    return { address: await proxy.getAddress(), deployBlock: (await proxy.deploymentTransaction()!.wait())!.blockNumber };
  };
  const directory = await deployed("ParticipantDirectory", []);
  const contracts = {
    SakshyaAuthority: { address: await authority.getAddress(), deployBlock: 0 },
    ParticipantDirectory: directory,
    CertificateRegistry: await deployed("CertificateRegistry", [directory.address]),
    LandRegistry: await deployed("LandRegistry", [directory.address]),
    WebsiteRegistry: await deployed("WebsiteRegistry", [directory.address]),
  };
  const holder = (account: string) => ({ account, executionDelay: 0 });
  const roles = { governor: holder(governor.address), operator: holder(operator.address), guardian: holder(guardian.address) };
  const chainId = Number((await hre.ethers.provider.getNetwork()).chainId);
  writeDeployment(deploymentFile, { suiteVersion: version, network: "hardhat", chainId, deployBlock: 0, updatedAt: new Date().toISOString(), contracts, roles });
  const { steps } = await deploySuite(hre, { signer: governor, plan, deploymentFile });

  /** A contract of that version through that version's ABI. */
  const legacy = (name: UpgradeableName, signer: Signer) => new Contract(contracts[name].address, contractAt(version, name).abi, signer);
  /** Gives a restricted function of that version, which today's wiring does not know, to a role. */
  const wireLegacy = async (name: UpgradeableName, fn: string, role: keyof typeof ROLES) => {
    const selector = new Interface(contractAt(version, name).abi).getFunction(fn)!.selector;
    await authority.setTargetFunctionRole(contracts[name].address, [selector], ROLES[role].id);
  };
  /** Upgrades every proxy to today's contracts, each checked by the upgrades plugin, then wires what is new. */
  const upgradeAll = async () => {
    const outcomes = [];
    for (const name of UPGRADEABLE) {
      const result = upgraded(await upgradeContract(hre, { signer: governor, deployment: readDeployment(deploymentFile), deploymentFile, contract: name, to: name }));
      outcomes.push(result.outcome.status);
    }
    await deploySuite(hre, { signer: governor, plan, deploymentFile });
    return outcomes;
  };
  return { governor, operator, guardian, others, authority, contracts, deploymentFile, steps, legacy, wireLegacy, upgradeAll };
}
