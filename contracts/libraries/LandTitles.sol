// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

import {ILandRecords} from "../interfaces/ILandRecords.sol";

/// @title LandTitles
/// @notice Pure rules of land titles: what a ULPIN looks like, what a well-formed owner list is, and how a transfer
/// of shares turns one owner list into the next. Owner lists are sorted by commitment, strictly ascending, so a set
/// of owners has one hash and two sorted lists merge in one pass.
library LandTitles {
    /// @notice The whole of a parcel, in basis points.
    uint16 internal constant WHOLE = 10_000;
    /// @notice Longest owner list, and longest list of transferors or recipients in a transfer.
    uint256 internal constant MAX_OWNERS = 64;

    uint256 private constant _ULPIN_LENGTH = 14;

    /// @dev Reverts unless every one of the 14 characters is a digit or a capital letter.
    function requireUlpin(bytes14 ulpin) internal pure {
        for (uint256 i = 0; i < _ULPIN_LENGTH; ++i) {
            bytes1 c = ulpin[i];
            if (!((c >= "0" && c <= "9") || (c >= "A" && c <= "Z"))) {
                revert ILandRecords.LandRegistryInvalidUlpin(ulpin);
            }
        }
    }

    /// @dev Reverts unless `owners` is a well-formed owner list whose shares make the whole; returns its hash.
    function requireOwners(ILandRecords.Owner[] calldata owners) internal pure returns (bytes32) {
        uint256 total = _requireSortedShares(owners);
        if (total != WHOLE) revert ILandRecords.LandRegistrySharesNotWhole(total);
        return hash(owners);
    }

    /// @dev Reverts unless `from` and `to` are well-formed lists moving the same total; returns the transfer's hash.
    function requireTransfer(
        ILandRecords.Owner[] calldata from,
        ILandRecords.Owner[] calldata to
    ) internal pure returns (bytes32) {
        uint256 given = _requireSortedShares(from);
        uint256 received = _requireSortedShares(to);
        if (given != received) revert ILandRecords.LandRegistryTransferUnbalanced(given, received);
        return transferHash(from, to);
    }

    /// @dev Reverts unless every commitment of `list` is among `owners` (both sorted).
    function requireAmong(ILandRecords.Owner[] calldata list, ILandRecords.Owner[] calldata owners) internal pure {
        uint256 j = 0;
        for (uint256 i = 0; i < list.length; ++i) {
            bytes32 commitment = list[i].commitment;
            while (j < owners.length && owners[j].commitment < commitment) ++j;
            if (j == owners.length || owners[j].commitment != commitment) {
                revert ILandRecords.LandRegistryPartitionOutsider(commitment);
            }
        }
    }

    /// @dev The owner list after `from` gives its shares to `to`: shares of owners in both lists add up, owners
    /// left with nothing drop out, and the result stays sorted. Reverts if a transferor is not an owner or gives
    /// more than it holds.
    function transfer(
        ILandRecords.Owner[] calldata owners,
        ILandRecords.Owner[] calldata from,
        ILandRecords.Owner[] calldata to
    ) internal pure returns (ILandRecords.Owner[] memory next) {
        ILandRecords.Owner[] memory remaining = new ILandRecords.Owner[](owners.length);
        uint256 kept = 0;
        uint256 j = 0;
        for (uint256 i = 0; i < owners.length; ++i) {
            bytes32 commitment = owners[i].commitment;
            uint16 share = owners[i].share;
            if (j < from.length && from[j].commitment == commitment) {
                uint16 given = from[j].share;
                if (given > share) revert ILandRecords.LandRegistryShareExceeded(commitment, share, given);
                share -= given;
                ++j;
            }
            if (share != 0) remaining[kept++] = ILandRecords.Owner(commitment, share);
        }
        if (j < from.length) revert ILandRecords.LandRegistryNotAnOwner(from[j].commitment);

        next = new ILandRecords.Owner[](kept + to.length);
        uint256 a = 0;
        uint256 b = 0;
        uint256 n = 0;
        while (a < kept || b < to.length) {
            if (b == to.length || (a < kept && remaining[a].commitment < to[b].commitment)) {
                next[n++] = remaining[a++];
            } else if (a == kept || to[b].commitment < remaining[a].commitment) {
                next[n++] = to[b++];
            } else {
                next[n++] = ILandRecords.Owner(to[b].commitment, remaining[a++].share + to[b++].share);
            }
        }
        // Owners in both lists were counted twice in the allocation; trim the array to what was written.
        assembly ("memory-safe") {
            mstore(next, n)
        }
        // However a transfer splits shares, the list it leaves obeys the same bound as every other.
        if (n > MAX_OWNERS) revert ILandRecords.LandRegistryInvalidOwnerCount(n);
    }

    function hash(ILandRecords.Owner[] calldata owners) internal pure returns (bytes32) {
        return keccak256(abi.encode(owners));
    }

    function hashMemory(ILandRecords.Owner[] memory owners) internal pure returns (bytes32) {
        return keccak256(abi.encode(owners));
    }

    function transferHash(
        ILandRecords.Owner[] calldata from,
        ILandRecords.Owner[] calldata to
    ) internal pure returns (bytes32) {
        return keccak256(abi.encode(from, to));
    }

    /// @dev Reverts unless `list` has 1 to {MAX_OWNERS} entries, sorted strictly ascending by non-zero commitment,
    /// each with a share; returns the sum of shares.
    function _requireSortedShares(ILandRecords.Owner[] calldata list) private pure returns (uint256 total) {
        uint256 n = list.length;
        if (n == 0 || n > MAX_OWNERS) revert ILandRecords.LandRegistryInvalidOwnerCount(n);
        bytes32 previous = bytes32(0);
        for (uint256 i = 0; i < n; ++i) {
            bytes32 commitment = list[i].commitment;
            if (commitment <= previous) revert ILandRecords.LandRegistryOwnersUnsorted(i);
            uint16 share = list[i].share;
            if (share == 0) revert ILandRecords.LandRegistryZeroShare(i);
            total += share;
            previous = commitment;
        }
    }
}
