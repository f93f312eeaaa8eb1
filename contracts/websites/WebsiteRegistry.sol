// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";
import {IParticipantDirectory} from "../interfaces/IParticipantDirectory.sol";
import {IWebsiteRegistry} from "../interfaces/IWebsiteRegistry.sol";
import {Capabilities} from "../governance/Capabilities.sol";
import {DirectoryGated} from "../governance/DirectoryGated.sol";
import {GovernedUpgradeable} from "../governance/GovernedUpgradeable.sol";

/// @title WebsiteRegistry
/// @notice Each site's releases, its current release, and every approval, rollback and revocation. Governance decides
/// which organisation owns a site and how many approvals a release needs; the organisation's own keys do the rest,
/// checked against the participant directory on every call.
/// @dev A revoked release can never become current again, and revoking the current one leaves the site with none:
/// verifiers then report that nothing is published rather than trusting the last good release on their own.
///
/// Approvals are logged per release, five to a storage word (the key's number in the directory, 16 bits, and the
/// time, 32), so that whether each still counts is decided when read: the directory's compromise cut-off of a key
/// voids what it approved, made current or revoked from then on. Version 1.0.0's approvals, kept only as a count and
/// a flag per key, always count.
contract WebsiteRegistry is DirectoryGated, IWebsiteRegistry {
    using SafeCast for uint256;

    /// @notice Most approvals a site may require (the count is kept in 8 bits).
    uint8 public constant MAX_THRESHOLD = 32;

    uint256 private constant _APPROVALS_PER_WORD = 5;
    uint256 private constant _APPROVAL_BITS = 48;

    /// @custom:storage-location erc7201:sakshya.storage.WebsiteRegistry
    struct WebsiteStorage {
        mapping(bytes32 siteId => Site) sites;
        mapping(bytes32 siteId => mapping(uint32 releaseId => Release)) releases;
        mapping(bytes32 siteId => mapping(bytes32 root => uint32 releaseId)) releaseByRoot;
        /// @dev Version 1.0.0's record of who approved; since 2.0.0 approvals are in `approvalLog`.
        mapping(bytes32 siteId => mapping(uint32 releaseId => mapping(address account => bool))) approvals;
        /// @dev Approval `k` of a release: bits `48 * (k % 5)` of word `k / 5`, the key's number above the time.
        mapping(bytes32 siteId => mapping(uint32 releaseId => mapping(uint256 word => uint256))) approvalLog;
        /// @dev Since 2.2.0: the decision by which governance affirmed a release a compromise cut-off voided in part.
        mapping(bytes32 siteId => mapping(uint32 releaseId => bytes32 reason)) affirmations;
    }

    // keccak256(abi.encode(uint256(keccak256("sakshya.storage.WebsiteRegistry")) - 1)) & ~bytes32(uint256(0xff))
    bytes32 private constant _STORAGE_SLOT = 0x75c48d0064bcae8e0bc9846d1a70a5fe088d3e9b09a64d0a67d0e2c711217e00;

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

    // ---------------------------------------------------------------- governance

    /// @inheritdoc IWebsiteRegistry
    function registerSite(bytes32 siteId, uint32 orgId, uint8 threshold) external restricted whenNotPaused {
        if (siteId == bytes32(0)) revert WebsiteRegistryEmptyValue();
        _requirePublisherOrganisation(orgId);
        _requireThreshold(threshold, orgId);
        Site storage s = _storage().sites[siteId];
        if (s.orgId != 0) revert WebsiteRegistrySiteExists(siteId, s.orgId);
        s.orgId = orgId;
        s.threshold = threshold;
        s.registeredAt = block.timestamp.toUint40();
        emit SiteRegistered(siteId, orgId, threshold, msg.sender);
    }

    /// @inheritdoc IWebsiteRegistry
    function reassignSite(bytes32 siteId, uint32 orgId) external restricted whenNotPaused {
        Site storage s = _site(siteId);
        _requirePublisherOrganisation(orgId);
        uint32 from = s.orgId;
        s.orgId = orgId;
        s.reassignedAt = _now();
        emit SiteReassigned(siteId, from, orgId, msg.sender);
    }

    /// @inheritdoc IWebsiteRegistry
    function setThreshold(bytes32 siteId, uint8 threshold) external restricted whenNotPaused {
        Site storage s = _site(siteId);
        _requireThreshold(threshold, s.orgId);
        uint8 previous = s.threshold;
        s.threshold = threshold;
        emit ThresholdSet(siteId, threshold, msg.sender);
        // Lowering the bar lets the latest release through if it already clears it.
        uint32 latest = s.releaseCount;
        if (threshold >= previous || latest == 0) return;
        Release storage r = _storage().releases[siteId][latest];
        if (r.status == ReleaseStatus.Pending && _countedApprovals(siteId, s, latest, r) >= threshold) {
            _activate(siteId, s, latest, r, Activation.ThresholdLowered, 0);
        }
    }

    // ---------------------------------------------------------------- publishers

    /// @inheritdoc IWebsiteRegistry
    function publish(
        bytes32 siteId,
        bytes32 version_,
        bytes32 root,
        uint32 fileCount,
        uint64 totalBytes,
        bytes32 manifest
    ) external whenNotPaused returns (uint32 releaseId) {
        if (version_ == bytes32(0) || root == bytes32(0) || manifest == bytes32(0)) revert WebsiteRegistryEmptyValue();
        if (fileCount == 0) revert WebsiteRegistryEmptyRelease();
        Site storage s = _site(siteId);
        (uint32 orgId, uint16 number) = _requireOwner(siteId, s);
        _requireNewRoot(siteId, s, root, orgId);
        WebsiteStorage storage $ = _storage();

        releaseId = ++s.releaseCount;
        $.releaseByRoot[siteId][root] = releaseId;
        Release storage r = $.releases[siteId][releaseId];
        r.root = root;
        r.manifest = manifest;
        r.version = version_;
        r.totalBytes = totalBytes;
        r.fileCount = fileCount;
        r.publishedAt = _now();
        r.status = ReleaseStatus.Pending;
        r.orgId = orgId;
        _logApproval(siteId, releaseId, r, number);
        emit ReleasePublished(siteId, releaseId, version_, root, fileCount, totalBytes, manifest, orgId, msg.sender);
        if (s.threshold <= 1) _activate(siteId, s, releaseId, r, Activation.Published, number);
    }

    /// @inheritdoc IWebsiteRegistry
    function approve(bytes32 siteId, uint32 releaseId) external whenNotPaused {
        Site storage s = _site(siteId);
        (uint32 orgId, uint16 number) = _requireOwner(siteId, s);
        Release storage r = _release(siteId, releaseId);
        if (_revoked(r)) revert WebsiteRegistryUnexpectedStatus(siteId, releaseId, ReleaseStatus.Revoked);
        // Approvals are logged by key number within the release's organisation: another's keys cannot add to them.
        uint32 owner = _releaseOrg(s, r);
        if (owner != orgId) revert WebsiteRegistryReleaseOfAnotherOrganisation(siteId, releaseId, owner);
        if (_hasApproved(siteId, releaseId, r, msg.sender, orgId, number)) {
            revert WebsiteRegistryAlreadyApproved(siteId, releaseId, msg.sender);
        }
        if (r.orgId == 0) r.orgId = orgId;
        _logApproval(siteId, releaseId, r, number);
        emit ReleaseApproved(siteId, releaseId, r.approvals, msg.sender);
        uint256 counted = _countedApprovals(siteId, s, releaseId, r);
        if (r.status == ReleaseStatus.Pending) {
            if (counted >= s.threshold) _activate(siteId, s, releaseId, r, Activation.Approved, number);
        } else if (s.current == releaseId && !_isCurrent(siteId, s) && counted >= _needed(s, r)) {
            // The current release lost its footing (a stolen key made it current, or its approval stopped counting):
            // a good key's approval, once it has enough again, makes it current on its own account.
            _activate(siteId, s, releaseId, r, Activation.Approved, number);
        }
    }

    /// @inheritdoc IWebsiteRegistry
    function rollback(bytes32 siteId, uint32 releaseId) external whenNotPaused {
        Site storage s = _site(siteId);
        (, uint16 number) = _requireOwner(siteId, s);
        Release storage r = _release(siteId, releaseId);
        ReleaseStatus status = _status(r);
        if (status != ReleaseStatus.Approved) revert WebsiteRegistryUnexpectedStatus(siteId, releaseId, status);
        if (s.current == releaseId && _isCurrent(siteId, s)) revert WebsiteRegistryAlreadyCurrent(siteId, releaseId);
        uint256 counted = _countedApprovals(siteId, s, releaseId, r);
        uint256 needed = _needed(s, r);
        if (counted < needed) revert WebsiteRegistryTooFewApprovals(siteId, releaseId, counted, needed);
        _activate(siteId, s, releaseId, r, Activation.RolledBack, number);
    }

    /// @inheritdoc IWebsiteRegistry
    function revoke(bytes32 siteId, uint32 releaseId, RevocationReason reason) external whenNotPaused {
        if (reason == RevocationReason.None) revert WebsiteRegistryMissingReason();
        Site storage s = _site(siteId);
        Release storage r = _release(siteId, releaseId);
        uint16 number = _requireOwnerOrGovernance(siteId, s);
        if (_revoked(r)) revert WebsiteRegistryUnexpectedStatus(siteId, releaseId, ReleaseStatus.Revoked);
        r.status = ReleaseStatus.Revoked;
        r.reason = reason;
        (r.revokerOrg, r.revokedBy, r.revokedAt) = (number == 0 ? 0 : s.orgId, number, _now());
        if (s.current == releaseId) s.current = 0;
        emit ReleaseRevoked(siteId, releaseId, reason, msg.sender);
    }

    /// @inheritdoc IWebsiteRegistry
    function affirmRelease(bytes32 siteId, uint32 releaseId, bytes32 reason) external restricted whenNotPaused {
        if (reason == bytes32(0)) revert WebsiteRegistryMissingDecision();
        Site storage s = _site(siteId);
        Release storage r = _release(siteId, releaseId);
        if (!_voided(siteId, s, releaseId, r)) revert WebsiteRegistryReleaseNotVoided(siteId, releaseId);
        _storage().affirmations[siteId][releaseId] = reason;
        emit ReleaseAffirmed(siteId, releaseId, reason, msg.sender);
    }

    // ---------------------------------------------------------------- views

    /// @inheritdoc IWebsiteRegistry
    function releaseAffirmation(bytes32 siteId, uint32 releaseId) external view returns (bytes32) {
        return _storage().affirmations[siteId][releaseId];
    }

    /// @inheritdoc IWebsiteRegistry
    function site(bytes32 siteId) external view returns (Site memory) {
        return _storage().sites[siteId];
    }

    /// @inheritdoc IWebsiteRegistry
    function release(bytes32 siteId, uint32 releaseId) external view returns (Release memory) {
        return _asCounted(siteId, releaseId);
    }

    /// @inheritdoc IWebsiteRegistry
    function approvalsOf(bytes32 siteId, uint32 releaseId) external view returns (Approval[] memory list) {
        WebsiteStorage storage $ = _storage();
        Release storage r = $.releases[siteId][releaseId];
        bool owned = _releaseOrg($.sites[siteId], r) == $.sites[siteId].orgId;
        bool affirmed = $.affirmations[siteId][releaseId] != bytes32(0);
        list = new Approval[](r.logged);
        for (uint256 k = 0; k < list.length; ++k) {
            (uint16 number, uint32 at) = _approvalAt(siteId, releaseId, k);
            (address approver, uint40 cutoff) = _DIRECTORY.numberedAccount(r.orgId, number);
            bool counts = owned && (affirmed || cutoff == 0 || at < cutoff);
            list[k] = Approval({approver: approver, approvedAt: at, counts: counts});
        }
    }

    /// @inheritdoc IWebsiteRegistry
    function currentRelease(bytes32 siteId) external view returns (uint32 releaseId, Release memory current) {
        Site storage s = _storage().sites[siteId];
        if (!_isCurrent(siteId, s)) return (0, current);
        releaseId = s.current;
        current = _asCounted(siteId, releaseId);
    }

    /// @inheritdoc IWebsiteRegistry
    function releaseByRoot(bytes32 siteId, bytes32 root) external view returns (uint32) {
        return _storage().releaseByRoot[siteId][root];
    }

    /// @inheritdoc IWebsiteRegistry
    function hasApproved(bytes32 siteId, uint32 releaseId, address account) external view returns (bool) {
        IParticipantDirectory.Account memory key = _DIRECTORY.account(account);
        Release storage r = _storage().releases[siteId][releaseId];
        return _hasApproved(siteId, releaseId, r, account, key.orgId, key.number);
    }

    // ---------------------------------------------------------------- internals

    /// @dev Makes a release current on the account of key `number` of the site's organisation (0: governance).
    function _activate(
        bytes32 siteId,
        Site storage s,
        uint32 releaseId,
        Release storage r,
        Activation how,
        uint16 number
    ) private {
        uint32 previous = s.current;
        s.current = releaseId;
        (s.activatedOrg, s.activatedBy, s.activatedAt) = (number == 0 ? 0 : s.orgId, number, _now());
        if (r.status == ReleaseStatus.Pending) {
            r.status = ReleaseStatus.Approved;
            r.approvedAt = _now();
            r.required = s.threshold;
        }
        emit ReleaseActivated(siteId, releaseId, previous, how, msg.sender);
    }

    /// @dev Whether the site's current release stands: made current by a mark that counts, not revoked by one, and
    /// with enough approvals that count.
    function _isCurrent(bytes32 siteId, Site storage s) private view returns (bool) {
        uint32 releaseId = s.current;
        if (releaseId == 0) return false;
        if (!_counts(s.activatedOrg, s.activatedBy, s.activatedAt) && !_affirmed(siteId, releaseId)) return false;
        Release storage r = _storage().releases[siteId][releaseId];
        return !_revoked(r) && _countedApprovals(siteId, s, releaseId, r) >= _needed(s, r);
    }

    /// @dev The organisation whose keys approve a release: the one that published it; for a release of 1.0.0, which
    /// kept none, the site's own unless governance moved the site since (then a previous owner's, unknown: 0).
    function _releaseOrg(Site storage s, Release storage r) private view returns (uint32) {
        uint32 orgId = r.orgId;
        if (orgId != 0 || s.reassignedAt != 0) return orgId;
        return s.orgId;
    }

    function _affirmed(bytes32 siteId, uint32 releaseId) private view returns (bool) {
        return _storage().affirmations[siteId][releaseId] != bytes32(0);
    }

    /// @dev Whether a compromise cut-off voided part of a release governance has not affirmed: one of its approvals,
    /// or, for the current release, the act that made it current.
    function _voided(bytes32 siteId, Site storage s, uint32 releaseId, Release storage r) private view returns (bool) {
        if (_affirmed(siteId, releaseId)) return false;
        if (s.current == releaseId && !_counts(s.activatedOrg, s.activatedBy, s.activatedAt)) return true;
        for (uint256 k = 0; k < r.logged; ++k) {
            (uint16 number, uint32 at) = _approvalAt(siteId, releaseId, k);
            if (!_counts(r.orgId, number, at)) return true;
        }
        return false;
    }

    /// @dev The approvals a release needs: the site's threshold, or fewer if it became current under a lower one (a
    /// raised threshold does not unseat it); a release of 1.0.0 kept no such number.
    function _needed(Site storage s, Release storage r) private view returns (uint256) {
        uint8 required = r.required;
        if (required == 0 || s.threshold < required) return s.threshold;
        return required;
    }

    /// @dev Approvals that count, when the release is the site's organisation's: those of 1.0.0, and those logged since
    /// by keys not compromised at the time — all of them once governance affirmed the release.
    function _countedApprovals(
        bytes32 siteId,
        Site storage s,
        uint32 releaseId,
        Release storage r
    ) private view returns (uint256 n) {
        if (_releaseOrg(s, r) != s.orgId) return 0;
        uint256 logged = r.logged;
        n = r.approvals - logged;
        uint32 orgId = r.orgId;
        // Asked only once an approval fails to count: an affirmation makes every approval of the release count.
        uint256 affirmed = 0; // 0: not asked yet, 1: no, 2: yes
        for (uint256 k = 0; k < logged; ++k) {
            (uint16 number, uint32 at) = _approvalAt(siteId, releaseId, k);
            if (_counts(orgId, number, at)) {
                ++n;
                continue;
            }
            if (affirmed == 0) affirmed = _affirmed(siteId, releaseId) ? 2 : 1;
            if (affirmed == 2) ++n;
        }
    }

    /// @dev Whether a mark of key `number` of `orgId` made at `at` counts: governance's (0) always do, a key's unless
    /// the directory holds a compromise cut-off for it at or before `at`.
    function _counts(uint32 orgId, uint16 number, uint32 at) private view returns (bool) {
        if (number == 0) return true;
        (, uint40 cutoff) = _DIRECTORY.numberedAccount(orgId, number);
        return cutoff == 0 || at < cutoff;
    }

    function _revoked(Release storage r) private view returns (bool) {
        return r.status == ReleaseStatus.Revoked && _counts(r.revokerOrg, r.revokedBy, r.revokedAt);
    }

    /// @dev A release's status as it counts: a revocation that does not count leaves it as it was before.
    function _status(Release storage r) private view returns (ReleaseStatus) {
        ReleaseStatus status = r.status;
        if (status != ReleaseStatus.Revoked || _revoked(r)) return status;
        return r.approvedAt != 0 ? ReleaseStatus.Approved : ReleaseStatus.Pending;
    }

    function _asCounted(bytes32 siteId, uint32 releaseId) private view returns (Release memory copy) {
        Release storage r = _storage().releases[siteId][releaseId];
        copy = r;
        if (r.status == ReleaseStatus.None) return copy;
        copy.status = _status(r);
        copy.approvals = uint8(_countedApprovals(siteId, _storage().sites[siteId], releaseId, r));
    }

    function _logApproval(bytes32 siteId, uint32 releaseId, Release storage r, uint16 number) private {
        uint256 k = r.logged;
        uint256 entry = (uint256(number) << 32) | _now();
        uint256 shift = _APPROVAL_BITS * (k % _APPROVALS_PER_WORD);
        _storage().approvalLog[siteId][releaseId][k / _APPROVALS_PER_WORD] |= entry << shift;
        r.logged = uint8(k + 1);
        ++r.approvals;
    }

    function _approvalAt(bytes32 siteId, uint32 releaseId, uint256 k) private view returns (uint16 number, uint32 at) {
        uint256 packed = _storage().approvalLog[siteId][releaseId][k / _APPROVALS_PER_WORD];
        uint256 entry = packed >> (_APPROVAL_BITS * (k % _APPROVALS_PER_WORD));
        return (uint16(entry >> 32), uint32(entry));
    }

    function _hasApproved(
        bytes32 siteId,
        uint32 releaseId,
        Release storage r,
        address account,
        uint32 orgId,
        uint16 number
    ) private view returns (bool) {
        if (_storage().approvals[siteId][releaseId][account]) return true;
        if (number == 0 || orgId != r.orgId) return false;
        for (uint256 k = 0; k < r.logged; ++k) {
            (uint16 logged, ) = _approvalAt(siteId, releaseId, k);
            if (logged == number) return true;
        }
        return false;
    }

    /// @dev A root not yet published by the site's organisation. One that another organisation published before the
    /// site was moved may be published again: its approvals were that organisation's and count no more.
    function _requireNewRoot(bytes32 siteId, Site storage s, bytes32 root, uint32 orgId) private view {
        WebsiteStorage storage $ = _storage();
        uint32 existing = $.releaseByRoot[siteId][root];
        if (existing != 0 && _releaseOrg(s, $.releases[siteId][existing]) == orgId) {
            revert WebsiteRegistryDuplicateRoot(siteId, existing);
        }
    }

    function _site(bytes32 siteId) private view returns (Site storage s) {
        s = _storage().sites[siteId];
        if (s.orgId == 0) revert WebsiteRegistryUnknownSite(siteId);
    }

    function _release(bytes32 siteId, uint32 releaseId) private view returns (Release storage r) {
        r = _storage().releases[siteId][releaseId];
        if (r.status == ReleaseStatus.None) revert WebsiteRegistryUnknownRelease(siteId, releaseId);
    }

    /// @dev The caller's organisation and its number there, once it is known to be an active publisher key of the
    /// site's organisation (a key added before the directory numbered keys gets its number now).
    function _requireOwner(bytes32 siteId, Site storage s) private returns (uint32 orgId, uint16 number) {
        (orgId, number) = _DIRECTORY.authorizedAccount(msg.sender, Capabilities.PUBLISH_WEBSITES, 0);
        if (orgId != s.orgId) revert WebsiteRegistryNotSiteOwner(siteId, s.orgId, orgId);
        if (number == 0) number = _DIRECTORY.numberAccount(msg.sender);
    }

    /// @dev A key of the site's organisation (its number), or a governance role allowed this function (0).
    function _requireOwnerOrGovernance(bytes32 siteId, Site storage s) private returns (uint16) {
        try _DIRECTORY.authorizedAccount(msg.sender, Capabilities.PUBLISH_WEBSITES, 0) returns (
            uint32 orgId,
            uint16 n
        ) {
            if (orgId == s.orgId) return n == 0 ? _DIRECTORY.numberAccount(msg.sender) : n;
        } catch {
            // Not an active publisher key: governance is the only other way in.
        }
        if (!_governanceMayCall()) revert WebsiteRegistryNotAuthorized(siteId, msg.sender);
        return 0;
    }

    function _requirePublisherOrganisation(uint32 orgId) private view {
        IParticipantDirectory.Organisation memory org = _DIRECTORY.organisation(orgId);
        bool canPublish = org.capabilities & Capabilities.PUBLISH_WEBSITES != 0;
        if (org.status != IParticipantDirectory.OrganisationStatus.Active || !canPublish) {
            revert WebsiteRegistryOrganisationCannotPublish(orgId);
        }
    }

    /// @dev A threshold from 1 to {MAX_THRESHOLD} that the organisation's active keys can reach.
    function _requireThreshold(uint8 threshold, uint32 orgId) private view {
        if (threshold == 0 || threshold > MAX_THRESHOLD) revert WebsiteRegistryInvalidThreshold(threshold);
        uint256 keys = _DIRECTORY.accountsOf(orgId).length;
        if (threshold > keys) revert WebsiteRegistryThresholdUnreachable(threshold, keys);
    }

    function _now() private view returns (uint32) {
        return block.timestamp.toUint32();
    }

    function _storage() private pure returns (WebsiteStorage storage $) {
        assembly {
            $.slot := _STORAGE_SLOT
        }
    }
}
