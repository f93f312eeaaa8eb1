// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

import {ParticipantDirectory} from "../governance/ParticipantDirectory.sol";

/// @title ParticipantDirectoryBroken
/// @notice An implementation the upgrade command must refuse: an immutable lives in the implementation's code, not
/// in the proxy's storage, which the upgrades plugin flags as unsafe.
/// @custom:oz-upgrades-from ParticipantDirectory
contract ParticipantDirectoryBroken is ParticipantDirectory {
    uint256 public immutable BROKEN_IMMUTABLE = 1;
}
