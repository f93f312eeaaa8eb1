// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

/// @title ILandRecords
/// @notice What the land registry records, tells and refuses — its types, events and errors — shared by its parts:
/// {ILandParcels} (parcels, deeds and mutations, migration), {ILandSurvey} (splits and merges) and {ILandEncumbrances}
/// (court orders and liens). All answer at one address; {ILandRegistry} is the whole.
///
/// Owners never reach the chain by name: each is a salted identity commitment with a share in basis points, and a
/// parcel keeps only the hash of its owner list. Every event that sets owners carries the full list, so the chain of
/// title of a parcel is rebuilt from its events alone (each indexes the ULPIN first); a caller that changes owners
/// passes the current list, which the contract checks against the hash.
///
/// Who may act comes from the participant directory, in the parcel's jurisdiction: the organisation must serve the
/// parcel's block, or else its district (or be statewide).
interface ILandRecords {
    /// @notice Land-use classes of the Record of Rights.
    enum LandUse {
        Unclassified,
        Agricultural,
        Homestead,
        Commercial,
        Industrial,
        Institutional,
        Forest,
        WaterBody,
        Wasteland,
        Road
    }

    /// @notice A parcel's stored state; being frozen is read from its freeze, see {parcelStatus}.
    enum ParcelState {
        None,
        Active,
        Retired
    }

    /// @notice What a verifier is told about a parcel.
    enum ParcelStatus {
        None,
        Active,
        Frozen,
        Retired
    }

    /// @notice How a parcel came on chain, or how it left.
    enum Origin {
        Registered,
        Materialised,
        Split,
        Merged
    }

    /// @notice The instrument behind a mutation. Sale, gift and partition deeds are registered by the Registration
    /// department; succession is opened by the Land Revenue office on a succession certificate.
    enum MutationKind {
        Sale,
        Gift,
        Partition,
        Succession
    }

    /// @notice Where a mutation stands. Only `Open` and `Appealed` are pending.
    enum MutationStatus {
        None,
        Open,
        Approved,
        Rejected,
        Appealed,
        AppealAllowed,
        AppealDismissed,
        Rectified
    }

    /// @notice Why a mutation was rejected; `None` is not a reason.
    enum RejectionReason {
        None,
        DefectiveDeed,
        SellerNotRecordedOwner,
        ObjectionUpheld,
        PendingLitigation,
        ProhibitedLand,
        DocumentsIncomplete,
        StampDutyShortfall,
        Other
    }

    /// @notice An owner: a salted identity commitment and a share in basis points. Lists are sorted by commitment,
    /// strictly ascending, so that one set of owners has exactly one hash.
    struct Owner {
        bytes32 commitment;
        uint16 share;
    }

    /// @notice A parcel as registered or as a snapshot entry: everything but its owners. `district`, `block` and
    /// `village` are Local Government Directory codes. In the participant directory an organisation serving a
    /// district holds jurisdiction `district << 16`, one serving a block `district << 16 | block`.
    struct ParcelRecord {
        bytes14 ulpin;
        uint64 area;
        LandUse landUse;
        uint16 district;
        uint16 block;
        uint32 village;
        bytes32 recordHash;
    }

    /// @notice A parcel made by a split or a merge; its jurisdiction and owners come from its parent(s).
    struct NewParcel {
        bytes14 ulpin;
        uint64 area;
        LandUse landUse;
        bytes32 recordHash;
    }

    /// @dev Slot 0: area (64 bits, square metres) | district (16) | block (16) | village (32) | landUse (8) |
    /// state (8) | version (32) | liens (8, outstanding) | mutationPending (8) | frozen (8) | keyedByParcel (8) =
    /// 208 bits. `frozen` says a court order was recorded, so the common unfrozen case costs no read of {Freeze};
    /// whether it has lapsed is read there. `keyedByParcel` is set on parcels created since 2.0.0: none of their
    /// mutations can be under 1.0.0's key (the deed hash alone), so no read looks there. Slot 1: hash of the owner
    /// list.
    /// Slot 2: hash of the current Record-of-Rights document. `version` starts at 1 and rises with every change of
    /// owners, land use or Record of Rights.
    struct Parcel {
        uint64 area;
        uint16 district;
        uint16 block;
        uint32 village;
        LandUse landUse;
        ParcelState state;
        uint32 version;
        uint8 liens;
        bool mutationPending;
        bool frozen;
        bool keyedByParcel;
        bytes32 owners;
        bytes32 recordHash;
    }

    /// @dev Slot 0: ulpin (112) | kind (8) | status (8) | openedAt, objectionDeadline, appealedAt (32 each) |
    /// objections (16) | consents (8) = 248 bits. Slot 1, `transfer`: while the mutation is pending, the hash of its
    /// transfer, `keccak256(abi.encode(from, to))` (the transfer itself is in {MutationOpened}); once it took effect,
    /// the hash of the owner list it replaced, which a court's rectification may restore (zero for a mutation that
    /// took effect under version 1.0.0, which kept none) — one field for both, under its 1.0.0 name, so that stored
    /// mutations keep their layout. `consents` counts the parcel's liens whose holders consented to this mutation.
    struct Mutation {
        bytes14 ulpin;
        MutationKind kind;
        MutationStatus status;
        uint32 openedAt;
        uint32 objectionDeadline;
        uint32 appealedAt;
        uint16 objections;
        uint8 consents;
        bytes32 transfer;
    }

    /// @notice A court's freeze: the order's reference, the court, and when it lapses (0: until lifted).
    struct Freeze {
        bytes32 order;
        uint32 court;
        uint32 frozenAt;
        uint32 expiresAt;
    }

    /// @notice A lien: the bank holding it and the mutation it consented to, if any.
    struct Lien {
        uint32 holder;
        uint32 registeredAt;
        bytes32 consentedTo;
    }

    /// @notice An anchored migration snapshot. `absenceRoot` is the root of its ULPIN gaps (see {Absence}); a snapshot
    /// of version 1.0.0 has none, and blocks no new ULPIN. A retired snapshot materialises nothing more.
    struct Snapshot {
        uint32 parcelCount;
        uint32 anchoredAt;
        uint32 retiredAt;
        bytes32 absenceRoot;
    }

    /// @notice Proof that a snapshot does not hold a ULPIN: `below` and `above` are neighbours in the snapshot's ULPINs
    /// in ascending byte order (the zero ULPIN below the first, 14 bytes of 0xff above the last), the ULPIN lies
    /// strictly between them, and `proof` leads the `StandardMerkleTree` leaf `[bytes14 below, bytes14 above]` to the
    /// snapshot's `absenceRoot`.
    struct Absence {
        bytes14 below;
        bytes14 above;
        bytes32[] proof;
    }

    // ---------------------------------------------------------------- events

    /// @notice A parcel came on chain: registered, materialised from `snapshot`, or made from `parents`.
    event ParcelCreated(
        bytes14 indexed ulpin,
        Origin origin,
        ParcelRecord record,
        Owner[] owners,
        bytes32 snapshot,
        bytes14[] parents,
        uint32 orgId,
        address indexed actor
    );

    /// @notice A parcel was split or merged into `successors` and is retired.
    event ParcelRetired(bytes14 indexed ulpin, Origin how, bytes14[] successors, uint32 orgId, address indexed actor);

    /// @notice A parcel's land use changed, with its new Record of Rights.
    event LandUseChanged(
        bytes14 indexed ulpin,
        LandUse from,
        LandUse to,
        bytes32 recordHash,
        uint32 version,
        uint32 orgId,
        address indexed actor
    );

    /// @notice A deed was registered, or a succession opened: `from` gives shares to `to`. Objections may be lodged
    /// until `objectionDeadline`; a deed whose sellers are exactly the recorded owners has its deadline now.
    event MutationOpened(
        bytes14 indexed ulpin,
        bytes32 indexed deedHash,
        MutationKind kind,
        Owner[] from,
        Owner[] to,
        uint32 objectionDeadline,
        uint32 orgId,
        address indexed actor
    );

    /// @notice An objection to a pending mutation was lodged with its document.
    event ObjectionLodged(
        bytes14 indexed ulpin,
        bytes32 indexed deedHash,
        bytes32 objection,
        uint32 orgId,
        address indexed actor
    );

    /// @notice A mutation took effect: the parcel's owners are now `owners`, with a new Record of Rights.
    event MutationApproved(
        bytes14 indexed ulpin,
        bytes32 indexed deedHash,
        Owner[] owners,
        uint32 version,
        bytes32 recordHash,
        uint32 orgId,
        address indexed actor
    );

    /// @notice A mutation was rejected, with its reason and the reasoned order.
    event MutationRejected(
        bytes14 indexed ulpin,
        bytes32 indexed deedHash,
        RejectionReason reason,
        bytes32 order,
        uint32 orgId,
        address indexed actor
    );

    /// @notice A rejected mutation was appealed to the appellate authority.
    event AppealFiled(
        bytes14 indexed ulpin,
        bytes32 indexed deedHash,
        bytes32 appeal,
        uint32 orgId,
        address indexed actor
    );

    /// @notice The appellate authority decided; an allowed appeal is followed by {MutationApproved}.
    event AppealDecided(
        bytes14 indexed ulpin,
        bytes32 indexed deedHash,
        bool allowed,
        bytes32 order,
        uint32 orgId,
        address indexed actor
    );

    /// @notice A court froze a parcel.
    event ParcelFrozen(bytes14 indexed ulpin, bytes32 order, uint32 expiresAt, uint32 orgId, address indexed actor);

    /// @notice A court lifted the freeze made under `order` with the order `liftingOrder`.
    event FreezeLifted(bytes14 indexed ulpin, bytes32 order, bytes32 liftingOrder, uint32 orgId, address indexed actor);

    /// @notice A court lifted a parcel's one freeze — 1.0.0's record, kept so its history still reads; `order` is the
    /// lifting order. Since 2.0.0 {FreezeLifted} names both orders.
    event ParcelUnfrozen(bytes14 indexed ulpin, bytes32 order, uint32 orgId, address indexed actor);

    /// @notice A bank registered a lien.
    event LienRegistered(bytes14 indexed ulpin, bytes32 indexed lien, uint32 orgId, address indexed actor);

    /// @notice A lien holder consented to a mutation of the parcel.
    event LienConsented(
        bytes14 indexed ulpin,
        bytes32 indexed lien,
        bytes32 deedHash,
        uint32 orgId,
        address indexed actor
    );

    /// @notice A bank released its lien.
    event LienReleased(bytes14 indexed ulpin, bytes32 indexed lien, uint32 orgId, address indexed actor);

    /// @notice A migration snapshot was anchored: a Merkle root over `parcelCount` existing records, and the root of
    /// the gaps between its ULPINs.
    event SnapshotAnchored(
        bytes32 indexed root,
        uint32 parcelCount,
        bytes32 exportHash,
        bytes32 absenceRoot,
        address indexed actor
    );

    /// @notice Governance retired a snapshot: nothing more materialises from it, and it blocks no new ULPIN.
    event SnapshotRetired(bytes32 indexed root, bytes32 reason, address indexed actor);

    /// @notice A court rectified the title: the owners recorded before the mutation `deedHash` are the owners again.
    event TitleRectified(
        bytes14 indexed ulpin,
        bytes32 indexed deedHash,
        Owner[] owners,
        uint32 version,
        bytes32 recordHash,
        bytes32 order,
        uint32 orgId,
        address indexed actor
    );

    /// @notice A court discharged a lien whose bank can no longer act on it.
    event LienDischarged(
        bytes14 indexed ulpin,
        bytes32 indexed lien,
        bytes32 order,
        uint32 orgId,
        address indexed actor
    );

    /// @notice Governance set how long objections may be lodged.
    event ObjectionWindowSet(uint32 objectionWindow, address indexed actor);

    /// @notice Governance set after how long a pending mutation is overdue.
    event ServiceLevelSet(uint32 serviceLevel, address indexed actor);

    // ---------------------------------------------------------------- errors

    /// @notice A ULPIN is 14 characters, each a digit or a capital letter.
    error LandRegistryInvalidUlpin(bytes14 ulpin);
    /// @notice A parcel with this ULPIN is already on chain.
    error LandRegistryParcelExists(bytes14 ulpin);
    /// @notice No parcel with this ULPIN is on chain.
    error LandRegistryUnknownParcel(bytes14 ulpin);
    /// @notice The parcel was split or merged away.
    error LandRegistryParcelRetired(bytes14 ulpin);
    /// @notice A court order freezes the parcel; `expiresAt` 0 means until lifted.
    error LandRegistryParcelFrozen(bytes14 ulpin, bytes32 order, uint32 expiresAt);
    /// @notice The parcel has no freeze in force under this order.
    error LandRegistryUnknownFreeze(bytes14 ulpin, bytes32 order);
    /// @notice This order already freezes the parcel.
    error LandRegistryFreezeExists(bytes14 ulpin, bytes32 order);
    /// @notice A parcel may be frozen by at most `MAX_FREEZES` orders at once.
    error LandRegistryTooManyFreezes(bytes14 ulpin);
    /// @notice Only the court that ordered a freeze lifts it (another court of the parcel's jurisdiction, once that
    /// court was offboarded).
    error LandRegistryNotFreezingCourt(bytes14 ulpin, bytes32 order, uint32 court, uint32 caller);
    /// @notice An area must be at least one square metre.
    error LandRegistryZeroArea(bytes14 ulpin);
    /// @notice District, block and village codes must all be set.
    error LandRegistryInvalidLocation(uint16 district, uint16 block, uint32 village);
    /// @notice A deed, order, record or other document hash must not be zero.
    error LandRegistryEmptyHash();
    /// @notice An owner list is empty or longer than {MAX_OWNERS}.
    error LandRegistryInvalidOwnerCount(uint256 count);
    /// @notice Owner commitments must be non-zero and strictly ascending; the one at `index` is not.
    error LandRegistryOwnersUnsorted(uint256 index);
    /// @notice The owner at `index` has a zero share.
    error LandRegistryZeroShare(uint256 index);
    /// @notice An owner list's shares add up to `total`, not 10,000 basis points.
    error LandRegistrySharesNotWhole(uint256 total);
    /// @notice A transfer gives away `given` basis points but hands out `received`.
    error LandRegistryTransferUnbalanced(uint256 given, uint256 received);
    /// @notice The owner list passed is not the parcel's recorded owners.
    error LandRegistryOwnersMismatch(bytes14 ulpin);
    /// @notice A transferor is not a recorded owner.
    error LandRegistryNotAnOwner(bytes32 commitment);
    /// @notice A transferor gives more than the share they hold.
    error LandRegistryShareExceeded(bytes32 commitment, uint16 held, uint16 given);
    /// @notice A partition may only redistribute shares among the recorded owners.
    error LandRegistryPartitionOutsider(bytes32 commitment);
    /// @notice The parcel already has a pending mutation; it must be decided first.
    error LandRegistryMutationPending(bytes14 ulpin);
    /// @notice This deed (or succession certificate) already opened a mutation.
    error LandRegistryDeedAlreadyRecorded(bytes32 deedHash);
    /// @notice No mutation was opened by this deed.
    error LandRegistryUnknownMutation(bytes32 deedHash);
    /// @notice The mutation's status does not allow this step.
    error LandRegistryUnexpectedMutationStatus(bytes32 deedHash, MutationStatus status);
    /// @notice Succession is opened with {openSuccession}, not as a registered deed.
    error LandRegistryInvalidKind(MutationKind kind);
    /// @notice The objection window runs until `deadline`; the mutation cannot be decided before then.
    error LandRegistryObjectionWindowOpen(bytes32 deedHash, uint32 deadline);
    /// @notice The objection window closed at `deadline`.
    error LandRegistryObjectionWindowClosed(bytes32 deedHash, uint32 deadline);
    /// @notice The transfer passed is not the one the deed registered.
    error LandRegistryTransferMismatch(bytes32 deedHash);
    /// @notice A rejection needs a reason.
    error LandRegistryMissingReason();
    /// @notice Not every lien holder consented to this mutation.
    error LandRegistryLiensNotConsented(bytes14 ulpin, uint8 liens, uint8 consents);
    /// @notice A lien with this reference is already registered on the parcel.
    error LandRegistryLienExists(bytes14 ulpin, bytes32 lien);
    /// @notice No lien with this reference is registered on the parcel.
    error LandRegistryUnknownLien(bytes14 ulpin, bytes32 lien);
    /// @notice Only the bank holding the lien — or, once it was offboarded, its successor — may consent to a transfer
    /// or release it.
    error LandRegistryNotLienHolder(bytes32 lien, uint32 holder, uint32 caller);
    /// @notice A court discharges only a lien whose bank was offboarded; this one is still a member (if suspended, its
    /// liens stand until it is reinstated or offboarded).
    error LandRegistryLienHolderActive(bytes32 lien, uint32 holder);
    /// @notice The lien holder already consented to this mutation.
    error LandRegistryLienAlreadyConsented(bytes32 lien, bytes32 deedHash);
    /// @notice A parcel may carry at most {MAX_LIENS} liens.
    error LandRegistryTooManyLiens(bytes14 ulpin);
    /// @notice Liens must be released before the parcel is split or merged.
    error LandRegistryParcelEncumbered(bytes14 ulpin, uint8 liens);
    /// @notice An expiry must be in the future.
    error LandRegistryInvalidExpiry(uint32 expiresAt);
    /// @notice A split makes 2 to {MAX_SUCCESSORS} parcels; a merge joins as many.
    error LandRegistryInvalidPartCount(uint256 count);
    /// @notice New parcels' areas must add up exactly to the old ones'.
    error LandRegistryAreaMismatch(uint256 expected, uint256 actual);
    /// @notice Merged parcels must have the same owners and lie in the same village.
    error LandRegistryMergeMismatch(bytes14 ulpin);
    /// @notice The land use is already this class.
    error LandRegistryUnchangedLandUse(bytes14 ulpin);
    /// @notice This snapshot root is already anchored.
    error LandRegistrySnapshotExists(bytes32 root);
    /// @notice No snapshot with this root is anchored.
    error LandRegistryUnknownSnapshot(bytes32 root);
    /// @notice The snapshot was retired.
    error LandRegistrySnapshotRetired(bytes32 root);
    /// @notice At most `MAX_ACTIVE_SNAPSHOTS` snapshots may be active at once.
    error LandRegistryTooManySnapshots();
    /// @notice A new ULPIN needs proof that no active snapshot holds it; this one is missing or wrong.
    error LandRegistryHeldBySnapshot(bytes14 ulpin, bytes32 snapshot);
    /// @notice The owner list given is not the one recorded before this mutation took effect.
    error LandRegistryNotEarlierOwners(bytes14 ulpin, bytes32 deedHash);
    /// @notice A snapshot needs a root and at least one parcel.
    error LandRegistryEmptySnapshot();
    /// @notice The entry and proof do not lead to the snapshot root.
    error LandRegistryInvalidProof(bytes32 root, bytes14 ulpin);
    /// @notice A duration is zero or longer than a year.
    error LandRegistryInvalidDuration(uint32 duration);
}
