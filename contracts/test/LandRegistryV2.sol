// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

import {LandRegistry} from "../land/LandRegistry.sol";
import {IParticipantDirectory} from "../interfaces/IParticipantDirectory.sol";

/// @title LandRegistryV2
/// @notice A second version for the upgrade test: it only raises the version, so lost or moved state shows up.
/// @custom:oz-upgrades-from LandRegistry
/// @custom:oz-upgrades-unsafe-allow missing-initializer
contract LandRegistryV2 is LandRegistry {
    /// @custom:oz-upgrades-unsafe-allow constructor
    constructor(IParticipantDirectory directory_, address encumbrances_) LandRegistry(directory_, encumbrances_) {}

    function version() external pure override returns (string memory) {
        return "2.3.0";
    }
}
