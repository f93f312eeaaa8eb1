import fs from "node:fs";
import { expect } from "chai";
import hre from "hardhat";
import { SNAPSHOT_FILE, measureGas, type GasSnapshot } from "../bench/gas";

describe("Gas snapshot", () => {
  it("matches bench/gas-snapshot.json (run `npm run bench` and review the diff to update it)", async () => {
    const committed = JSON.parse(fs.readFileSync(SNAPSHOT_FILE, "utf8")) as GasSnapshot;
    const measured = await measureGas(hre);
    expect(measured).to.deep.equal(committed);
  });
});
