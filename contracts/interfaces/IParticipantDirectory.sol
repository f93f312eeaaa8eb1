// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

/// @title IParticipantDirectory
/// @notice The directory of organisations taking part in the backbone, their signing accounts and their nodes.
/// Every registry asks it, on every write, whether the caller may act; governance (the suite's AccessManager)
/// is the only writer.
interface IParticipantDirectory {
    enum OrganisationStatus {
        None,
        Active,
        Suspended,
        Offboarded
    }

    enum OrganisationKind {
        Agency,
        University,
        ExamBoard,
        Department,
        Registration,
        LandRevenue,
        Survey,
        Court,
        Bank,
        NodeOperator,
        Other
    }

    /// @dev Slot 0 holds everything the authorisation check reads: status, kind, capabilities, statewide flag and
    /// timestamps (8 + 8 + 32 + 8 + 40 + 40 = 136 bits). `code` and `metadataHash` take one slot each.
    struct Organisation {
        OrganisationStatus status;
        OrganisationKind kind;
        uint32 capabilities;
        bool statewide;
        uint40 onboardedAt;
        uint40 updatedAt;
        bytes32 code;
        bytes32 metadataHash;
    }

    /// @dev One slot: organisation id (32 bits), active flag (8), added time (40), compromise cut-off (40), number
    /// (16). `compromisedAt` is zero for a key never reported compromised. `number` is the key's place among its
    /// organisation's keys (1, 2, ...), given when it is added, by which registries record who made a mark in a few
    /// bits; 0 for a key added before numbers existed, until {numberAccount} gives it one.
    struct Account {
        uint32 orgId;
        bool active;
        uint40 addedAt;
        uint40 compromisedAt;
        uint16 number;
    }

    /// @dev `enodeHigh` and `enodeLow` are the two halves of the node's 64-byte public key (its enode id).
    struct Node {
        bytes32 enodeHigh;
        bytes32 enodeLow;
        uint32 orgId;
        uint16 port;
        bool validator;
        string host;
    }

    /// @notice An organisation joined the backbone.
    event OrganisationOnboarded(
        uint32 indexed orgId,
        bytes32 indexed code,
        OrganisationKind kind,
        uint32 capabilities,
        bytes32 metadataHash,
        address indexed actor
    );

    /// @notice An organisation's capabilities or metadata changed.
    event OrganisationUpdated(uint32 indexed orgId, uint32 capabilities, bytes32 metadataHash, address indexed actor);

    /// @notice An organisation's jurisdictions were replaced; a code of 0 means statewide.
    event OrganisationJurisdictionsSet(uint32 indexed orgId, uint32[] jurisdictions, address indexed actor);

    /// @notice An organisation was suspended, reinstated or offboarded; `reason` is the hash of the decision.
    event OrganisationStatusChanged(
        uint32 indexed orgId,
        OrganisationStatus from,
        OrganisationStatus to,
        bytes32 reason,
        address indexed actor
    );

    /// @notice A signing key was added to an organisation.
    event AccountAdded(uint32 indexed orgId, address indexed account, address indexed actor);

    /// @notice A signing key was removed from an organisation; what it signed before stays valid.
    event AccountRemoved(uint32 indexed orgId, address indexed account, address indexed actor);

    /// @notice A signing key was reported compromised: what it signed after `cutoff` is void.
    event AccountCompromised(uint32 indexed orgId, address indexed account, uint40 cutoff, address indexed actor);

    /// @notice Governance moved a reported key's cut-off earlier, to `cutoff`: what it signed from then on is void too.
    /// `reason` is the hash of the decision.
    event CompromiseBackdated(
        uint32 indexed orgId,
        address indexed account,
        uint40 previousCutoff,
        uint40 cutoff,
        bytes32 reason,
        address indexed actor
    );

    /// @notice A key got its number among its organisation's keys.
    event AccountNumbered(uint32 indexed orgId, address indexed account, uint16 number);

    /// @notice A node was registered for an organisation.
    event NodeAdded(
        uint32 indexed orgId,
        bytes32 indexed nodeId,
        bytes32 enodeHigh,
        bytes32 enodeLow,
        string host,
        uint16 port,
        bool validator,
        address indexed actor
    );

    /// @notice A node was removed from the directory.
    event NodeRemoved(uint32 indexed orgId, bytes32 indexed nodeId, address indexed actor);

    /// @notice Governance named the organisation that took over `orgId`'s duties (0: none), such as the bank that
    /// absorbed another: it may then act on what the old one holds and can no longer act on itself.
    event SuccessorNamed(uint32 indexed orgId, uint32 indexed successor, address indexed actor);

    /// @notice No organisation has this id.
    error ParticipantDirectoryUnknownOrganisation(uint32 orgId);
    /// @notice No organisation has this code.
    error ParticipantDirectoryUnknownCode(bytes32 code);
    /// @notice Another organisation already uses this code.
    error ParticipantDirectoryCodeTaken(bytes32 code, uint32 orgId);
    /// @notice An organisation code must not be empty.
    error ParticipantDirectoryEmptyCode();
    /// @notice A metadata, reason or other evidence hash must not be zero.
    error ParticipantDirectoryEmptyHash();
    /// @notice The capability mask has bits that mean nothing.
    error ParticipantDirectoryUnknownCapabilities(uint32 capabilities);
    /// @notice A jurisdiction code appears twice in the list.
    error ParticipantDirectoryDuplicateJurisdiction(uint32 jurisdiction);
    /// @notice More jurisdictions than one organisation may hold.
    error ParticipantDirectoryTooManyJurisdictions(uint256 count, uint256 max);
    /// @notice The organisation's status does not allow this change.
    error ParticipantDirectoryUnexpectedStatus(uint32 orgId, OrganisationStatus status);
    /// @notice The zero address cannot be an account.
    error ParticipantDirectoryZeroAccount();
    /// @notice The account is already an active key of an organisation.
    error ParticipantDirectoryAccountAlreadyActive(address account, uint32 orgId);
    /// @notice The account was once a key of another organisation; keys are never moved between organisations.
    error ParticipantDirectoryAccountBoundElsewhere(address account, uint32 orgId);
    /// @notice The account was reported compromised and can never be used again.
    error ParticipantDirectoryAccountIsCompromised(address account, uint40 cutoff);
    /// @notice The account is not registered in the directory.
    error ParticipantDirectoryUnknownAccount(address account);
    /// @notice The account is registered but not active.
    error ParticipantDirectoryAccountInactive(address account);
    /// @notice A compromise cut-off must be a past or present time, not zero and not in the future; moved by
    /// governance, it must be earlier than the one reported.
    error ParticipantDirectoryInvalidCutoff(uint40 cutoff);
    /// @notice A report alone dates a cut-off at most `MAX_REPORT_BACKDATE` before it; `earliest` is the earliest it
    /// may name now. An earlier one is governance's decision ({backdateCompromise}).
    error ParticipantDirectoryCutoffTooEarly(uint40 cutoff, uint40 earliest);
    /// @notice Only a key already reported compromised has a cut-off to move.
    error ParticipantDirectoryAccountNotCompromised(address account);
    /// @notice The account's organisation is not active.
    error ParticipantDirectoryOrganisationInactive(uint32 orgId, OrganisationStatus status);
    /// @notice The organisation lacks a capability the action needs.
    error ParticipantDirectoryMissingCapability(uint32 orgId, uint32 capability);
    /// @notice The organisation does not act in this jurisdiction.
    error ParticipantDirectoryOutsideJurisdiction(uint32 orgId, uint32 jurisdiction);
    /// @notice The enode id is zero.
    error ParticipantDirectoryInvalidEnode();
    /// @notice The host is empty or longer than a DNS name may be.
    error ParticipantDirectoryInvalidHost();
    /// @notice The port is zero.
    error ParticipantDirectoryInvalidPort();
    /// @notice A node with this enode id is already registered.
    error ParticipantDirectoryNodeAlreadyRegistered(bytes32 nodeId);
    /// @notice No node has this id.
    error ParticipantDirectoryUnknownNode(bytes32 nodeId);
    /// @notice An organisation cannot succeed itself, and an offboarded one succeeds nobody.
    error ParticipantDirectoryInvalidSuccessor(uint32 orgId, uint32 successor);
    /// @notice An organisation's keys are numbered in 16 bits; this one has used every number.
    error ParticipantDirectoryTooManyAccounts(uint32 orgId);

    /// @notice Onboards an organisation with its capabilities and jurisdictions (0 = statewide).
    function onboard(
        bytes32 code,
        OrganisationKind kind,
        uint32 capabilities,
        uint32[] calldata jurisdictions,
        bytes32 metadataHash
    ) external returns (uint32 orgId);

    /// @notice Replaces an organisation's capabilities and metadata hash.
    function updateOrganisation(uint32 orgId, uint32 capabilities, bytes32 metadataHash) external;

    /// @notice Replaces an organisation's jurisdictions (0 = statewide).
    function setJurisdictions(uint32 orgId, uint32[] calldata jurisdictions) external;

    /// @notice Names the organisation that took over `orgId`'s duties, or 0 for none (operator, delayed: it grants
    /// power over what `orgId` holds).
    function setSuccessor(uint32 orgId, uint32 successor) external;

    /// @notice Suspends an active organisation: none of its accounts or nodes may act until reinstated.
    function suspend(uint32 orgId, bytes32 reason) external;

    /// @notice Reinstates a suspended organisation.
    function reinstate(uint32 orgId, bytes32 reason) external;

    /// @notice Offboards an organisation for good: all its accounts and nodes are cut at once.
    function offboard(uint32 orgId, bytes32 reason) external;

    /// @notice Adds a signing key to an organisation.
    function addAccount(uint32 orgId, address account) external;

    /// @notice Removes a signing key; what it signed while active stays valid.
    function removeAccount(address account) external;

    /// @notice Reports a key compromised: it is removed at once and what it signed from `cutoff` on is void. The
    /// responder's act: `cutoff` lies at most `MAX_REPORT_BACKDATE` (72 hours) before now, so a report stops a key
    /// from acting but cannot void its earlier work.
    function markAccountCompromised(address account, uint40 cutoff) external;

    /// @notice Moves a reported key's cut-off earlier, voiding what it signed from `cutoff` on: the governor's decision
    /// (delayed, and the guardian may cancel it), with the hash of the decision as `reason`. Registries let governance
    /// affirm what such a cut-off voided wrongly.
    function backdateCompromise(address account, uint40 cutoff, bytes32 reason) external;

    /// @notice Registers a node of an organisation that may run nodes (and validate, for a validator).
    function addNode(
        uint32 orgId,
        bytes32 enodeHigh,
        bytes32 enodeLow,
        string calldata host,
        uint16 port,
        bool validator
    ) external returns (bytes32 nodeId);

    /// @notice Removes a node.
    function removeNode(bytes32 nodeId) external;

    /// @notice Whether `account` is an active key of an active organisation with every bit of `capability`,
    /// acting in `jurisdiction` (0 = no jurisdiction needed).
    function isAuthorized(address account, uint32 capability, uint32 jurisdiction) external view returns (bool);

    /// @notice The organisation `account` acts for and the key's number in it, or a revert naming why it may not act.
    /// The number is 0 for a key added before numbers existed: {numberAccount} gives it one.
    function authorizedAccount(
        address account,
        uint32 capability,
        uint32 jurisdiction
    ) external view returns (uint32 orgId, uint16 number);

    /// @notice Gives a key of an organisation that has none (added before numbers existed) its number, and returns
    /// its number. Anyone may call: the number is a fact about the key, not a power.
    function numberAccount(address account) external returns (uint16 number);

    /// @notice The key with this number in this organisation (zero if none), and its compromise cut-off (0: none).
    function numberedAccount(uint32 orgId, uint16 number) external view returns (address account, uint40 compromisedAt);

    /// @notice The organisation `account` acts for, or a revert naming why it may not act.
    function authorizedOrganisation(
        address account,
        uint32 capability,
        uint32 jurisdiction
    ) external view returns (uint32 orgId);

    /// @notice {authorizedOrganisation} for a place inside a larger one: the organisation may act if it serves
    /// `jurisdiction` or the `enclosing` one (a block inside its district, say). The revert names `jurisdiction`.
    function authorizedOrganisationWithin(
        address account,
        uint32 capability,
        uint32 jurisdiction,
        uint32 enclosing
    ) external view returns (uint32 orgId);

    /// @notice Whether a registered node's organisation is active and may run it (and validate, for a validator).
    function isNodeAllowed(bytes32 nodeId) external view returns (bool);

    /// @notice Whether an organisation, whatever its keys, is active with every bit of `capability` in
    /// `jurisdiction` or the `enclosing` one (STATEWIDE: none): registries ask it of an organisation that holds
    /// something, such as a bank holding a lien, to know whether it can still act on it.
    function organisationMayAct(
        uint32 orgId,
        uint32 capability,
        uint32 jurisdiction,
        uint32 enclosing
    ) external view returns (bool);

    /// @notice The organisation named to take over `orgId`'s duties, or 0.
    function successorOf(uint32 orgId) external view returns (uint32);

    /// @notice Whether `candidate` took over `orgId`'s duties, directly or through successors of successors (at most
    /// `MAX_SUCCESSIONS` steps, so a loop of names ends).
    function succeeds(uint32 candidate, uint32 orgId) external view returns (bool);

    function organisation(uint32 orgId) external view returns (Organisation memory);

    function organisationIdByCode(bytes32 code) external view returns (uint32 orgId);

    function organisationCount() external view returns (uint32);

    function jurisdictionsOf(uint32 orgId) external view returns (uint32[] memory);

    function account(address account) external view returns (Account memory);

    function accountsOf(uint32 orgId) external view returns (address[] memory);

    function node(bytes32 nodeId) external view returns (Node memory);

    function nodesOf(uint32 orgId) external view returns (bytes32[] memory);

    function nodeIds() external view returns (bytes32[] memory);
}
