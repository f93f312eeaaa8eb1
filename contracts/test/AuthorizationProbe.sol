// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

import {IParticipantDirectory} from "../interfaces/IParticipantDirectory.sol";

/// @title AuthorizationProbe
/// @notice Measures what a registry pays for the directory check it makes on every write: a cold external call to
/// {IParticipantDirectory.authorizedOrganisation}, as the first thing in a transaction.
contract AuthorizationProbe {
    event Measured(uint32 orgId, uint256 gasUsed);

    function measure(
        IParticipantDirectory directory,
        address account,
        uint32 capability,
        uint32 jurisdiction
    ) external {
        uint256 before = gasleft();
        uint32 orgId = directory.authorizedOrganisation(account, capability, jurisdiction);
        uint256 used = before - gasleft();
        emit Measured(orgId, used);
    }
}
