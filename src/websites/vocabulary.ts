import { InputError } from "../errors";

/** Release statuses, in the order of `IWebsiteRegistry.ReleaseStatus`. */
export const RELEASE_STATUSES = ["none", "pending", "approved", "revoked"] as const;
export type ReleaseStatusName = (typeof RELEASE_STATUSES)[number];

/** Revocation reasons, in the order of `IWebsiteRegistry.RevocationReason`. */
export const REVOCATION_REASONS = ["none", "key-compromise", "tampered", "published-in-error", "defective", "other"] as const;
export type RevocationReasonName = (typeof REVOCATION_REASONS)[number];

/** How a release became current, in the order of `IWebsiteRegistry.Activation`. */
export const ACTIVATIONS = ["published", "approved", "rolled-back"] as const;

export function releaseStatusName(code: bigint | number): ReleaseStatusName {
  const name = RELEASE_STATUSES[Number(code)];
  if (name === undefined) throw new InputError(`The registry answered with an unknown release status ${code}.`);
  return name;
}

export function revocationReasonName(code: bigint | number): RevocationReasonName {
  return REVOCATION_REASONS[Number(code)] ?? "other";
}

export function parseRevocationReason(value: string): number {
  const code = REVOCATION_REASONS.indexOf(value as RevocationReasonName);
  if (code <= 0) throw new InputError(`Unknown reason "${value}"; use one of ${REVOCATION_REASONS.slice(1).join(", ")}.`);
  return code;
}
