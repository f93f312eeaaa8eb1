import hre from "hardhat";

/**
 * Undoes, after the enclosing `describe`, what its tests wrote into the shared in-process chain — genesis contracts
 * set at fixed addresses, above all, which no later file's deployment may see.
 */
export function restoreChainAfter(): void {
  let pristine: string;
  before(async () => {
    pristine = await hre.network.provider.send("evm_snapshot");
  });
  after(async () => {
    await hre.network.provider.send("evm_revert", [pristine]);
  });
}

/** {@link restoreChainAfter} for each test of the enclosing `describe`: each starts from the chain as it found it. */
export function restoreChainAfterEach(): void {
  let pristine: string;
  beforeEach(async () => {
    pristine = await hre.network.provider.send("evm_snapshot");
  });
  afterEach(async () => {
    await hre.network.provider.send("evm_revert", [pristine]);
  });
}
