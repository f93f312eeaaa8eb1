// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

/// @title DocumentMarks
/// @notice Per-document marks of a certificate batch, packed four bits per document, 64 documents per storage word:
/// document `i` lives in word `i / 64`, bits `4 * (i % 64)` to `4 * (i % 64) + 3`.
/// A mark is {NONE} (valid as far as the document itself goes), a revocation reason (1 to 14) or {SUSPENDED}.
/// @dev The bulk operations take 64 selected documents at a time: the selection is spread so that bit `i` lands on
/// bit `4 * i` (one multiply then writes a mark into every selected nibble), and each operation's precondition is
/// checked for all 64 documents with a handful of bitwise operations instead of a loop.
library DocumentMarks {
    uint256 internal constant NONE = 0;
    uint256 internal constant SUSPENDED = 15;
    uint256 internal constant DOCUMENTS_PER_WORD = 64;

    uint256 private constant _ALL = type(uint256).max;
    // Masks for spreading 64 bits over 256: 32-bit, 16-bit, 8-bit, 4-bit, 2-bit and 1-bit groups, ever closer.
    uint256 private constant _M32 = _ALL / type(uint128).max * type(uint32).max;
    uint256 private constant _M16 = _ALL / type(uint64).max * type(uint16).max;
    uint256 private constant _M8 = _ALL / type(uint32).max * type(uint8).max;
    uint256 private constant _M4 = _ALL / type(uint16).max * 0xf;
    uint256 private constant _M2 = _ALL / type(uint8).max * 0x3;
    uint256 private constant _M1 = _ALL / 0xf;

    /// @notice Storage word and bit offset of a document's mark.
    function locate(uint256 index) internal pure returns (uint256 word, uint256 shift) {
        return (index / DOCUMENTS_PER_WORD, (index % DOCUMENTS_PER_WORD) * 4);
    }

    /// @notice The mark of the document at bit offset `shift` of a word.
    function get(uint256 packed, uint256 shift) internal pure returns (uint256) {
        return (packed >> shift) & 0xf;
    }

    /// @notice `packed` with the mark at bit offset `shift` replaced by `mark`.
    function set(uint256 packed, uint256 shift, uint256 mark) internal pure returns (uint256) {
        return (packed & ~(uint256(0xf) << shift)) | (mark << shift);
    }

    /// @notice Bit `i` of the low 64 bits of `selection` moved to bit `4 * i`.
    function spread(uint256 selection) internal pure returns (uint256 x) {
        x = selection & type(uint64).max;
        x = (x | (x << 96)) & _M32;
        x = (x | (x << 48)) & _M16;
        x = (x | (x << 24)) & _M8;
        x = (x | (x << 12)) & _M4;
        x = (x | (x << 6)) & _M2;
        x = (x | (x << 3)) & _M1;
    }

    /// @notice Revokes the spread selection with `reason`; `ok` is false if any selected document is already revoked.
    /// Suspended documents may be revoked.
    function revoke(uint256 packed, uint256 spreadSelection, uint256 reason) internal pure returns (uint256, bool ok) {
        // A nibble is NONE (0000) or SUSPENDED (1111) exactly when its four bits are equal.
        ok = (packed ^ (packed >> 1)) & (spreadSelection * 7) == 0;
        return ((packed & ~(spreadSelection * 0xf)) | (spreadSelection * reason), ok);
    }

    /// @notice Suspends the spread selection; `ok` is false if any selected document already carries a mark.
    function suspend(uint256 packed, uint256 spreadSelection) internal pure returns (uint256, bool ok) {
        ok = packed & (spreadSelection * 0xf) == 0;
        return (packed | (spreadSelection * SUSPENDED), ok);
    }

    /// @notice Reinstates the spread selection; `ok` is false if any selected document is not suspended.
    function reinstate(uint256 packed, uint256 spreadSelection) internal pure returns (uint256, bool ok) {
        uint256 selected = spreadSelection * 0xf;
        ok = packed & selected == selected;
        return (packed & ~selected, ok);
    }
}
