// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

/// @title IWebsiteRegistry
/// @notice Releases of government websites, anchored as the Merkle roots of their manifests. A manifest lists every
/// file a release serves as an OpenZeppelin `StandardMerkleTree` leaf of `[string path, bytes32 sha256, uint256 size]`;
/// anyone can then check what a site serves against the release that is current on chain.
///
/// A site is the keccak256 of its normalised domain. Governance assigns it to an organisation of the participant
/// directory holding the website capability; that organisation's active keys publish, approve and roll back its
/// releases, and a site may require M of them to approve a release before it becomes current.
///
/// Every approval, activation and revocation records which key made it and when. A key reported compromised stops
/// counting from its cut-off on: a release whose counted approvals fall below what it needs, or that a stolen key made
/// current, is no longer current — the site then has no current release, never silently an older one — and a stolen
/// key's revocation no longer holds.
interface IWebsiteRegistry {
    /// @notice Where a release stands. `Approved` releases may be current, or be rolled back to.
    enum ReleaseStatus {
        None,
        Pending,
        Approved,
        Revoked
    }

    /// @notice Why a release was revoked; `None` is not a reason.
    enum RevocationReason {
        None,
        KeyCompromise,
        Tampered,
        PublishedInError,
        Defective,
        Other
    }

    /// @notice How a release became current.
    enum Activation {
        Published,
        Approved,
        RolledBack,
        ThresholdLowered
    }

    /// @dev Slot 0: orgId (32) | threshold (8) | current (32) | releaseCount (32) | registeredAt (40) = 144 bits.
    /// Release ids run from 1; `current` 0 means the site has no current release (none yet, or it was revoked).
    /// Then, in the same slot: who made the current release current — `activatedOrg` and `activatedBy` (the key's
    /// number in the directory; 0 for governance, and for version 1.0.0, which kept no author) — and when (224 bits),
    /// and since 2.2.0 when governance last moved the site to another organisation (0: never since), 256 bits.
    struct Site {
        uint32 orgId;
        uint8 threshold;
        uint32 current;
        uint32 releaseCount;
        uint40 registeredAt;
        uint32 activatedOrg;
        uint16 activatedBy;
        uint32 activatedAt;
        uint32 reassignedAt;
    }

    /// @dev Slots: root, manifest (hash of the manifest file as published), version (a label such as "2026.11.2"
    /// in bytes32), then totalBytes (64) | fileCount (32) | publishedAt (32) | approvedAt (32) | approvals (8) |
    /// status (8) | reason (8) | required (8, the approvals it needed when it became current) | logged (8, how many
    /// of its approvals are in its approval log; the rest date from 1.0.0) | orgId (32, the organisation whose keys
    /// approved it) = 232 bits; then revokerOrg (32) | revokedBy (16, 0 for governance) | revokedAt (32).
    /// As a view returns it, `status` and `approvals` are what counts now: an approval or revocation by a key at or
    /// after its compromise cut-off is not counted.
    struct Release {
        bytes32 root;
        bytes32 manifest;
        bytes32 version;
        uint64 totalBytes;
        uint32 fileCount;
        uint32 publishedAt;
        uint32 approvedAt;
        uint8 approvals;
        ReleaseStatus status;
        RevocationReason reason;
        uint8 required;
        uint8 logged;
        uint32 orgId;
        uint32 revokerOrg;
        uint16 revokedBy;
        uint32 revokedAt;
    }

    /// @notice An approval of a release: the approving key, when, and whether it counts now.
    struct Approval {
        address approver;
        uint32 approvedAt;
        bool counts;
    }

    /// @notice Governance assigned a site to an organisation, with the approvals a release needs.
    event SiteRegistered(bytes32 indexed siteId, uint32 indexed orgId, uint8 threshold, address indexed actor);

    /// @notice Governance moved a site to another organisation.
    event SiteReassigned(bytes32 indexed siteId, uint32 from, uint32 to, address indexed actor);

    /// @notice Governance changed how many approvals a release of the site needs.
    event ThresholdSet(bytes32 indexed siteId, uint8 threshold, address indexed actor);

    /// @notice A publisher published a release; it counts as the first approval.
    event ReleasePublished(
        bytes32 indexed siteId,
        uint32 indexed releaseId,
        bytes32 version,
        bytes32 root,
        uint32 fileCount,
        uint64 totalBytes,
        bytes32 manifest,
        uint32 orgId,
        address indexed publisher
    );

    /// @notice Another publisher approved a pending release.
    event ReleaseApproved(bytes32 indexed siteId, uint32 indexed releaseId, uint8 approvals, address indexed approver);

    /// @notice A release became the site's current one, replacing `previous` (0: none).
    event ReleaseActivated(
        bytes32 indexed siteId,
        uint32 indexed releaseId,
        uint32 previous,
        Activation how,
        address indexed actor
    );

    /// @notice A release was revoked for good; if it was current, the site has no current release until another is
    /// activated.
    event ReleaseRevoked(
        bytes32 indexed siteId,
        uint32 indexed releaseId,
        RevocationReason reason,
        address indexed actor
    );

    /// @notice Governance affirmed a release whose approvals or activation a compromise cut-off voided: they count
    /// again for it. `reason` is the hash of the decision.
    event ReleaseAffirmed(bytes32 indexed siteId, uint32 indexed releaseId, bytes32 reason, address indexed actor);

    /// @notice No site is registered under this id.
    error WebsiteRegistryUnknownSite(bytes32 siteId);
    /// @notice The site is already registered.
    error WebsiteRegistrySiteExists(bytes32 siteId, uint32 orgId);
    /// @notice A site id, root, manifest hash or version must not be zero.
    error WebsiteRegistryEmptyValue();
    /// @notice A release needs 1 to {MAX_THRESHOLD} approvals.
    error WebsiteRegistryInvalidThreshold(uint8 threshold);
    /// @notice The organisation is not active with the website capability.
    error WebsiteRegistryOrganisationCannotPublish(uint32 orgId);
    /// @notice The caller acts for another organisation than the site's.
    error WebsiteRegistryNotSiteOwner(bytes32 siteId, uint32 owner, uint32 caller);
    /// @notice A release lists at least one file.
    error WebsiteRegistryEmptyRelease();
    /// @notice This manifest root was already published for the site.
    error WebsiteRegistryDuplicateRoot(bytes32 siteId, uint32 releaseId);
    /// @notice No release with this id exists for the site.
    error WebsiteRegistryUnknownRelease(bytes32 siteId, uint32 releaseId);
    /// @notice The release's status does not allow this step.
    error WebsiteRegistryUnexpectedStatus(bytes32 siteId, uint32 releaseId, ReleaseStatus status);
    /// @notice This account already approved the release.
    error WebsiteRegistryAlreadyApproved(bytes32 siteId, uint32 releaseId, address account);
    /// @notice The release is already the site's current one.
    error WebsiteRegistryAlreadyCurrent(bytes32 siteId, uint32 releaseId);
    /// @notice A revocation needs a reason.
    error WebsiteRegistryMissingReason();
    /// @notice A site cannot need more approvals than its organisation has active keys to give.
    error WebsiteRegistryThresholdUnreachable(uint8 threshold, uint256 activeKeys);
    /// @notice The release has fewer counted approvals than it needs to be current.
    error WebsiteRegistryTooFewApprovals(bytes32 siteId, uint32 releaseId, uint256 counted, uint256 needed);
    /// @notice Neither a key of the site's organisation nor a governance role allowed this call.
    error WebsiteRegistryNotAuthorized(bytes32 siteId, address caller);
    /// @notice The release was published by another organisation than the one the site belongs to now: its approvals
    /// were that organisation's and do not count, and another organisation's keys cannot add to them. Publish it again.
    error WebsiteRegistryReleaseOfAnotherOrganisation(bytes32 siteId, uint32 releaseId, uint32 orgId);
    /// @notice Only a release a compromise cut-off voided in part (an approval, or the act that made it current), and
    /// that governance has not affirmed yet, can be affirmed.
    error WebsiteRegistryReleaseNotVoided(bytes32 siteId, uint32 releaseId);
    /// @notice An affirmation needs the hash of the decision.
    error WebsiteRegistryMissingDecision();

    /// @notice Assigns a site to an organisation with the website capability (operator).
    function registerSite(bytes32 siteId, uint32 orgId, uint8 threshold) external;

    /// @notice Moves a site to another such organisation (governor). Its releases stay, but approvals count only for
    /// releases of the organisation the site belongs to: the new organisation's keys publish (the same root again, if
    /// they vouch for it) and approve their own.
    function reassignSite(bytes32 siteId, uint32 orgId) external;

    /// @notice Sets how many approvals a release needs (operator, delayed). Lowering it makes the latest release
    /// current if it is pending and already has enough counted approvals; other pending releases are judged on the
    /// new number at their next approval.
    function setThreshold(bytes32 siteId, uint8 threshold) external;

    /// @notice Publishes a release; current at once if the site needs one approval.
    function publish(
        bytes32 siteId,
        bytes32 version,
        bytes32 root,
        uint32 fileCount,
        uint64 totalBytes,
        bytes32 manifest
    ) external returns (uint32 releaseId);

    /// @notice Approves a release: a pending one becomes current with its last needed approval, and the current one is
    /// confirmed (after a stolen key's approval stopped counting, say) once it has enough again.
    function approve(bytes32 siteId, uint32 releaseId) external;

    /// @notice Makes an earlier approved, unrevoked release with enough counted approvals current again.
    function rollback(bytes32 siteId, uint32 releaseId) external;

    /// @notice Revokes a release for good (a key of the site's organisation, or governance).
    function revoke(bytes32 siteId, uint32 releaseId, RevocationReason reason) external;

    /// @notice Affirms a release whose approvals, or the act that made it current, a key's compromise cut-off voided:
    /// they count again for this release (the governor's decision, delayed), with the hash of that decision.
    function affirmRelease(bytes32 siteId, uint32 releaseId, bytes32 reason) external;

    /// @notice The hash of the decision by which governance affirmed a release (zero: none).
    function releaseAffirmation(bytes32 siteId, uint32 releaseId) external view returns (bytes32 reason);

    function site(bytes32 siteId) external view returns (Site memory);

    /// @notice A release, its status and approvals as they count now.
    function release(bytes32 siteId, uint32 releaseId) external view returns (Release memory);

    /// @notice Every approval of a release recorded since 2.0.0, with its key and time and whether it counts now.
    function approvalsOf(bytes32 siteId, uint32 releaseId) external view returns (Approval[] memory);

    /// @notice The current release and its id; id 0 and an empty release if there is none: none was made current, it
    /// was revoked, it lacks counted approvals, or a stolen key made it current.
    function currentRelease(bytes32 siteId) external view returns (uint32 releaseId, Release memory);

    /// @notice The id of the release published with this root, or 0.
    function releaseByRoot(bytes32 siteId, bytes32 root) external view returns (uint32);

    function hasApproved(bytes32 siteId, uint32 releaseId, address account) external view returns (bool);
}
