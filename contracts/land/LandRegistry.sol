// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

import {MerkleProof} from "@openzeppelin/contracts/utils/cryptography/MerkleProof.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";
import {ILandRegistry} from "../interfaces/ILandRegistry.sol";
import {IParticipantDirectory} from "../interfaces/IParticipantDirectory.sol";
import {Capabilities} from "../governance/Capabilities.sol";
import {DirectoryGated} from "../governance/DirectoryGated.sol";
import {GovernedUpgradeable} from "../governance/GovernedUpgradeable.sol";
import {LandTitles} from "../libraries/LandTitles.sol";

/// @title LandRegistry
/// @notice Land parcels and every step that changes them, each checked against the participant directory in the
/// parcel's jurisdiction, timed, and explained by a document hash. Governance only anchors migration snapshots, sets
/// the objection window and service level, pauses and upgrades: it cannot move land.
/// @dev A parcel keeps the hash of its owner list, not the list: a one-owner parcel costs one slot for its owners
/// whatever their number, and events carry the lists. One mutation per parcel may be pending at a time, so the owners
/// a mutation was opened against are still the owners when it is decided, unless an appeal reopens it later; then
/// the current list passed in is checked again.
contract LandRegistry is DirectoryGated, ILandRegistry {
    using SafeCast for uint256;

    /// @notice Most parcels a split makes or a merge joins.
    uint256 public constant MAX_SUCCESSORS = 64;
    /// @notice Most liens one parcel may carry (the count is kept in 8 bits).
    uint8 public constant MAX_LIENS = type(uint8).max;
    /// @notice Objection window until governance sets another.
    uint32 public constant DEFAULT_OBJECTION_WINDOW = 30 days;
    /// @notice Service level until governance sets another.
    uint32 public constant DEFAULT_SERVICE_LEVEL = 45 days;
    /// @notice Longest objection window or service level governance may set.
    uint32 public constant MAX_DURATION = 365 days;

    /// @custom:storage-location erc7201:sakshya.storage.LandRegistry
    struct LandStorage {
        mapping(bytes14 ulpin => Parcel) parcels;
        mapping(bytes32 deedHash => Mutation) mutations;
        mapping(bytes14 ulpin => Freeze) freezes;
        mapping(bytes14 ulpin => mapping(bytes32 lien => Lien)) liens;
        mapping(bytes14 ulpin => bytes14[]) parents;
        mapping(bytes14 ulpin => bytes14[]) children;
        mapping(bytes32 root => Snapshot) snapshots;
        /// @dev Zero until governance sets them, read as the defaults.
        uint32 objectionWindow;
        uint32 serviceLevel;
    }

    // keccak256(abi.encode(uint256(keccak256("sakshya.storage.LandRegistry")) - 1)) & ~bytes32(uint256(0xff))
    bytes32 private constant _STORAGE_SLOT = 0x075dc611c73eeb06121e5240ec33d43934a6b567278e7524346e6359aedb0d00;

    /// @custom:oz-upgrades-unsafe-allow constructor
    constructor(IParticipantDirectory directory_) DirectoryGated(directory_) {}

    /// @notice Sets the suite's AccessManager as this registry's authority.
    function initialize(address initialAuthority) external initializer {
        __Governed_init(initialAuthority);
    }

    /// @inheritdoc GovernedUpgradeable
    function version() external pure virtual override returns (string memory) {
        return "1.0.0";
    }

    // ---------------------------------------------------------------- parcels

    /// @inheritdoc ILandRegistry
    function registerParcel(ParcelRecord calldata record, Owner[] calldata owners) external whenNotPaused {
        _requireLocation(record);
        uint32 orgId = _authorizeIn(Capabilities.MANAGE_PARCELS, record.district, record.block);
        _create(record, owners, LandTitles.requireOwners(owners), Origin.Registered, 0, new bytes14[](0), orgId);
    }

    /// @inheritdoc ILandRegistry
    function materialise(
        bytes32 root,
        ParcelRecord calldata record,
        Owner[] calldata owners,
        bytes32[] calldata proof
    ) external whenNotPaused {
        if (_storage().snapshots[root].anchoredAt == 0) revert LandRegistryUnknownSnapshot(root);
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

    /// @inheritdoc ILandRegistry
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

    /// @inheritdoc ILandRegistry
    function split(bytes14 ulpin, Owner[] calldata owners, NewParcel[] calldata parts) external whenNotPaused {
        uint256 count = parts.length;
        if (count < 2 || count > MAX_SUCCESSORS) revert LandRegistryInvalidPartCount(count);
        Parcel storage p = _divisibleParcel(ulpin, owners);
        uint32 orgId = _authorize(Capabilities.MANAGE_PARCELS, p);

        LandStorage storage $ = _storage();
        bytes14[] memory parents = new bytes14[](1);
        parents[0] = ulpin;
        bytes14[] memory successors = new bytes14[](count);
        uint256 total = 0;
        for (uint256 i = 0; i < count; ++i) {
            _createSuccessor(p, parts[i], owners, parents, Origin.Split, orgId);
            successors[i] = parts[i].ulpin;
            total += parts[i].area;
        }
        if (total != p.area) revert LandRegistryAreaMismatch(p.area, total);
        p.state = ParcelState.Retired;
        $.children[ulpin] = successors;
        emit ParcelRetired(ulpin, Origin.Split, successors, orgId, msg.sender);
    }

    /// @inheritdoc ILandRegistry
    function merge(
        bytes14[] calldata ulpins,
        Owner[] calldata owners,
        NewParcel calldata merged
    ) external whenNotPaused {
        uint256 count = ulpins.length;
        if (count < 2 || count > MAX_SUCCESSORS) revert LandRegistryInvalidPartCount(count);
        Parcel storage first = _divisibleParcel(ulpins[0], owners);
        uint32 orgId = _authorize(Capabilities.MANAGE_PARCELS, first);

        LandStorage storage $ = _storage();
        bytes14[] memory successors = new bytes14[](1);
        successors[0] = merged.ulpin;
        uint256 total = 0;
        for (uint256 i = 0; i < count; ++i) {
            Parcel storage p = i == 0 ? first : _divisibleParcel(ulpins[i], owners);
            if (_place(p) != _place(first)) {
                revert LandRegistryMergeMismatch(ulpins[i]);
            }
            total += p.area;
            p.state = ParcelState.Retired;
            $.children[ulpins[i]] = successors;
            emit ParcelRetired(ulpins[i], Origin.Merged, successors, orgId, msg.sender);
        }
        if (total != merged.area) revert LandRegistryAreaMismatch(total, merged.area);
        _createSuccessor(first, merged, owners, ulpins, Origin.Merged, orgId);
    }

    // ---------------------------------------------------------------- mutations

    /// @inheritdoc ILandRegistry
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

    /// @inheritdoc ILandRegistry
    function openSuccession(
        bytes32 certificateHash,
        bytes14 ulpin,
        Owner[] calldata from,
        Owner[] calldata to
    ) external whenNotPaused {
        _open(certificateHash, ulpin, MutationKind.Succession, from, to, Capabilities.APPROVE_MUTATIONS);
    }

    /// @inheritdoc ILandRegistry
    function lodgeObjection(bytes32 deedHash, bytes32 objection) external whenNotPaused {
        if (objection == bytes32(0)) revert LandRegistryEmptyHash();
        (Mutation storage m, Parcel storage p) = _mutationIn(deedHash, MutationStatus.Open);
        uint32 orgId = _authorize(Capabilities.APPROVE_MUTATIONS, p);
        if (block.timestamp >= m.objectionDeadline) {
            revert LandRegistryObjectionWindowClosed(deedHash, m.objectionDeadline);
        }
        ++m.objections;
        emit ObjectionLodged(m.ulpin, deedHash, objection, orgId, msg.sender);
    }

    /// @inheritdoc ILandRegistry
    function approveMutation(
        bytes32 deedHash,
        Owner[] calldata owners,
        Owner[] calldata from,
        Owner[] calldata to,
        bytes32 recordHash
    ) external whenNotPaused {
        (Mutation storage m, Parcel storage p) = _mutationIn(deedHash, MutationStatus.Open);
        uint32 orgId = _authorize(Capabilities.APPROVE_MUTATIONS, p);
        if (block.timestamp < m.objectionDeadline) {
            revert LandRegistryObjectionWindowOpen(deedHash, m.objectionDeadline);
        }
        m.status = MutationStatus.Approved;
        _apply(deedHash, m, p, owners, from, to, recordHash, orgId);
    }

    /// @inheritdoc ILandRegistry
    function rejectMutation(bytes32 deedHash, RejectionReason reason, bytes32 order) external whenNotPaused {
        if (reason == RejectionReason.None) revert LandRegistryMissingReason();
        if (order == bytes32(0)) revert LandRegistryEmptyHash();
        (Mutation storage m, Parcel storage p) = _mutationIn(deedHash, MutationStatus.Open);
        uint32 orgId = _authorize(Capabilities.APPROVE_MUTATIONS, p);
        m.status = MutationStatus.Rejected;
        p.mutationPending = false;
        emit MutationRejected(m.ulpin, deedHash, reason, order, orgId, msg.sender);
    }

    /// @inheritdoc ILandRegistry
    function fileAppeal(bytes32 deedHash, bytes32 appeal) external whenNotPaused {
        if (appeal == bytes32(0)) revert LandRegistryEmptyHash();
        (Mutation storage m, Parcel storage p) = _mutationIn(deedHash, MutationStatus.Rejected);
        uint32 orgId = _authorize(Capabilities.HEAR_APPEALS, p);
        if (p.state == ParcelState.Retired) revert LandRegistryParcelRetired(m.ulpin);
        if (p.mutationPending) revert LandRegistryMutationPending(m.ulpin);
        m.status = MutationStatus.Appealed;
        m.appealedAt = _now();
        p.mutationPending = true;
        emit AppealFiled(m.ulpin, deedHash, appeal, orgId, msg.sender);
    }

    /// @inheritdoc ILandRegistry
    function allowAppeal(
        bytes32 deedHash,
        bytes32 order,
        Owner[] calldata owners,
        Owner[] calldata from,
        Owner[] calldata to,
        bytes32 recordHash
    ) external whenNotPaused {
        if (order == bytes32(0)) revert LandRegistryEmptyHash();
        (Mutation storage m, Parcel storage p) = _mutationIn(deedHash, MutationStatus.Appealed);
        uint32 orgId = _authorize(Capabilities.HEAR_APPEALS, p);
        m.status = MutationStatus.AppealAllowed;
        emit AppealDecided(m.ulpin, deedHash, true, order, orgId, msg.sender);
        _apply(deedHash, m, p, owners, from, to, recordHash, orgId);
    }

    /// @inheritdoc ILandRegistry
    function dismissAppeal(bytes32 deedHash, bytes32 order) external whenNotPaused {
        if (order == bytes32(0)) revert LandRegistryEmptyHash();
        (Mutation storage m, Parcel storage p) = _mutationIn(deedHash, MutationStatus.Appealed);
        uint32 orgId = _authorize(Capabilities.HEAR_APPEALS, p);
        m.status = MutationStatus.AppealDismissed;
        p.mutationPending = false;
        emit AppealDecided(m.ulpin, deedHash, false, order, orgId, msg.sender);
    }

    // ---------------------------------------------------------------- courts and banks

    /// @inheritdoc ILandRegistry
    function freeze(bytes14 ulpin, bytes32 order, uint32 expiresAt) external whenNotPaused {
        if (order == bytes32(0)) revert LandRegistryEmptyHash();
        if (expiresAt != 0 && expiresAt <= block.timestamp) revert LandRegistryInvalidExpiry(expiresAt);
        Parcel storage p = _activeParcel(ulpin);
        uint32 orgId = _authorize(Capabilities.COURT_ORDERS, p);
        _requireNotFrozen(p, ulpin);
        _storage().freezes[ulpin] = Freeze({order: order, court: orgId, frozenAt: _now(), expiresAt: expiresAt});
        p.frozen = true;
        emit ParcelFrozen(ulpin, order, expiresAt, orgId, msg.sender);
    }

    /// @inheritdoc ILandRegistry
    function unfreeze(bytes14 ulpin, bytes32 order) external whenNotPaused {
        if (order == bytes32(0)) revert LandRegistryEmptyHash();
        Parcel storage p = _activeParcel(ulpin);
        uint32 orgId = _authorize(Capabilities.COURT_ORDERS, p);
        LandStorage storage $ = _storage();
        if (!_isFrozen(p, ulpin)) revert LandRegistryParcelNotFrozen(ulpin);
        delete $.freezes[ulpin];
        p.frozen = false;
        emit ParcelUnfrozen(ulpin, order, orgId, msg.sender);
    }

    /// @inheritdoc ILandRegistry
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

    /// @inheritdoc ILandRegistry
    function consentToMutation(bytes14 ulpin, bytes32 lien, bytes32 deedHash) external whenNotPaused {
        (Lien storage held, uint32 orgId) = _heldLien(ulpin, lien);
        Mutation storage m = _storage().mutations[deedHash];
        if (m.ulpin != ulpin) revert LandRegistryUnknownMutation(deedHash);
        if (m.status != MutationStatus.Open && m.status != MutationStatus.Appealed) {
            revert LandRegistryUnexpectedMutationStatus(deedHash, m.status);
        }
        if (held.consentedTo == deedHash) revert LandRegistryLienAlreadyConsented(lien, deedHash);
        if (held.consentedTo != bytes32(0)) _withdrawConsent(held.consentedTo);
        held.consentedTo = deedHash;
        ++m.consents;
        emit LienConsented(ulpin, lien, deedHash, orgId, msg.sender);
    }

    /// @inheritdoc ILandRegistry
    function releaseLien(bytes14 ulpin, bytes32 lien) external whenNotPaused {
        (Lien storage held, uint32 orgId) = _heldLien(ulpin, lien);
        LandStorage storage $ = _storage();
        if (held.consentedTo != bytes32(0)) _withdrawConsent(held.consentedTo);
        --$.parcels[ulpin].liens;
        delete $.liens[ulpin][lien];
        emit LienReleased(ulpin, lien, orgId, msg.sender);
    }

    // ---------------------------------------------------------------- governance

    /// @inheritdoc ILandRegistry
    function anchorSnapshot(bytes32 root, uint32 parcelCount, bytes32 exportHash) external restricted whenNotPaused {
        if (root == bytes32(0) || parcelCount == 0) revert LandRegistryEmptySnapshot();
        if (exportHash == bytes32(0)) revert LandRegistryEmptyHash();
        Snapshot storage s = _storage().snapshots[root];
        if (s.anchoredAt != 0) revert LandRegistrySnapshotExists(root);
        s.parcelCount = parcelCount;
        s.anchoredAt = _now();
        emit SnapshotAnchored(root, parcelCount, exportHash, msg.sender);
    }

    /// @inheritdoc ILandRegistry
    function setObjectionWindow(uint32 duration) external restricted {
        _requireDuration(duration);
        _storage().objectionWindow = duration;
        emit ObjectionWindowSet(duration, msg.sender);
    }

    /// @inheritdoc ILandRegistry
    function setServiceLevel(uint32 duration) external restricted {
        _requireDuration(duration);
        _storage().serviceLevel = duration;
        emit ServiceLevelSet(duration, msg.sender);
    }

    // ---------------------------------------------------------------- views

    /// @inheritdoc ILandRegistry
    function parcel(bytes14 ulpin) external view returns (Parcel memory) {
        return _storage().parcels[ulpin];
    }

    /// @inheritdoc ILandRegistry
    function parcelStatus(bytes14 ulpin) external view returns (ParcelStatus) {
        Parcel storage p = _storage().parcels[ulpin];
        ParcelState state = p.state;
        if (state == ParcelState.None) return ParcelStatus.None;
        if (state == ParcelState.Retired) return ParcelStatus.Retired;
        return _isFrozen(p, ulpin) ? ParcelStatus.Frozen : ParcelStatus.Active;
    }

    /// @inheritdoc ILandRegistry
    function freezeOf(bytes14 ulpin) external view returns (Freeze memory) {
        return _storage().freezes[ulpin];
    }

    /// @inheritdoc ILandRegistry
    function lienOf(bytes14 ulpin, bytes32 lien) external view returns (Lien memory) {
        return _storage().liens[ulpin][lien];
    }

    /// @inheritdoc ILandRegistry
    function mutation(bytes32 deedHash) external view returns (Mutation memory) {
        return _storage().mutations[deedHash];
    }

    /// @inheritdoc ILandRegistry
    function isOverdue(bytes32 deedHash) external view returns (bool) {
        LandStorage storage $ = _storage();
        Mutation storage m = $.mutations[deedHash];
        MutationStatus status = m.status;
        if (status == MutationStatus.None) revert LandRegistryUnknownMutation(deedHash);
        uint256 since;
        if (status == MutationStatus.Open) since = m.openedAt;
        else if (status == MutationStatus.Appealed) since = m.appealedAt;
        else return false;
        return block.timestamp > since + _serviceLevel($);
    }

    /// @inheritdoc ILandRegistry
    function parentsOf(bytes14 ulpin) external view returns (bytes14[] memory) {
        return _storage().parents[ulpin];
    }

    /// @inheritdoc ILandRegistry
    function childrenOf(bytes14 ulpin) external view returns (bytes14[] memory) {
        return _storage().children[ulpin];
    }

    /// @inheritdoc ILandRegistry
    function snapshot(bytes32 root) external view returns (Snapshot memory) {
        return _storage().snapshots[root];
    }

    /// @inheritdoc ILandRegistry
    function objectionWindow() external view returns (uint32) {
        LandStorage storage $ = _storage();
        return _objectionWindow($);
    }

    /// @inheritdoc ILandRegistry
    function serviceLevel() external view returns (uint32) {
        return _serviceLevel(_storage());
    }

    /// @inheritdoc ILandRegistry
    function ownersHash(Owner[] calldata owners) external pure returns (bytes32) {
        return LandTitles.hash(owners);
    }

    // ---------------------------------------------------------------- internals

    /// @dev The organisation `msg.sender` acts for, if it serves the parcel's block or its district.
    function _authorize(uint32 capability, Parcel storage p) private view returns (uint32) {
        return _authorizeIn(capability, p.district, p.block);
    }

    function _authorizeIn(uint32 capability, uint16 district, uint16 block_) private view returns (uint32 orgId) {
        uint32 districtCode = uint32(district) << 16;
        return _DIRECTORY.authorizedOrganisationWithin(msg.sender, capability, districtCode | block_, districtCode);
    }

    function _requireLocation(ParcelRecord calldata record) private pure {
        if (record.district == 0 || record.block == 0 || record.village == 0) {
            revert LandRegistryInvalidLocation(record.district, record.block, record.village);
        }
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
    ) private {
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
        p.owners = ownersHash_;
        p.recordHash = record.recordHash;
        emit ParcelCreated(ulpin, origin, record, owners, snapshotRoot, parents, orgId, msg.sender);
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

    function _open(
        bytes32 deedHash,
        bytes14 ulpin,
        MutationKind kind,
        Owner[] calldata from,
        Owner[] calldata to,
        uint32 capability
    ) private {
        if (deedHash == bytes32(0)) revert LandRegistryEmptyHash();
        if (_storage().mutations[deedHash].status != MutationStatus.None) {
            revert LandRegistryDeedAlreadyRecorded(deedHash);
        }
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
        $.mutations[deedHash] = Mutation({
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
        p.owners = LandTitles.hashMemory(next);
        delete m.transfer;
        emit MutationApproved(ulpin, deedHash, next, version_, recordHash, orgId, msg.sender);
    }

    /// @dev The mutation opened by `deedHash`, in `expected` status, and its parcel.
    function _mutationIn(
        bytes32 deedHash,
        MutationStatus expected
    ) private view returns (Mutation storage m, Parcel storage p) {
        LandStorage storage $ = _storage();
        m = $.mutations[deedHash];
        MutationStatus status = m.status;
        if (status == MutationStatus.None) revert LandRegistryUnknownMutation(deedHash);
        if (status != expected) revert LandRegistryUnexpectedMutationStatus(deedHash, status);
        p = $.parcels[m.ulpin];
    }

    function _activeParcel(bytes14 ulpin) private view returns (Parcel storage p) {
        p = _storage().parcels[ulpin];
        ParcelState state = p.state;
        if (state == ParcelState.None) revert LandRegistryUnknownParcel(ulpin);
        if (state == ParcelState.Retired) revert LandRegistryParcelRetired(ulpin);
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

    function _requireNotFrozen(Parcel storage p, bytes14 ulpin) private view {
        if (_isFrozen(p, ulpin)) {
            Freeze storage f = _storage().freezes[ulpin];
            revert LandRegistryParcelFrozen(ulpin, f.order, f.expiresAt);
        }
    }

    /// @dev A freeze holds from its order until lifted or, if it has an expiry, until then.
    function _isFrozen(Parcel storage p, bytes14 ulpin) private view returns (bool) {
        if (!p.frozen) return false;
        uint32 expiresAt = _storage().freezes[ulpin].expiresAt;
        return expiresAt == 0 || block.timestamp < expiresAt;
    }

    /// @dev The lien, once `msg.sender` is known to act for the bank holding it in the parcel's jurisdiction.
    function _heldLien(bytes14 ulpin, bytes32 lien) private view returns (Lien storage held, uint32 orgId) {
        LandStorage storage $ = _storage();
        Parcel storage p = $.parcels[ulpin];
        if (p.state == ParcelState.None) revert LandRegistryUnknownParcel(ulpin);
        held = $.liens[ulpin][lien];
        uint32 holder = held.holder;
        if (holder == 0) revert LandRegistryUnknownLien(ulpin, lien);
        orgId = _authorize(Capabilities.LIENS, p);
        if (orgId != holder) revert LandRegistryNotLienHolder(lien, holder, orgId);
    }

    /// @dev A lien's consent counts for one mutation; moving or releasing it takes it back.
    function _withdrawConsent(bytes32 deedHash) private {
        --_storage().mutations[deedHash].consents;
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

    function _now() private view returns (uint32) {
        return block.timestamp.toUint32();
    }

    function _storage() private pure returns (LandStorage storage $) {
        assembly {
            $.slot := _STORAGE_SLOT
        }
    }
}
