// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

/// @title AttributedMarks
/// @notice Marks on the documents of a certificate batch that remember who made them and when, 32 documents to a
/// storage word, so that a mark made by a key at or after its compromise cut-off can be told apart when a status is
/// read, and ignored.
///
/// Word layout, low bits first:
///   bits   0-127  a 4-bit value per document (document `p` of the word at bits `4p` to `4p + 3`): 0 no mark,
///                 1 to 14 a mark, {OVERFLOW} for a mark kept in a record of its own;
///   bits 128-159  a selector bit per document: which of the two entries made its mark;
///   bits 160-207  entry 0 and bits 208-255 entry 1, each an actor (16 bits) above a time (32 bits).
/// An actor is the number a registry gives each signing key of an organisation (1, 2, ...); 0 is governance, whose acts
/// always count. A word holds two entries: the common cases — one bulk act over a range, a few acts over time — fit,
/// an entry is reused once no document of the word still points at it, and a document marked by a third (actor, time)
/// while both entries still vouch for others is marked {OVERFLOW} and its value and entry go into its own record.
/// @dev Selections are 32-bit masks, bit `p` for document `p` of the word. Moving such a mask to every fourth bit and
/// back takes five shift-and-mask steps each way, so a whole word is checked and written with no loop.
library AttributedMarks {
    uint256 internal constant DOCUMENTS_PER_WORD = 32;
    /// @notice The value of a document whose mark is in a record of its own.
    uint256 internal constant OVERFLOW = 15;

    uint256 private constant _VALUES = type(uint128).max;
    uint256 private constant _ALL = type(uint32).max;
    uint256 private constant _SELECTORS = 128;
    uint256 private constant _ENTRY_0 = 160;
    uint256 private constant _ENTRY_1 = 208;
    uint256 private constant _ENTRY = (1 << 48) - 1;
    uint256 private constant _TIME = type(uint32).max;

    // Groups of 16, 8, 4, 2 and 1 bits, ever closer: the steps between a 32-bit mask and one bit per nibble.
    uint256 private constant _G16 = 0x000000000000ffff000000000000ffff;
    uint256 private constant _G8 = 0x000000ff000000ff000000ff000000ff;
    uint256 private constant _G4 = 0x000f000f000f000f000f000f000f000f;
    uint256 private constant _G2 = 0x03030303030303030303030303030303;
    uint256 private constant _G1 = 0x11111111111111111111111111111111;

    /// @notice The word of document `index` and its position in the word.
    function locate(uint256 index) internal pure returns (uint256 word, uint256 position) {
        return (index / DOCUMENTS_PER_WORD, index % DOCUMENTS_PER_WORD);
    }

    /// @notice An entry: who (0 for governance) and when.
    function entry(uint256 actor, uint256 time) internal pure returns (uint256) {
        return (actor << 32) | time;
    }

    function actorOf(uint256 entry_) internal pure returns (uint256) {
        return entry_ >> 32;
    }

    function timeOf(uint256 entry_) internal pure returns (uint256) {
        return entry_ & _TIME;
    }

    /// @notice The value of the document at `position`.
    function valueAt(uint256 word, uint256 position) internal pure returns (uint256) {
        return (word >> (4 * position)) & 0xf;
    }

    /// @notice The entry that made the mark of the document at `position` (meaningless for no mark or OVERFLOW).
    function entryAt(uint256 word, uint256 position) internal pure returns (uint256) {
        return (word >> ((word >> (_SELECTORS + position)) & 1 == 0 ? _ENTRY_0 : _ENTRY_1)) & _ENTRY;
    }

    /// @notice The two entries of a word.
    function entries(uint256 word) internal pure returns (uint256, uint256) {
        return ((word >> _ENTRY_0) & _ENTRY, word >> _ENTRY_1);
    }

    /// @notice The documents whose selector points at entry 1.
    function selectors(uint256 word) internal pure returns (uint256) {
        return (word >> _SELECTORS) & _ALL;
    }

    /// @notice The documents whose value is `value`.
    function withValue(uint256 word, uint256 value) internal pure returns (uint256) {
        uint256 x = (word & _VALUES) ^ (_G1 * value);
        return _gather(~(x | (x >> 1) | (x >> 2) | (x >> 3)) & _G1);
    }

    /// @notice The documents carrying a mark in the word itself (a value from 1 to 14).
    function marked(uint256 word) internal pure returns (uint256) {
        uint256 x = word & _VALUES;
        uint256 any = (x | (x >> 1) | (x >> 2) | (x >> 3)) & _G1;
        uint256 full = x & (x >> 1) & (x >> 2) & (x >> 3) & _G1;
        return _gather(any & ~full);
    }

    /// @notice The documents with any value at all (a mark or OVERFLOW).
    function occupied(uint256 word) internal pure returns (uint256) {
        uint256 x = word & _VALUES;
        return _gather((x | (x >> 1) | (x >> 2) | (x >> 3)) & _G1);
    }

    /// @notice Gives the selected documents `value`, made by `entry_`. `overflowed` says their values became
    /// OVERFLOW instead, because both entries still vouch for documents outside the selection: the caller then keeps
    /// `value` and `entry_` in each one's record.
    function place(
        uint256 word,
        uint256 selection,
        uint256 value,
        uint256 entry_
    ) internal pure returns (uint256 updated, bool overflowed) {
        // The common first mark of a word: nothing to keep, entry 0 it is.
        if (word == 0) return ((_spread(selection) * value) | (entry_ << _ENTRY_0), false);
        uint256 kept = marked(word) & ~selection;
        uint256 ones = selectors(word);
        (uint256 first, uint256 second) = entries(word);
        bool useSecond;
        if (first == entry_) {
            useSecond = false;
        } else if (second == entry_) {
            useSecond = true;
        } else if (kept & ~ones == 0) {
            word = (word & ~(_ENTRY << _ENTRY_0)) | (entry_ << _ENTRY_0);
        } else if (kept & ones == 0) {
            word = (word & ~(_ENTRY << _ENTRY_1)) | (entry_ << _ENTRY_1);
            useSecond = true;
        } else {
            value = OVERFLOW;
            overflowed = true;
        }
        uint256 spread = _spread(selection);
        updated = (word & ~(spread * 0xf)) | (spread * value);
        updated = useSecond ? updated | (selection << _SELECTORS) : updated & ~(selection << _SELECTORS);
    }

    /// @notice Takes the marks of the selected documents away.
    function clear(uint256 word, uint256 selection) internal pure returns (uint256) {
        return word & ~(_spread(selection) * 0xf);
    }

    /// @dev Bit `p` of a 32-bit mask moved to bit `4p`.
    function _spread(uint256 mask) private pure returns (uint256 x) {
        x = mask & _ALL;
        x = (x | (x << 48)) & _G16;
        x = (x | (x << 24)) & _G8;
        x = (x | (x << 12)) & _G4;
        x = (x | (x << 6)) & _G2;
        x = (x | (x << 3)) & _G1;
    }

    /// @dev Bit `4p` moved back to bit `p`.
    function _gather(uint256 x) private pure returns (uint256) {
        x &= _G1;
        x = (x | (x >> 3)) & _G2;
        x = (x | (x >> 6)) & _G4;
        x = (x | (x >> 12)) & _G8;
        x = (x | (x >> 24)) & _G16;
        return (x | (x >> 48)) & _ALL;
    }
}
