// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

import {AccessManaged} from "@openzeppelin/contracts/access/manager/AccessManaged.sol";
import {IParticipantDirectory} from "../interfaces/IParticipantDirectory.sol";
import {IValidatorSet} from "../interfaces/IValidatorSet.sol";

/// @title ValidatorSet
/// @notice Besu's QBFT validator-selection contract for the backbone.
/// @dev Pre-deployed in the genesis `alloc`: no constructor runs on the real chain, so `sakshya besu generate`
/// writes the runtime code of this contract and the storage below, computed from the genesis validators and the
/// bootstrap account. The chain must start before the suite's AccessManager and directory exist, so until `bind` the
/// genesis validators are fixed and nothing is `restricted` (AccessManaged's authority is the zero address).
///
/// Storage: AccessManaged's `_authority` in slot 0 (zero at genesis), then one ERC-7201 struct:
///   +0 validators (array: length here, elements from keccak256(slot)),
///   +1 position of each validator (mapping: index + 1),
///   +2 bootstrap account, +3 directory, +4 the fewest validators pruning may leave.
///
/// Fault tolerance is the set's size: QBFT with n validators survives f = (n - 1) / 3 faulty ones, so the set must not
/// shrink without a decision. Governance adds and removes validators (the governor's delayed path, which the guardian
/// can cancel); anyone may only prune the validator of a node that left the directory for good — removed, or its
/// organisation offboarded — and never below the minimum written into the genesis. A suspension, which one key may
/// impose at once, never removes a validator.
contract ValidatorSet is AccessManaged, IValidatorSet {
    /// @custom:storage-location erc7201:sakshya.storage.ValidatorSet
    struct ValidatorSetStorage {
        address[] validators;
        mapping(address validator => uint256 indexPlusOne) positionOf;
        address bootstrap;
        IParticipantDirectory directory;
        uint256 minimum;
    }

    // keccak256(abi.encode(uint256(keccak256("sakshya.storage.ValidatorSet")) - 1)) & ~bytes32(uint256(0xff))
    bytes32 private constant _STORAGE = 0x8bfbd0218ac8f1dd1c0b879faf33c4230b77df2a28ce52640d1bda66f308b900;

    /// @dev Only for tests and tooling that deploy it by transaction; the genesis copy never runs this.
    constructor(address bootstrap_, address[] memory validators_, uint256 minimum_) AccessManaged(address(0)) {
        ValidatorSetStorage storage $ = _storage();
        $.bootstrap = bootstrap_;
        $.minimum = minimum_;
        for (uint256 i = 0; i < validators_.length; ++i) {
            $.validators.push(validators_[i]);
            $.positionOf[validators_[i]] = i + 1;
        }
    }

    /// @inheritdoc IValidatorSet
    function getValidators() external view returns (address[] memory) {
        return _storage().validators;
    }

    /// @inheritdoc IValidatorSet
    function bind(address authority_, IParticipantDirectory directory_) external {
        ValidatorSetStorage storage $ = _storage();
        if ($.bootstrap == address(0)) revert ValidatorSetAlreadyBound();
        if (msg.sender != $.bootstrap) revert ValidatorSetNotBootstrap(msg.sender);
        if (authority_ == address(0) || address(directory_) == address(0)) revert ValidatorSetZeroAddress();
        address[] memory current = $.validators;
        for (uint256 i = 0; i < current.length; ++i) {
            if (_nodeIdOf(directory_, current[i]) == bytes32(0)) revert ValidatorSetNotInDirectory(current[i]);
        }
        $.bootstrap = address(0);
        $.directory = directory_;
        _setAuthority(authority_);
        emit ValidatorSetBound(authority_, directory_, current);
    }

    /// @inheritdoc IValidatorSet
    function addValidator(bytes32 nodeId) external restricted {
        ValidatorSetStorage storage $ = _storage();
        if (!$.directory.isNodeAllowed(nodeId)) revert ValidatorSetNodeNotAllowed(nodeId);
        IParticipantDirectory.Node memory node = $.directory.node(nodeId);
        if (!node.validator) revert ValidatorSetNodeNotAllowed(nodeId);
        address validator = address(uint160(uint256(nodeId)));
        if ($.positionOf[validator] != 0) revert ValidatorSetAlreadyValidator(validator);
        $.validators.push(validator);
        $.positionOf[validator] = $.validators.length;
        emit ValidatorAdded(validator, nodeId, node.orgId, msg.sender);
    }

    /// @inheritdoc IValidatorSet
    function removeValidator(address validator) external restricted {
        _remove(validator, false);
    }

    /// @inheritdoc IValidatorSet
    function prune(address validator) external {
        ValidatorSetStorage storage $ = _storage();
        if ($.positionOf[validator] == 0) revert ValidatorSetUnknownValidator(validator);
        IParticipantDirectory directory_ = $.directory;
        if (address(directory_) == address(0) || !_leftForGood(directory_, validator)) {
            revert ValidatorSetNotPrunable(validator);
        }
        uint256 count = $.validators.length;
        if (count <= $.minimum) revert ValidatorSetAtMinimum(validator, count, $.minimum);
        _remove(validator, true);
    }

    /// @inheritdoc IValidatorSet
    function isValidator(address account) external view returns (bool) {
        return _storage().positionOf[account] != 0;
    }

    /// @inheritdoc IValidatorSet
    function minimum() external view returns (uint256) {
        return _storage().minimum;
    }

    /// @inheritdoc IValidatorSet
    function bootstrap() external view returns (address) {
        return _storage().bootstrap;
    }

    /// @inheritdoc IValidatorSet
    function directory() external view returns (IParticipantDirectory) {
        return _storage().directory;
    }

    function _remove(address validator, bool pruned) private {
        ValidatorSetStorage storage $ = _storage();
        uint256 position = $.positionOf[validator];
        if (position == 0) revert ValidatorSetUnknownValidator(validator);
        uint256 count = $.validators.length;
        if (count == 1) revert ValidatorSetLastValidator(validator);
        // Swap and pop: Besu orders proposers by address itself, so the array's order carries no meaning.
        address moved = $.validators[count - 1];
        $.validators[position - 1] = moved;
        $.positionOf[moved] = position;
        $.validators.pop();
        delete $.positionOf[validator];
        emit ValidatorRemoved(validator, pruned, msg.sender);
    }

    /// @dev Whether the validator's node is gone from the directory, or belongs to an offboarded organisation.
    function _leftForGood(IParticipantDirectory directory_, address validator) private view returns (bool) {
        bytes32[] memory ids = directory_.nodeIds();
        for (uint256 i = 0; i < ids.length; ++i) {
            if (address(uint160(uint256(ids[i]))) != validator) continue;
            uint32 orgId = directory_.node(ids[i]).orgId;
            return directory_.organisation(orgId).status == IParticipantDirectory.OrganisationStatus.Offboarded;
        }
        return true;
    }

    /// @dev The validator's node id if the directory allows that node to validate, else zero. The directory keys
    /// nodes by keccak256 of the public key, whose last 20 bytes are the validator address; the first 12 are not
    /// recoverable from the address, so the id is found among the directory's nodes.
    function _nodeIdOf(IParticipantDirectory directory_, address validator) private view returns (bytes32) {
        bytes32[] memory ids = directory_.nodeIds();
        for (uint256 i = 0; i < ids.length; ++i) {
            if (address(uint160(uint256(ids[i]))) != validator) continue;
            if (directory_.node(ids[i]).validator && directory_.isNodeAllowed(ids[i])) return ids[i];
        }
        return bytes32(0);
    }

    function _storage() private pure returns (ValidatorSetStorage storage $) {
        assembly {
            $.slot := _STORAGE
        }
    }
}
