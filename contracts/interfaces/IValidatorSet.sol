// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

import {IParticipantDirectory} from "./IParticipantDirectory.sol";

/// @title IValidatorSet
/// @notice The QBFT validator set, as Besu's contract validator selection reads it (`getValidators()`), governed
/// through the suite's AccessManager and kept consistent with the validator nodes of the participant directory.
/// @dev A validator's address is its node's address: the last 20 bytes of keccak256 of the node public key, which
/// is also the directory's node id. So a node id names its validator, and a validator its node.
interface IValidatorSet {
    /// @notice The set was bound to its governance and directory; from now on they decide who validates.
    event ValidatorSetBound(address indexed authority, IParticipantDirectory indexed directory, address[] validators);

    /// @notice A validator joined; Besu uses it from the next block.
    event ValidatorAdded(address indexed validator, bytes32 indexed nodeId, uint32 indexed orgId, address actor);

    /// @notice A validator left, removed by governance or pruned because the directory no longer allows its node.
    event ValidatorRemoved(address indexed validator, bool pruned, address actor);

    /// @notice Only the bootstrap account written into the genesis may bind the set, and only once.
    error ValidatorSetNotBootstrap(address caller);

    /// @notice The set is already bound.
    error ValidatorSetAlreadyBound();

    /// @notice An authority or directory given to `bind` is the zero address.
    error ValidatorSetZeroAddress();

    /// @notice The node is not a validator node the directory allows (unknown, not a validator, or its
    /// organisation is not active with the validate capability).
    error ValidatorSetNodeNotAllowed(bytes32 nodeId);

    /// @notice A genesis validator has no node in the directory that may validate; register it before binding.
    error ValidatorSetNotInDirectory(address validator);

    /// @notice The validator is already in the set.
    error ValidatorSetAlreadyValidator(address validator);

    /// @notice The address is not in the set.
    error ValidatorSetUnknownValidator(address validator);

    /// @notice The last validator cannot leave: with none, the chain stops.
    error ValidatorSetLastValidator(address validator);

    /// @notice Pruning needs the validator's node to have left the directory for good (removed, or its organisation
    /// offboarded); a suspension does not count.
    error ValidatorSetNotPrunable(address validator);

    /// @notice Pruning would leave fewer validators than the minimum the network was generated with; only
    /// governance's delayed path may go below it.
    error ValidatorSetAtMinimum(address validator, uint256 count, uint256 minimum);

    /// @notice The validators, in the order they joined; Besu calls this at every block.
    function getValidators() external view returns (address[] memory);

    /// @notice Binds the set to the suite's AccessManager and directory, once, checking that every genesis
    /// validator is an allowed validator node of the directory. Only the bootstrap account may call it.
    function bind(address authority, IParticipantDirectory directory) external;

    /// @notice Adds the validator of a directory node that may validate (governance).
    function addValidator(bytes32 nodeId) external;

    /// @notice Removes a validator (governance, delayed); it may go below {minimum}, never to none.
    function removeValidator(address validator) external;

    /// @notice Removes a validator whose node left the directory for good (anyone): its node was removed or its
    /// organisation offboarded. Never for a suspension, and never below {minimum}.
    function prune(address validator) external;

    /// @notice Whether `account` is in the set.
    function isValidator(address account) external view returns (bool);

    /// @notice The fewest validators pruning may leave (a network of 4 tolerates one fault; going below that is
    /// governance's decision).
    function minimum() external view returns (uint256);

    /// @notice The account that may bind the set; zero once bound.
    function bootstrap() external view returns (address);

    /// @notice The directory the set checks nodes against; zero until bound.
    function directory() external view returns (IParticipantDirectory);
}
