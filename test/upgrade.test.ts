import { expect } from "chai";
import hre from "hardhat";
import { getStorageUpgradeErrors } from "@openzeppelin/upgrades-core";
import { currentRelease, releasedContract } from "../deploy/releases";
import { UPGRADEABLE } from "../deploy/upgrade";

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
});
