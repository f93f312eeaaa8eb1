// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

import {AccessManager} from "@openzeppelin/contracts/access/manager/AccessManager.sol";

/// @title SakshyaAuthority
/// @notice The one OpenZeppelin AccessManager of the suite: it decides who may change the rules (upgrades, pausing,
/// onboarding) of every registry. Roles, their labels, execution delays and function permissions are wired by the
/// deployment (see `src/governance/roles.ts`), so that every network gets the same policy with its own delays.
contract SakshyaAuthority is AccessManager {
    constructor(address initialAdmin) AccessManager(initialAdmin) {}
}
