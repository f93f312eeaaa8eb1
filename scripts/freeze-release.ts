/**
 * Records what each upgradeable contract deploys at the version its `version()` reports — ABI, creation bytecode and
 * storage layout as the upgrades plugin computes it — in deploy/releases/<version>.json. Run it when a version ships:
 *
 *   npx hardhat run scripts/freeze-release.ts
 *
 * Later versions are tested against it: the upgrade test deploys the recorded bytecode, fills it with data through the
 * recorded ABI, and upgrades it with the plugin, which checks the new layout against the recorded one. A contract whose
 * layout changed while its version did not is refused: raise its version() first.
 */
import fs from "node:fs";
import path from "node:path";
import hre from "hardhat";
import { getStorageUpgradeErrors } from "@openzeppelin/upgrades-core";
import { UPGRADEABLE } from "../deploy/upgrade";
import { RELEASES_DIR, currentRelease, type ReleaseRecord } from "../deploy/releases";

async function main(): Promise<void> {
  await hre.run("compile", { quiet: true });
  const byVersion = new Map<string, ReleaseRecord["contracts"]>();
  for (const name of UPGRADEABLE) {
    const { version, contract } = await currentRelease(hre, name);
    byVersion.set(version, { ...byVersion.get(version), [name]: contract });
  }
  fs.mkdirSync(RELEASES_DIR, { recursive: true });
  for (const [version, contracts] of byVersion) {
    const file = path.join(RELEASES_DIR, `${version}.json`);
    const recorded: ReleaseRecord = fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, "utf8")) : { version, contracts: {} };
    for (const [name, contract] of Object.entries(contracts)) {
      const earlier = recorded.contracts[name as keyof ReleaseRecord["contracts"]];
      if (earlier && (getStorageUpgradeErrors(earlier.layout, contract!.layout).length > 0 || getStorageUpgradeErrors(contract!.layout, earlier.layout).length > 0)) {
        throw new Error(`${name}'s storage layout changed since version ${version} was recorded: raise its version() instead of rewriting that record.`);
      }
    }
    // A record is written once: what shipped stays as it shipped, even where a rebuild gives other metadata.
    fs.writeFileSync(file, `${JSON.stringify({ version, contracts: { ...contracts, ...recorded.contracts } })}\n`);
    console.log(`Wrote ${path.relative(process.cwd(), file)} (${Object.keys(contracts).join(", ")}).`);
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
