// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

import {ISafeModules} from "../interfaces/ISafeModules.sol";

/// @title SafeModuleSetup
/// @notice Enables modules on a Safe while it is set up: the Safe's `setup` delegatecalls {enableModules}, which then
/// calls the Safe's own `enableModule` — a call from the Safe to itself, the only caller `enableModule` accepts.
/// @dev Holds no state and is useful only under a Safe's delegatecall; called directly it enables nothing anywhere.
contract SafeModuleSetup {
    /// @notice Enables each of `modules` on the Safe running this code.
    function enableModules(address[] calldata modules) external {
        for (uint256 i = 0; i < modules.length; ++i) {
            ISafeModules(address(this)).enableModule(modules[i]);
        }
    }
}
