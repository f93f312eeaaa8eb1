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
import {AttributedMarks} from "../libraries/AttributedMarks.sol";

/// @title CertificateRegistry
/// @notice Batches of academic certificates, anchored by their issuers under their Merkle roots, and every later change
/// to them with who made it and when. Issuing, revoking, suspending and superseding belong to the issuing organisation,
/// checked against the participant directory on every call; governance (the suite's AccessManager) may also revoke,
/// suspend and reinstate, and undo a revocation.
/// @dev Status is computed when asked, from the batch, its marks and the directory, so suspending an issuer or
/// reporting a key compromised takes effect on every document at once — including the marks that key made.
///
/// Revocations and suspensions are two layers of {AttributedMarks} words, 32 documents each, so a stolen key's
/// revocation of a suspended document, once ignored, leaves the suspension standing. A suspension an issuer's key
/// lifts is kept as "lifted" with the lifter: if that key turns out stolen, the suspension stands again. Batches of
/// version 1.0.0 (keyed by their root alone, with unattributed 4-bit marks) are still read and may still be marked.
contract CertificateRegistry is DirectoryGated, ICertificateRegistry {
    using SafeCast for uint256;

    /// @notice Largest number of documents in one batch (the batch record keeps the count in 24 bits).
    uint256 public constant MAX_DOCUMENTS = type(uint24).max;

    /// @notice Short-code slots of each issuer: a batch's verification codes name its issuer and its slot,
    /// `uint256(root) % CODE_SLOTS`, and each slot of an issuer belongs to one of its batches. A hundred thousand a
    /// issuer keeps codes to 11 digits for the first thousand documents of a batch, and a builder that finds its slot
    /// taken (one in fifty once an issuer has 2,000 batches) builds again with new salts.
    uint256 public constant CODE_SLOTS = 100_000;

    /// @custom:storage-location erc7201:sakshya.storage.CertificateRegistry
    struct CertificateStorage {
        /// @dev By batch key: `keccak256(abi.encode(issuerOrgId, root))`, or the root alone for a batch of 1.0.0.
        mapping(bytes32 batchKey => Batch) batches;
        /// @dev Version 1.0.0's marks, 4 bits a document and 64 to a word (1-14 a revocation reason, 15 suspended),
        /// made before authors were kept: they always count. Only batches of 1.0.0 have them.
        mapping(bytes32 root => mapping(uint256 word => uint256 packedMarks)) marks;
        /// @dev Keyed by `keccak256(abi.encode(batchKey, index))` of the superseded document.
        mapping(bytes32 document => DocumentRef) replacements;
        /// @dev Per batch key, {AttributedMarks} words of revocations (value: the reason) and of suspensions.
        mapping(bytes32 batchKey => mapping(uint256 word => uint256)) revocations;
        mapping(bytes32 batchKey => mapping(uint256 word => uint256)) suspensions;
        /// @dev The mark of a document whose value is OVERFLOW: `value << 48 | entry`, keyed by `index << 1 | layer`.
        mapping(bytes32 batchKey => mapping(uint256 slot => uint256)) overflow;
        mapping(bytes32 batchKey => BatchMarks) batchMarks;
        /// @dev Since 2.1.0: the root of the batch holding each of an issuer's short-code slots.
        mapping(uint32 orgId => mapping(uint256 slot => bytes32 root)) codeSlots;
        /// @dev Since 2.2.0, by batch key: the decision by which governance affirmed a batch a compromise voided.
        mapping(bytes32 batchKey => bytes32 reason) affirmations;
    }

    /// @dev A batch's own marks: revocation and suspension, each a value and an {AttributedMarks} entry (112 bits).
    struct BatchMarks {
        uint8 revocation;
        uint48 revokedBy;
        uint8 suspension;
        uint48 suspendedBy;
    }

    /// @dev A batch being acted on or read: its key, record and issuer, and whether it is of version 1.0.0.
    struct Target {
        bytes32 key;
        bytes32 root;
        uint32 orgId;
        bool legacy;
    }

    /// @dev The directory's answers to "does this key's mark count", asked once per key of a read: each entry of
    /// `known` is `actor << 64 | cutoff + 1`, filled from the start (allocated at the first question; most writes ask
    /// none).
    struct Reader {
        uint32 orgId;
        uint256[] known;
    }

    enum Layer {
        Revocation,
        Suspension
    }

    enum Change {
        Revoke,
        Suspend,
        Reinstate
    }

    // keccak256(abi.encode(uint256(keccak256("sakshya.storage.CertificateRegistry")) - 1)) & ~bytes32(uint256(0xff))
    bytes32 private constant _STORAGE_SLOT = 0xadd5c17a0b49f07507b320e85d8826a1b899877564ed7552abba74485ad18c00;

    /// @dev Values of the suspension layer.
    uint256 private constant _SUSPENDED = 1;
    uint256 private constant _LIFTED = 2;
    /// @dev Version 1.0.0's mark of a suspension.
    uint256 private constant _LEGACY_SUSPENDED = 15;
    /// @dev `Batch.mark` of a batch issued since 2.0.0 once it has marks of its own in {BatchMarks}: the batch's own
    /// slot says whether there is anything more to read, so a write to one of its documents reads nothing else.
    uint8 private constant _HAS_BATCH_MARKS = 16;
    uint256 private constant _WORDS_PER_BITMAP_WORD = 256 / AttributedMarks.DOCUMENTS_PER_WORD;
    uint256 private constant _BATCH = type(uint256).max;
    /// @dev Keys whose cut-offs a read remembers; a batch is usually marked by one or two.
    uint256 private constant _READER_KEYS = 8;

    /// @custom:oz-upgrades-unsafe-allow constructor
    constructor(IParticipantDirectory directory_) DirectoryGated(directory_) {}

    /// @notice Sets the suite's AccessManager as this registry's authority.
    function initialize(address initialAuthority) external initializer {
        __Governed_init(initialAuthority);
    }

    /// @inheritdoc GovernedUpgradeable
    function version() external pure virtual override returns (string memory) {
        return "2.2.0";
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

        (Target memory t, Batch storage existing) = _find(orgId, root);
        if (existing.signer != address(0)) {
            revert CertificateRegistryAlreadyIssued(orgId, root, existing.signer, existing.issuedAt);
        }
        uint256 slot = _takeCodeSlot(orgId, root);
        _storage().batches[t.key] = Batch({
            signer: msg.sender,
            issuedAt: block.timestamp.toUint32(),
            expiresAt: expiresAt,
            documentCount: uint24(documentCount),
            mark: 0
        });
        emit BatchIssued(root, orgId, msg.sender, uint24(documentCount), expiresAt);
        emit CodeSlotTaken(orgId, slot, root);
    }

    /// @inheritdoc ICertificateRegistry
    function affirmBatch(uint32 issuerOrgId, bytes32 root, bytes32 reason) external restricted whenNotPaused {
        if (reason == bytes32(0)) revert CertificateRegistryInvalidReason(Reason.None);
        (Target memory t, Batch storage b) = _existing(issuerOrgId, root);
        if (!_voided(t, b)) revert CertificateRegistryBatchNotVoided(issuerOrgId, root);
        _storage().affirmations[t.key] = reason;
        emit BatchAffirmed(root, issuerOrgId, reason, msg.sender);
        // Its printed codes name its slot: it takes it back unless a standing batch took it meanwhile. (A slot is never
        // emptied, so an empty one was never this batch's: a batch of 2.0.0 or before, which printed no codes.)
        uint256 slot = uint256(root) % CODE_SLOTS;
        bytes32 holder = _storage().codeSlots[issuerOrgId][slot];
        if (holder != root && holder != bytes32(0) && _holderVoided(issuerOrgId, holder)) {
            _storage().codeSlots[issuerOrgId][slot] = root;
            emit CodeSlotTaken(issuerOrgId, slot, root);
        }
    }

    // ---------------------------------------------------------------- whole batches

    /// @inheritdoc ICertificateRegistry
    function revokeBatch(uint32 issuerOrgId, bytes32 root, Reason reason) external whenNotPaused {
        _requireRevocationReason(reason);
        (Target memory t, Batch storage b, uint256 entry) = _authorized(issuerOrgId, root);
        Reader memory r = _reader(issuerOrgId);
        _requireBatchNotRevoked(t, b, r);
        BatchMarks storage m = _batchMarksFor(t, b);
        (m.revocation, m.revokedBy) = (uint8(reason), uint48(entry));
        emit BatchRevoked(root, issuerOrgId, reason, msg.sender);
    }

    /// @inheritdoc ICertificateRegistry
    function suspendBatch(uint32 issuerOrgId, bytes32 root, Reason reason) external whenNotPaused {
        _requireReason(reason);
        (Target memory t, Batch storage b, uint256 entry) = _authorized(issuerOrgId, root);
        Reader memory r = _reader(issuerOrgId);
        _requireBatchNotRevoked(t, b, r);
        if (_batchSuspended(t, b, r)) revert CertificateRegistryBatchSuspended(root);
        BatchMarks storage m = _batchMarksFor(t, b);
        (m.suspension, m.suspendedBy) = (uint8(_SUSPENDED), uint48(entry));
        emit BatchSuspended(root, issuerOrgId, reason, msg.sender);
    }

    /// @inheritdoc ICertificateRegistry
    function reinstateBatch(uint32 issuerOrgId, bytes32 root) external whenNotPaused {
        (Target memory t, Batch storage b, uint256 entry) = _authorized(issuerOrgId, root);
        Reader memory r = _reader(issuerOrgId);
        _requireBatchNotRevoked(t, b, r);
        if (!_batchSuspended(t, b, r)) revert CertificateRegistryBatchNotSuspended(root);
        BatchMarks storage m = _storage().batchMarks[t.key];
        bool byGovernance = AttributedMarks.actorOf(entry) == 0;
        if (!byGovernance && m.suspension == _SUSPENDED && AttributedMarks.actorOf(m.suspendedBy) == 0) {
            revert CertificateRegistrySuspendedByGovernance(root, _BATCH);
        }
        if (b.mark == _LEGACY_SUSPENDED) b.mark = _HAS_BATCH_MARKS;
        if (m.suspension != 0) (m.suspension, m.suspendedBy) = byGovernance ? (0, 0) : (uint8(_LIFTED), uint48(entry));
        emit BatchReinstated(root, issuerOrgId, msg.sender);
    }

    /// @inheritdoc ICertificateRegistry
    function restoreBatch(uint32 issuerOrgId, bytes32 root, bytes32 reason) external restricted whenNotPaused {
        if (reason == bytes32(0)) revert CertificateRegistryInvalidReason(Reason.None);
        (Target memory t, Batch storage b) = _existing(issuerOrgId, root);
        if (!_batchRevoked(t, b, _reader(issuerOrgId))) revert CertificateRegistryBatchNotRevoked(root);
        if (_isRevocation(b.mark)) b.mark = _HAS_BATCH_MARKS;
        BatchMarks storage m = _storage().batchMarks[t.key];
        (m.revocation, m.revokedBy) = (0, 0);
        emit BatchRestored(root, issuerOrgId, reason, msg.sender);
    }

    // ---------------------------------------------------------------- documents

    /// @inheritdoc ICertificateRegistry
    function revokeDocument(uint32 issuerOrgId, bytes32 root, uint256 index, Reason reason) external whenNotPaused {
        _requireRevocationReason(reason);
        _markOne(issuerOrgId, root, index, uint8(reason));
        emit DocumentRevoked(root, issuerOrgId, index, reason, msg.sender);
    }

    /// @inheritdoc ICertificateRegistry
    function revokeDocuments(
        uint32 issuerOrgId,
        bytes32 root,
        uint256 firstWord,
        uint256[] calldata bitmap,
        Reason reason
    ) external whenNotPaused {
        _requireRevocationReason(reason);
        _markSelection(issuerOrgId, root, firstWord, bitmap, Change.Revoke, uint8(reason));
        emit DocumentsRevoked(root, issuerOrgId, firstWord, bitmap, reason, msg.sender);
    }

    /// @inheritdoc ICertificateRegistry
    function suspendDocuments(
        uint32 issuerOrgId,
        bytes32 root,
        uint256 firstWord,
        uint256[] calldata bitmap,
        Reason reason
    ) external whenNotPaused {
        _requireReason(reason);
        _markSelection(issuerOrgId, root, firstWord, bitmap, Change.Suspend, 0);
        emit DocumentsSuspended(root, issuerOrgId, firstWord, bitmap, reason, msg.sender);
    }

    /// @inheritdoc ICertificateRegistry
    function reinstateDocuments(
        uint32 issuerOrgId,
        bytes32 root,
        uint256 firstWord,
        uint256[] calldata bitmap
    ) external whenNotPaused {
        _markSelection(issuerOrgId, root, firstWord, bitmap, Change.Reinstate, 0);
        emit DocumentsReinstated(root, issuerOrgId, firstWord, bitmap, msg.sender);
    }

    /// @inheritdoc ICertificateRegistry
    function supersede(
        uint32 issuerOrgId,
        bytes32 root,
        uint256 index,
        bytes32 replacementRoot,
        uint256 replacementIndex
    ) external whenNotPaused {
        if (replacementRoot == root && replacementIndex == index) {
            revert CertificateRegistryInvalidReplacement(replacementRoot, replacementIndex);
        }
        if (_documentStatus(issuerOrgId, replacementRoot, replacementIndex).status != Status.Valid) {
            revert CertificateRegistryInvalidReplacement(replacementRoot, replacementIndex);
        }
        bytes32 key = _markOne(issuerOrgId, root, index, uint8(Reason.Superseded));
        _storage().replacements[_documentKey(key, index)] = DocumentRef(replacementRoot, replacementIndex);
        emit DocumentSuperseded(root, issuerOrgId, index, replacementRoot, replacementIndex, msg.sender);
    }

    /// @inheritdoc ICertificateRegistry
    function restoreDocument(
        uint32 issuerOrgId,
        bytes32 root,
        uint256 index,
        bytes32 reason
    ) external restricted whenNotPaused {
        if (reason == bytes32(0)) revert CertificateRegistryInvalidReason(Reason.None);
        (Target memory t, Batch storage b) = _existing(issuerOrgId, root);
        _requireIndex(root, b, index);
        if (_documentRevocation(t, index, _reader(issuerOrgId)) == 0) {
            revert CertificateRegistryDocumentNotRevoked(root, index);
        }
        CertificateStorage storage $ = _storage();
        (uint256 word, uint256 position) = AttributedMarks.locate(index);
        $.revocations[t.key][word] = AttributedMarks.clear($.revocations[t.key][word], 1 << position);
        if (t.legacy) {
            uint256 shift = (index % 64) * 4;
            uint256 packed = $.marks[root][index / 64];
            if (_isRevocation((packed >> shift) & 0xf)) $.marks[root][index / 64] = packed & ~(uint256(0xf) << shift);
        }
        delete $.replacements[_documentKey(t.key, index)];
        emit DocumentRestored(root, issuerOrgId, index, reason, msg.sender);
    }

    // ---------------------------------------------------------------- views

    /// @inheritdoc ICertificateRegistry
    function codeSlot(uint32 issuerOrgId, uint256 slot) external view returns (bytes32) {
        return _storage().codeSlots[issuerOrgId][slot];
    }

    /// @inheritdoc ICertificateRegistry
    function batchAffirmation(uint32 issuerOrgId, bytes32 root) external view returns (bytes32) {
        (Target memory t, ) = _find(issuerOrgId, root);
        return _storage().affirmations[t.key];
    }

    /// @inheritdoc ICertificateRegistry
    function batch(uint32 issuerOrgId, bytes32 root) external view returns (Batch memory b) {
        (, b) = _find(issuerOrgId, root);
    }

    /// @inheritdoc ICertificateRegistry
    function batchMarks(
        uint32 issuerOrgId,
        bytes32 root
    ) external view returns (Mark memory revocation, Mark memory suspension) {
        (Target memory t, Batch storage b) = _find(issuerOrgId, root);
        BatchMarks storage m = _storage().batchMarks[t.key];
        Reader memory r = _reader(issuerOrgId);
        revocation = _isRevocation(b.mark) ? _legacyMark(b.mark) : _mark(r, m.revocation, m.revokedBy);
        suspension = b.mark == _LEGACY_SUSPENDED ? _legacyMark(_SUSPENDED) : _mark(r, m.suspension, m.suspendedBy);
    }

    /// @inheritdoc ICertificateRegistry
    function documentMarks(
        uint32 issuerOrgId,
        bytes32 root,
        uint256 index
    ) external view returns (Mark memory revocation, Mark memory suspension) {
        (Target memory t, ) = _find(issuerOrgId, root);
        Reader memory r = _reader(issuerOrgId);
        uint256 legacy = t.legacy ? _legacyValue(root, index) : 0;
        (uint256 value, uint256 entry) = _cell(t.key, Layer.Revocation, index);
        revocation = _isRevocation(legacy) ? _legacyMark(legacy) : _mark(r, value, entry);
        (value, entry) = _cell(t.key, Layer.Suspension, index);
        suspension = legacy == _LEGACY_SUSPENDED ? _legacyMark(_SUSPENDED) : _mark(r, value, entry);
    }

    /// @inheritdoc ICertificateRegistry
    function documentStatus(
        uint32 issuerOrgId,
        bytes32 root,
        uint256 index
    ) external view returns (DocumentStatus memory status) {
        status = _documentStatus(issuerOrgId, root, index);
    }

    /// @inheritdoc ICertificateRegistry
    function verifyDocument(
        uint32 issuerOrgId,
        bytes32 root,
        uint256 index,
        bytes32 targetHash,
        bytes32[] calldata proof
    ) external view returns (DocumentStatus memory status) {
        status = _documentStatus(issuerOrgId, root, index);
        if (status.status == Status.NotIssued) return status;
        bytes32 leaf = keccak256(bytes.concat(keccak256(abi.encode(index, targetHash))));
        if (!MerkleProof.verifyCalldata(proof, root, leaf)) status.status = Status.InvalidProof;
    }

    /// @inheritdoc ICertificateRegistry
    function documentStatuses(
        DocumentKey[] calldata documents
    ) external view returns (DocumentStatus[] memory statuses) {
        statuses = new DocumentStatus[](documents.length);
        Target memory t;
        Batch memory record;
        Reader memory r;
        (Status shared, Reason sharedReason) = (Status.NotIssued, Reason.None);
        for (uint256 i = 0; i < documents.length; ++i) {
            DocumentKey calldata d = documents[i];
            // Documents of one batch usually come together: ask the directory about the issuer once per run.
            if (i == 0 || d.root != t.root || d.issuerOrgId != t.orgId) {
                (t, record) = _find(d.issuerOrgId, d.root);
                r = _reader(d.issuerOrgId);
                (shared, sharedReason) = _batchStatus(t, record, r);
            }
            statuses[i] = _statusOf(t, record, r, shared, sharedReason, d.index);
        }
    }

    /// @inheritdoc ICertificateRegistry
    function documentStatusRange(
        uint32 issuerOrgId,
        bytes32 root,
        uint256 first,
        uint256 count
    ) external view returns (Batch memory record, bytes memory codes) {
        if (count == 0 || count > MAX_DOCUMENTS || first >= MAX_DOCUMENTS) {
            revert CertificateRegistryInvalidRange(first, count);
        }
        Target memory t;
        (t, record) = _find(issuerOrgId, root);
        codes = _rangeCodes(t, record, first, count);
    }

    /// @inheritdoc ICertificateRegistry
    function replacementOf(uint32 issuerOrgId, bytes32 root, uint256 index) external view returns (DocumentRef memory) {
        (Target memory t, ) = _find(issuerOrgId, root);
        return _storage().replacements[_documentKey(t.key, index)];
    }

    // ---------------------------------------------------------------- internals: who and what

    /// @dev The batch's own marks, flagged in its record so that reads of a batch without any skip them (a 1.0.0
    /// suspension, 15, is flag enough: it is read first).
    function _batchMarksFor(Target memory t, Batch storage b) private returns (BatchMarks storage) {
        if (b.mark == 0) b.mark = _HAS_BATCH_MARKS;
        return _storage().batchMarks[t.key];
    }

    /// @dev The batch `issuerOrgId` issued under `root`: issued since 2.0.0 under its own key, or under 1.0.0 by a key
    /// of that organisation. For a batch never issued, the key it would get.
    function _find(uint32 orgId, bytes32 root) private view returns (Target memory t, Batch storage b) {
        CertificateStorage storage $ = _storage();
        t = Target({key: keccak256(abi.encode(orgId, root)), root: root, orgId: orgId, legacy: false});
        b = $.batches[t.key];
        if (b.signer != address(0)) return (t, b);
        Batch storage legacy = $.batches[root];
        if (legacy.signer != address(0) && _DIRECTORY.account(legacy.signer).orgId == orgId) {
            (t.key, t.legacy) = (root, true);
            b = legacy;
        }
    }

    /// @dev The short-code slot of `root` for the issuer, claimed: free, or held by a batch a compromise voided.
    function _takeCodeSlot(uint32 orgId, bytes32 root) private returns (uint256 slot) {
        slot = uint256(root) % CODE_SLOTS;
        mapping(uint256 => bytes32) storage slots = _storage().codeSlots[orgId];
        bytes32 holder = slots[slot];
        if (holder != bytes32(0) && !_holderVoided(orgId, holder)) {
            revert CertificateRegistryCodeSlotTaken(orgId, slot, holder);
        }
        slots[slot] = root;
    }

    function _holderVoided(uint32 orgId, bytes32 root) private view returns (bool) {
        (Target memory t, Batch storage b) = _find(orgId, root);
        return _voided(t, b);
    }

    /// @dev Whether the batch's signer was reported compromised with a cut-off at or before its issue, and governance
    /// has not affirmed it.
    function _voided(Target memory t, Batch storage b) private view returns (bool) {
        uint40 cutoff = _DIRECTORY.account(b.signer).compromisedAt;
        return cutoff != 0 && b.issuedAt >= cutoff && _storage().affirmations[t.key] == bytes32(0);
    }

    function _existing(uint32 orgId, bytes32 root) private view returns (Target memory t, Batch storage b) {
        (t, b) = _find(orgId, root);
        if (b.signer == address(0)) revert CertificateRegistryUnknownBatch(orgId, root);
    }

    /// @dev The batch, once the caller is known to be an active key of its organisation or a governance role allowed
    /// this function (which may need a scheduled operation, consumed here as `restricted` would), and the entry its
    /// marks will carry: its key's number and the time, or governance (0).
    function _authorized(
        uint32 orgId,
        bytes32 root
    ) private returns (Target memory t, Batch storage b, uint256 entry) {
        (t, b) = _existing(orgId, root);
        uint32 caller;
        uint16 number;
        try _DIRECTORY.authorizedAccount(msg.sender, Capabilities.ISSUE_CERTIFICATES, 0) returns (uint32 o, uint16 n) {
            (caller, number) = (o, n);
        } catch {
            // Not an active issuer key: governance is the only other way in.
        }
        if (caller == orgId) {
            // A key added before the directory numbered keys gets its number at its first mark.
            if (number == 0) number = _DIRECTORY.numberAccount(msg.sender);
            return (t, b, AttributedMarks.entry(number, block.timestamp));
        }
        if (!_governanceMayCall()) revert CertificateRegistryNotIssuer(orgId, root, msg.sender);
        entry = AttributedMarks.entry(0, block.timestamp);
    }

    function _reader(uint32 orgId) private pure returns (Reader memory r) {
        r.orgId = orgId;
    }

    /// @dev Whether a mark made by `entry` counts: governance's always do; a key's unless the directory holds a
    /// compromise cut-off for it at or before the mark.
    function _counts(Reader memory r, uint256 entry) private view returns (bool) {
        uint256 actor = AttributedMarks.actorOf(entry);
        if (actor == 0) return true;
        uint256 cutoff = _cutoffOf(r, actor);
        return cutoff == 0 || AttributedMarks.timeOf(entry) < cutoff;
    }

    /// @dev A key's compromise cut-off (0: none), asked of the directory once per key of a read.
    function _cutoffOf(Reader memory r, uint256 actor) private view returns (uint256 cutoff) {
        if (r.known.length == 0) r.known = new uint256[](_READER_KEYS);
        uint256 i = 0;
        for (; i < _READER_KEYS && r.known[i] != 0; ++i) {
            if (r.known[i] >> 64 == actor) return (r.known[i] & type(uint64).max) - 1;
        }
        (, cutoff) = _DIRECTORY.numberedAccount(r.orgId, uint16(actor));
        if (i < _READER_KEYS) r.known[i] = (actor << 64) | (cutoff + 1);
    }

    function _mark(Reader memory r, uint256 value, uint256 entry) private view returns (Mark memory m) {
        if (value == 0) return m;
        uint256 actor = AttributedMarks.actorOf(entry);
        m.value = uint8(value);
        if (actor != 0) (m.actor, ) = _DIRECTORY.numberedAccount(r.orgId, uint16(actor));
        m.markedAt = uint32(AttributedMarks.timeOf(entry));
        m.counts = _counts(r, entry);
    }

    function _legacyMark(uint256 value) private pure returns (Mark memory) {
        return Mark({value: uint8(value), actor: address(0), markedAt: 0, counts: true});
    }

    // ---------------------------------------------------------------- internals: writing marks

    /// @dev Marks one document revoked with `reason` (or superseded); returns the batch key.
    function _markOne(uint32 orgId, bytes32 root, uint256 index, uint8 reason) private returns (bytes32) {
        (Target memory t, Batch storage b, uint256 entry) = _authorized(orgId, root);
        _requireIndex(root, b, index);
        Reader memory r = _reader(orgId);
        _requireBatchNotRevoked(t, b, r);
        (uint256 word, uint256 position) = AttributedMarks.locate(index);
        if (t.legacy) _changeWord(t, r, Change.Revoke, word, 1 << position, reason, entry);
        else _revokeWord(t, r, _storage().revocations[t.key], word, 1 << position, reason, entry);
        return t.key;
    }

    /// @dev The common case of {_changeWord}: revoking documents of a batch of this version, where only the
    /// revocation layer is read and written.
    function _revokeWord(
        Target memory t,
        Reader memory r,
        mapping(uint256 => uint256) storage words,
        uint256 word,
        uint256 selection,
        uint8 reason,
        uint256 entry
    ) private {
        uint256 cells = words[word];
        if (cells != 0) {
            uint256 revoked = _countedIn(t, r, Layer.Revocation, word, selection, cells);
            if (revoked != 0) {
                uint256 index = word * AttributedMarks.DOCUMENTS_PER_WORD + _lowest(revoked);
                revert CertificateRegistryDocumentRevoked(t.root, index);
            }
        }
        (uint256 updated, bool overflowed) = AttributedMarks.place(cells, selection, reason, entry);
        words[word] = updated;
        if (overflowed) _keepRecords(t.key, Layer.Revocation, word, selection, reason, entry);
    }

    /// @dev Applies `change` to every document the bitmap selects, a word of 32 at a time; all or nothing.
    function _markSelection(
        uint32 orgId,
        bytes32 root,
        uint256 firstWord,
        uint256[] calldata bitmap,
        Change change,
        uint8 reason
    ) private {
        (Target memory t, Batch storage b, uint256 entry) = _authorized(orgId, root);
        _requireSelection(root, b.documentCount, firstWord, bitmap);
        Reader memory r = _reader(orgId);
        _requireBatchNotRevoked(t, b, r);
        for (uint256 j = 0; j < bitmap.length; ++j) {
            _changeBitmapWord(t, r, change, (firstWord + j) * _WORDS_PER_BITMAP_WORD, bitmap[j], reason, entry);
        }
    }

    /// @dev One word of a selection bitmap: 256 documents, eight words of marks.
    function _changeBitmapWord(
        Target memory t,
        Reader memory r,
        Change change,
        uint256 word,
        uint256 selection,
        uint8 reason,
        uint256 entry
    ) private {
        mapping(uint256 => uint256) storage revocations = _storage().revocations[t.key];
        bool plainRevocation = change == Change.Revoke && !t.legacy;
        for (uint256 q = 0; q < _WORDS_PER_BITMAP_WORD; ++q) {
            uint256 chunk = (selection >> (q * AttributedMarks.DOCUMENTS_PER_WORD)) & type(uint32).max;
            if (chunk == 0) continue;
            if (plainRevocation) _revokeWord(t, r, revocations, word + q, chunk, reason, entry);
            else _changeWord(t, r, change, word + q, chunk, reason, entry);
        }
    }

    /// @dev Checks that `change` applies to every selected document of one word, then makes it.
    function _changeWord(
        Target memory t,
        Reader memory r,
        Change change,
        uint256 word,
        uint256 selection,
        uint8 reason,
        uint256 entry
    ) private {
        uint256 legacy = _requireChange(t, r, change, word, selection, entry);
        if (change == Change.Revoke) {
            _place(t.key, Layer.Revocation, word, selection, reason, entry);
        } else if (change == Change.Suspend) {
            _place(t.key, Layer.Suspension, word, selection, _SUSPENDED, entry);
        } else {
            _lift(t, word, selection, entry, legacy);
        }
    }

    /// @dev Reverts naming the first selected document `change` cannot apply to; returns the word's 1.0.0 marks.
    function _requireChange(
        Target memory t,
        Reader memory r,
        Change change,
        uint256 word,
        uint256 selection,
        uint256 entry
    ) private view returns (uint256 legacy) {
        legacy = t.legacy ? _legacyWord(t.root, word) : 0;
        uint256 revoked = legacy == 0 ? 0 : AttributedMarks.marked(legacy);
        revoked |= _counted(t, r, Layer.Revocation, word, selection);
        uint256 conflict = revoked;
        if (change == Change.Suspend) conflict |= _suspendedIn(t, r, word, selection, legacy);
        if (change == Change.Reinstate) {
            conflict |= selection & ~_suspendedIn(t, r, word, selection, legacy);
            if (AttributedMarks.actorOf(entry) != 0) conflict |= _byGovernance(t, word, selection);
        }
        if (conflict & selection != 0) _revertConflict(t, r, change, word, conflict & selection, revoked);
    }

    /// @dev Lifts the suspensions of the selected documents: 1.0.0's are cleared; the layer's are cleared by
    /// governance, and by a key kept as lifted with the key, so that they hold again if the key turns out stolen.
    function _lift(Target memory t, uint256 word, uint256 selection, uint256 entry, uint256 legacy) private {
        uint256 legacySuspended = AttributedMarks.withValue(legacy, _LEGACY_SUSPENDED) & selection;
        if (legacySuspended != 0) _clearLegacy(t.root, word, legacySuspended);
        uint256 own = selection & ~legacySuspended;
        if (own == 0) return;
        if (AttributedMarks.actorOf(entry) == 0) {
            mapping(uint256 => uint256) storage words = _storage().suspensions[t.key];
            words[word] = AttributedMarks.clear(words[word], own);
        } else {
            _place(t.key, Layer.Suspension, word, own, _LIFTED, entry);
        }
    }

    /// @dev Writes marks into a layer's word, keeping in their own records those that do not fit it.
    function _place(bytes32 key, Layer layer, uint256 word, uint256 selection, uint256 value, uint256 entry) private {
        CertificateStorage storage $ = _storage();
        mapping(uint256 => uint256) storage words = layer == Layer.Revocation ? $.revocations[key] : $.suspensions[key];
        (uint256 updated, bool overflowed) = AttributedMarks.place(words[word], selection, value, entry);
        words[word] = updated;
        if (overflowed) _keepRecords(key, layer, word, selection, value, entry);
    }

    /// @dev Keeps the marks of documents whose word had no entry free for them, each in a record of its own.
    function _keepRecords(
        bytes32 key,
        Layer layer,
        uint256 word,
        uint256 selection,
        uint256 value,
        uint256 entry
    ) private {
        mapping(uint256 => uint256) storage records = _storage().overflow[key];
        for (uint256 p = 0; p < AttributedMarks.DOCUMENTS_PER_WORD; ++p) {
            if ((selection >> p) & 1 == 0) continue;
            uint256 index = word * AttributedMarks.DOCUMENTS_PER_WORD + p;
            records[(index << 1) | uint256(layer)] = (value << 48) | entry;
        }
    }

    /// @dev The selected documents that `layer` says are revoked, or suspended, as a mask: only marks that count.
    function _counted(
        Target memory t,
        Reader memory r,
        Layer layer,
        uint256 word,
        uint256 selection
    ) private view returns (uint256) {
        uint256 cells = layer == Layer.Revocation
            ? _storage().revocations[t.key][word]
            : _storage().suspensions[t.key][word];
        return cells == 0 ? 0 : _countedIn(t, r, layer, word, selection, cells);
    }

    /// @dev {_counted} of a word already read.
    function _countedIn(
        Target memory t,
        Reader memory r,
        Layer layer,
        uint256 word,
        uint256 selection,
        uint256 cells
    ) private view returns (uint256 result) {
        uint256 candidates = AttributedMarks.occupied(cells) & selection;
        // Common case: no selected document carries a mark at all, and no one is asked anything.
        for (uint256 p = 0; candidates != 0; ++p) {
            if ((candidates >> p) & 1 == 0) continue;
            candidates &= ~(uint256(1) << p);
            (uint256 value, uint256 entry) = _cellAt(t.key, layer, word, p, cells);
            bool holds = layer == Layer.Revocation ? value != 0 && _counts(r, entry) : _suspends(r, value, entry);
            if (holds) result |= uint256(1) << p;
        }
    }

    /// @dev The selected documents that read as suspended: by 1.0.0, or in the suspension layer.
    function _suspendedIn(
        Target memory t,
        Reader memory r,
        uint256 word,
        uint256 selection,
        uint256 legacy
    ) private view returns (uint256) {
        return AttributedMarks.withValue(legacy, _LEGACY_SUSPENDED) | _counted(t, r, Layer.Suspension, word, selection);
    }

    /// @dev The selected documents whose suspension governance imposed.
    function _byGovernance(Target memory t, uint256 word, uint256 selection) private view returns (uint256 result) {
        uint256 cells = _storage().suspensions[t.key][word];
        uint256 candidates = AttributedMarks.occupied(cells) & selection;
        for (uint256 p = 0; candidates != 0; ++p) {
            if ((candidates >> p) & 1 == 0) continue;
            candidates &= ~(uint256(1) << p);
            (uint256 value, uint256 entry) = _cellAt(t.key, Layer.Suspension, word, p, cells);
            if (value == _SUSPENDED && AttributedMarks.actorOf(entry) == 0) result |= uint256(1) << p;
        }
    }

    /// @dev Names the first selected document of a word that `change` cannot apply to.
    function _revertConflict(
        Target memory t,
        Reader memory r,
        Change change,
        uint256 word,
        uint256 conflict,
        uint256 revoked
    ) private view {
        uint256 p = _lowest(conflict);
        uint256 index = word * AttributedMarks.DOCUMENTS_PER_WORD + p;
        if ((revoked >> p) & 1 == 1) revert CertificateRegistryDocumentRevoked(t.root, index);
        if (change == Change.Suspend) revert CertificateRegistryDocumentSuspended(t.root, index);
        if (_suspendedIn(t, r, word, uint256(1) << p, t.legacy ? _legacyWord(t.root, word) : 0) == 0) {
            revert CertificateRegistryDocumentNotSuspended(t.root, index);
        }
        revert CertificateRegistrySuspendedByGovernance(t.root, index);
    }

    /// @dev The position of the lowest set bit of a non-zero mask.
    function _lowest(uint256 mask) private pure returns (uint256 p) {
        while ((mask >> p) & 1 == 0) ++p;
    }

    function _clearLegacy(bytes32 root, uint256 word, uint256 selection) private {
        // A word of 32 is one half of a 1.0.0 word of 64.
        CertificateStorage storage $ = _storage();
        uint256 half = (word % 2) * 128;
        uint256 cleared = AttributedMarks.clear(type(uint256).max, selection) << half;
        $.marks[root][word / 2] &= cleared | ~(uint256(type(uint128).max) << half);
    }

    // ---------------------------------------------------------------- internals: reading marks

    /// @dev A document's value and entry in a layer, from its word or its own record.
    function _cell(bytes32 key, Layer layer, uint256 index) private view returns (uint256 value, uint256 entry) {
        (uint256 word, uint256 position) = AttributedMarks.locate(index);
        CertificateStorage storage $ = _storage();
        uint256 cells = layer == Layer.Revocation ? $.revocations[key][word] : $.suspensions[key][word];
        return _cellAt(key, layer, word, position, cells);
    }

    function _cellAt(
        bytes32 key,
        Layer layer,
        uint256 word,
        uint256 position,
        uint256 cells
    ) private view returns (uint256 value, uint256 entry) {
        value = AttributedMarks.valueAt(cells, position);
        if (value != AttributedMarks.OVERFLOW) return (value, AttributedMarks.entryAt(cells, position));
        uint256 index = word * AttributedMarks.DOCUMENTS_PER_WORD + position;
        uint256 record = _storage().overflow[key][(index << 1) | uint256(layer)];
        return (record >> 48, record & ((1 << 48) - 1));
    }

    /// @dev The 32 1.0.0 marks of a word of 32, in the value layout of {AttributedMarks}.
    function _legacyWord(bytes32 root, uint256 word) private view returns (uint256) {
        return (_storage().marks[root][word / 2] >> ((word % 2) * 128)) & type(uint128).max;
    }

    function _legacyValue(bytes32 root, uint256 index) private view returns (uint256) {
        return (_storage().marks[root][index / 64] >> ((index % 64) * 4)) & 0xf;
    }

    /// @dev The revocation reason a document carries (0: none), its batch's aside.
    function _documentRevocation(Target memory t, uint256 index, Reader memory r) private view returns (uint256) {
        uint256 legacy = t.legacy ? _legacyValue(t.root, index) : 0;
        if (_isRevocation(legacy)) return legacy;
        (uint256 value, uint256 entry) = _cell(t.key, Layer.Revocation, index);
        return value != 0 && _counts(r, entry) ? value : 0;
    }

    function _documentSuspended(Target memory t, uint256 index, Reader memory r) private view returns (bool) {
        if (t.legacy && _legacyValue(t.root, index) == _LEGACY_SUSPENDED) return true;
        (uint256 value, uint256 entry) = _cell(t.key, Layer.Suspension, index);
        return _suspends(r, value, entry);
    }

    /// @dev A suspension layer value: "suspended" holds if its maker's mark counts, "lifted" if its lifter's does not.
    function _suspends(Reader memory r, uint256 value, uint256 entry) private view returns (bool) {
        if (value == _SUSPENDED) return _counts(r, entry);
        if (value == _LIFTED) return !_counts(r, entry);
        return false;
    }

    function _batchRevoked(Target memory t, Batch storage b, Reader memory r) private view returns (bool) {
        uint8 mark = b.mark;
        if (mark == 0) return false;
        if (_isRevocation(mark)) return true;
        BatchMarks storage m = _storage().batchMarks[t.key];
        return m.revocation != 0 && _counts(r, m.revokedBy);
    }

    function _batchSuspended(Target memory t, Batch storage b, Reader memory r) private view returns (bool) {
        uint8 mark = b.mark;
        if (mark == _LEGACY_SUSPENDED) return true;
        if (mark != _HAS_BATCH_MARKS) return false;
        BatchMarks storage m = _storage().batchMarks[t.key];
        return _suspends(r, m.suspension, m.suspendedBy);
    }

    /// @dev Whether any document of the word carries a mark of its own, in either layer or from 1.0.0.
    function _hasMarks(Target memory t, uint256 word) private view returns (bool) {
        CertificateStorage storage $ = _storage();
        return
            $.revocations[t.key][word] != 0 ||
            $.suspensions[t.key][word] != 0 ||
            (t.legacy && _legacyWord(t.root, word) != 0);
    }

    // ---------------------------------------------------------------- internals: status

    function _documentStatus(uint32 orgId, bytes32 root, uint256 index) private view returns (DocumentStatus memory) {
        (Target memory t, Batch memory record) = _find(orgId, root);
        Reader memory r = _reader(orgId);
        (Status shared, Reason sharedReason) = _batchStatus(t, record, r);
        return _statusOf(t, record, r, shared, sharedReason, index);
    }

    /// @dev A document's status, given what holds for its whole batch.
    function _statusOf(
        Target memory t,
        Batch memory record,
        Reader memory r,
        Status shared,
        Reason sharedReason,
        uint256 index
    ) private view returns (DocumentStatus memory s) {
        (s.signer, s.issuedAt, s.expiresAt) = (record.signer, record.issuedAt, record.expiresAt);
        s.issuerOrgId = t.orgId;
        if (index >= record.documentCount) {
            s.status = Status.NotIssued;
            return s;
        }
        (s.status, s.reason) = _undecided(shared) ? _ownStatus(t, record, r, index, shared) : (shared, sharedReason);
        if (s.status == Status.Superseded) {
            DocumentRef storage replacement = _storage().replacements[_documentKey(t.key, index)];
            (s.replacementRoot, s.replacementIndex) = (replacement.root, replacement.index);
        }
    }

    /// @dev What holds for every document of the batch, in order: not issued, the issuer's standing, the batch's own
    /// revocation. Valid, Expired or Suspended (the batch's own suspension) leave each document's own marks to decide.
    function _batchStatus(Target memory t, Batch memory record, Reader memory r) private view returns (Status, Reason) {
        if (record.signer == address(0)) return (Status.NotIssued, Reason.None);
        IParticipantDirectory.Account memory signer = _DIRECTORY.account(record.signer);
        if (signer.compromisedAt != 0 && record.issuedAt >= signer.compromisedAt) {
            // An affirmed batch reads on as its other facts say; the affirmation is read only for a voided one.
            if (_storage().affirmations[t.key] == bytes32(0)) return (Status.KeyCompromised, Reason.None);
        }
        IParticipantDirectory.OrganisationStatus org = _DIRECTORY.organisation(t.orgId).status;
        if (org == IParticipantDirectory.OrganisationStatus.Offboarded) return (Status.IssuerOffboarded, Reason.None);
        if (org == IParticipantDirectory.OrganisationStatus.Suspended) return (Status.IssuerSuspended, Reason.None);
        Batch storage b = _storage().batches[t.key];
        if (_isRevocation(b.mark)) return (Status.Revoked, Reason(b.mark));
        if (b.mark == _HAS_BATCH_MARKS) {
            BatchMarks storage m = _storage().batchMarks[t.key];
            if (m.revocation != 0 && _counts(r, m.revokedBy)) return (Status.Revoked, Reason(m.revocation));
        }
        if (_batchSuspended(t, b, r)) return (Status.Suspended, Reason.None);
        return (_expired(record) ? Status.Expired : Status.Valid, Reason.None);
    }

    /// @dev Whether the batch's status leaves each document's own marks to decide.
    function _undecided(Status shared) private pure returns (bool) {
        return shared == Status.Valid || shared == Status.Expired || shared == Status.Suspended;
    }

    /// @dev A document's own status, given its batch's: a revocation of the document outranks a suspension of the
    /// document or of its batch, which outranks the expiry.
    function _ownStatus(
        Target memory t,
        Batch memory record,
        Reader memory r,
        uint256 index,
        Status shared
    ) private view returns (Status, Reason) {
        uint256 reason = _documentRevocation(t, index, r);
        if (reason != 0) {
            return (reason == uint256(Reason.Superseded) ? Status.Superseded : Status.Revoked, Reason(reason));
        }
        if (shared == Status.Suspended || _documentSuspended(t, index, r)) return (Status.Suspended, Reason.None);
        return (_expired(record) ? Status.Expired : Status.Valid, Reason.None);
    }

    function _expired(Batch memory record) private view returns (bool) {
        return record.expiresAt != 0 && block.timestamp >= record.expiresAt;
    }

    /// @dev Two bytes per document of a range: status, then reason.
    function _rangeCodes(
        Target memory t,
        Batch memory record,
        uint256 first,
        uint256 count
    ) private view returns (bytes memory codes) {
        Reader memory r = _reader(t.orgId);
        (Status shared, Reason sharedReason) = _batchStatus(t, record, r);
        uint256 sharedCode = (uint256(shared) << 8) | uint256(sharedReason);
        bool decided = !_undecided(shared);
        codes = new bytes(2 * count);
        for (uint256 index = first; index < first + count; ) {
            // One word of 32 documents at a time: a word without a mark of its own is read once, not per document.
            uint256 wordEnd = (index / AttributedMarks.DOCUMENTS_PER_WORD + 1) * AttributedMarks.DOCUMENTS_PER_WORD;
            uint256 stop = Math.min(first + count, wordEnd);
            bool plain = decided || !_hasMarks(t, index / AttributedMarks.DOCUMENTS_PER_WORD);
            for (; index < stop; ++index) {
                uint256 code = index >= record.documentCount
                    ? uint256(Status.NotIssued) << 8
                    : plain
                        ? sharedCode
                        : _ownCode(t, record, r, index, shared);
                _writeCode(codes, index - first, code);
            }
        }
    }

    /// @dev A document's own status as a range code: status << 8 | reason.
    function _ownCode(
        Target memory t,
        Batch memory record,
        Reader memory r,
        uint256 index,
        Status shared
    ) private view returns (uint256) {
        (Status s, Reason reason) = _ownStatus(t, record, r, index, shared);
        return (uint256(s) << 8) | uint256(reason);
    }

    function _writeCode(bytes memory codes, uint256 i, uint256 code) private pure {
        // Two bytes per document, written directly: indexed byte writes would cost more than everything else.
        assembly ("memory-safe") {
            let at := add(add(codes, 32), mul(i, 2))
            mstore8(at, shr(8, code))
            mstore8(add(at, 1), and(code, 0xff))
        }
    }

    // ---------------------------------------------------------------- internals: checks

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

    function _requireIndex(bytes32 root, Batch storage b, uint256 index) private view {
        if (index >= b.documentCount) revert CertificateRegistryIndexOutOfRange(root, index, b.documentCount);
    }

    function _requireBatchNotRevoked(Target memory t, Batch storage b, Reader memory r) private view {
        if (_batchRevoked(t, b, r)) revert CertificateRegistryBatchRevoked(t.root);
    }

    function _requireReason(Reason reason) private pure {
        if (reason == Reason.None) revert CertificateRegistryInvalidReason(reason);
    }

    /// @dev Superseded needs a replacement, so only {supersede} gives it.
    function _requireRevocationReason(Reason reason) private pure {
        if (reason == Reason.None || reason == Reason.Superseded) revert CertificateRegistryInvalidReason(reason);
    }

    /// @dev A 1.0.0 mark (or a batch mark of 1.0.0) that is a revocation reason.
    function _isRevocation(uint256 mark) private pure returns (bool) {
        return mark != 0 && mark < _LEGACY_SUSPENDED;
    }

    function _documentKey(bytes32 batchKey, uint256 index) private pure returns (bytes32) {
        return keccak256(abi.encode(batchKey, index));
    }

    function _storage() private pure returns (CertificateStorage storage $) {
        assembly {
            $.slot := _STORAGE_SLOT
        }
    }
}
