// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

/// @title ICertificateRegistry
/// @notice Academic certificates anchored as Merkle roots. A batch's leaves are OpenZeppelin `StandardMerkleTree`
/// leaves of `[uint256 index, bytes32 targetHash]`; the target hash commits to a document's individually salted
/// fields, so a holder can hide fields and the document still verifies. Issuers are organisations of the participant
/// directory holding the certificate capability; any of their active keys signs.
///
/// A batch belongs to the organisation that issued it: it is named by that organisation's id and its root, so another
/// organisation anchoring the same root first neither blocks the real issuer nor gains any say over its documents, and
/// a verifier asks for the issuer it expects. Every mark on a batch or a document — revocation, suspension, lifting a
/// suspension, supersession — records who made it and when; a mark made by a key at or after the compromise cut-off
/// the directory holds for it is ignored when a status is read, so what a stolen key did stops counting the moment it
/// is reported. Governance marks always count; governance may also undo a revocation or supersession, with a reason.
interface ICertificateRegistry {
    /// @notice Why a document or batch was revoked or suspended. Values fit the 4-bit marks, where 0 means "no mark"
    /// and 15 is reserved, so at most 14 reasons can exist.
    enum Reason {
        None,
        Other,
        IssuedInError,
        Superseded,
        Withdrawn,
        Misconduct,
        Duplicate,
        KeyCompromise,
        CourtOrder,
        HolderRequest,
        UnderReview
    }

    /// @notice What a verifier is told about a document. Checks run in this order; the first that fails is reported.
    enum Status {
        Valid,
        NotIssued,
        InvalidProof,
        KeyCompromised,
        IssuerOffboarded,
        IssuerSuspended,
        Revoked,
        Superseded,
        Suspended,
        Expired
    }

    /// @dev One storage slot: signer (160 bits) | issuedAt (32) | expiresAt (32) | documentCount (24) | mark (8).
    /// Times are unix seconds in 32 bits (good until 2106); `expiresAt` 0 means the batch never expires. The signer,
    /// not its organisation, is kept because a compromised key voids only what it signed after its cut-off, and
    /// keys never move between organisations, so the directory gives the organisation back from the signer.
    /// `mark` holds version 1.0.0's batch mark (a revocation {Reason}, or 15 for a suspended batch); since 2.0.0 marks
    /// are kept with their authors elsewhere, and `mark` is 16 once a batch has any, so that reading one that has none
    /// costs nothing more.
    struct Batch {
        address signer;
        uint32 issuedAt;
        uint32 expiresAt;
        uint24 documentCount;
        uint8 mark;
    }

    /// @notice A document named by its batch root and its index (the issuer is implied where it is stored).
    struct DocumentRef {
        bytes32 root;
        uint256 index;
    }

    /// @notice A document named fully: its issuer, its batch root and its index.
    struct DocumentKey {
        uint32 issuerOrgId;
        bytes32 root;
        uint256 index;
    }

    /// @notice A mark on a batch or a document, and its author. `value` is a {Reason} for a revocation; for a
    /// suspension 1 (suspended) or 2 (a suspension lifted by a key of the issuer). `actor` is the key, or the zero
    /// address for governance (and for marks of version 1.0.0, made before authors were kept, which always count).
    /// `counts` is false when the key was reported compromised with a cut-off at or before `markedAt`.
    struct Mark {
        uint8 value;
        address actor;
        uint32 markedAt;
        bool counts;
    }

    /// @notice Everything a verifier needs to judge a document. `reason` is set for revoked and superseded
    /// documents (a suspension's reason is in its event only), the replacement for superseded ones.
    struct DocumentStatus {
        Status status;
        Reason reason;
        uint32 issuerOrgId;
        address signer;
        uint32 issuedAt;
        uint32 expiresAt;
        bytes32 replacementRoot;
        uint256 replacementIndex;
    }

    /// @notice An issuer anchored a batch (a single document is a batch of one).
    event BatchIssued(
        bytes32 indexed root,
        uint32 indexed issuerOrgId,
        address indexed signer,
        uint24 documentCount,
        uint32 expiresAt
    );

    /// @notice A batch took its issuer's short-code slot `slot` (its root modulo `CODE_SLOTS`): the verification codes
    /// printed on its documents name the issuer and this slot, and no other batch of the issuer can take it.
    event CodeSlotTaken(uint32 indexed issuerOrgId, uint256 indexed slot, bytes32 indexed root);

    /// @notice Governance affirmed a batch that its signer's compromise cut-off had voided: it stands as if the key had
    /// been sound when it issued it. `reason` is the hash of the decision.
    event BatchAffirmed(bytes32 indexed root, uint32 indexed issuerOrgId, bytes32 reason, address indexed actor);

    /// @notice Every document of a batch was revoked.
    event BatchRevoked(bytes32 indexed root, uint32 indexed issuerOrgId, Reason reason, address indexed actor);

    /// @notice A batch was suspended: none of its documents verifies until it is reinstated.
    event BatchSuspended(bytes32 indexed root, uint32 indexed issuerOrgId, Reason reason, address indexed actor);

    /// @notice A suspended batch was reinstated.
    event BatchReinstated(bytes32 indexed root, uint32 indexed issuerOrgId, address indexed actor);

    /// @notice Governance undid a batch's revocation; `reason` is the hash of its decision.
    event BatchRestored(bytes32 indexed root, uint32 indexed issuerOrgId, bytes32 reason, address indexed actor);

    /// @notice One document of a batch was revoked.
    event DocumentRevoked(
        bytes32 indexed root,
        uint32 indexed issuerOrgId,
        uint256 index,
        Reason reason,
        address indexed actor
    );

    /// @notice Documents of a batch were revoked: bit `b` of `bitmap[j]` stands for index `(firstWord + j) * 256 + b`.
    event DocumentsRevoked(
        bytes32 indexed root,
        uint32 indexed issuerOrgId,
        uint256 firstWord,
        uint256[] bitmap,
        Reason reason,
        address indexed actor
    );

    /// @notice Documents of a batch were suspended (bitmap as in {DocumentsRevoked}).
    event DocumentsSuspended(
        bytes32 indexed root,
        uint32 indexed issuerOrgId,
        uint256 firstWord,
        uint256[] bitmap,
        Reason reason,
        address indexed actor
    );

    /// @notice Suspended documents of a batch were reinstated (bitmap as in {DocumentsRevoked}).
    event DocumentsReinstated(
        bytes32 indexed root,
        uint32 indexed issuerOrgId,
        uint256 firstWord,
        uint256[] bitmap,
        address indexed actor
    );

    /// @notice A document was revoked in favour of its corrected replacement, a document of the same issuer.
    event DocumentSuperseded(
        bytes32 indexed root,
        uint32 indexed issuerOrgId,
        uint256 index,
        bytes32 replacementRoot,
        uint256 replacementIndex,
        address indexed actor
    );

    /// @notice Governance undid a document's revocation or supersession; `reason` is the hash of its decision.
    event DocumentRestored(
        bytes32 indexed root,
        uint32 indexed issuerOrgId,
        uint256 index,
        bytes32 reason,
        address indexed actor
    );

    /// @notice The registry needs the participant directory's address.
    error CertificateRegistryZeroDirectory();
    /// @notice A batch root must not be zero.
    error CertificateRegistryEmptyRoot();
    /// @notice A batch holds between 1 and 2^24 - 1 documents.
    error CertificateRegistryInvalidDocumentCount(uint256 documentCount);
    /// @notice An expiry must be in the future (or 0 for none).
    error CertificateRegistryInvalidExpiry(uint32 expiresAt);
    /// @notice The organisation already issued this root; a root is anchored once per issuer.
    error CertificateRegistryAlreadyIssued(uint32 issuerOrgId, bytes32 root, address signer, uint32 issuedAt);
    /// @notice The organisation issued no batch with this root.
    error CertificateRegistryUnknownBatch(uint32 issuerOrgId, bytes32 root);
    /// @notice The batch has no document at this index.
    error CertificateRegistryIndexOutOfRange(bytes32 root, uint256 index, uint256 documentCount);
    /// @notice The caller is neither an active key of the issuing organisation nor a governance role.
    error CertificateRegistryNotIssuer(uint32 issuerOrgId, bytes32 root, address caller);
    /// @notice This reason cannot be given here (None never; Superseded only through {supersede}).
    error CertificateRegistryInvalidReason(Reason reason);
    /// @notice The whole batch is revoked; nothing in it can change any more.
    error CertificateRegistryBatchRevoked(bytes32 root);
    /// @notice The batch is already suspended.
    error CertificateRegistryBatchSuspended(bytes32 root);
    /// @notice The batch is not suspended, so it cannot be reinstated.
    error CertificateRegistryBatchNotSuspended(bytes32 root);
    /// @notice The batch is not revoked, so there is nothing to restore.
    error CertificateRegistryBatchNotRevoked(bytes32 root);
    /// @notice The document is already revoked.
    error CertificateRegistryDocumentRevoked(bytes32 root, uint256 index);
    /// @notice The document is already suspended.
    error CertificateRegistryDocumentSuspended(bytes32 root, uint256 index);
    /// @notice The document is not suspended, so it cannot be reinstated.
    error CertificateRegistryDocumentNotSuspended(bytes32 root, uint256 index);
    /// @notice The document is not revoked, so there is nothing to restore.
    error CertificateRegistryDocumentNotRevoked(bytes32 root, uint256 index);
    /// @notice Governance imposed this suspension (of the batch, or of the document at `index`; the batch when
    /// `index` is the largest uint256); only governance lifts it.
    error CertificateRegistrySuspendedByGovernance(bytes32 root, uint256 index);
    /// @notice The bitmap selects no document, or its last word is zero.
    error CertificateRegistryEmptySelection();
    /// @notice A replacement must be another, unmarked document issued by the same organisation.
    error CertificateRegistryInvalidReplacement(bytes32 root, uint256 index);
    /// @notice A status range must hold 1 to `MAX_DOCUMENTS` documents and start below `MAX_DOCUMENTS`.
    error CertificateRegistryInvalidRange(uint256 first, uint256 count);

    /// @notice Another batch of the issuer holds the short-code slot of this root: build the batch again (its salts,
    /// and so its root, change) to get another slot.
    error CertificateRegistryCodeSlotTaken(uint32 issuerOrgId, uint256 slot, bytes32 root);
    /// @notice Only a batch its signer's compromise cut-off voided, and that governance has not affirmed yet, can be
    /// affirmed.
    error CertificateRegistryBatchNotVoided(uint32 issuerOrgId, bytes32 root);

    /// @notice Anchors a batch root of `documentCount` documents, expiring at `expiresAt` (0 = never), for the
    /// caller's organisation. The batch takes the organisation's short-code slot `uint256(root) % CODE_SLOTS`, which
    /// must be free — or held by a batch its signer's compromise cut-off voided, so a stolen key cannot block slots for
    /// good; slots are per issuer, so no other organisation can take or block one.
    function issue(bytes32 root, uint32 documentCount, uint32 expiresAt) external;

    /// @notice Revokes every document of a batch.
    function revokeBatch(uint32 issuerOrgId, bytes32 root, Reason reason) external;

    /// @notice Suspends a batch until {reinstateBatch}.
    function suspendBatch(uint32 issuerOrgId, bytes32 root, Reason reason) external;

    /// @notice Lifts a batch suspension: the issuer's keys lift their own, governance any.
    function reinstateBatch(uint32 issuerOrgId, bytes32 root) external;

    /// @notice Undoes a batch revocation (governance, delayed); `reason` is the hash of the decision.
    function restoreBatch(uint32 issuerOrgId, bytes32 root, bytes32 reason) external;

    /// @notice Affirms a batch that its signer's compromise cut-off voided (issued at or after it): governance's
    /// decision (the governor's, delayed), with the hash of that decision. The batch then reads as it would had the key
    /// been sound, and takes its short-code slot back if a voided batch took it meanwhile.
    function affirmBatch(uint32 issuerOrgId, bytes32 root, bytes32 reason) external;

    /// @notice Revokes one document of a batch.
    function revokeDocument(uint32 issuerOrgId, bytes32 root, uint256 index, Reason reason) external;

    /// @notice Revokes the documents a bitmap selects (see {DocumentsRevoked}); suspended ones included.
    function revokeDocuments(
        uint32 issuerOrgId,
        bytes32 root,
        uint256 firstWord,
        uint256[] calldata bitmap,
        Reason reason
    ) external;

    /// @notice Suspends the documents a bitmap selects.
    function suspendDocuments(
        uint32 issuerOrgId,
        bytes32 root,
        uint256 firstWord,
        uint256[] calldata bitmap,
        Reason reason
    ) external;

    /// @notice Reinstates the suspended documents a bitmap selects: the issuer's keys lift their own suspensions,
    /// governance any.
    function reinstateDocuments(
        uint32 issuerOrgId,
        bytes32 root,
        uint256 firstWord,
        uint256[] calldata bitmap
    ) external;

    /// @notice Revokes a document as superseded and points to its replacement, which must already be issued by the
    /// same organisation.
    function supersede(
        uint32 issuerOrgId,
        bytes32 root,
        uint256 index,
        bytes32 replacementRoot,
        uint256 replacementIndex
    ) external;

    /// @notice Undoes a document's revocation or supersession (governance, delayed); `reason` is the hash of the
    /// decision.
    function restoreDocument(uint32 issuerOrgId, bytes32 root, uint256 index, bytes32 reason) external;

    /// @notice The stored record of a batch (all zero if the organisation never issued it).
    function batch(uint32 issuerOrgId, bytes32 root) external view returns (Batch memory);

    /// @notice The root of the issuer's batch holding a short-code slot, or zero when no batch issued since version
    /// 2.1.0 holds it.
    function codeSlot(uint32 issuerOrgId, uint256 slot) external view returns (bytes32 root);

    /// @notice The hash of the decision by which governance affirmed a batch a compromise cut-off voided (zero: none).
    function batchAffirmation(uint32 issuerOrgId, bytes32 root) external view returns (bytes32 reason);

    /// @notice A batch's revocation and suspension, with who made them and whether they count.
    function batchMarks(
        uint32 issuerOrgId,
        bytes32 root
    ) external view returns (Mark memory revocation, Mark memory suspension);

    /// @notice A document's own revocation (or supersession) and suspension, with who made them and whether they
    /// count; what is said of its whole batch is in {batchMarks}.
    function documentMarks(
        uint32 issuerOrgId,
        bytes32 root,
        uint256 index
    ) external view returns (Mark memory revocation, Mark memory suspension);

    /// @notice The status of a document, without checking any proof.
    function documentStatus(
        uint32 issuerOrgId,
        bytes32 root,
        uint256 index
    ) external view returns (DocumentStatus memory);

    /// @notice The status of a document whose target hash and proof are given; `InvalidProof` if they do not lead
    /// to the root.
    function verifyDocument(
        uint32 issuerOrgId,
        bytes32 root,
        uint256 index,
        bytes32 targetHash,
        bytes32[] calldata proof
    ) external view returns (DocumentStatus memory);

    /// @notice The status of many documents in one call.
    function documentStatuses(DocumentKey[] calldata documents) external view returns (DocumentStatus[] memory);

    /// @notice The status of the documents `first` to `first + count - 1` of one batch: the batch's record once, then
    /// two bytes per document in `codes` (status, then revocation reason). What a verifier of a folder of
    /// certificates asks: a whole batch of ten thousand fits one call. A superseded document's replacement is in
    /// {replacementOf}. Indices past the batch read as `NotIssued`.
    function documentStatusRange(
        uint32 issuerOrgId,
        bytes32 root,
        uint256 first,
        uint256 count
    ) external view returns (Batch memory record, bytes memory codes);

    /// @notice The replacement of a superseded document (zero if none); it is a document of the same issuer.
    function replacementOf(uint32 issuerOrgId, bytes32 root, uint256 index) external view returns (DocumentRef memory);
}
