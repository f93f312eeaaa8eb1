// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

import {ILandRecords} from "./ILandRecords.sol";

/// @title ILandEncumbrances
/// @notice What courts and banks do to land: freezes and rectifications under court orders, and liens. Called at the
/// land registry's address, which hands these calls to the contract carrying them out, in its own storage.
interface ILandEncumbrances is ILandRecords {
    /// @notice Freezes a parcel under a court order, until lifted or until `expiresAt` (0: until lifted). Several
    /// orders may freeze a parcel at once; it stays frozen until the last lapses or is lifted.
    function freeze(bytes14 ulpin, bytes32 order, uint32 expiresAt) external;

    /// @notice Lifts the freeze made under `order` with the court's `liftingOrder`: the court that ordered it, or —
    /// once that court was offboarded — another court of the parcel's jurisdiction. No other authority lifts a court's
    /// order.
    function unfreeze(bytes14 ulpin, bytes32 order, bytes32 liftingOrder) external;

    /// @notice Restores, under a court order, the owners a parcel had before the mutation `deedHash` took effect — how
    /// land law corrects a wrongful mutation (a court of the parcel's jurisdiction). `restored` is that owner list.
    function rectify(
        bytes14 ulpin,
        bytes32 deedHash,
        Owner[] calldata restored,
        bytes32 order,
        bytes32 recordHash
    ) external;

    /// @notice Registers a bank's lien on a parcel.
    function registerLien(bytes14 ulpin, bytes32 lien) external;

    /// @notice The lien holder consents to a pending mutation of the parcel.
    function consentToMutation(bytes14 ulpin, bytes32 lien, bytes32 deedHash) external;

    /// @notice The lien holder releases its lien; once the bank was offboarded, its successor named in the directory
    /// may. A suspended bank has not left: nobody else acts on its liens.
    function releaseLien(bytes14 ulpin, bytes32 lien) external;

    /// @notice A court of the parcel's jurisdiction discharges, by its own order, a lien whose bank was offboarded.
    function dischargeLien(bytes14 ulpin, bytes32 lien, bytes32 order) external;
}
