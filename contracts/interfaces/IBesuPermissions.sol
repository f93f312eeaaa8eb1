// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

import {IParticipantDirectory} from "./IParticipantDirectory.sol";

/// @title IBesuPermissions
/// @notice What the two permissioning contracts share: pre-deployed in the genesis before the suite exists, they
/// are bound once, by the bootstrap account the genesis names, to the suite's AccessManager and directory.
interface IBesuPermissions {
    /// @notice The contract now answers from the directory (and, for accounts, the governance roles listed).
    event BesuPermissionsBound(address indexed authority, IParticipantDirectory indexed directory, uint64[] roleIds);

    /// @notice Only the bootstrap account written into the genesis may bind, and only once.
    error BesuPermissionsNotBootstrap(address caller);

    /// @notice The contract is already bound.
    error BesuPermissionsAlreadyBound();

    /// @notice An authority or directory given to `bind` is the zero address.
    error BesuPermissionsZeroAddress();

    /// @notice Binds to the AccessManager and directory; `roleIds` are the governance roles whose holders may send
    /// transactions without belonging to an organisation (the State Implementation Agency's own accounts).
    function bind(address authority, IParticipantDirectory directory, uint64[] calldata roleIds) external;

    /// @notice The account that may bind; zero once bound.
    function bootstrap() external view returns (address);

    /// @notice The directory answers come from; zero until bound.
    function directory() external view returns (IParticipantDirectory);
}

/// @title INodePermissions
/// @notice Besu's node permissioning contract interface, version 2 (`permissions-nodes-contract-version=2`).
interface INodePermissions is IBesuPermissions {
    /// @notice Whether the node may take part in the network. Besu calls it for both ends of every connection
    /// with the enode id as 128 lower-case hex digits without `0x`, the host as an IP address, and the P2P port.
    function connectionAllowed(string calldata enodeId, string calldata host, uint16 port) external view returns (bool);
}

/// @title IAccountPermissions
/// @notice Besu's account permissioning contract interface (`permissions-accounts-contract-enabled`).
interface IAccountPermissions is IBesuPermissions {
    /// @notice Whether the pool and block validation accept a transaction; `target` is zero for a contract creation.
    function transactionAllowed(
        address sender,
        address target,
        uint256 value,
        uint256 gasPrice,
        uint256 gasLimit,
        bytes calldata payload
    ) external view returns (bool);
}
