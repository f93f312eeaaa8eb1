// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

/// @title BulkCaller
/// @notice Bench-only: makes many calls to one contract in one transaction, as itself (an account of the directory),
/// so that a bench fills a chain with a hundred thousand events in a few hundred transactions.
contract BulkCaller {
    /// @notice Call `index` of a bulk call reverted with `reason`.
    error BulkCallerCallFailed(uint256 index, bytes reason);

    function callAll(address target, bytes[] calldata calls) external {
        for (uint256 i = 0; i < calls.length; ++i) {
            // solhint-disable-next-line avoid-low-level-calls
            (bool ok, bytes memory reason) = target.call(calls[i]);
            if (!ok) revert BulkCallerCallFailed(i, reason);
        }
    }
}
