// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

import {ParticipantDirectory} from "../governance/ParticipantDirectory.sol";

/// @title ParticipantDirectoryV2
/// @notice A second version used by the upgrade test and the upgrade command's tests: it only raises the version,
/// so that any state lost or moved by the upgrade shows up.
/// The proxy was initialised by version 1, so this version brings no initializer of its own.
/// @custom:oz-upgrades-from ParticipantDirectory
/// @custom:oz-upgrades-unsafe-allow missing-initializer
contract ParticipantDirectoryV2 is ParticipantDirectory {
    function version() external pure override returns (string memory) {
        return "2.3.0";
    }
}
