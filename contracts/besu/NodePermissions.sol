// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

import {INodePermissions} from "../interfaces/IBesuPermissions.sol";
import {IParticipantDirectory} from "../interfaces/IParticipantDirectory.sol";
import {IValidatorSet} from "../interfaces/IValidatorSet.sol";
import {EnodeIds} from "../libraries/EnodeIds.sol";
import {BesuPermissions} from "./BesuPermissions.sol";

/// @title NodePermissions
/// @notice Besu's node permissioning contract (version 2) for the backbone, answered from the participant
/// directory: a node may connect while it is registered there with this host and port and its organisation is
/// active with the capability to run (and, for a validator node, to validate) nodes. Offboarding, suspending or
/// removing a node takes effect at the next connection check — except for a node that is in the validator set:
/// cutting validators off would halt the chain, and with it every way to undo the cut, so who validates is decided by
/// the ValidatorSet alone (governance, delayed; or pruning, bounded).
/// @dev Until it is bound the contract allows every node, so the genesis nodes find each other before the directory
/// exists; their own allow-lists (permissions_config.toml) still apply. Never reverts: Besu wants a boolean.
contract NodePermissions is BesuPermissions, INodePermissions {
    /// @notice Where the genesis puts the ValidatorSet (absent when validators are chosen in block headers).
    address public constant VALIDATOR_SET = 0x0000000000000000000000000000000000007777;

    constructor(address bootstrap_) BesuPermissions(bootstrap_) {}

    /// @inheritdoc INodePermissions
    function connectionAllowed(
        string calldata enodeId,
        string calldata host,
        uint16 port
    ) external view returns (bool) {
        IParticipantDirectory directory_ = _storage().directory;
        if (address(directory_) == address(0)) return true;
        (bool valid, bytes32 nodeId) = EnodeIds.nodeIdOf(enodeId);
        if (!valid) return false;
        address validator = address(uint160(uint256(nodeId)));
        if (VALIDATOR_SET.code.length != 0 && IValidatorSet(VALIDATOR_SET).isValidator(validator)) return true;
        if (!directory_.isNodeAllowed(nodeId)) return false;
        IParticipantDirectory.Node memory registered = directory_.node(nodeId);
        return registered.port == port && keccak256(bytes(registered.host)) == keccak256(bytes(host));
    }
}
