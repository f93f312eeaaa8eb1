// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

import {ILandRecords} from "./ILandRecords.sol";

/// @title ILandSurvey
/// @notice How survey and records staff reshape the parcel map: one parcel split into several, several merged into
/// one. Called at the land registry's address, which hands these calls to the contract carrying them out, in its own
/// storage.
interface ILandSurvey is ILandRecords {
    /// @notice Splits a parcel into parcels whose areas add up exactly to its own; they keep its `owners` (the
    /// current list, checked against the parcel). `absences` proves each new ULPIN free of every active snapshot:
    /// part by part, snapshot by snapshot.
    function split(
        bytes14 ulpin,
        Owner[] calldata owners,
        NewParcel[] calldata parts,
        Absence[] calldata absences
    ) external;

    /// @notice Merges parcels of the same `owners` in the same village into one; their areas add up. `absences` as for
    /// {registerParcel}, for the merged parcel's ULPIN.
    function merge(
        bytes14[] calldata ulpins,
        Owner[] calldata owners,
        NewParcel calldata merged,
        Absence[] calldata absences
    ) external;
}
