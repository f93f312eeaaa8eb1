// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

import {IAccessManager} from "@openzeppelin/contracts/access/manager/IAccessManager.sol";
import {IAccountPermissions} from "../interfaces/IBesuPermissions.sol";
import {IParticipantDirectory} from "../interfaces/IParticipantDirectory.sol";
import {BesuPermissions} from "./BesuPermissions.sol";

/// @title AccountPermissions
/// @notice Besu's account permissioning contract for the backbone: a transaction is accepted from an active
/// account of an active organisation in the participant directory, or from a holder of one of the governance roles
/// named at binding (the agency's own accounts). Offboarding or suspending an organisation, removing an account or
/// reporting it compromised stops its transactions at once.
/// @dev Until it is bound only the bootstrap account may send, so it can deploy the suite and bind. Never reverts.
contract AccountPermissions is BesuPermissions, IAccountPermissions {
    constructor(address bootstrap_) BesuPermissions(bootstrap_) {}

    /// @inheritdoc IAccountPermissions
    function transactionAllowed(
        address sender,
        address,
        uint256,
        uint256,
        uint256,
        bytes calldata
    ) external view returns (bool) {
        return _allows(sender);
    }

    function _allows(address sender) private view returns (bool) {
        BesuPermissionsStorage storage $ = _storage();
        IParticipantDirectory directory_ = $.directory;
        if (address(directory_) == address(0)) return sender == $.bootstrap;
        IParticipantDirectory.Account memory account = directory_.account(sender);
        if (account.active) {
            IParticipantDirectory.OrganisationStatus status = directory_.organisation(account.orgId).status;
            if (status == IParticipantDirectory.OrganisationStatus.Active) return true;
        }
        uint64[] storage roleIds = $.roleIds;
        for (uint256 i = 0; i < roleIds.length; ++i) {
            (bool isMember, ) = IAccessManager($.authority).hasRole(roleIds[i], sender);
            if (isMember) return true;
        }
        return false;
    }
}
