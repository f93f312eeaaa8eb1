import fs from "node:fs";
import path from "node:path";
import { Manifest, addProxyToManifest, getImplementationAddressFromProxy, type StorageLayout } from "@openzeppelin/upgrades-core";
import { ZeroAddress, type JsonFragment } from "ethers";
import type { EthereumProvider, HardhatRuntimeEnvironment } from "hardhat/types";
import { getStorageLayout, getUnlinkedBytecode, getVersion } from "@openzeppelin/upgrades-core";
import { readValidations } from "@openzeppelin/hardhat-upgrades/dist/utils/validations";
import { InputError } from "../src/errors";
import type { UpgradeableName } from "./upgrade";

/** Where the record of each shipped version lives (written by scripts/freeze-release.ts). */
export const RELEASES_DIR = path.join(__dirname, "releases");

/** A contract's interface and creation code. */
export interface ContractCode {
  readonly abi: JsonFragment[];
  readonly bytecode: string;
}

export interface ReleasedContract extends ContractCode {
  readonly layout: StorageLayout;
  /** Contracts its implementation is constructed with (the land registry's extension), by name. */
  readonly companions?: Record<string, ContractCode>;
}

/** Contracts an implementation takes as constructor arguments after the directory, deployed with it. */
const COMPANIONS: Partial<Record<UpgradeableName, readonly string[]>> = { LandRegistry: ["LandRegistryExtension"] };

/** What a shipped version deployed, per upgradeable contract. */
export interface ReleaseRecord {
  readonly version: string;
  readonly contracts: Partial<Record<UpgradeableName, ReleasedContract>>;
}

export function readRelease(version: string): ReleaseRecord {
  const file = path.join(RELEASES_DIR, `${version}.json`);
  if (!/^\d+\.\d+\.\d+$/.test(version) || !fs.existsSync(file)) {
    throw new InputError(`No release record for version "${version}" in deploy/releases: its storage layout is unknown, so no upgrade can be checked against it.`);
  }
  return JSON.parse(fs.readFileSync(file, "utf8")) as ReleaseRecord;
}

/** The recorded contract of a version, or an error naming what is missing. */
export function releasedContract(version: string, name: UpgradeableName): ReleasedContract {
  const contract = readRelease(version).contracts[name];
  if (!contract) throw new InputError(`The release record of version ${version} holds no ${name}.`);
  return contract;
}

/**
 * Tells the upgrades plugin what layout the proxy's running implementation has — the one recorded when its version
 * shipped. The plugin's own `forceImport` would take the layout of the code about to be installed instead, and so
 * compare the new layout with itself.
 */
export async function registerDeployedLayout(provider: EthereumProvider, proxy: string, layout: StorageLayout): Promise<void> {
  const implementation = await getImplementationAddressFromProxy(provider, proxy);
  if (!implementation) throw new InputError(`${proxy} is not a proxy: it has no implementation address.`);
  const manifest = await Manifest.forNetwork(provider);
  await manifest.lockedRun(async () => {
    const data = await manifest.read();
    for (const [key, entry] of Object.entries(data.impls)) {
      if (entry?.address.toLowerCase() === implementation.toLowerCase()) delete data.impls[key];
    }
    data.impls[`deployed ${implementation}`] = { address: implementation, layout };
    await manifest.write(data);
  });
  await addProxyToManifest("uups", proxy, manifest);
}

/**
 * A contract as this build compiles it, with the version its `version()` reports (asked of an implementation
 * deployed on the in-process chain: `version()` is pure, so any non-zero directory address does).
 */
export async function currentRelease(hre: HardhatRuntimeEnvironment, name: UpgradeableName): Promise<{ version: string; contract: ReleasedContract }> {
  const validations = await readValidations(hre);
  const artifact = await hre.artifacts.readArtifact(name);
  const layout = getStorageLayout(validations, getVersion(getUnlinkedBytecode(validations, artifact.bytecode), artifact.bytecode));
  const factory = await hre.ethers.getContractFactory(name);
  // Every constructor argument is an address; a placeholder does, as nothing is called through it.
  const args = factory.interface.deploy.inputs.map(() => ZeroAddress.replace(/0$/, "1"));
  const implementation = await factory.deploy(...args);
  const version = await (implementation as unknown as { version(): Promise<string> }).version();
  const companions: Record<string, ContractCode> = {};
  for (const companion of COMPANIONS[name] ?? []) {
    const { abi, bytecode } = await hre.artifacts.readArtifact(companion);
    companions[companion] = { abi: abi as JsonFragment[], bytecode };
  }
  const contract = { abi: artifact.abi as JsonFragment[], bytecode: artifact.bytecode, layout, ...(COMPANIONS[name] ? { companions } : {}) };
  return { version, contract };
}
