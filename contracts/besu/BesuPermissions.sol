// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

import {IParticipantDirectory} from "../interfaces/IParticipantDirectory.sol";
import {IBesuPermissions} from "../interfaces/IBesuPermissions.sol";

/// @title BesuPermissions
/// @notice The binding both permissioning contracts share.
/// @dev Pre-deployed in the genesis `alloc`, so no constructor runs on the real chain: `sakshya besu generate`
/// writes the bootstrap account into the first field of the struct below. Each contract lives at its own address,
/// so the one namespace never collides.
///
/// Storage, one ERC-7201 struct: +0 bootstrap account, +1 directory, +2 authority, +3 role ids (array).
abstract contract BesuPermissions is IBesuPermissions {
    /// @custom:storage-location erc7201:sakshya.storage.BesuPermissions
    struct BesuPermissionsStorage {
        address bootstrap;
        IParticipantDirectory directory;
        address authority;
        uint64[] roleIds;
    }

    // keccak256(abi.encode(uint256(keccak256("sakshya.storage.BesuPermissions")) - 1)) & ~bytes32(uint256(0xff))
    bytes32 private constant _STORAGE = 0x985d87d3228c1aa26d6e4ccea29338f5f5350c3b7776e1db236f045c026ab200;

    /// @dev Only for tests that deploy it by transaction; the genesis copy never runs this.
    constructor(address bootstrap_) {
        _storage().bootstrap = bootstrap_;
    }

    /// @inheritdoc IBesuPermissions
    function bind(address authority, IParticipantDirectory directory_, uint64[] calldata roleIds) external {
        BesuPermissionsStorage storage $ = _storage();
        if ($.bootstrap == address(0)) revert BesuPermissionsAlreadyBound();
        if (msg.sender != $.bootstrap) revert BesuPermissionsNotBootstrap(msg.sender);
        if (authority == address(0) || address(directory_) == address(0)) revert BesuPermissionsZeroAddress();
        $.bootstrap = address(0);
        $.directory = directory_;
        $.authority = authority;
        $.roleIds = roleIds;
        emit BesuPermissionsBound(authority, directory_, roleIds);
    }

    /// @inheritdoc IBesuPermissions
    function bootstrap() external view returns (address) {
        return _storage().bootstrap;
    }

    /// @inheritdoc IBesuPermissions
    function directory() external view returns (IParticipantDirectory) {
        return _storage().directory;
    }

    function _storage() internal pure returns (BesuPermissionsStorage storage $) {
        assembly {
            $.slot := _STORAGE
        }
    }
}
