// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

/// @title ISafeModules
/// @notice The part of a Safe (1.4.x, `ModuleManager`) that the suite's modules use: enabling a module, which only
/// the Safe itself may do, and a module's call made as the Safe.
interface ISafeModules {
    function enableModule(address module) external;

    /// @dev `operation` 0 is a call, 1 a delegatecall (Safe's `Enum.Operation`); the suite's modules only call.
    function execTransactionFromModuleReturnData(
        address to,
        uint256 value,
        bytes calldata data,
        uint8 operation
    ) external returns (bool success, bytes memory returnData);
}
