// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

/// @title ICertificateRegistry
/// @notice Academic certificates anchored as Merkle roots. A batch's leaves are OpenZeppelin `StandardMerkleTree`
/// leaves of `[uint256 index, bytes32 targetHash]`; the target hash commits to a document's individually salted
/// fields, so a holder can hide fields and the document still verifies. Issuers are organisations of the participant
/// directory holding the certificate capability; any of their active keys signs.
interface ICertificateRegistry {
    /// @notice Why a document or batch was revoked or suspended. Values fit the 4-bit document marks, where 0 means
    /// "no mark" and 15 "suspended", so at most 14 reasons can exist.
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
    /// `mark` is 0, a revocation {Reason}, or 15 for a suspended batch.
    struct Batch {
        address signer;
        uint32 issuedAt;
        uint32 expiresAt;
        uint24 documentCount;
        uint8 mark;
    }

    /// @notice A document: its batch root and its index in the batch.
    struct DocumentRef {
        bytes32 root;
        uint256 index;
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

    /// @notice Every document of a batch was revoked.
    event BatchRevoked(bytes32 indexed root, Reason reason, address indexed actor);

    /// @notice A batch was suspended: none of its documents verifies until it is reinstated.
    event BatchSuspended(bytes32 indexed root, Reason reason, address indexed actor);

    /// @notice A suspended batch was reinstated.
    event BatchReinstated(bytes32 indexed root, address indexed actor);

    /// @notice One document of a batch was revoked.
    event DocumentRevoked(bytes32 indexed root, uint256 index, Reason reason, address indexed actor);

    /// @notice Documents of a batch were revoked: bit `b` of `bitmap[j]` stands for index `(firstWord + j) * 256 + b`.
    event DocumentsRevoked(
        bytes32 indexed root,
        uint256 firstWord,
        uint256[] bitmap,
        Reason reason,
        address indexed actor
    );

    /// @notice Documents of a batch were suspended (bitmap as in {DocumentsRevoked}).
    event DocumentsSuspended(
        bytes32 indexed root,
        uint256 firstWord,
        uint256[] bitmap,
        Reason reason,
        address indexed actor
    );

    /// @notice Suspended documents of a batch were reinstated (bitmap as in {DocumentsRevoked}).
    event DocumentsReinstated(bytes32 indexed root, uint256 firstWord, uint256[] bitmap, address indexed actor);

    /// @notice A document was revoked in favour of its corrected replacement.
    event DocumentSuperseded(
        bytes32 indexed root,
        uint256 index,
        bytes32 indexed replacementRoot,
        uint256 replacementIndex,
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
    /// @notice This root was issued before; a root is anchored once.
    error CertificateRegistryAlreadyIssued(bytes32 root, address signer, uint32 issuedAt);
    /// @notice No batch has this root.
    error CertificateRegistryUnknownBatch(bytes32 root);
    /// @notice The batch has no document at this index.
    error CertificateRegistryIndexOutOfRange(bytes32 root, uint256 index, uint256 documentCount);
    /// @notice The caller is neither an active key of the issuing organisation nor a governance role.
    error CertificateRegistryNotIssuer(bytes32 root, address caller);
    /// @notice This reason cannot be given here (None never; Superseded only through {supersede}).
    error CertificateRegistryInvalidReason(Reason reason);
    /// @notice The whole batch is revoked; nothing in it can change any more.
    error CertificateRegistryBatchRevoked(bytes32 root);
    /// @notice The batch is already suspended.
    error CertificateRegistryBatchSuspended(bytes32 root);
    /// @notice The batch is not suspended, so it cannot be reinstated.
    error CertificateRegistryBatchNotSuspended(bytes32 root);
    /// @notice The document is already revoked.
    error CertificateRegistryDocumentRevoked(bytes32 root, uint256 index);
    /// @notice The document is already suspended.
    error CertificateRegistryDocumentSuspended(bytes32 root, uint256 index);
    /// @notice The document is not suspended, so it cannot be reinstated.
    error CertificateRegistryDocumentNotSuspended(bytes32 root, uint256 index);
    /// @notice The bitmap selects no document, or its last word is zero.
    error CertificateRegistryEmptySelection();
    /// @notice A replacement must be another, unmarked document issued by the same organisation.
    error CertificateRegistryInvalidReplacement(bytes32 root, uint256 index);

    /// @notice Anchors a batch root of `documentCount` documents, expiring at `expiresAt` (0 = never).
    function issue(bytes32 root, uint32 documentCount, uint32 expiresAt) external;

    /// @notice Revokes every document of a batch.
    function revokeBatch(bytes32 root, Reason reason) external;

    /// @notice Suspends a batch until {reinstateBatch}.
    function suspendBatch(bytes32 root, Reason reason) external;

    /// @notice Lifts a batch suspension.
    function reinstateBatch(bytes32 root) external;

    /// @notice Revokes one document of a batch.
    function revokeDocument(bytes32 root, uint256 index, Reason reason) external;

    /// @notice Revokes the documents a bitmap selects (see {DocumentsRevoked}); suspended ones included.
    function revokeDocuments(bytes32 root, uint256 firstWord, uint256[] calldata bitmap, Reason reason) external;

    /// @notice Suspends the documents a bitmap selects.
    function suspendDocuments(bytes32 root, uint256 firstWord, uint256[] calldata bitmap, Reason reason) external;

    /// @notice Reinstates the suspended documents a bitmap selects.
    function reinstateDocuments(bytes32 root, uint256 firstWord, uint256[] calldata bitmap) external;

    /// @notice Revokes a document as superseded and points to its replacement, which must already be issued by the
    /// same organisation.
    function supersede(bytes32 root, uint256 index, bytes32 replacementRoot, uint256 replacementIndex) external;

    /// @notice The stored record of a batch (all zero if never issued).
    function batch(bytes32 root) external view returns (Batch memory);

    /// @notice The status of a document, without checking any proof.
    function documentStatus(bytes32 root, uint256 index) external view returns (DocumentStatus memory);

    /// @notice The status of a document whose target hash and proof are given; `InvalidProof` if they do not lead
    /// to the root.
    function verifyDocument(
        bytes32 root,
        uint256 index,
        bytes32 targetHash,
        bytes32[] calldata proof
    ) external view returns (DocumentStatus memory);

    /// @notice The status of many documents in one call.
    function documentStatuses(DocumentRef[] calldata documents) external view returns (DocumentStatus[] memory);

    /// @notice The status of the documents `first` to `first + count - 1` of one batch: the batch's record once, then
    /// two bytes per document in `codes` (status, then revocation reason). What a verifier of a folder of
    /// certificates asks: at under 600 gas per document, a whole batch of ten thousand fits one call. A
    /// superseded document's replacement is in {replacementOf}. Indices past the batch read as `NotIssued`.
    function documentStatusRange(
        bytes32 root,
        uint256 first,
        uint256 count
    ) external view returns (Batch memory record, uint32 issuerOrgId, bytes memory codes);

    /// @notice A status range must hold 1 to `MAX_DOCUMENTS` documents and start below `MAX_DOCUMENTS`.
    error CertificateRegistryInvalidRange(uint256 first, uint256 count);
}
