// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

import {MerkleProof} from "@openzeppelin/contracts/utils/cryptography/MerkleProof.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";
import {ICertificateRegistry} from "../interfaces/ICertificateRegistry.sol";
import {IParticipantDirectory} from "../interfaces/IParticipantDirectory.sol";
import {Capabilities} from "../governance/Capabilities.sol";
import {DirectoryGated} from "../governance/DirectoryGated.sol";
import {GovernedUpgradeable} from "../governance/GovernedUpgradeable.sol";
import {DocumentMarks} from "../libraries/DocumentMarks.sol";

/// @title CertificateRegistry
/// @notice Batches of academic certificates, anchored by their Merkle roots, and every later change to them.
/// Issuing, revoking, suspending and superseding belong to the issuing organisation, checked against the participant
/// directory on every call; governance (the suite's AccessManager) may also revoke, suspend and reinstate.
/// @dev The directory's address is immutable in the implementation, which saves a storage read on every write; it is
/// itself a proxy, so it never changes. Status is computed when asked, from the batch, its marks and the directory, so
/// suspending an issuer or reporting a key compromised takes effect on every document at once.
contract CertificateRegistry is DirectoryGated, ICertificateRegistry {
    using SafeCast for uint256;

    /// @notice Largest number of documents in one batch (the batch record keeps the count in 24 bits).
    uint256 public constant MAX_DOCUMENTS = type(uint24).max;

    /// @custom:storage-location erc7201:sakshya.storage.CertificateRegistry
    struct CertificateStorage {
        mapping(bytes32 root => Batch) batches;
        /// @dev Per batch, 4-bit document marks (see {DocumentMarks}).
        mapping(bytes32 root => mapping(uint256 word => uint256 packedMarks)) marks;
        /// @dev Keyed by `keccak256(abi.encode(root, index))` of the superseded document.
        mapping(bytes32 document => DocumentRef) replacements;
    }

    enum MarkChange {
        Revoke,
        Suspend,
        Reinstate
    }

    // keccak256(abi.encode(uint256(keccak256("sakshya.storage.CertificateRegistry")) - 1)) & ~bytes32(uint256(0xff))
    bytes32 private constant _STORAGE_SLOT = 0xadd5c17a0b49f07507b320e85d8826a1b899877564ed7552abba74485ad18c00;

    uint256 private constant _MARK_WORDS_PER_BITMAP_WORD = 256 / DocumentMarks.DOCUMENTS_PER_WORD;

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

    // ---------------------------------------------------------------- issuing

    /// @inheritdoc ICertificateRegistry
    function issue(bytes32 root, uint32 documentCount, uint32 expiresAt) external whenNotPaused {
        if (root == bytes32(0)) revert CertificateRegistryEmptyRoot();
        if (documentCount == 0 || documentCount > MAX_DOCUMENTS) {
            revert CertificateRegistryInvalidDocumentCount(documentCount);
        }
        if (expiresAt != 0 && expiresAt <= block.timestamp) revert CertificateRegistryInvalidExpiry(expiresAt);
        uint32 orgId = _DIRECTORY.authorizedOrganisation(msg.sender, Capabilities.ISSUE_CERTIFICATES, 0);

        CertificateStorage storage $ = _storage();
        Batch storage existing = $.batches[root];
        if (existing.signer != address(0)) {
            revert CertificateRegistryAlreadyIssued(root, existing.signer, existing.issuedAt);
        }
        $.batches[root] = Batch({
            signer: msg.sender,
            issuedAt: block.timestamp.toUint32(),
            expiresAt: expiresAt,
            documentCount: uint24(documentCount),
            mark: uint8(DocumentMarks.NONE)
        });
        emit BatchIssued(root, orgId, msg.sender, uint24(documentCount), expiresAt);
    }

    // ---------------------------------------------------------------- whole batches

    /// @inheritdoc ICertificateRegistry
    function revokeBatch(bytes32 root, Reason reason) external whenNotPaused {
        _requireRevocationReason(reason);
        Batch storage b = _authorizedBatch(root);
        if (_isRevocation(b.mark)) revert CertificateRegistryBatchRevoked(root);
        b.mark = uint8(reason);
        emit BatchRevoked(root, reason, msg.sender);
    }

    /// @inheritdoc ICertificateRegistry
    function suspendBatch(bytes32 root, Reason reason) external whenNotPaused {
        _requireReason(reason);
        Batch storage b = _authorizedBatch(root);
        _requireBatchNotRevoked(root, b);
        if (b.mark == DocumentMarks.SUSPENDED) revert CertificateRegistryBatchSuspended(root);
        b.mark = uint8(DocumentMarks.SUSPENDED);
        emit BatchSuspended(root, reason, msg.sender);
    }

    /// @inheritdoc ICertificateRegistry
    function reinstateBatch(bytes32 root) external whenNotPaused {
        Batch storage b = _authorizedBatch(root);
        _requireBatchNotRevoked(root, b);
        if (b.mark != DocumentMarks.SUSPENDED) revert CertificateRegistryBatchNotSuspended(root);
        b.mark = uint8(DocumentMarks.NONE);
        emit BatchReinstated(root, msg.sender);
    }

    // ---------------------------------------------------------------- documents

    /// @inheritdoc ICertificateRegistry
    function revokeDocument(bytes32 root, uint256 index, Reason reason) external whenNotPaused {
        _requireRevocationReason(reason);
        Batch storage b = _authorizedBatch(root);
        _requireIndex(root, b, index);
        _requireBatchNotRevoked(root, b);
        _markDocument(root, index, uint8(reason));
        emit DocumentRevoked(root, index, reason, msg.sender);
    }

    /// @inheritdoc ICertificateRegistry
    function revokeDocuments(
        bytes32 root,
        uint256 firstWord,
        uint256[] calldata bitmap,
        Reason reason
    ) external whenNotPaused {
        _requireRevocationReason(reason);
        _markSelection(root, firstWord, bitmap, MarkChange.Revoke, uint8(reason));
        emit DocumentsRevoked(root, firstWord, bitmap, reason, msg.sender);
    }

    /// @inheritdoc ICertificateRegistry
    function suspendDocuments(
        bytes32 root,
        uint256 firstWord,
        uint256[] calldata bitmap,
        Reason reason
    ) external whenNotPaused {
        _requireReason(reason);
        _markSelection(root, firstWord, bitmap, MarkChange.Suspend, 0);
        emit DocumentsSuspended(root, firstWord, bitmap, reason, msg.sender);
    }

    /// @inheritdoc ICertificateRegistry
    function reinstateDocuments(bytes32 root, uint256 firstWord, uint256[] calldata bitmap) external whenNotPaused {
        _markSelection(root, firstWord, bitmap, MarkChange.Reinstate, 0);
        emit DocumentsReinstated(root, firstWord, bitmap, msg.sender);
    }

    /// @inheritdoc ICertificateRegistry
    function supersede(
        bytes32 root,
        uint256 index,
        bytes32 replacementRoot,
        uint256 replacementIndex
    ) external whenNotPaused {
        CertificateStorage storage $ = _storage();
        Batch storage b = _authorizedBatch(root);
        _requireIndex(root, b, index);
        _requireBatchNotRevoked(root, b);
        _requireReplacement($, b.signer, root, index, replacementRoot, replacementIndex);
        _markDocument(root, index, uint8(Reason.Superseded));
        $.replacements[_documentKey(root, index)] = DocumentRef(replacementRoot, replacementIndex);
        emit DocumentSuperseded(root, index, replacementRoot, replacementIndex, msg.sender);
    }

    // ---------------------------------------------------------------- views

    /// @inheritdoc ICertificateRegistry
    function batch(bytes32 root) external view returns (Batch memory) {
        return _storage().batches[root];
    }

    /// @inheritdoc ICertificateRegistry
    function documentStatus(bytes32 root, uint256 index) external view returns (DocumentStatus memory status) {
        status = _documentStatus(root, index, _issuerStatusOf(_storage().batches[root]));
    }

    /// @inheritdoc ICertificateRegistry
    function verifyDocument(
        bytes32 root,
        uint256 index,
        bytes32 targetHash,
        bytes32[] calldata proof
    ) external view returns (DocumentStatus memory status) {
        status = _documentStatus(root, index, _issuerStatusOf(_storage().batches[root]));
        if (status.status == Status.NotIssued) return status;
        bytes32 leaf = keccak256(bytes.concat(keccak256(abi.encode(index, targetHash))));
        if (!MerkleProof.verifyCalldata(proof, root, leaf)) status.status = Status.InvalidProof;
    }

    /// @inheritdoc ICertificateRegistry
    function documentStatuses(
        DocumentRef[] calldata documents
    ) external view returns (DocumentStatus[] memory statuses) {
        statuses = new DocumentStatus[](documents.length);
        bytes32 previousRoot;
        IssuerStatus memory issuer;
        for (uint256 i = 0; i < documents.length; ++i) {
            bytes32 root = documents[i].root;
            // Documents of one batch usually come together: ask the directory about the issuer once per run.
            if (i == 0 || root != previousRoot) {
                issuer = _issuerStatusOf(_storage().batches[root]);
                previousRoot = root;
            }
            statuses[i] = _documentStatus(root, documents[i].index, issuer);
        }
    }

    /// @inheritdoc ICertificateRegistry
    function documentStatusRange(
        bytes32 root,
        uint256 first,
        uint256 count
    ) external view returns (Batch memory record, uint32 issuerOrgId, bytes memory codes) {
        if (count == 0 || count > MAX_DOCUMENTS || first >= MAX_DOCUMENTS) {
            revert CertificateRegistryInvalidRange(first, count);
        }
        CertificateStorage storage $ = _storage();
        record = $.batches[root];
        IssuerStatus memory issuer = _issuerStatusOf($.batches[root]);
        issuerOrgId = issuer.orgId;
        codes = _rangeCodes(record, _statusTable(record, issuer), $.marks[root], first, count);
    }

    /// @notice The replacement of a superseded document (zero if none).
    function replacementOf(bytes32 root, uint256 index) external view returns (DocumentRef memory) {
        return _storage().replacements[_documentKey(root, index)];
    }

    // ---------------------------------------------------------------- internals

    /// @dev What the directory says about a batch's signer and organisation, looked up once per batch.
    struct IssuerStatus {
        uint32 orgId;
        Status status;
    }

    /// @dev The batch, once the caller is known to be an active key of the issuing organisation or a governance role
    /// allowed this function (which may need a scheduled operation, consumed here as `restricted` would).
    function _authorizedBatch(bytes32 root) private returns (Batch storage b) {
        b = _storage().batches[root];
        address signer = b.signer;
        if (signer == address(0)) revert CertificateRegistryUnknownBatch(root);
        try _DIRECTORY.authorizedOrganisation(msg.sender, Capabilities.ISSUE_CERTIFICATES, 0) returns (uint32 orgId) {
            if (msg.sender == signer || orgId == _DIRECTORY.account(signer).orgId) return b;
        } catch {
            // Not an active issuer key: governance is the only other way in.
        }
        if (!_governanceMayCall()) revert CertificateRegistryNotIssuer(root, msg.sender);
    }

    function _markDocument(bytes32 root, uint256 index, uint8 reason) private {
        mapping(uint256 => uint256) storage marks = _storage().marks[root];
        (uint256 word, uint256 shift) = DocumentMarks.locate(index);
        uint256 packed = marks[word];
        uint256 current = DocumentMarks.get(packed, shift);
        if (_isRevocation(current)) revert CertificateRegistryDocumentRevoked(root, index);
        marks[word] = DocumentMarks.set(packed, shift, reason);
    }

    /// @dev Applies `change` to every document the bitmap selects, 64 at a time; all or nothing.
    function _markSelection(
        bytes32 root,
        uint256 firstWord,
        uint256[] calldata bitmap,
        MarkChange change,
        uint8 reason
    ) private {
        Batch storage b = _authorizedBatch(root);
        _requireSelection(root, b.documentCount, firstWord, bitmap);
        _requireBatchNotRevoked(root, b);
        mapping(uint256 => uint256) storage marks = _storage().marks[root];
        for (uint256 j = 0; j < bitmap.length; ++j) {
            uint256 selection = bitmap[j];
            uint256 word = (firstWord + j) * _MARK_WORDS_PER_BITMAP_WORD;
            for (uint256 q = 0; q < _MARK_WORDS_PER_BITMAP_WORD; ++q) {
                uint256 chunk = (selection >> (q * DocumentMarks.DOCUMENTS_PER_WORD)) & type(uint64).max;
                if (chunk != 0) _markWord(marks, root, word + q, chunk, change, reason);
            }
        }
    }

    /// @dev Applies `change` to the documents of one mark word that `chunk` selects.
    function _markWord(
        mapping(uint256 => uint256) storage marks,
        bytes32 root,
        uint256 word,
        uint256 chunk,
        MarkChange change,
        uint8 reason
    ) private {
        uint256 spreadChunk = DocumentMarks.spread(chunk);
        uint256 packed = marks[word];
        (uint256 updated, bool ok) = change == MarkChange.Revoke
            ? DocumentMarks.revoke(packed, spreadChunk, reason)
            : change == MarkChange.Suspend
                ? DocumentMarks.suspend(packed, spreadChunk)
                : DocumentMarks.reinstate(packed, spreadChunk);
        if (!ok) _revertConflict(root, word, packed, chunk, change);
        marks[word] = updated;
    }

    /// @dev Names the first selected document of a word that `change` cannot apply to.
    function _revertConflict(
        bytes32 root,
        uint256 word,
        uint256 packed,
        uint256 chunk,
        MarkChange change
    ) private pure {
        for (uint256 bit = 0; bit < DocumentMarks.DOCUMENTS_PER_WORD; ++bit) {
            if ((chunk >> bit) & 1 == 0) continue;
            uint256 index = word * DocumentMarks.DOCUMENTS_PER_WORD + bit;
            uint256 mark = DocumentMarks.get(packed, bit * 4);
            if (_isRevocation(mark)) revert CertificateRegistryDocumentRevoked(root, index);
            if (change == MarkChange.Suspend && mark == DocumentMarks.SUSPENDED) {
                revert CertificateRegistryDocumentSuspended(root, index);
            }
            if (change == MarkChange.Reinstate && mark == DocumentMarks.NONE) {
                revert CertificateRegistryDocumentNotSuspended(root, index);
            }
        }
    }

    function _requireSelection(
        bytes32 root,
        uint256 documentCount,
        uint256 firstWord,
        uint256[] calldata bitmap
    ) private pure {
        if (bitmap.length == 0 || bitmap[bitmap.length - 1] == 0) revert CertificateRegistryEmptySelection();
        uint256 lastWord = Math.saturatingAdd(firstWord, bitmap.length - 1);
        uint256 lastIndex = Math.saturatingAdd(Math.saturatingMul(lastWord, 256), Math.log2(bitmap[bitmap.length - 1]));
        if (lastIndex >= documentCount) revert CertificateRegistryIndexOutOfRange(root, lastIndex, documentCount);
    }

    function _requireReplacement(
        CertificateStorage storage $,
        address signer,
        bytes32 root,
        uint256 index,
        bytes32 replacementRoot,
        uint256 replacementIndex
    ) private view {
        Batch storage r = $.batches[replacementRoot];
        (uint256 word, uint256 shift) = DocumentMarks.locate(replacementIndex);
        bool valid = r.signer != address(0) &&
            replacementIndex < r.documentCount &&
            !(replacementRoot == root && replacementIndex == index) &&
            r.mark == DocumentMarks.NONE &&
            DocumentMarks.get($.marks[replacementRoot][word], shift) == DocumentMarks.NONE &&
            (r.signer == signer || _DIRECTORY.account(r.signer).orgId == _DIRECTORY.account(signer).orgId);
        if (!valid) revert CertificateRegistryInvalidReplacement(replacementRoot, replacementIndex);
    }

    function _issuerStatusOf(Batch storage b) private view returns (IssuerStatus memory issuer) {
        if (b.signer == address(0)) return issuer;
        IParticipantDirectory.Account memory signer = _DIRECTORY.account(b.signer);
        issuer.orgId = signer.orgId;
        if (signer.compromisedAt != 0 && b.issuedAt >= signer.compromisedAt) {
            issuer.status = Status.KeyCompromised;
            return issuer;
        }
        IParticipantDirectory.OrganisationStatus org = _DIRECTORY.organisation(signer.orgId).status;
        if (org == IParticipantDirectory.OrganisationStatus.Offboarded) issuer.status = Status.IssuerOffboarded;
        else if (org == IParticipantDirectory.OrganisationStatus.Suspended) issuer.status = Status.IssuerSuspended;
    }

    function _documentStatus(
        bytes32 root,
        uint256 index,
        IssuerStatus memory issuer
    ) private view returns (DocumentStatus memory s) {
        CertificateStorage storage $ = _storage();
        Batch memory b = $.batches[root];
        s.signer = b.signer;
        s.issuedAt = b.issuedAt;
        s.expiresAt = b.expiresAt;
        s.issuerOrgId = issuer.orgId;
        uint256 documentMark;
        if (index < b.documentCount) {
            (uint256 word, uint256 shift) = DocumentMarks.locate(index);
            documentMark = DocumentMarks.get($.marks[root][word], shift);
        }
        (s.status, s.reason) = _statusOf(b, issuer, index, documentMark);
        if (s.status == Status.Superseded) {
            DocumentRef storage replacement = $.replacements[_documentKey(root, index)];
            (s.replacementRoot, s.replacementIndex) = (replacement.root, replacement.index);
        }
    }

    /// @dev The status rule, in order: not issued, issuer's standing, revocation (a revoked batch outranks anything
    /// said of one document, and a revoked document outranks a suspended batch), suspension, expiry.
    function _statusOf(
        Batch memory b,
        IssuerStatus memory issuer,
        uint256 index,
        uint256 documentMark
    ) private view returns (Status, Reason) {
        if (b.signer == address(0) || index >= b.documentCount) return (Status.NotIssued, Reason.None);
        if (issuer.status != Status.Valid) return (issuer.status, Reason.None);
        uint256 mark = _isRevocation(b.mark) ? b.mark : documentMark;
        if (_isRevocation(mark)) {
            Reason reason = Reason(mark);
            return (reason == Reason.Superseded ? Status.Superseded : Status.Revoked, reason);
        }
        if (mark == DocumentMarks.SUSPENDED || b.mark == DocumentMarks.SUSPENDED) {
            return (Status.Suspended, Reason.None);
        }
        if (b.expiresAt != 0 && block.timestamp >= b.expiresAt) return (Status.Expired, Reason.None);
        return (Status.Valid, Reason.None);
    }

    /// @dev Within a batch a document's status depends only on its 4-bit mark, so there are at most sixteen: entry
    /// `m` (bits 16m to 16m+15) is status << 8 | reason for mark `m`.
    function _statusTable(Batch memory b, IssuerStatus memory issuer) private view returns (uint256 table) {
        for (uint256 mark = 0; mark < 16; ++mark) {
            // Marks past the last reason are never written (every write checks its reason), save SUSPENDED.
            if (mark > uint256(type(Reason).max) && mark != DocumentMarks.SUSPENDED) continue;
            (Status status, Reason reason) = _statusOf(b, issuer, 0, mark);
            table |= ((uint256(status) << 8) | uint256(reason)) << (16 * mark);
        }
    }

    function _rangeCodes(
        Batch memory b,
        uint256 table,
        mapping(uint256 => uint256) storage marks,
        uint256 first,
        uint256 count
    ) private view returns (bytes memory codes) {
        codes = new bytes(2 * count);
        uint256 notIssued = uint256(Status.NotIssued) << 8;
        uint256 packed = marks[first / DocumentMarks.DOCUMENTS_PER_WORD];
        // Bounded by the caller: first < 2^24 and count <= 2^24, so nothing here can overflow.
        unchecked {
            for (uint256 i = 0; i < count; ++i) {
                uint256 index = first + i;
                (uint256 word, uint256 shift) = DocumentMarks.locate(index);
                if (shift == 0 && i != 0) packed = marks[word];
                uint256 code = index < b.documentCount
                    ? (table >> (16 * DocumentMarks.get(packed, shift))) & 0xffff
                    : notIssued;
                // Two bytes per document, written directly: indexed byte writes would cost more than everything else.
                assembly ("memory-safe") {
                    let at := add(add(codes, 32), mul(i, 2))
                    mstore8(at, shr(8, code))
                    mstore8(add(at, 1), and(code, 0xff))
                }
            }
        }
    }

    function _requireIndex(bytes32 root, Batch storage b, uint256 index) private view {
        if (index >= b.documentCount) revert CertificateRegistryIndexOutOfRange(root, index, b.documentCount);
    }

    function _requireBatchNotRevoked(bytes32 root, Batch storage b) private view {
        if (_isRevocation(b.mark)) revert CertificateRegistryBatchRevoked(root);
    }

    function _requireReason(Reason reason) private pure {
        if (reason == Reason.None) revert CertificateRegistryInvalidReason(reason);
    }

    /// @dev Superseded needs a replacement, so only {supersede} gives it.
    function _requireRevocationReason(Reason reason) private pure {
        if (reason == Reason.None || reason == Reason.Superseded) revert CertificateRegistryInvalidReason(reason);
    }

    function _isRevocation(uint256 mark) private pure returns (bool) {
        return mark != DocumentMarks.NONE && mark != DocumentMarks.SUSPENDED;
    }

    function _documentKey(bytes32 root, uint256 index) private pure returns (bytes32) {
        return keccak256(abi.encode(root, index));
    }

    function _storage() private pure returns (CertificateStorage storage $) {
        assembly {
            $.slot := _STORAGE_SLOT
        }
    }
}
