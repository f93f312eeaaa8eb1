import hre from "hardhat";

/**
 * Undoes, after the enclosing `describe` (or, with `each`, after each of its tests), what its tests wrote into the
 * shared in-process chain — genesis contracts set at fixed addresses, above all, which no later test's deployment may
 * see.
 */
export function restoreChainAfter({ each = false } = {}): void {
  let pristine: string;
  (each ? beforeEach : before)(async () => {
    pristine = await hre.network.provider.send("evm_snapshot");
  });
  (each ? afterEach : after)(async () => {
    await hre.network.provider.send("evm_revert", [pristine]);
  });
}
