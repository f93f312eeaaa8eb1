// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

import {MerkleProof} from "@openzeppelin/contracts/utils/cryptography/MerkleProof.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";
import {ILandRecords} from "../interfaces/ILandRecords.sol";
import {IParticipantDirectory} from "../interfaces/IParticipantDirectory.sol";
import {LandTitles} from "../libraries/LandTitles.sol";

/// @title LandState
/// @notice The land registry's storage and the rules both of its contracts read it by: {LandRegistry} (parcels,
/// mutations, migration) and {LandEncumbrances} (court orders and liens), which runs in the registry's storage.
/// @dev One ERC-7201 namespace, defined here once, so that both contracts see the same layout.
abstract contract LandState is ILandRecords {
    using SafeCast for uint256;

    /// @notice Most court orders that may freeze one parcel at once.
    uint256 public constant MAX_FREEZES = 8;

    /// @custom:storage-location erc7201:sakshya.storage.LandRegistry
    struct LandStorage {
        mapping(bytes14 ulpin => Parcel) parcels;
        /// @dev By mutation key: `keccak256(abi.encode(ulpin, deedHash))`, or the deed hash alone for a mutation
        /// opened under version 1.0.0.
        mapping(bytes32 mutationKey => Mutation) mutations;
        /// @dev Version 1.0.0's one freeze per parcel; since 2.0.0 freezes are kept by order.
        mapping(bytes14 ulpin => Freeze) freezes;
        mapping(bytes14 ulpin => mapping(bytes32 lien => Lien)) liens;
        mapping(bytes14 ulpin => bytes14[]) parents;
        mapping(bytes14 ulpin => bytes14[]) children;
        mapping(bytes32 root => Snapshot) snapshots;
        /// @dev Zero until governance sets them, read as the defaults.
        uint32 objectionWindow;
        uint32 serviceLevel;
        /// @dev The orders freezing each parcel (at most {MAX_FREEZES}; lapsed ones are pruned when another is added).
        mapping(bytes14 ulpin => bytes32[]) freezeOrders;
        mapping(bytes14 ulpin => mapping(bytes32 order => Freeze)) freezesByOrder;
        /// @dev Snapshots anchored since 2.0.0 and not retired: a new ULPIN must be proved absent from each.
        bytes32[] activeSnapshots;
    }

    // keccak256(abi.encode(uint256(keccak256("sakshya.storage.LandRegistry")) - 1)) & ~bytes32(uint256(0xff))
    bytes32 private constant _STORAGE_SLOT = 0x075dc611c73eeb06121e5240ec33d43934a6b567278e7524346e6359aedb0d00;

    /// @dev The participant directory both contracts ask.
    function _directory() internal view virtual returns (IParticipantDirectory);

    /// @dev The organisation `msg.sender` acts for, if it serves the parcel's block or its district.
    function _authorize(uint32 capability, Parcel storage p) internal view returns (uint32) {
        return _authorizeIn(capability, p.district, p.block);
    }

    function _authorizeIn(uint32 capability, uint16 district, uint16 block_) internal view returns (uint32) {
        uint32 districtCode = uint32(district) << 16;
        return _directory().authorizedOrganisationWithin(msg.sender, capability, districtCode | block_, districtCode);
    }

    function _activeParcel(bytes14 ulpin) internal view returns (Parcel storage p) {
        p = _storage().parcels[ulpin];
        ParcelState state = p.state;
        if (state == ParcelState.None) revert LandRegistryUnknownParcel(ulpin);
        if (state == ParcelState.Retired) revert LandRegistryParcelRetired(ulpin);
    }

    /// @dev The mutation `deedHash` opened on `ulpin`: under its own key, or, opened under 1.0.0, under the deed hash
    /// alone. Empty if there is none.
    function _mutation(bytes14 ulpin, bytes32 deedHash) internal view returns (Mutation storage m) {
        LandStorage storage $ = _storage();
        m = $.mutations[_mutationKey(ulpin, deedHash)];
        if (m.status != MutationStatus.None || $.parcels[ulpin].keyedByParcel) return m;
        Mutation storage legacy = $.mutations[deedHash];
        if (legacy.status != MutationStatus.None && legacy.ulpin == ulpin) return legacy;
    }

    function _mutationKey(bytes14 ulpin, bytes32 deedHash) internal pure returns (bytes32) {
        return keccak256(abi.encode(ulpin, deedHash));
    }

    /// @dev A lien's consent counts for one mutation; moving or releasing it takes it back.
    function _withdrawConsent(bytes14 ulpin, bytes32 deedHash) internal {
        --_mutation(ulpin, deedHash).consents;
    }

    function _requireNotFrozen(Parcel storage p, bytes14 ulpin) internal view {
        if (!p.frozen) return;
        (bool frozen, Freeze memory f) = _firstFreeze(ulpin);
        if (frozen) revert LandRegistryParcelFrozen(ulpin, f.order, f.expiresAt);
    }

    /// @dev A freeze holds from its order until lifted or, if it has an expiry, until then. `frozen` is only a hint
    /// that an order was recorded, so the common unfrozen parcel costs no further read.
    function _isFrozen(Parcel storage p, bytes14 ulpin) internal view returns (bool frozen) {
        if (p.frozen) (frozen, ) = _firstFreeze(ulpin);
    }

    /// @dev The first order in force freezing the parcel, from 1.0.0's single freeze or the orders since.
    function _firstFreeze(bytes14 ulpin) internal view returns (bool, Freeze memory) {
        LandStorage storage $ = _storage();
        Freeze storage legacy = $.freezes[ulpin];
        if (legacy.order != bytes32(0) && _inForce(legacy)) return (true, legacy);
        bytes32[] storage orders = $.freezeOrders[ulpin];
        for (uint256 i = 0; i < orders.length; ++i) {
            Freeze storage f = $.freezesByOrder[ulpin][orders[i]];
            if (_inForce(f)) return (true, f);
        }
        return (false, Freeze(bytes32(0), 0, 0, 0));
    }

    function _inForce(Freeze storage f) internal view returns (bool) {
        uint32 expiresAt = f.expiresAt;
        return expiresAt == 0 || block.timestamp < expiresAt;
    }

    /// @dev Writes a new parcel after checking its record (its location is checked or inherited), and tells how
    /// it came.
    function _create(
        ParcelRecord memory record,
        Owner[] calldata owners,
        bytes32 ownersHash_,
        Origin origin,
        bytes32 snapshotRoot,
        bytes14[] memory parents,
        uint32 orgId
    ) internal {
        bytes14 ulpin = record.ulpin;
        LandTitles.requireUlpin(ulpin);
        if (record.area == 0) revert LandRegistryZeroArea(ulpin);
        if (record.recordHash == bytes32(0)) revert LandRegistryEmptyHash();
        Parcel storage p = _storage().parcels[ulpin];
        if (p.state != ParcelState.None) revert LandRegistryParcelExists(ulpin);
        p.area = record.area;
        p.district = record.district;
        p.block = record.block;
        p.village = record.village;
        p.landUse = record.landUse;
        p.state = ParcelState.Active;
        p.version = 1;
        p.keyedByParcel = true;
        p.owners = ownersHash_;
        p.recordHash = record.recordHash;
        emit ParcelCreated(ulpin, origin, record, owners, snapshotRoot, parents, orgId, msg.sender);
    }

    /// @dev Reverts unless `absences[offset * stride + j]` proves, for each active snapshot `j`, that it does not hold
    /// `ulpin`: a new ULPIN never takes a parcel a migration still holds for its recorded owners. `stride` is how many
    /// ULPINs the list covers (several parts of a split), each given one proof per snapshot.
    function _requireUnclaimed(
        bytes14 ulpin,
        Absence[] calldata absences,
        uint256 offset,
        uint256 stride
    ) internal view {
        LandStorage storage $ = _storage();
        bytes32[] storage active = $.activeSnapshots;
        uint256 n = active.length;
        if (absences.length != n * stride) {
            if (n == 0) revert LandRegistryHeldBySnapshot(ulpin, bytes32(0));
            revert LandRegistryHeldBySnapshot(ulpin, active[0]);
        }
        for (uint256 j = 0; j < n; ++j) {
            Absence calldata a = absences[offset * n + j];
            bytes32 leaf = keccak256(bytes.concat(keccak256(abi.encode(a.below, a.above))));
            bool absent = a.below < ulpin &&
                ulpin < a.above &&
                MerkleProof.verifyCalldata(a.proof, $.snapshots[active[j]].absenceRoot, leaf);
            if (!absent) revert LandRegistryHeldBySnapshot(ulpin, active[j]);
        }
    }

    function _now() internal view returns (uint32) {
        return block.timestamp.toUint32();
    }

    function _storage() internal pure returns (LandStorage storage $) {
        assembly {
            $.slot := _STORAGE_SLOT
        }
    }
}
