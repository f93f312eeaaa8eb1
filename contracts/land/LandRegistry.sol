// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

import {MerkleProof} from "@openzeppelin/contracts/utils/cryptography/MerkleProof.sol";
import {ILandParcels} from "../interfaces/ILandParcels.sol";
import {IParticipantDirectory} from "../interfaces/IParticipantDirectory.sol";
import {Capabilities} from "../governance/Capabilities.sol";
import {DirectoryGated} from "../governance/DirectoryGated.sol";
import {GovernedUpgradeable} from "../governance/GovernedUpgradeable.sol";
import {LandTitles} from "../libraries/LandTitles.sol";
import {LandState} from "./LandState.sol";

/// @title LandRegistry
/// @notice Land parcels and every step that changes them, each checked against the participant directory in the
/// parcel's jurisdiction, timed, and explained by a document hash. Governance only anchors and retires migration
/// snapshots, sets the objection window and service level, pauses and upgrades: it cannot move land.
///
/// Splits and merges ({ILandSurvey}), court orders and liens ({ILandEncumbrances}) are carried out by
/// {LandRegistryExtension}, which this contract calls with delegatecall for any function it does not have itself, so
/// that they run in the registry's storage: one address, one state, two contracts each under the 24 KiB code limit that
/// Besu keeps. Its address is fixed in this implementation; replacing it is an upgrade of this contract.
/// @dev A parcel keeps the hash of its owner list, not the list: a one-owner parcel costs one slot for its owners
/// whatever their number, and events carry the lists. One mutation per parcel may be pending at a time, so the owners
/// a mutation was opened against are still the owners when it is decided, unless an appeal reopens it later; then
/// the current list passed in is checked again.
contract LandRegistry is DirectoryGated, LandState, ILandParcels {
    /// @notice Objection window until governance sets another.
    uint32 public constant DEFAULT_OBJECTION_WINDOW = 30 days;
    /// @notice Service level until governance sets another.
    uint32 public constant DEFAULT_SERVICE_LEVEL = 45 days;
    /// @notice Longest objection window or service level governance may set.
    uint32 public constant MAX_DURATION = 365 days;
    /// @notice Most snapshots that may be active at once: each one a new ULPIN must be proved absent from.
    uint256 public constant MAX_ACTIVE_SNAPSHOTS = 16;

    /// @custom:oz-upgrades-unsafe-allow state-variable-immutable
    address private immutable _EXTENSION;

    /// @custom:oz-upgrades-unsafe-allow constructor
    constructor(IParticipantDirectory directory_, address extension_) DirectoryGated(directory_) {
        _EXTENSION = extension_;
    }

    /// @notice Hands every function this contract does not have — those of {ILandSurvey} and {ILandEncumbrances} —
    /// to {LandRegistryExtension}, to run in this registry's storage.
    /// @custom:oz-upgrades-unsafe-allow delegatecall
    // The registry takes no ether, so its fallback is not payable.
    // solhint-disable-next-line no-complex-fallback, payable-fallback
    fallback() external {
        address target = _EXTENSION;
        assembly ("memory-safe") {
            // Past the free memory pointer, which nothing allocates after: this never returns to Solidity.
            let ptr := mload(0x40)
            calldatacopy(ptr, 0, calldatasize())
            let ok := delegatecall(gas(), target, ptr, calldatasize(), 0, 0)
            returndatacopy(ptr, 0, returndatasize())
            if iszero(ok) {
                revert(ptr, returndatasize())
            }
            return(ptr, returndatasize())
        }
    }

    /// @notice Sets the suite's AccessManager as this registry's authority.
    function initialize(address initialAuthority) external initializer {
        __Governed_init(initialAuthority);
    }

    /// @inheritdoc GovernedUpgradeable
    function version() external pure virtual override returns (string memory) {
        return "2.2.0";
    }

    // ---------------------------------------------------------------- parcels

    /// @inheritdoc ILandParcels
    function registerParcel(
        ParcelRecord calldata record,
        Owner[] calldata owners,
        Absence[] calldata absences
    ) external whenNotPaused {
        _requireLocation(record);
        uint32 orgId = _authorizeIn(Capabilities.MANAGE_PARCELS, record.district, record.block);
        _requireUnclaimed(record.ulpin, absences, 0, 1);
        _create(record, owners, LandTitles.requireOwners(owners), Origin.Registered, 0, new bytes14[](0), orgId);
    }

    /// @inheritdoc ILandParcels
    function materialise(
        bytes32 root,
        ParcelRecord calldata record,
        Owner[] calldata owners,
        bytes32[] calldata proof
    ) external whenNotPaused {
        Snapshot storage s = _storage().snapshots[root];
        if (s.anchoredAt == 0) revert LandRegistryUnknownSnapshot(root);
        if (s.retiredAt != 0) revert LandRegistrySnapshotRetired(root);
        _requireLocation(record);
        bytes32 owners_ = LandTitles.requireOwners(owners);
        bytes32 leaf = keccak256(
            bytes.concat(
                keccak256(
                    abi.encode(
                        record.ulpin,
                        owners_,
                        record.area,
                        record.landUse,
                        record.district,
                        record.block,
                        record.village,
                        record.recordHash
                    )
                )
            )
        );
        if (!MerkleProof.verifyCalldata(proof, root, leaf)) revert LandRegistryInvalidProof(root, record.ulpin);
        _create(record, owners, owners_, Origin.Materialised, root, new bytes14[](0), 0);
    }

    /// @inheritdoc ILandParcels
    function changeLandUse(bytes14 ulpin, LandUse landUse, bytes32 recordHash) external whenNotPaused {
        if (recordHash == bytes32(0)) revert LandRegistryEmptyHash();
        Parcel storage p = _activeParcel(ulpin);
        uint32 orgId = _authorize(Capabilities.MANAGE_PARCELS, p);
        _requireNotFrozen(p, ulpin);
        LandUse from = p.landUse;
        if (from == landUse) revert LandRegistryUnchangedLandUse(ulpin);
        p.landUse = landUse;
        p.recordHash = recordHash;
        uint32 version_ = ++p.version;
        emit LandUseChanged(ulpin, from, landUse, recordHash, version_, orgId, msg.sender);
    }

    // ---------------------------------------------------------------- mutations

    /// @inheritdoc ILandParcels
    function registerDeed(
        bytes32 deedHash,
        bytes14 ulpin,
        MutationKind kind,
        Owner[] calldata from,
        Owner[] calldata to
    ) external whenNotPaused {
        if (kind == MutationKind.Succession) revert LandRegistryInvalidKind(kind);
        _open(deedHash, ulpin, kind, from, to, Capabilities.REGISTER_DEEDS);
    }

    /// @inheritdoc ILandParcels
    function openSuccession(
        bytes32 certificateHash,
        bytes14 ulpin,
        Owner[] calldata from,
        Owner[] calldata to
    ) external whenNotPaused {
        _open(certificateHash, ulpin, MutationKind.Succession, from, to, Capabilities.APPROVE_MUTATIONS);
    }

    /// @inheritdoc ILandParcels
    function lodgeObjection(bytes14 ulpin, bytes32 deedHash, bytes32 objection) external whenNotPaused {
        if (objection == bytes32(0)) revert LandRegistryEmptyHash();
        (Mutation storage m, Parcel storage p) = _mutationIn(ulpin, deedHash, MutationStatus.Open);
        uint32 orgId = _authorize(Capabilities.APPROVE_MUTATIONS, p);
        if (block.timestamp >= m.objectionDeadline) {
            revert LandRegistryObjectionWindowClosed(deedHash, m.objectionDeadline);
        }
        ++m.objections;
        emit ObjectionLodged(m.ulpin, deedHash, objection, orgId, msg.sender);
    }

    /// @inheritdoc ILandParcels
    function approveMutation(
        bytes14 ulpin,
        bytes32 deedHash,
        Owner[] calldata owners,
        Owner[] calldata from,
        Owner[] calldata to,
        bytes32 recordHash
    ) external whenNotPaused {
        (Mutation storage m, Parcel storage p) = _mutationIn(ulpin, deedHash, MutationStatus.Open);
        uint32 orgId = _authorize(Capabilities.APPROVE_MUTATIONS, p);
        if (block.timestamp < m.objectionDeadline) {
            revert LandRegistryObjectionWindowOpen(deedHash, m.objectionDeadline);
        }
        m.status = MutationStatus.Approved;
        _apply(deedHash, m, p, owners, from, to, recordHash, orgId);
    }

    /// @inheritdoc ILandParcels
    function rejectMutation(
        bytes14 ulpin,
        bytes32 deedHash,
        RejectionReason reason,
        bytes32 order
    ) external whenNotPaused {
        if (reason == RejectionReason.None) revert LandRegistryMissingReason();
        if (order == bytes32(0)) revert LandRegistryEmptyHash();
        (Mutation storage m, Parcel storage p) = _mutationIn(ulpin, deedHash, MutationStatus.Open);
        uint32 orgId = _authorize(Capabilities.APPROVE_MUTATIONS, p);
        m.status = MutationStatus.Rejected;
        p.mutationPending = false;
        emit MutationRejected(m.ulpin, deedHash, reason, order, orgId, msg.sender);
    }

    /// @inheritdoc ILandParcels
    function fileAppeal(bytes14 ulpin, bytes32 deedHash, bytes32 appeal) external whenNotPaused {
        if (appeal == bytes32(0)) revert LandRegistryEmptyHash();
        (Mutation storage m, Parcel storage p) = _mutationIn(ulpin, deedHash, MutationStatus.Rejected);
        uint32 orgId = _authorize(Capabilities.HEAR_APPEALS, p);
        if (p.state == ParcelState.Retired) revert LandRegistryParcelRetired(m.ulpin);
        if (p.mutationPending) revert LandRegistryMutationPending(m.ulpin);
        m.status = MutationStatus.Appealed;
        m.appealedAt = _now();
        p.mutationPending = true;
        emit AppealFiled(m.ulpin, deedHash, appeal, orgId, msg.sender);
    }

    /// @inheritdoc ILandParcels
    function allowAppeal(
        bytes14 ulpin,
        bytes32 deedHash,
        bytes32 order,
        Owner[] calldata owners,
        Owner[] calldata from,
        Owner[] calldata to,
        bytes32 recordHash
    ) external whenNotPaused {
        if (order == bytes32(0)) revert LandRegistryEmptyHash();
        (Mutation storage m, Parcel storage p) = _mutationIn(ulpin, deedHash, MutationStatus.Appealed);
        uint32 orgId = _authorize(Capabilities.HEAR_APPEALS, p);
        m.status = MutationStatus.AppealAllowed;
        emit AppealDecided(m.ulpin, deedHash, true, order, orgId, msg.sender);
        _apply(deedHash, m, p, owners, from, to, recordHash, orgId);
    }

    /// @inheritdoc ILandParcels
    function dismissAppeal(bytes14 ulpin, bytes32 deedHash, bytes32 order) external whenNotPaused {
        if (order == bytes32(0)) revert LandRegistryEmptyHash();
        (Mutation storage m, Parcel storage p) = _mutationIn(ulpin, deedHash, MutationStatus.Appealed);
        uint32 orgId = _authorize(Capabilities.HEAR_APPEALS, p);
        m.status = MutationStatus.AppealDismissed;
        p.mutationPending = false;
        emit AppealDecided(m.ulpin, deedHash, false, order, orgId, msg.sender);
    }

    // ---------------------------------------------------------------- governance

    /// @inheritdoc ILandParcels
    function anchorSnapshot(
        bytes32 root,
        uint32 parcelCount,
        bytes32 exportHash,
        bytes32 absenceRoot
    ) external restricted whenNotPaused {
        if (root == bytes32(0) || parcelCount == 0) revert LandRegistryEmptySnapshot();
        if (exportHash == bytes32(0) || absenceRoot == bytes32(0)) revert LandRegistryEmptyHash();
        LandStorage storage $ = _storage();
        Snapshot storage s = $.snapshots[root];
        if (s.anchoredAt != 0) {
            // A snapshot anchored under 1.0.0 had no gap root and held none of its ULPINs: anchored again with its
            // gap root and the same count, it holds them from now on.
            bool legacy = s.absenceRoot == bytes32(0) && s.retiredAt == 0 && s.parcelCount == parcelCount;
            if (!legacy) revert LandRegistrySnapshotExists(root);
        }
        if ($.activeSnapshots.length == MAX_ACTIVE_SNAPSHOTS) revert LandRegistryTooManySnapshots();
        s.parcelCount = parcelCount;
        if (s.anchoredAt == 0) s.anchoredAt = _now();
        s.absenceRoot = absenceRoot;
        $.activeSnapshots.push(root);
        emit SnapshotAnchored(root, parcelCount, exportHash, absenceRoot, msg.sender);
    }

    /// @inheritdoc ILandParcels
    function retireSnapshot(bytes32 root, bytes32 reason) external restricted whenNotPaused {
        if (reason == bytes32(0)) revert LandRegistryEmptyHash();
        LandStorage storage $ = _storage();
        Snapshot storage s = $.snapshots[root];
        if (s.anchoredAt == 0) revert LandRegistryUnknownSnapshot(root);
        if (s.retiredAt != 0) revert LandRegistrySnapshotRetired(root);
        s.retiredAt = _now();
        bytes32[] storage active = $.activeSnapshots;
        for (uint256 i = 0; i < active.length; ++i) {
            if (active[i] != root) continue;
            active[i] = active[active.length - 1];
            active.pop();
            break;
        }
        emit SnapshotRetired(root, reason, msg.sender);
    }

    /// @inheritdoc ILandParcels
    function setObjectionWindow(uint32 duration) external restricted {
        _requireDuration(duration);
        _storage().objectionWindow = duration;
        emit ObjectionWindowSet(duration, msg.sender);
    }

    /// @inheritdoc ILandParcels
    function setServiceLevel(uint32 duration) external restricted {
        _requireDuration(duration);
        _storage().serviceLevel = duration;
        emit ServiceLevelSet(duration, msg.sender);
    }

    // ---------------------------------------------------------------- views

    /// @inheritdoc ILandParcels
    function parcel(bytes14 ulpin) external view returns (Parcel memory p) {
        Parcel storage stored = _storage().parcels[ulpin];
        p = stored;
        p.frozen = _isFrozen(stored, ulpin);
    }

    /// @inheritdoc ILandParcels
    function parcelStatus(bytes14 ulpin) external view returns (ParcelStatus) {
        Parcel storage p = _storage().parcels[ulpin];
        ParcelState state = p.state;
        if (state == ParcelState.None) return ParcelStatus.None;
        if (state == ParcelState.Retired) return ParcelStatus.Retired;
        return _isFrozen(p, ulpin) ? ParcelStatus.Frozen : ParcelStatus.Active;
    }

    /// @inheritdoc ILandParcels
    function freezesOf(bytes14 ulpin) external view returns (Freeze[] memory list) {
        LandStorage storage $ = _storage();
        bytes32[] storage orders = $.freezeOrders[ulpin];
        Freeze storage legacy = $.freezes[ulpin];
        list = new Freeze[](orders.length + 1);
        uint256 n = 0;
        if (legacy.order != bytes32(0) && _inForce(legacy)) list[n++] = legacy;
        for (uint256 i = 0; i < orders.length; ++i) {
            Freeze storage f = $.freezesByOrder[ulpin][orders[i]];
            if (_inForce(f)) list[n++] = f;
        }
        // Lapsed orders were counted in the allocation; trim to those in force.
        assembly ("memory-safe") {
            mstore(list, n)
        }
    }

    /// @inheritdoc ILandParcels
    function lienOf(bytes14 ulpin, bytes32 lien) external view returns (Lien memory) {
        return _storage().liens[ulpin][lien];
    }

    /// @inheritdoc ILandParcels
    function mutation(bytes14 ulpin, bytes32 deedHash) external view returns (Mutation memory) {
        return _mutation(ulpin, deedHash);
    }

    /// @inheritdoc ILandParcels
    function isOverdue(bytes14 ulpin, bytes32 deedHash) external view returns (bool) {
        LandStorage storage $ = _storage();
        Mutation storage m = _mutation(ulpin, deedHash);
        MutationStatus status = m.status;
        if (status == MutationStatus.None) revert LandRegistryUnknownMutation(deedHash);
        uint256 since;
        if (status == MutationStatus.Open) since = m.openedAt;
        else if (status == MutationStatus.Appealed) since = m.appealedAt;
        else return false;
        return block.timestamp > since + _serviceLevel($);
    }

    /// @inheritdoc ILandParcels
    function parentsOf(bytes14 ulpin) external view returns (bytes14[] memory) {
        return _storage().parents[ulpin];
    }

    /// @inheritdoc ILandParcels
    function childrenOf(bytes14 ulpin) external view returns (bytes14[] memory) {
        return _storage().children[ulpin];
    }

    /// @inheritdoc ILandParcels
    function snapshot(bytes32 root) external view returns (Snapshot memory) {
        return _storage().snapshots[root];
    }

    /// @inheritdoc ILandParcels
    function activeSnapshots() external view returns (bytes32[] memory) {
        return _storage().activeSnapshots;
    }

    /// @inheritdoc ILandParcels
    function extension() external view returns (address) {
        return _EXTENSION;
    }

    /// @inheritdoc ILandParcels
    function objectionWindow() external view returns (uint32) {
        LandStorage storage $ = _storage();
        return _objectionWindow($);
    }

    /// @inheritdoc ILandParcels
    function serviceLevel() external view returns (uint32) {
        return _serviceLevel(_storage());
    }

    /// @inheritdoc ILandParcels
    function ownersHash(Owner[] calldata owners) external pure returns (bytes32) {
        return LandTitles.hash(owners);
    }

    // ---------------------------------------------------------------- internals

    function _directory() internal view override returns (IParticipantDirectory) {
        return _DIRECTORY;
    }

    function _requireLocation(ParcelRecord calldata record) private pure {
        if (record.district == 0 || record.block == 0 || record.village == 0) {
            revert LandRegistryInvalidLocation(record.district, record.block, record.village);
        }
    }

    function _open(
        bytes32 deedHash,
        bytes14 ulpin,
        MutationKind kind,
        Owner[] calldata from,
        Owner[] calldata to,
        uint32 capability
    ) private {
        if (deedHash == bytes32(0)) revert LandRegistryEmptyHash();
        if (_mutation(ulpin, deedHash).status != MutationStatus.None) revert LandRegistryDeedAlreadyRecorded(deedHash);
        Parcel storage p = _activeParcel(ulpin);
        uint32 orgId = _authorize(capability, p);
        _requireNotFrozen(p, ulpin);
        if (p.mutationPending) revert LandRegistryMutationPending(ulpin);
        p.mutationPending = true;
        // A deed by every recorded owner for all their shares leaves nobody to object; a succession always waits.
        bool unopposable = kind != MutationKind.Succession && LandTitles.hash(from) == p.owners;
        uint32 deadline = _recordMutation(deedHash, ulpin, kind, LandTitles.requireTransfer(from, to), unopposable);
        emit MutationOpened(ulpin, deedHash, kind, from, to, deadline, orgId, msg.sender);
    }

    function _recordMutation(
        bytes32 deedHash,
        bytes14 ulpin,
        MutationKind kind,
        bytes32 transfer,
        bool unopposable
    ) private returns (uint32 deadline) {
        LandStorage storage $ = _storage();
        uint32 openedAt = _now();
        deadline = unopposable ? openedAt : openedAt + _objectionWindow($);
        $.mutations[_mutationKey(ulpin, deedHash)] = Mutation({
            ulpin: ulpin,
            kind: kind,
            status: MutationStatus.Open,
            openedAt: openedAt,
            objectionDeadline: deadline,
            appealedAt: 0,
            objections: 0,
            consents: 0,
            transfer: transfer
        });
    }

    /// @dev Makes a decided mutation take effect: owners, version and Record of Rights change together. The parcel
    /// is active, since a pending mutation stops splits and merges.
    function _apply(
        bytes32 deedHash,
        Mutation storage m,
        Parcel storage p,
        Owner[] calldata owners,
        Owner[] calldata from,
        Owner[] calldata to,
        bytes32 recordHash,
        uint32 orgId
    ) private {
        if (recordHash == bytes32(0)) revert LandRegistryEmptyHash();
        bytes14 ulpin = m.ulpin;
        _requireNotFrozen(p, ulpin);
        if (m.consents < p.liens) revert LandRegistryLiensNotConsented(ulpin, p.liens, m.consents);
        if (LandTitles.transferHash(from, to) != m.transfer) revert LandRegistryTransferMismatch(deedHash);
        bool partition = m.kind == MutationKind.Partition;

        p.recordHash = recordHash;
        p.mutationPending = false;
        uint32 version_ = ++p.version;
        Owner[] memory next;
        if (owners.length == 0) {
            // Every owner gives everything: the recipients are the new owners.
            if (LandTitles.hash(from) != p.owners) revert LandRegistryOwnersMismatch(ulpin);
            if (partition) LandTitles.requireAmong(to, from);
            next = to;
        } else {
            if (LandTitles.hash(owners) != p.owners) revert LandRegistryOwnersMismatch(ulpin);
            if (partition) LandTitles.requireAmong(to, owners);
            next = LandTitles.transfer(owners, from, to);
        }
        // The mutation now keeps the owner list it replaced, which a court's rectification may restore.
        m.transfer = p.owners;
        p.owners = LandTitles.hashMemory(next);
        emit MutationApproved(ulpin, deedHash, next, version_, recordHash, orgId, msg.sender);
    }

    /// @dev The mutation `deedHash` opened on `ulpin`, in `expected` status, and its parcel.
    function _mutationIn(
        bytes14 ulpin,
        bytes32 deedHash,
        MutationStatus expected
    ) private view returns (Mutation storage m, Parcel storage p) {
        m = _mutation(ulpin, deedHash);
        MutationStatus status = m.status;
        if (status == MutationStatus.None) revert LandRegistryUnknownMutation(deedHash);
        if (status != expected) revert LandRegistryUnexpectedMutationStatus(deedHash, status);
        p = _storage().parcels[ulpin];
    }

    function _requireDuration(uint32 duration) private pure {
        if (duration == 0 || duration > MAX_DURATION) revert LandRegistryInvalidDuration(duration);
    }

    function _objectionWindow(LandStorage storage $) private view returns (uint32) {
        uint32 window = $.objectionWindow;
        return window == 0 ? DEFAULT_OBJECTION_WINDOW : window;
    }

    function _serviceLevel(LandStorage storage $) private view returns (uint32) {
        uint32 level = $.serviceLevel;
        return level == 0 ? DEFAULT_SERVICE_LEVEL : level;
    }
}
