// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

import {IAccessManager} from "@openzeppelin/contracts/access/manager/IAccessManager.sol";
import {IScheduledOperationExecutor} from "../interfaces/IScheduledOperationExecutor.sol";
import {ISafeModules} from "../interfaces/ISafeModules.sol";

/// @title ScheduledOperationExecutor
/// @notice A Safe module for the suite's committees (the SBIC as governor, say). A committee's delayed decision takes
/// two steps on the AccessManager: scheduling, which its members sign, and executing once the delay has passed. The
/// AccessManager lets only the scheduler execute, so without this module the members would sign every decision twice;
/// with it, anyone carries out what the committee scheduled, after the delay the guardian had to cancel it.
/// @dev It can do nothing the committee did not decide: the operation must be scheduled by the Safe itself and ready —
/// not executed, cancelled or expired, and past its delay — and the only call it makes as the Safe is the
/// AccessManager's `execute` of that very operation.
contract ScheduledOperationExecutor is IScheduledOperationExecutor {
    /// @notice The suite's AccessManager, the only contract this module calls as a Safe.
    IAccessManager public immutable MANAGER;

    /// @dev Safe's `Enum.Operation.Call`.
    uint8 private constant _CALL = 0;

    constructor(IAccessManager manager) {
        if (address(manager) == address(0)) revert ScheduledOperationExecutorZeroManager();
        MANAGER = manager;
    }

    /// @inheritdoc IScheduledOperationExecutor
    function execute(address safe, address target, bytes calldata data) external {
        bytes32 operationId = MANAGER.hashOperation(safe, target, data);
        uint48 readyAt = MANAGER.getSchedule(operationId);
        if (readyAt == 0) revert ScheduledOperationExecutorNotScheduled(operationId);
        if (readyAt > block.timestamp) revert ScheduledOperationExecutorNotReady(operationId, readyAt);
        (bool success, bytes memory returned) = ISafeModules(safe).execTransactionFromModuleReturnData(
            address(MANAGER),
            0,
            abi.encodeCall(IAccessManager.execute, (target, data)),
            _CALL
        );
        if (!success) {
            // The AccessManager's or the target's own revert, as it was.
            assembly ("memory-safe") {
                revert(add(returned, 32), mload(returned))
            }
        }
        emit ScheduledOperationExecuted(safe, operationId, msg.sender);
    }
}
