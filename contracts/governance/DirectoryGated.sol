// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

import {AuthorityUtils} from "@openzeppelin/contracts/access/manager/AuthorityUtils.sol";
import {IParticipantDirectory} from "../interfaces/IParticipantDirectory.sol";
import {GovernedUpgradeable} from "./GovernedUpgradeable.sol";

/// @title DirectoryGated
/// @notice Base of the registries: governed like every contract of the suite, and bound to the participant directory
/// that says, on every write, who may act.
/// @dev The directory's address is immutable in the implementation, which saves a storage read on every write; the
/// directory is itself a proxy, so its address never changes.
abstract contract DirectoryGated is GovernedUpgradeable {
    /// @notice The directory passed to the constructor is the zero address.
    error DirectoryGatedZeroDirectory();

    /// @custom:oz-upgrades-unsafe-allow state-variable-immutable
    IParticipantDirectory internal immutable _DIRECTORY;

    /// @custom:oz-upgrades-unsafe-allow constructor
    constructor(IParticipantDirectory directory_) {
        if (address(directory_) == address(0)) revert DirectoryGatedZeroDirectory();
        _DIRECTORY = directory_;
        _disableInitializers();
    }

    /// @notice The participant directory this registry asks.
    function directory() external view returns (IParticipantDirectory) {
        return _DIRECTORY;
    }

    /// @dev Whether a governance role may make this call, for functions that an organisation's keys call too and
    /// so cannot be `restricted`. An operation scheduled for it is consumed here, as `restricted` would.
    function _governanceMayCall() internal returns (bool) {
        (bool immediate, uint32 delay) = AuthorityUtils.canCallWithDelay(
            authority(),
            msg.sender,
            address(this),
            msg.sig
        );
        if (!immediate && delay == 0) return false;
        _checkCanCall(msg.sender, _msgData());
        return true;
    }
}
