// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

import {
    AccessManagedUpgradeable
} from "@openzeppelin/contracts-upgradeable/access/manager/AccessManagedUpgradeable.sol";
import {Initializable} from "@openzeppelin/contracts-upgradeable/proxy/utils/Initializable.sol";
import {UUPSUpgradeable} from "@openzeppelin/contracts-upgradeable/proxy/utils/UUPSUpgradeable.sol";
import {PausableUpgradeable} from "@openzeppelin/contracts-upgradeable/utils/PausableUpgradeable.sol";

/// @title GovernedUpgradeable
/// @notice What every contract of the suite shares: a UUPS proxy whose upgrades, pause and unpause belong to the
/// suite's AccessManager. Each contract keeps its own state in its own ERC-7201 namespace, so this base adds none.
/// @dev Each contract declares its own `initialize(address)` calling {__Governed_init}, so that the upgrades plugin
/// sees an initializer in the contract it validates.
abstract contract GovernedUpgradeable is Initializable, AccessManagedUpgradeable, PausableUpgradeable, UUPSUpgradeable {

    /// @notice Stops every write until unpaused; views keep answering.
    function pause() external restricted {
        _pause();
    }

    /// @notice Lets writes through again.
    function unpause() external restricted {
        _unpause();
    }

    /// @notice Version of this implementation; upgrades raise it.
    function version() external pure virtual returns (string memory);

    /// @dev Sets the suite's AccessManager as this contract's authority.
    // solhint-disable-next-line func-name-mixedcase
    function __Governed_init(address initialAuthority) internal onlyInitializing {
        __AccessManaged_init(initialAuthority);
        __Pausable_init();
        __UUPSUpgradeable_init();
    }

    function _authorizeUpgrade(address) internal override restricted {}
}
