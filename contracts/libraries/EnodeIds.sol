// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

/// @title EnodeIds
/// @notice Turns an enode id as Besu writes it (128 hex digits, no `0x`) into the directory's node id.
library EnodeIds {
    /// @return valid Whether the text is exactly 128 hex digits.
    /// @return nodeId keccak256 of the 64-byte public key the digits spell; zero when not valid.
    function nodeIdOf(string calldata enodeId) internal pure returns (bool valid, bytes32 nodeId) {
        bytes calldata text = bytes(enodeId);
        if (text.length != 128) return (false, bytes32(0));
        bytes memory key = new bytes(64);
        for (uint256 i = 0; i < 64; ++i) {
            (bool highOk, uint8 high) = _nibble(text[2 * i]);
            (bool lowOk, uint8 low) = _nibble(text[2 * i + 1]);
            if (!highOk || !lowOk) return (false, bytes32(0));
            key[i] = bytes1((high << 4) | low);
        }
        return (true, keccak256(key));
    }

    function _nibble(bytes1 digit) private pure returns (bool valid, uint8 value) {
        uint8 c = uint8(digit);
        if (c >= 0x30 && c <= 0x39) return (true, c - 0x30);
        if (c >= 0x61 && c <= 0x66) return (true, c - 0x57);
        if (c >= 0x41 && c <= 0x46) return (true, c - 0x37);
        return (false, 0);
    }
}
