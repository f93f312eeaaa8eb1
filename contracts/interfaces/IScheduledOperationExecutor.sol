// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

/// @title IScheduledOperationExecutor
/// @notice A Safe module through which anyone carries out, for a committee's Safe, an operation of the suite's
/// AccessManager that the committee itself scheduled, once its delay has passed.
interface IScheduledOperationExecutor {
    /// @notice `caller` carried out the Safe's scheduled operation `operationId`.
    event ScheduledOperationExecuted(address indexed safe, bytes32 indexed operationId, address indexed caller);

    /// @notice The AccessManager passed to the constructor is the zero address.
    error ScheduledOperationExecutorZeroManager();
    /// @notice The Safe has no such operation scheduled: never scheduled, or already executed, cancelled or expired.
    error ScheduledOperationExecutorNotScheduled(bytes32 operationId);
    /// @notice The operation's delay runs until `readyAt`.
    error ScheduledOperationExecutorNotReady(bytes32 operationId, uint48 readyAt);

    /// @notice Carries out `safe`'s scheduled call of `data` on `target` through the AccessManager's `execute`.
    function execute(address safe, address target, bytes calldata data) external;
}
