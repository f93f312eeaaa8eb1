// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

import {PausableUpgradeable} from "@openzeppelin/contracts-upgradeable/utils/PausableUpgradeable.sol";
import {ILandEncumbrances} from "../interfaces/ILandEncumbrances.sol";
import {ILandSurvey} from "../interfaces/ILandSurvey.sol";
import {IParticipantDirectory} from "../interfaces/IParticipantDirectory.sol";
import {Capabilities} from "../governance/Capabilities.sol";
import {LandTitles} from "../libraries/LandTitles.sol";
import {LandState} from "./LandState.sol";

/// @title LandRegistryExtension
/// @notice The rarer half of the land registry: splits and merges ({ILandSurvey}), and what courts and banks do to
/// land — freezes and rectifications under court orders, and liens ({ILandEncumbrances}) — carried out for
/// {LandRegistry}, which hands it these calls with delegatecall so they run in the registry's storage and pause with
/// it. Called at its own address it works on empty storage of its own and touches no parcel.
/// @dev Nothing stays stuck, and nobody acts on what is another's: several orders may freeze a parcel and it stays
/// frozen until the last lapses or is lifted; only the ordering court lifts one — another court of the parcel's
/// jurisdiction once that court has left the directory. A bank's liens stand while it is a member, even suspended; once
/// it is offboarded, the successor the directory names for it releases them, or a court discharges them by its own
/// order. A court may restore the owners a parcel had before a wrongful mutation.
contract LandRegistryExtension is LandState, PausableUpgradeable, ILandSurvey, ILandEncumbrances {
    /// @notice Most liens one parcel may carry (the count is kept in 8 bits).
    uint8 public constant MAX_LIENS = type(uint8).max;
    /// @notice Most parcels a split makes or a merge joins.
    uint256 public constant MAX_SUCCESSORS = 64;

    IParticipantDirectory private immutable _DIRECTORY;

    constructor(IParticipantDirectory directory_) {
        _DIRECTORY = directory_;
        _disableInitializers();
    }

    // ---------------------------------------------------------------- survey

    /// @inheritdoc ILandSurvey
    function split(
        bytes14 ulpin,
        Owner[] calldata owners,
        NewParcel[] calldata parts,
        Absence[] calldata absences
    ) external whenNotPaused {
        if (parts.length < 2 || parts.length > MAX_SUCCESSORS) revert LandRegistryInvalidPartCount(parts.length);
        Parcel storage p = _divisibleParcel(ulpin, owners);
        uint32 orgId = _authorize(Capabilities.MANAGE_PARCELS, p);
        _requireUnclaimedParts(parts, absences);
        bytes14[] memory successors = _createParts(p, ulpin, owners, parts, orgId);
        p.state = ParcelState.Retired;
        _storage().children[ulpin] = successors;
        emit ParcelRetired(ulpin, Origin.Split, successors, orgId, msg.sender);
    }

    /// @inheritdoc ILandSurvey
    function merge(
        bytes14[] calldata ulpins,
        Owner[] calldata owners,
        NewParcel calldata merged,
        Absence[] calldata absences
    ) external whenNotPaused {
        if (ulpins.length < 2 || ulpins.length > MAX_SUCCESSORS) revert LandRegistryInvalidPartCount(ulpins.length);
        Parcel storage first = _divisibleParcel(ulpins[0], owners);
        uint32 orgId = _authorize(Capabilities.MANAGE_PARCELS, first);
        _requireUnclaimed(merged.ulpin, absences, 0, 1);
        uint256 total = _retireMerged(first, ulpins, owners, merged.ulpin, orgId);
        if (total != merged.area) revert LandRegistryAreaMismatch(total, merged.area);
        _createSuccessor(first, merged, owners, ulpins, Origin.Merged, orgId);
    }

    // ---------------------------------------------------------------- courts

    /// @inheritdoc ILandEncumbrances
    function freeze(bytes14 ulpin, bytes32 order, uint32 expiresAt) external whenNotPaused {
        if (order == bytes32(0)) revert LandRegistryEmptyHash();
        if (expiresAt != 0 && expiresAt <= block.timestamp) revert LandRegistryInvalidExpiry(expiresAt);
        Parcel storage p = _activeParcel(ulpin);
        uint32 orgId = _authorize(Capabilities.COURT_ORDERS, p);
        LandStorage storage $ = _storage();
        _adoptLegacyFreeze($, ulpin);
        mapping(bytes32 => Freeze) storage byOrder = $.freezesByOrder[ulpin];
        Freeze storage existing = byOrder[order];
        if (existing.order != bytes32(0) && _inForce(existing)) revert LandRegistryFreezeExists(ulpin, order);
        bytes32[] storage orders = _prunedOrders($, ulpin);
        if (orders.length == MAX_FREEZES) revert LandRegistryTooManyFreezes(ulpin);
        orders.push(order);
        byOrder[order] = Freeze({order: order, court: orgId, frozenAt: _now(), expiresAt: expiresAt});
        p.frozen = true;
        emit ParcelFrozen(ulpin, order, expiresAt, orgId, msg.sender);
    }

    /// @inheritdoc ILandEncumbrances
    function unfreeze(bytes14 ulpin, bytes32 order, bytes32 liftingOrder) external whenNotPaused {
        if (order == bytes32(0) || liftingOrder == bytes32(0)) revert LandRegistryEmptyHash();
        Parcel storage p = _activeParcel(ulpin);
        LandStorage storage $ = _storage();
        _adoptLegacyFreeze($, ulpin);
        Freeze storage f = $.freezesByOrder[ulpin][order];
        if (f.order == bytes32(0) || !_inForce(f)) revert LandRegistryUnknownFreeze(ulpin, order);
        uint32 orgId = _lifter(ulpin, order, f.court, p);
        delete $.freezesByOrder[ulpin][order];
        bytes32[] storage orders = _prunedOrders($, ulpin);
        for (uint256 i = 0; i < orders.length; ++i) {
            if (orders[i] != order) continue;
            orders[i] = orders[orders.length - 1];
            orders.pop();
            break;
        }
        p.frozen = orders.length != 0;
        emit FreezeLifted(ulpin, order, liftingOrder, orgId, msg.sender);
    }

    /// @inheritdoc ILandEncumbrances
    function rectify(
        bytes14 ulpin,
        bytes32 deedHash,
        Owner[] calldata restored,
        bytes32 order,
        bytes32 recordHash
    ) external whenNotPaused {
        if (order == bytes32(0) || recordHash == bytes32(0)) revert LandRegistryEmptyHash();
        Parcel storage p = _activeParcel(ulpin);
        uint32 orgId = _authorize(Capabilities.COURT_ORDERS, p);
        // An order still holding the parcel is litigation not yet done: the title waits for it to be lifted.
        _requireNotFrozen(p, ulpin);
        _mutationTakenEffect(ulpin, deedHash, LandTitles.requireOwners(restored)).status = MutationStatus.Rectified;
        p.owners = LandTitles.hash(restored);
        p.recordHash = recordHash;
        uint32 version_ = ++p.version;
        emit TitleRectified(ulpin, deedHash, restored, version_, recordHash, order, orgId, msg.sender);
    }

    // ---------------------------------------------------------------- banks

    /// @inheritdoc ILandEncumbrances
    function registerLien(bytes14 ulpin, bytes32 lien) external whenNotPaused {
        if (lien == bytes32(0)) revert LandRegistryEmptyHash();
        Parcel storage p = _activeParcel(ulpin);
        uint32 orgId = _authorize(Capabilities.LIENS, p);
        _requireNotFrozen(p, ulpin);
        Lien storage entry = _storage().liens[ulpin][lien];
        if (entry.holder != 0) revert LandRegistryLienExists(ulpin, lien);
        if (p.liens == MAX_LIENS) revert LandRegistryTooManyLiens(ulpin);
        ++p.liens;
        entry.holder = orgId;
        entry.registeredAt = _now();
        emit LienRegistered(ulpin, lien, orgId, msg.sender);
    }

    /// @inheritdoc ILandEncumbrances
    function consentToMutation(bytes14 ulpin, bytes32 lien, bytes32 deedHash) external whenNotPaused {
        (Lien storage held, uint32 orgId) = _heldLien(ulpin, lien);
        Mutation storage m = _mutation(ulpin, deedHash);
        if (m.status == MutationStatus.None) revert LandRegistryUnknownMutation(deedHash);
        if (m.status != MutationStatus.Open && m.status != MutationStatus.Appealed) {
            revert LandRegistryUnexpectedMutationStatus(deedHash, m.status);
        }
        if (held.consentedTo == deedHash) revert LandRegistryLienAlreadyConsented(lien, deedHash);
        if (held.consentedTo != bytes32(0)) _withdrawConsent(ulpin, held.consentedTo);
        held.consentedTo = deedHash;
        ++m.consents;
        emit LienConsented(ulpin, lien, deedHash, orgId, msg.sender);
    }

    /// @inheritdoc ILandEncumbrances
    function releaseLien(bytes14 ulpin, bytes32 lien) external whenNotPaused {
        (Lien storage held, uint32 orgId) = _heldLien(ulpin, lien);
        _removeLien(ulpin, lien, held);
        emit LienReleased(ulpin, lien, orgId, msg.sender);
    }

    /// @inheritdoc ILandEncumbrances
    function dischargeLien(bytes14 ulpin, bytes32 lien, bytes32 order) external whenNotPaused {
        if (order == bytes32(0)) revert LandRegistryEmptyHash();
        Parcel storage p = _storage().parcels[ulpin];
        if (p.state == ParcelState.None) revert LandRegistryUnknownParcel(ulpin);
        uint32 orgId = _authorize(Capabilities.COURT_ORDERS, p);
        Lien storage held = _storage().liens[ulpin][lien];
        uint32 holder = held.holder;
        if (holder == 0) revert LandRegistryUnknownLien(ulpin, lien);
        if (!_departed(holder)) revert LandRegistryLienHolderActive(lien, holder);
        _removeLien(ulpin, lien, held);
        emit LienDischarged(ulpin, lien, order, orgId, msg.sender);
    }

    // ---------------------------------------------------------------- internals

    function _directory() internal view override returns (IParticipantDirectory) {
        return _DIRECTORY;
    }

    /// @dev The lien, once `msg.sender` is known to act, in the parcel's jurisdiction, for the bank holding it — or,
    /// once that bank was offboarded, for an organisation the directory names as its successor.
    function _heldLien(bytes14 ulpin, bytes32 lien) private view returns (Lien storage held, uint32 orgId) {
        LandStorage storage $ = _storage();
        Parcel storage p = $.parcels[ulpin];
        if (p.state == ParcelState.None) revert LandRegistryUnknownParcel(ulpin);
        held = $.liens[ulpin][lien];
        uint32 holder = held.holder;
        if (holder == 0) revert LandRegistryUnknownLien(ulpin, lien);
        orgId = _authorize(Capabilities.LIENS, p);
        if (orgId == holder) return (held, orgId);
        if (_departed(holder) && _DIRECTORY.succeeds(orgId, holder)) return (held, orgId);
        revert LandRegistryNotLienHolder(lien, holder, orgId);
    }

    /// @dev The mutation, once it is known to have taken effect replacing exactly the owner list `earlier`.
    function _mutationTakenEffect(
        bytes14 ulpin,
        bytes32 deedHash,
        bytes32 earlier
    ) private view returns (Mutation storage m) {
        m = _mutation(ulpin, deedHash);
        MutationStatus status = m.status;
        if (status == MutationStatus.None) revert LandRegistryUnknownMutation(deedHash);
        bool tookEffect = status == MutationStatus.Approved || status == MutationStatus.AppealAllowed;
        // A mutation that took effect under 1.0.0 kept no earlier owners to restore.
        if (!tookEffect || m.transfer == bytes32(0)) revert LandRegistryUnexpectedMutationStatus(deedHash, status);
        if (earlier != m.transfer) revert LandRegistryNotEarlierOwners(ulpin, deedHash);
    }

    /// @dev Who may lift a freeze: a court of the parcel's jurisdiction that is the one that ordered it, or any such
    /// court once the ordering one has left the directory.
    function _lifter(bytes14 ulpin, bytes32 order, uint32 court, Parcel storage p) private view returns (uint32 orgId) {
        orgId = _authorize(Capabilities.COURT_ORDERS, p);
        if (orgId != court && !_departed(court)) revert LandRegistryNotFreezingCourt(ulpin, order, court, orgId);
    }

    /// @dev Whether an organisation left the directory for good. A suspended one has not: what it holds stands.
    function _departed(uint32 orgId) private view returns (bool) {
        return _DIRECTORY.organisation(orgId).status == IParticipantDirectory.OrganisationStatus.Offboarded;
    }

    function _removeLien(bytes14 ulpin, bytes32 lien, Lien storage held) private {
        LandStorage storage $ = _storage();
        if (held.consentedTo != bytes32(0)) _withdrawConsent(ulpin, held.consentedTo);
        --$.parcels[ulpin].liens;
        delete $.liens[ulpin][lien];
    }

    /// @dev Retires the parcels a merge joins, all of one place and one owner list; returns their total area.
    function _retireMerged(
        Parcel storage first,
        bytes14[] calldata ulpins,
        Owner[] calldata owners,
        bytes14 into,
        uint32 orgId
    ) private returns (uint256 total) {
        LandStorage storage $ = _storage();
        bytes14[] memory successors = new bytes14[](1);
        successors[0] = into;
        for (uint256 i = 0; i < ulpins.length; ++i) {
            Parcel storage p = i == 0 ? first : _divisibleParcel(ulpins[i], owners);
            if (_place(p) != _place(first)) revert LandRegistryMergeMismatch(ulpins[i]);
            total += p.area;
            p.state = ParcelState.Retired;
            $.children[ulpins[i]] = successors;
            emit ParcelRetired(ulpins[i], Origin.Merged, successors, orgId, msg.sender);
        }
    }

    /// @dev The parcels a split makes, whose areas must add up exactly to the parcel's.
    function _createParts(
        Parcel storage p,
        bytes14 ulpin,
        Owner[] calldata owners,
        NewParcel[] calldata parts,
        uint32 orgId
    ) private returns (bytes14[] memory successors) {
        bytes14[] memory parents = new bytes14[](1);
        parents[0] = ulpin;
        successors = new bytes14[](parts.length);
        uint256 total = 0;
        for (uint256 i = 0; i < parts.length; ++i) {
            _createSuccessor(p, parts[i], owners, parents, Origin.Split, orgId);
            successors[i] = parts[i].ulpin;
            total += parts[i].area;
        }
        if (total != p.area) revert LandRegistryAreaMismatch(p.area, total);
    }

    function _requireUnclaimedParts(NewParcel[] calldata parts, Absence[] calldata absences) private view {
        for (uint256 i = 0; i < parts.length; ++i) _requireUnclaimed(parts[i].ulpin, absences, i, parts.length);
    }

    /// @dev An active parcel that may be split or merged: not frozen, unencumbered, no mutation pending, and owned
    /// by exactly `owners`.
    function _divisibleParcel(bytes14 ulpin, Owner[] calldata owners) private view returns (Parcel storage p) {
        p = _activeParcel(ulpin);
        _requireNotFrozen(p, ulpin);
        if (p.liens != 0) revert LandRegistryParcelEncumbered(ulpin, p.liens);
        if (p.mutationPending) revert LandRegistryMutationPending(ulpin);
        if (LandTitles.hash(owners) != p.owners) revert LandRegistryOwnersMismatch(ulpin);
    }

    /// @dev District, block and village in one number, to compare places at once.
    function _place(Parcel storage p) private view returns (uint256) {
        return (uint256(p.district) << 48) | (uint256(p.block) << 32) | p.village;
    }

    /// @dev Creates a parcel made by a split or merge of `parents`, in the jurisdiction of `origin` and with its
    /// owners, and links it back.
    function _createSuccessor(
        Parcel storage origin,
        NewParcel calldata part,
        Owner[] calldata owners,
        bytes14[] memory parents,
        Origin how,
        uint32 orgId
    ) private {
        ParcelRecord memory record = ParcelRecord({
            ulpin: part.ulpin,
            area: part.area,
            landUse: part.landUse,
            district: origin.district,
            block: origin.block,
            village: origin.village,
            recordHash: part.recordHash
        });
        _create(record, owners, origin.owners, how, 0, parents, orgId);
        _storage().parents[part.ulpin] = parents;
    }

    /// @dev Moves 1.0.0's one freeze of a parcel among the orders kept since, so that both are handled alike.
    function _adoptLegacyFreeze(LandStorage storage $, bytes14 ulpin) private {
        Freeze storage legacy = $.freezes[ulpin];
        bytes32 order = legacy.order;
        if (order == bytes32(0)) return;
        $.freezeOrders[ulpin].push(order);
        $.freezesByOrder[ulpin][order] = legacy;
        delete $.freezes[ulpin];
    }

    /// @dev The parcel's orders, lapsed ones dropped.
    function _prunedOrders(LandStorage storage $, bytes14 ulpin) private returns (bytes32[] storage orders) {
        orders = $.freezeOrders[ulpin];
        for (uint256 i = orders.length; i > 0; --i) {
            Freeze storage f = $.freezesByOrder[ulpin][orders[i - 1]];
            if (_inForce(f)) continue;
            delete $.freezesByOrder[ulpin][orders[i - 1]];
            orders[i - 1] = orders[orders.length - 1];
            orders.pop();
        }
    }
}
