// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

import {ILandRecords} from "./ILandRecords.sol";

/// @title ILandParcels
/// @notice The land registry's parcels, deeds and mutations, and the migration of existing registers; splits and
/// merges are in {ILandSurvey}, the court orders and liens that bear on parcels in {ILandEncumbrances}.
interface ILandParcels is ILandRecords {
    // ---------------------------------------------------------------- parcels

    /// @notice Registers a new parcel (survey and records staff of its jurisdiction). `absences` proves, for each
    /// active snapshot in the order of {activeSnapshots}, that it does not hold the ULPIN.
    function registerParcel(
        ParcelRecord calldata record,
        Owner[] calldata owners,
        Absence[] calldata absences
    ) external;

    /// @notice Brings a parcel of an active snapshot on chain, exactly as its entry says. Anyone may call: the entry's
    /// authority is the snapshot root that governance anchored.
    function materialise(
        bytes32 root,
        ParcelRecord calldata record,
        Owner[] calldata owners,
        bytes32[] calldata proof
    ) external;

    /// @notice Changes a parcel's land use with its new Record of Rights (survey and records staff).
    function changeLandUse(bytes14 ulpin, LandUse landUse, bytes32 recordHash) external;

    // ---------------------------------------------------------------- mutations

    /// @notice Registers a sale, gift or partition deed (Registration department): `from` gives the listed shares
    /// to `to`. If `from` is exactly the recorded owners the mutation may be approved at once, otherwise after the
    /// objection window. A mutation is named by its parcel and its deed: a deed hash used for one parcel takes nothing
    /// from another.
    function registerDeed(
        bytes32 deedHash,
        bytes14 ulpin,
        MutationKind kind,
        Owner[] calldata from,
        Owner[] calldata to
    ) external;

    /// @notice Opens a succession on a succession certificate (Land Revenue office); the objection window always runs.
    function openSuccession(
        bytes32 certificateHash,
        bytes14 ulpin,
        Owner[] calldata from,
        Owner[] calldata to
    ) external;

    /// @notice Records an objection to an open mutation, within its window (Land Revenue office).
    function lodgeObjection(bytes14 ulpin, bytes32 deedHash, bytes32 objection) external;

    /// @notice Approves a mutation (Land Revenue office of the parcel's jurisdiction): owners, version and Record of
    /// Rights change together. `owners` is the current owner list; it may be empty when `from` is all of them.
    function approveMutation(
        bytes14 ulpin,
        bytes32 deedHash,
        Owner[] calldata owners,
        Owner[] calldata from,
        Owner[] calldata to,
        bytes32 recordHash
    ) external;

    /// @notice Rejects a mutation with a reason and the reasoned order (Land Revenue office).
    function rejectMutation(bytes14 ulpin, bytes32 deedHash, RejectionReason reason, bytes32 order) external;

    /// @notice Files the one appeal a rejected mutation may have (appellate authority).
    function fileAppeal(bytes14 ulpin, bytes32 deedHash, bytes32 appeal) external;

    /// @notice Allows an appeal: the mutation takes effect as {approveMutation} would.
    function allowAppeal(
        bytes14 ulpin,
        bytes32 deedHash,
        bytes32 order,
        Owner[] calldata owners,
        Owner[] calldata from,
        Owner[] calldata to,
        bytes32 recordHash
    ) external;

    /// @notice Dismisses an appeal; the rejection stands for good.
    function dismissAppeal(bytes14 ulpin, bytes32 deedHash, bytes32 order) external;

    // ---------------------------------------------------------------- governance

    /// @notice Anchors a migration snapshot: the Merkle root over existing records, their count, the hash of the
    /// export it was built from, and the root of the gaps between its ULPINs (see {Absence}). A snapshot anchored by
    /// 1.0.0, without gaps, is anchored again with them (same root and count) to hold its ULPINs from then on.
    function anchorSnapshot(bytes32 root, uint32 parcelCount, bytes32 exportHash, bytes32 absenceRoot) external;

    /// @notice Retires a snapshot with the reason for it: what it still held can no longer be materialised, and it no
    /// longer blocks those ULPINs.
    function retireSnapshot(bytes32 root, bytes32 reason) external;

    /// @notice Sets the objection window for mutations opened from now on.
    function setObjectionWindow(uint32 duration) external;

    /// @notice Sets after how long a pending mutation is overdue.
    function setServiceLevel(uint32 duration) external;

    // ---------------------------------------------------------------- views

    /// @notice A parcel as stored, except `frozen`: whether a court order freezes it now.
    function parcel(bytes14 ulpin) external view returns (Parcel memory);

    /// @notice Active, frozen (by a freeze in force) or retired; `None` if not on chain.
    function parcelStatus(bytes14 ulpin) external view returns (ParcelStatus);

    /// @notice The court orders freezing a parcel now.
    function freezesOf(bytes14 ulpin) external view returns (Freeze[] memory);

    function lienOf(bytes14 ulpin, bytes32 lien) external view returns (Lien memory);

    function mutation(bytes14 ulpin, bytes32 deedHash) external view returns (Mutation memory);

    /// @notice Whether a pending mutation has waited longer than the service level: since it was opened, or, once
    /// appealed, since the appeal.
    function isOverdue(bytes14 ulpin, bytes32 deedHash) external view returns (bool);

    function parentsOf(bytes14 ulpin) external view returns (bytes14[] memory);

    function childrenOf(bytes14 ulpin) external view returns (bytes14[] memory);

    function snapshot(bytes32 root) external view returns (Snapshot memory);

    /// @notice The snapshots a new ULPIN must be proved absent from, in the order {Absence} lists are given.
    function activeSnapshots() external view returns (bytes32[] memory);

    function objectionWindow() external view returns (uint32);

    function serviceLevel() external view returns (uint32);

    /// @notice The hash a parcel keeps of an owner list.
    function ownersHash(Owner[] calldata owners) external pure returns (bytes32);

    /// @notice The contract that carries out {ILandSurvey} and {ILandEncumbrances} for this registry, in its storage.
    function extension() external view returns (address);
}
