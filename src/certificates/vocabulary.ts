import { InputError } from "../errors";

/** Revocation and suspension reasons, in the order of `ICertificateRegistry.Reason`. */
export const REASONS = [
  "none",
  "other",
  "issued-in-error",
  "superseded",
  "withdrawn",
  "misconduct",
  "duplicate",
  "key-compromise",
  "court-order",
  "holder-request",
  "under-review",
] as const;
export type ReasonName = (typeof REASONS)[number];

/** Document statuses, in the order of `ICertificateRegistry.Status`. */
export const STATUSES = [
  "valid",
  "not-issued",
  "invalid-proof",
  "key-compromised",
  "issuer-offboarded",
  "issuer-suspended",
  "revoked",
  "superseded",
  "suspended",
  "expired",
] as const;
export type StatusName = (typeof STATUSES)[number];

/** What each status means to the person reading a verification. */
export const STATUS_SENTENCES: Record<StatusName, string> = {
  valid: "valid",
  "not-issued": "not issued by this registry",
  "invalid-proof": "its proof does not lead to the issued batch",
  "key-compromised": "signed by a key reported compromised before the batch was issued",
  "issuer-offboarded": "the issuer has been offboarded",
  "issuer-suspended": "the issuer is suspended",
  revoked: "revoked",
  superseded: "superseded by a corrected document",
  suspended: "suspended",
  expired: "expired",
};

/**
 * A status read earlier, as it stands at `now`: a document that was valid expires with time alone, no event marking
 * it. The registry's own rule (`_expired`: an expiry is set and the time has reached it), for readers of an index.
 */
export function statusAt(status: StatusName, expiresAt: number, now: number): StatusName {
  return status === "valid" && expiresAt !== 0 && now >= expiresAt ? "expired" : status;
}

export function reasonName(code: number): ReasonName | `reason#${number}` {
  return REASONS[code] ?? `reason#${code}`;
}

export function statusName(code: number): StatusName {
  const name = STATUSES[code];
  if (!name) throw new InputError(`The registry answered with an unknown status code ${code}.`);
  return name;
}

/** A reason a user may give for revoking ("superseded" comes only with a replacement, through supersede). */
export function parseReason(value: string, allowed: "revoke" | "suspend"): number {
  const code = REASONS.indexOf(value as ReasonName);
  const usable = REASONS.filter((r) => r !== "none" && (allowed === "suspend" || r !== "superseded"));
  if (code <= 0 || !usable.includes(value as ReasonName)) {
    throw new InputError(`Unknown reason "${value}"; use one of ${usable.join(", ")}.`);
  }
  return code;
}
