// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

import {EnumerableSet} from "@openzeppelin/contracts/utils/structs/EnumerableSet.sol";
import {IParticipantDirectory} from "../interfaces/IParticipantDirectory.sol";
import {Capabilities} from "./Capabilities.sol";
import {GovernedUpgradeable} from "./GovernedUpgradeable.sol";

/// @title ParticipantDirectory
/// @notice Organisations, their signing accounts and their nodes. Writes are governance's (every mutating function
/// is `restricted` by the suite's AccessManager); registries read {authorizedOrganisation} on every write.
/// @dev Offboarding or suspending an organisation cuts its accounts and nodes without touching them: every check
/// reads the organisation's status, so no loop over its keys is ever needed. Writes that take power away (suspending,
/// offboarding, removing or reporting a key, removing a node) work while the directory is paused, so pausing it in an
/// emergency never stops the response to that emergency.
contract ParticipantDirectory is GovernedUpgradeable, IParticipantDirectory {
    using EnumerableSet for EnumerableSet.UintSet;
    using EnumerableSet for EnumerableSet.AddressSet;
    using EnumerableSet for EnumerableSet.Bytes32Set;

    /// @notice Jurisdiction code that stands for the whole state.
    uint32 public constant STATEWIDE = 0;
    /// @notice Bound on an organisation's jurisdiction list, which {setJurisdictions} walks to replace it.
    uint256 public constant MAX_JURISDICTIONS = 256;
    /// @notice How many successions {successorOf} follows: a bank taken over by one that was itself taken over.
    uint256 public constant MAX_SUCCESSIONS = 4;
    /// @notice How far before its report the responder alone may date a compromise cut-off: long enough to cover a
    /// theft noticed over a weekend, too short to void years of a key's honest work. Anything earlier is governance's
    /// {backdateCompromise}, delayed and open to the guardian's veto.
    uint256 public constant MAX_REPORT_BACKDATE = 72 hours;
    /// @dev Longest DNS name.
    uint256 private constant _MAX_HOST_LENGTH = 253;

    /// @custom:storage-location erc7201:sakshya.storage.ParticipantDirectory
    struct DirectoryStorage {
        uint32 organisationCount;
        mapping(uint32 orgId => Organisation) organisations;
        mapping(bytes32 code => uint32 orgId) idByCode;
        mapping(uint32 orgId => EnumerableSet.UintSet) jurisdictions;
        mapping(address account => Account) accounts;
        mapping(uint32 orgId => EnumerableSet.AddressSet) accountsByOrg;
        mapping(bytes32 nodeId => Node) nodes;
        mapping(uint32 orgId => EnumerableSet.Bytes32Set) nodesByOrg;
        EnumerableSet.Bytes32Set nodeIds;
        mapping(uint32 orgId => uint32 successor) successors;
        mapping(uint32 orgId => uint16 count) accountCounts;
        mapping(uint32 orgId => mapping(uint16 number => address account)) numberedAccounts;
    }

    /// @dev Why an account may not act; `None` means it may.
    enum Denial {
        None,
        UnknownAccount,
        Compromised,
        InactiveAccount,
        InactiveOrganisation,
        MissingCapability,
        OutsideJurisdiction
    }

    // keccak256(abi.encode(uint256(keccak256("sakshya.storage.ParticipantDirectory")) - 1)) & ~bytes32(uint256(0xff))
    bytes32 private constant _STORAGE_SLOT = 0x35a6156333a789136ab214ba45139b8022016d1ae9ebaa22096e2ca453f5a200;

    /// @custom:oz-upgrades-unsafe-allow constructor
    constructor() {
        _disableInitializers();
    }

    /// @notice Sets the suite's AccessManager as this directory's authority.
    function initialize(address initialAuthority) external initializer {
        __Governed_init(initialAuthority);
    }

    /// @inheritdoc GovernedUpgradeable
    function version() external pure virtual override returns (string memory) {
        return "2.2.0";
    }

    // ---------------------------------------------------------------- governance: organisations

    /// @inheritdoc IParticipantDirectory
    function onboard(
        bytes32 code,
        OrganisationKind kind,
        uint32 capabilities,
        uint32[] calldata jurisdictions,
        bytes32 metadataHash
    ) external restricted whenNotPaused returns (uint32 orgId) {
        DirectoryStorage storage $ = _storage();
        if (code == bytes32(0)) revert ParticipantDirectoryEmptyCode();
        uint32 existing = $.idByCode[code];
        if (existing != 0) revert ParticipantDirectoryCodeTaken(code, existing);
        _requireKnownCapabilities(capabilities);
        _requireHash(metadataHash);

        orgId = ++$.organisationCount;
        $.idByCode[code] = orgId;
        Organisation storage org = $.organisations[orgId];
        org.status = OrganisationStatus.Active;
        org.kind = kind;
        org.capabilities = capabilities;
        org.onboardedAt = uint40(block.timestamp);
        org.updatedAt = uint40(block.timestamp);
        org.code = code;
        org.metadataHash = metadataHash;
        emit OrganisationOnboarded(orgId, code, kind, capabilities, metadataHash, msg.sender);
        _setJurisdictions($, orgId, jurisdictions);
    }

    /// @inheritdoc IParticipantDirectory
    function updateOrganisation(
        uint32 orgId,
        uint32 capabilities,
        bytes32 metadataHash
    ) external restricted whenNotPaused {
        DirectoryStorage storage $ = _storage();
        Organisation storage org = _requireNotOffboarded($, orgId);
        _requireKnownCapabilities(capabilities);
        _requireHash(metadataHash);
        org.capabilities = capabilities;
        org.metadataHash = metadataHash;
        org.updatedAt = uint40(block.timestamp);
        emit OrganisationUpdated(orgId, capabilities, metadataHash, msg.sender);
    }

    /// @inheritdoc IParticipantDirectory
    function setJurisdictions(uint32 orgId, uint32[] calldata jurisdictions) external restricted whenNotPaused {
        DirectoryStorage storage $ = _storage();
        _requireNotOffboarded($, orgId);
        EnumerableSet.UintSet storage current = $.jurisdictions[orgId];
        for (uint256 i = current.length(); i > 0; --i) {
            current.remove(current.at(i - 1));
        }
        _setJurisdictions($, orgId, jurisdictions);
    }

    /// @inheritdoc IParticipantDirectory
    function suspend(uint32 orgId, bytes32 reason) external restricted {
        _changeStatus(orgId, OrganisationStatus.Active, OrganisationStatus.Suspended, reason);
    }

    /// @inheritdoc IParticipantDirectory
    function reinstate(uint32 orgId, bytes32 reason) external restricted whenNotPaused {
        _changeStatus(orgId, OrganisationStatus.Suspended, OrganisationStatus.Active, reason);
    }

    /// @inheritdoc IParticipantDirectory
    function offboard(uint32 orgId, bytes32 reason) external restricted {
        OrganisationStatus status = _storage().organisations[orgId].status;
        // Both an active and a suspended organisation may be offboarded.
        _changeStatus(
            orgId,
            status == OrganisationStatus.Suspended ? OrganisationStatus.Suspended : OrganisationStatus.Active,
            OrganisationStatus.Offboarded,
            reason
        );
    }

    /// @inheritdoc IParticipantDirectory
    function setSuccessor(uint32 orgId, uint32 successor) external restricted whenNotPaused {
        DirectoryStorage storage $ = _storage();
        _requireOrganisation($, orgId);
        if (successor != 0) {
            if (successor == orgId) revert ParticipantDirectoryInvalidSuccessor(orgId, successor);
            _requireNotOffboarded($, successor);
        }
        $.successors[orgId] = successor;
        emit SuccessorNamed(orgId, successor, msg.sender);
    }

    // ---------------------------------------------------------------- governance: accounts

    /// @inheritdoc IParticipantDirectory
    function addAccount(uint32 orgId, address account_) external restricted whenNotPaused {
        DirectoryStorage storage $ = _storage();
        _requireNotOffboarded($, orgId);
        if (account_ == address(0)) revert ParticipantDirectoryZeroAccount();
        Account storage record = $.accounts[account_];
        if (record.compromisedAt != 0) revert ParticipantDirectoryAccountIsCompromised(account_, record.compromisedAt);
        if (record.orgId != 0 && record.orgId != orgId) {
            revert ParticipantDirectoryAccountBoundElsewhere(account_, record.orgId);
        }
        if (record.active) revert ParticipantDirectoryAccountAlreadyActive(account_, orgId);

        record.orgId = orgId;
        record.active = true;
        record.addedAt = uint40(block.timestamp);
        $.accountsByOrg[orgId].add(account_);
        emit AccountAdded(orgId, account_, msg.sender);
        if (record.number == 0) _number($, record, account_);
    }

    /// @inheritdoc IParticipantDirectory
    function numberAccount(address account_) external returns (uint16 number) {
        DirectoryStorage storage $ = _storage();
        Account storage record = $.accounts[account_];
        if (record.orgId == 0) revert ParticipantDirectoryUnknownAccount(account_);
        number = record.number;
        if (number == 0) number = _number($, record, account_);
    }

    /// @inheritdoc IParticipantDirectory
    function removeAccount(address account_) external restricted {
        DirectoryStorage storage $ = _storage();
        uint32 orgId = _deactivate($, account_);
        emit AccountRemoved(orgId, account_, msg.sender);
    }

    /// @inheritdoc IParticipantDirectory
    function markAccountCompromised(address account_, uint40 cutoff) external restricted {
        DirectoryStorage storage $ = _storage();
        Account storage record = $.accounts[account_];
        if (record.orgId == 0) revert ParticipantDirectoryUnknownAccount(account_);
        if (record.compromisedAt != 0) revert ParticipantDirectoryAccountIsCompromised(account_, record.compromisedAt);
        if (cutoff == 0 || cutoff > block.timestamp) revert ParticipantDirectoryInvalidCutoff(cutoff);
        uint256 earliest = block.timestamp - MAX_REPORT_BACKDATE;
        if (cutoff < earliest) revert ParticipantDirectoryCutoffTooEarly(cutoff, uint40(earliest));
        uint32 orgId = record.orgId;
        if (record.active) {
            record.active = false;
            $.accountsByOrg[orgId].remove(account_);
        }
        record.compromisedAt = cutoff;
        emit AccountCompromised(orgId, account_, cutoff, msg.sender);
    }

    /// @inheritdoc IParticipantDirectory
    function backdateCompromise(address account_, uint40 cutoff, bytes32 reason) external restricted {
        _requireHash(reason);
        Account storage record = _storage().accounts[account_];
        uint40 previous = record.compromisedAt;
        if (previous == 0) revert ParticipantDirectoryAccountNotCompromised(account_);
        if (cutoff == 0 || cutoff >= previous) revert ParticipantDirectoryInvalidCutoff(cutoff);
        record.compromisedAt = cutoff;
        emit CompromiseBackdated(record.orgId, account_, previous, cutoff, reason, msg.sender);
    }

    // ---------------------------------------------------------------- governance: nodes

    /// @inheritdoc IParticipantDirectory
    function addNode(
        uint32 orgId,
        bytes32 enodeHigh,
        bytes32 enodeLow,
        string calldata host,
        uint16 port,
        bool validator
    ) external restricted whenNotPaused returns (bytes32 nodeId) {
        DirectoryStorage storage $ = _storage();
        Organisation storage org = _requireOrganisation($, orgId);
        if (org.status != OrganisationStatus.Active) revert ParticipantDirectoryUnexpectedStatus(orgId, org.status);
        uint32 needed = validator ? Capabilities.RUN_NODE | Capabilities.VALIDATE : Capabilities.RUN_NODE;
        if (org.capabilities & needed != needed) revert ParticipantDirectoryMissingCapability(orgId, needed);
        if (enodeHigh == bytes32(0) && enodeLow == bytes32(0)) revert ParticipantDirectoryInvalidEnode();
        uint256 hostLength = bytes(host).length;
        if (hostLength == 0 || hostLength > _MAX_HOST_LENGTH) revert ParticipantDirectoryInvalidHost();
        if (port == 0) revert ParticipantDirectoryInvalidPort();

        nodeId = keccak256(abi.encodePacked(enodeHigh, enodeLow));
        if (!$.nodeIds.add(nodeId)) revert ParticipantDirectoryNodeAlreadyRegistered(nodeId);
        $.nodes[nodeId] = Node(enodeHigh, enodeLow, orgId, port, validator, host);
        $.nodesByOrg[orgId].add(nodeId);
        emit NodeAdded(orgId, nodeId, enodeHigh, enodeLow, host, port, validator, msg.sender);
    }

    /// @inheritdoc IParticipantDirectory
    function removeNode(bytes32 nodeId) external restricted {
        DirectoryStorage storage $ = _storage();
        if (!$.nodeIds.remove(nodeId)) revert ParticipantDirectoryUnknownNode(nodeId);
        uint32 orgId = $.nodes[nodeId].orgId;
        $.nodesByOrg[orgId].remove(nodeId);
        delete $.nodes[nodeId];
        emit NodeRemoved(orgId, nodeId, msg.sender);
    }

    // ---------------------------------------------------------------- the check every registry makes

    /// @inheritdoc IParticipantDirectory
    function isAuthorized(address account_, uint32 capability, uint32 jurisdiction) external view returns (bool) {
        (, Denial denial) = _authorize(account_, capability, jurisdiction, STATEWIDE);
        return denial == Denial.None;
    }

    /// @inheritdoc IParticipantDirectory
    function authorizedAccount(
        address account_,
        uint32 capability,
        uint32 jurisdiction
    ) external view returns (uint32 orgId, uint16 number) {
        Denial denial;
        (orgId, denial) = _authorize(account_, capability, jurisdiction, STATEWIDE);
        if (denial != Denial.None) _revertDenial(denial, account_, orgId, capability, jurisdiction);
        number = _storage().accounts[account_].number;
    }

    /// @inheritdoc IParticipantDirectory
    function numberedAccount(
        uint32 orgId,
        uint16 number
    ) external view returns (address account_, uint40 compromisedAt) {
        DirectoryStorage storage $ = _storage();
        account_ = $.numberedAccounts[orgId][number];
        compromisedAt = $.accounts[account_].compromisedAt;
    }

    /// @inheritdoc IParticipantDirectory
    function authorizedOrganisation(
        address account_,
        uint32 capability,
        uint32 jurisdiction
    ) external view returns (uint32 orgId) {
        Denial denial;
        (orgId, denial) = _authorize(account_, capability, jurisdiction, STATEWIDE);
        if (denial != Denial.None) _revertDenial(denial, account_, orgId, capability, jurisdiction);
    }

    /// @inheritdoc IParticipantDirectory
    function authorizedOrganisationWithin(
        address account_,
        uint32 capability,
        uint32 jurisdiction,
        uint32 enclosing
    ) external view returns (uint32 orgId) {
        Denial denial;
        (orgId, denial) = _authorize(account_, capability, jurisdiction, enclosing);
        if (denial != Denial.None) _revertDenial(denial, account_, orgId, capability, jurisdiction);
    }

    /// @inheritdoc IParticipantDirectory
    function organisationMayAct(
        uint32 orgId,
        uint32 capability,
        uint32 jurisdiction,
        uint32 enclosing
    ) external view returns (bool) {
        DirectoryStorage storage $ = _storage();
        Organisation storage org = $.organisations[orgId];
        return
            org.status == OrganisationStatus.Active &&
            org.capabilities & capability == capability &&
            _serves($, org, orgId, jurisdiction, enclosing);
    }

    /// @inheritdoc IParticipantDirectory
    function successorOf(uint32 orgId) external view returns (uint32) {
        return _storage().successors[orgId];
    }

    /// @inheritdoc IParticipantDirectory
    function succeeds(uint32 candidate, uint32 orgId) external view returns (bool) {
        DirectoryStorage storage $ = _storage();
        uint32 next = orgId;
        for (uint256 step = 0; step < MAX_SUCCESSIONS; ++step) {
            next = $.successors[next];
            if (next == 0) return false;
            if (next == candidate) return true;
        }
        return false;
    }

    /// @inheritdoc IParticipantDirectory
    function isNodeAllowed(bytes32 nodeId) external view returns (bool) {
        DirectoryStorage storage $ = _storage();
        Node storage n = $.nodes[nodeId];
        if (n.orgId == 0) return false;
        Organisation storage org = $.organisations[n.orgId];
        uint32 needed = n.validator ? Capabilities.RUN_NODE | Capabilities.VALIDATE : Capabilities.RUN_NODE;
        return org.status == OrganisationStatus.Active && org.capabilities & needed == needed;
    }

    // ---------------------------------------------------------------- views

    /// @inheritdoc IParticipantDirectory
    function organisation(uint32 orgId) external view returns (Organisation memory) {
        return _requireOrganisation(_storage(), orgId);
    }

    /// @inheritdoc IParticipantDirectory
    function organisationIdByCode(bytes32 code) external view returns (uint32 orgId) {
        orgId = _storage().idByCode[code];
        if (orgId == 0) revert ParticipantDirectoryUnknownCode(code);
    }

    /// @inheritdoc IParticipantDirectory
    function organisationCount() external view returns (uint32) {
        return _storage().organisationCount;
    }

    /// @inheritdoc IParticipantDirectory
    function jurisdictionsOf(uint32 orgId) external view returns (uint32[] memory codes) {
        DirectoryStorage storage $ = _storage();
        Organisation storage org = _requireOrganisation($, orgId);
        uint256[] memory values = $.jurisdictions[orgId].values();
        uint256 offset = org.statewide ? 1 : 0;
        codes = new uint32[](values.length + offset);
        // codes[0] stays STATEWIDE (0) for a statewide organisation.
        for (uint256 i = 0; i < values.length; ++i) {
            codes[i + offset] = uint32(values[i]);
        }
    }

    /// @inheritdoc IParticipantDirectory
    function account(address account_) external view returns (Account memory) {
        return _storage().accounts[account_];
    }

    /// @inheritdoc IParticipantDirectory
    function accountsOf(uint32 orgId) external view returns (address[] memory) {
        DirectoryStorage storage $ = _storage();
        _requireOrganisation($, orgId);
        return $.accountsByOrg[orgId].values();
    }

    /// @inheritdoc IParticipantDirectory
    function node(bytes32 nodeId) external view returns (Node memory) {
        Node storage n = _storage().nodes[nodeId];
        if (n.orgId == 0) revert ParticipantDirectoryUnknownNode(nodeId);
        return n;
    }

    /// @inheritdoc IParticipantDirectory
    function nodesOf(uint32 orgId) external view returns (bytes32[] memory) {
        DirectoryStorage storage $ = _storage();
        _requireOrganisation($, orgId);
        return $.nodesByOrg[orgId].values();
    }

    /// @inheritdoc IParticipantDirectory
    function nodeIds() external view returns (bytes32[] memory) {
        return _storage().nodeIds.values();
    }

    // ---------------------------------------------------------------- internals

    /// @dev `enclosing` is a second jurisdiction that also grants `jurisdiction`; STATEWIDE means there is none.
    function _authorize(
        address account_,
        uint32 capability,
        uint32 jurisdiction,
        uint32 enclosing
    ) internal view returns (uint32 orgId, Denial denial) {
        DirectoryStorage storage $ = _storage();
        Account memory record = $.accounts[account_];
        orgId = record.orgId;
        if (orgId == 0) return (0, Denial.UnknownAccount);
        if (record.compromisedAt != 0) return (orgId, Denial.Compromised);
        if (!record.active) return (orgId, Denial.InactiveAccount);
        Organisation storage org = $.organisations[orgId];
        if (org.status != OrganisationStatus.Active) return (orgId, Denial.InactiveOrganisation);
        if (org.capabilities & capability != capability) return (orgId, Denial.MissingCapability);
        if (!_serves($, org, orgId, jurisdiction, enclosing)) return (orgId, Denial.OutsideJurisdiction);
        return (orgId, Denial.None);
    }

    /// @dev Whether the organisation acts in `jurisdiction`, or in `enclosing` (STATEWIDE: none) which contains it.
    function _serves(
        DirectoryStorage storage $,
        Organisation storage org,
        uint32 orgId,
        uint32 jurisdiction,
        uint32 enclosing
    ) internal view returns (bool) {
        if (jurisdiction == STATEWIDE || org.statewide) return true;
        EnumerableSet.UintSet storage served = $.jurisdictions[orgId];
        return served.contains(jurisdiction) || (enclosing != STATEWIDE && served.contains(enclosing));
    }

    function _revertDenial(
        Denial denial,
        address account_,
        uint32 orgId,
        uint32 capability,
        uint32 jurisdiction
    ) internal view {
        DirectoryStorage storage $ = _storage();
        if (denial == Denial.UnknownAccount) revert ParticipantDirectoryUnknownAccount(account_);
        if (denial == Denial.Compromised) {
            revert ParticipantDirectoryAccountIsCompromised(account_, $.accounts[account_].compromisedAt);
        }
        if (denial == Denial.InactiveAccount) revert ParticipantDirectoryAccountInactive(account_);
        if (denial == Denial.InactiveOrganisation) {
            revert ParticipantDirectoryOrganisationInactive(orgId, $.organisations[orgId].status);
        }
        if (denial == Denial.MissingCapability) revert ParticipantDirectoryMissingCapability(orgId, capability);
        revert ParticipantDirectoryOutsideJurisdiction(orgId, jurisdiction);
    }

    function _setJurisdictions(DirectoryStorage storage $, uint32 orgId, uint32[] calldata jurisdictions) internal {
        if (jurisdictions.length > MAX_JURISDICTIONS) {
            revert ParticipantDirectoryTooManyJurisdictions(jurisdictions.length, MAX_JURISDICTIONS);
        }
        bool statewide = false;
        EnumerableSet.UintSet storage set = $.jurisdictions[orgId];
        for (uint256 i = 0; i < jurisdictions.length; ++i) {
            uint32 code = jurisdictions[i];
            bool fresh = code == STATEWIDE ? !statewide : set.add(code);
            if (!fresh) revert ParticipantDirectoryDuplicateJurisdiction(code);
            if (code == STATEWIDE) statewide = true;
        }
        $.organisations[orgId].statewide = statewide;
        emit OrganisationJurisdictionsSet(orgId, jurisdictions, msg.sender);
    }

    function _changeStatus(uint32 orgId, OrganisationStatus from, OrganisationStatus to, bytes32 reason) internal {
        DirectoryStorage storage $ = _storage();
        Organisation storage org = _requireOrganisation($, orgId);
        if (org.status != from) revert ParticipantDirectoryUnexpectedStatus(orgId, org.status);
        _requireHash(reason);
        org.status = to;
        org.updatedAt = uint40(block.timestamp);
        emit OrganisationStatusChanged(orgId, from, to, reason, msg.sender);
    }

    /// @dev Gives a key the next number of its organisation.
    function _number(
        DirectoryStorage storage $,
        Account storage record,
        address account_
    ) internal returns (uint16 number) {
        uint32 orgId = record.orgId;
        uint256 next = uint256($.accountCounts[orgId]) + 1;
        if (next > type(uint16).max) revert ParticipantDirectoryTooManyAccounts(orgId);
        number = uint16(next);
        $.accountCounts[orgId] = number;
        record.number = number;
        $.numberedAccounts[orgId][number] = account_;
        emit AccountNumbered(orgId, account_, number);
    }

    function _deactivate(DirectoryStorage storage $, address account_) internal returns (uint32 orgId) {
        Account storage record = $.accounts[account_];
        orgId = record.orgId;
        if (orgId == 0) revert ParticipantDirectoryUnknownAccount(account_);
        if (!record.active) revert ParticipantDirectoryAccountInactive(account_);
        record.active = false;
        $.accountsByOrg[orgId].remove(account_);
    }

    function _requireOrganisation(
        DirectoryStorage storage $,
        uint32 orgId
    ) internal view returns (Organisation storage org) {
        org = $.organisations[orgId];
        if (org.status == OrganisationStatus.None) revert ParticipantDirectoryUnknownOrganisation(orgId);
    }

    function _requireNotOffboarded(
        DirectoryStorage storage $,
        uint32 orgId
    ) internal view returns (Organisation storage org) {
        org = _requireOrganisation($, orgId);
        if (org.status == OrganisationStatus.Offboarded) revert ParticipantDirectoryUnexpectedStatus(orgId, org.status);
    }

    function _requireKnownCapabilities(uint32 capabilities) internal pure {
        if (capabilities & ~Capabilities.ALL != 0) revert ParticipantDirectoryUnknownCapabilities(capabilities);
    }

    function _requireHash(bytes32 hash) internal pure {
        if (hash == bytes32(0)) revert ParticipantDirectoryEmptyHash();
    }

    function _storage() private pure returns (DirectoryStorage storage $) {
        assembly {
            $.slot := _STORAGE_SLOT
        }
    }
}
