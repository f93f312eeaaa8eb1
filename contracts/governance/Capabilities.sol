// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

/// @title Capabilities
/// @notice Bits of an organisation's capability mask in the participant directory. A registry asks the directory
/// whether an account's organisation holds the bit for the action it is about to take.
library Capabilities {
    uint32 internal constant ISSUE_CERTIFICATES = 1 << 0;
    uint32 internal constant PUBLISH_WEBSITES = 1 << 1;
    uint32 internal constant REGISTER_DEEDS = 1 << 2;
    uint32 internal constant APPROVE_MUTATIONS = 1 << 3;
    uint32 internal constant COURT_ORDERS = 1 << 4;
    uint32 internal constant LIENS = 1 << 5;
    uint32 internal constant RUN_NODE = 1 << 6;
    uint32 internal constant VALIDATE = 1 << 7;
    uint32 internal constant MANAGE_PARCELS = 1 << 8;
    uint32 internal constant HEAR_APPEALS = 1 << 9;

    /// @dev Every defined bit; a mask with any other bit set is rejected so that a typo cannot grant a future power.
    uint32 internal constant ALL = (1 << 10) - 1;
}
