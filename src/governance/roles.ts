import type { SuiteContractName } from "../config/deployments";

/** AccessManager's built-in roles. */
export const ADMIN_ROLE = 0n;
export const PUBLIC_ROLE = 2n ** 64n - 1n;

/**
 * The suite's named roles. The governor (the SBIC committee) also holds ADMIN_ROLE, with the same execution delay,
 * so role changes are as slow and as visible as rule changes. Whatever grants power waits out the governor's or the
 * operator's delay, during which the guardian can cancel it; whatever only takes power away is the responder's, at
 * once, so that a stolen key can be stopped faster than it can be used.
 */
export const ROLES = {
  governor: {
    id: 1n,
    label: "GOVERNOR",
    duty: "upgrades, unpausing, offboarding, revoking and restoring records, migration snapshots, validators, role administration (with ADMIN_ROLE); delayed",
  },
  operator: {
    id: 2n,
    label: "OPERATOR",
    duty: "granting power: onboarding, updating and reinstating organisations, adding keys and nodes, naming successors, assigning sites, lifting governance suspensions; delayed",
  },
  guardian: { id: 3n, label: "GUARDIAN", duty: "pausing, and cancelling scheduled governor and operator operations" },
  responder: {
    id: 4n,
    label: "RESPONDER",
    duty: "taking power away at once: suspending organisations, removing keys and nodes, reporting keys compromised, suspending certificates",
  },
} as const;

export type RoleName = keyof typeof ROLES;
export const ROLE_NAMES = Object.keys(ROLES) as RoleName[];

/** The validator contract in a Besu genesis of `besu generate`: who validates is the governor's decision. */
export const VALIDATOR_SET_ROLES: Partial<Record<RoleName, readonly string[]>> = { governor: ["addValidator", "removeValidator"] };

/**
 * Which role may call each restricted function of each governed contract. A function that can grant power belongs to
 * a delayed role; the responder's functions can only take it away.
 */
export const FUNCTION_ROLES: Record<Exclude<SuiteContractName, "SakshyaAuthority">, Record<RoleName, readonly string[]>> = {
  ParticipantDirectory: {
    governor: ["offboard", "backdateCompromise", "unpause", "upgradeToAndCall"],
    operator: ["onboard", "updateOrganisation", "setJurisdictions", "reinstate", "addAccount", "addNode", "setSuccessor"],
    guardian: ["pause"],
    responder: ["suspend", "removeAccount", "markAccountCompromised", "removeNode"],
  },
  // Issuers act on their own batches through the directory; these roles are governance's way in to the same functions.
  CertificateRegistry: {
    governor: ["revokeBatch", "revokeDocument", "revokeDocuments", "supersede", "restoreBatch", "restoreDocument", "affirmBatch", "unpause", "upgradeToAndCall"],
    operator: ["reinstateBatch", "reinstateDocuments"],
    guardian: ["pause"],
    responder: ["suspendBatch", "suspendDocuments"],
  },
  // Land moves only through the departments, courts and banks of the directory; governance anchors migration
  // snapshots and sets the clock, and cannot move land.
  LandRegistry: {
    governor: ["anchorSnapshot", "retireSnapshot", "setObjectionWindow", "setServiceLevel", "unpause", "upgradeToAndCall"],
    operator: [],
    guardian: ["pause"],
    responder: [],
  },
  // Sites are assigned by governance; their organisations publish. The governor may also revoke a release.
  WebsiteRegistry: {
    governor: ["reassignSite", "revoke", "affirmRelease", "unpause", "upgradeToAndCall"],
    operator: ["registerSite", "setThreshold"],
    guardian: ["pause"],
    responder: [],
  },
};

/**
 * The AccessManager's own functions that its admin (the governor) calls: every grant and revocation, guardian, delay
 * and permission change. The manager always restricts them to ADMIN or the role's admin, but its `cancel` lets the
 * guardian of a function's *target role* cancel: filed under GOVERNOR, whose guardian is the GUARDIAN, each becomes an
 * operation the guardian may cancel once the governor has scheduled it.
 */
export const AUTHORITY_VETOABLE = [
  "grantRole",
  "revokeRole",
  "setRoleAdmin",
  "setRoleGuardian",
  "setGrantDelay",
  "setTargetAdminDelay",
  "setTargetFunctionRole",
  "setTargetClosed",
  "updateAuthority",
] as const;

/** Roles whose scheduled operations the guardian may cancel. */
export const GUARDED_ROLES: readonly RoleName[] = ["governor", "operator"];

export function roleByName(name: string): (typeof ROLES)[RoleName] | undefined {
  return (ROLES as Record<string, (typeof ROLES)[RoleName]>)[name.toLowerCase()];
}

export function roleName(id: bigint): string {
  if (id === ADMIN_ROLE) return "ADMIN";
  if (id === PUBLIC_ROLE) return "PUBLIC";
  return Object.values(ROLES).find((role) => role.id === id)?.label ?? `ROLE#${id}`;
}
