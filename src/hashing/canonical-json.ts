import { keccak256, toUtf8Bytes } from "ethers";

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/**
 * Canonical JSON: object keys sorted by code point, no whitespace, numbers as JSON prints them. Two parties that
 * hold the same data always produce the same bytes, and so the same hash.
 */
export function canonicalJson(value: JsonValue): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const keys = Object.keys(value).sort();
    return `{${keys.map((key) => `${JSON.stringify(key)}:${canonicalJson(value[key])}`).join(",")}}`;
  }
  if (typeof value === "number" && !Number.isFinite(value)) throw new TypeError("JSON has no infinite numbers");
  return JSON.stringify(value);
}

/** keccak256 of the canonical JSON bytes: how off-chain metadata is anchored on chain. */
export function hashJson(value: JsonValue): string {
  return keccak256(toUtf8Bytes(canonicalJson(value)));
}
