// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

import {IParticipantDirectory} from "./IParticipantDirectory.sol";

/// @title IGovernedRegistry
/// @notice What every registry of the suite answers besides its records: its version, its directory and its
/// governance (the AccessManager, pausing, upgrades). For clients that talk to a registry through its interface, as to
/// the land registry, whose functions are spread over two contracts behind one address.
interface IGovernedRegistry {
    /// @notice Emitted by OpenZeppelin's `PausableUpgradeable`.
    event Paused(address account);
    event Unpaused(address account);

    error AccessManagedUnauthorized(address caller);
    error EnforcedPause();
    error ExpectedPause();
    error InvalidInitialization();

    function initialize(address initialAuthority) external;

    function version() external pure returns (string memory);

    function directory() external view returns (IParticipantDirectory);

    function authority() external view returns (address);

    function paused() external view returns (bool);

    function pause() external;

    function unpause() external;

    function upgradeToAndCall(address newImplementation, bytes calldata data) external payable;
}
