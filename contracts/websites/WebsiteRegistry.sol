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
contract WebsiteRegistry is DirectoryGated, IWebsiteRegistry {
    using SafeCast for uint256;

    /// @notice Most approvals a site may require (the count is kept in 8 bits).
    uint8 public constant MAX_THRESHOLD = 32;

    /// @custom:storage-location erc7201:sakshya.storage.WebsiteRegistry
    struct WebsiteStorage {
        mapping(bytes32 siteId => Site) sites;
        mapping(bytes32 siteId => mapping(uint32 releaseId => Release)) releases;
        mapping(bytes32 siteId => mapping(bytes32 root => uint32 releaseId)) releaseByRoot;
        mapping(bytes32 siteId => mapping(uint32 releaseId => mapping(address account => bool))) approvals;
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
        return "1.0.0";
    }

    // ---------------------------------------------------------------- governance

    /// @inheritdoc IWebsiteRegistry
    function registerSite(bytes32 siteId, uint32 orgId, uint8 threshold) external restricted whenNotPaused {
        if (siteId == bytes32(0)) revert WebsiteRegistryEmptyValue();
        _requireThreshold(threshold);
        _requirePublisherOrganisation(orgId);
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
        emit SiteReassigned(siteId, from, orgId, msg.sender);
    }

    /// @inheritdoc IWebsiteRegistry
    function setThreshold(bytes32 siteId, uint8 threshold) external restricted whenNotPaused {
        Site storage s = _site(siteId);
        _requireThreshold(threshold);
        s.threshold = threshold;
        emit ThresholdSet(siteId, threshold, msg.sender);
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
        uint32 orgId = _requireOwner(siteId, s);
        WebsiteStorage storage $ = _storage();
        uint32 existing = $.releaseByRoot[siteId][root];
        if (existing != 0) revert WebsiteRegistryDuplicateRoot(siteId, existing);

        releaseId = ++s.releaseCount;
        $.releaseByRoot[siteId][root] = releaseId;
        $.approvals[siteId][releaseId][msg.sender] = true;
        Release storage r = $.releases[siteId][releaseId];
        r.root = root;
        r.manifest = manifest;
        r.version = version_;
        r.totalBytes = totalBytes;
        r.fileCount = fileCount;
        r.publishedAt = _now();
        r.approvals = 1;
        r.status = ReleaseStatus.Pending;
        emit ReleasePublished(siteId, releaseId, version_, root, fileCount, totalBytes, manifest, orgId, msg.sender);
        if (s.threshold <= 1) _activate(siteId, s, releaseId, r, Activation.Published);
    }

    /// @inheritdoc IWebsiteRegistry
    function approve(bytes32 siteId, uint32 releaseId) external whenNotPaused {
        Site storage s = _site(siteId);
        _requireOwner(siteId, s);
        Release storage r = _release(siteId, releaseId);
        if (r.status != ReleaseStatus.Pending) revert WebsiteRegistryUnexpectedStatus(siteId, releaseId, r.status);
        mapping(address => bool) storage approved = _storage().approvals[siteId][releaseId];
        if (approved[msg.sender]) revert WebsiteRegistryAlreadyApproved(siteId, releaseId, msg.sender);
        approved[msg.sender] = true;
        uint8 approvals = ++r.approvals;
        emit ReleaseApproved(siteId, releaseId, approvals, msg.sender);
        if (approvals >= s.threshold) _activate(siteId, s, releaseId, r, Activation.Approved);
    }

    /// @inheritdoc IWebsiteRegistry
    function rollback(bytes32 siteId, uint32 releaseId) external whenNotPaused {
        Site storage s = _site(siteId);
        _requireOwner(siteId, s);
        Release storage r = _release(siteId, releaseId);
        if (r.status != ReleaseStatus.Approved) revert WebsiteRegistryUnexpectedStatus(siteId, releaseId, r.status);
        if (s.current == releaseId) revert WebsiteRegistryAlreadyCurrent(siteId, releaseId);
        _activate(siteId, s, releaseId, r, Activation.RolledBack);
    }

    /// @inheritdoc IWebsiteRegistry
    function revoke(bytes32 siteId, uint32 releaseId, RevocationReason reason) external whenNotPaused {
        if (reason == RevocationReason.None) revert WebsiteRegistryMissingReason();
        Site storage s = _site(siteId);
        Release storage r = _release(siteId, releaseId);
        _requireOwnerOrGovernance(siteId, s);
        if (r.status == ReleaseStatus.Revoked) revert WebsiteRegistryUnexpectedStatus(siteId, releaseId, r.status);
        r.status = ReleaseStatus.Revoked;
        r.reason = reason;
        if (s.current == releaseId) s.current = 0;
        emit ReleaseRevoked(siteId, releaseId, reason, msg.sender);
    }

    // ---------------------------------------------------------------- views

    /// @inheritdoc IWebsiteRegistry
    function site(bytes32 siteId) external view returns (Site memory) {
        return _storage().sites[siteId];
    }

    /// @inheritdoc IWebsiteRegistry
    function release(bytes32 siteId, uint32 releaseId) external view returns (Release memory) {
        return _storage().releases[siteId][releaseId];
    }

    /// @inheritdoc IWebsiteRegistry
    function currentRelease(bytes32 siteId) external view returns (uint32 releaseId, Release memory) {
        WebsiteStorage storage $ = _storage();
        releaseId = $.sites[siteId].current;
        return (releaseId, $.releases[siteId][releaseId]);
    }

    /// @inheritdoc IWebsiteRegistry
    function releaseByRoot(bytes32 siteId, bytes32 root) external view returns (uint32) {
        return _storage().releaseByRoot[siteId][root];
    }

    /// @inheritdoc IWebsiteRegistry
    function hasApproved(bytes32 siteId, uint32 releaseId, address account) external view returns (bool) {
        return _storage().approvals[siteId][releaseId][account];
    }

    // ---------------------------------------------------------------- internals

    function _activate(bytes32 siteId, Site storage s, uint32 releaseId, Release storage r, Activation how) private {
        uint32 previous = s.current;
        s.current = releaseId;
        if (r.status == ReleaseStatus.Pending) {
            r.status = ReleaseStatus.Approved;
            r.approvedAt = _now();
        }
        emit ReleaseActivated(siteId, releaseId, previous, how, msg.sender);
    }

    function _site(bytes32 siteId) private view returns (Site storage s) {
        s = _storage().sites[siteId];
        if (s.orgId == 0) revert WebsiteRegistryUnknownSite(siteId);
    }

    function _release(bytes32 siteId, uint32 releaseId) private view returns (Release storage r) {
        r = _storage().releases[siteId][releaseId];
        if (r.status == ReleaseStatus.None) revert WebsiteRegistryUnknownRelease(siteId, releaseId);
    }

    /// @dev The caller's organisation, once it is known to be an active publisher key of the site's organisation.
    function _requireOwner(bytes32 siteId, Site storage s) private view returns (uint32 orgId) {
        orgId = _DIRECTORY.authorizedOrganisation(msg.sender, Capabilities.PUBLISH_WEBSITES, 0);
        if (orgId != s.orgId) revert WebsiteRegistryNotSiteOwner(siteId, s.orgId, orgId);
    }

    /// @dev A key of the site's organisation, or a governance role allowed this function.
    function _requireOwnerOrGovernance(bytes32 siteId, Site storage s) private {
        try _DIRECTORY.authorizedOrganisation(msg.sender, Capabilities.PUBLISH_WEBSITES, 0) returns (uint32 orgId) {
            if (orgId == s.orgId) return;
        } catch {
            // Not an active publisher key: governance is the only other way in.
        }
        if (!_governanceMayCall()) revert WebsiteRegistryNotAuthorized(siteId, msg.sender);
    }

    function _requirePublisherOrganisation(uint32 orgId) private view {
        IParticipantDirectory.Organisation memory org = _DIRECTORY.organisation(orgId);
        bool canPublish = org.capabilities & Capabilities.PUBLISH_WEBSITES != 0;
        if (org.status != IParticipantDirectory.OrganisationStatus.Active || !canPublish) {
            revert WebsiteRegistryOrganisationCannotPublish(orgId);
        }
    }

    function _requireThreshold(uint8 threshold) private pure {
        if (threshold == 0 || threshold > MAX_THRESHOLD) revert WebsiteRegistryInvalidThreshold(threshold);
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
