// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

import {WebsiteRegistry} from "../websites/WebsiteRegistry.sol";
import {IParticipantDirectory} from "../interfaces/IParticipantDirectory.sol";

/// @title WebsiteRegistryV2
/// @notice A second version for the upgrade test: it only raises the version, so lost or moved state shows up.
/// @custom:oz-upgrades-from WebsiteRegistry
/// @custom:oz-upgrades-unsafe-allow missing-initializer
contract WebsiteRegistryV2 is WebsiteRegistry {
    /// @custom:oz-upgrades-unsafe-allow constructor
    constructor(IParticipantDirectory directory_) WebsiteRegistry(directory_) {}

    function version() external pure override returns (string memory) {
        return "2.3.0";
    }
}
