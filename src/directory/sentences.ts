import type { ErrorSentences } from "../chain/error-sentences";
import { capabilityNames, statusName } from "./vocabulary";
import { isoTime } from "../io/time";

/** A directory jurisdiction as a person reads it: land codes carry a district and maybe a block. */
export function describeJurisdiction(code: number): string {
  if (code < 0x10000) return String(code);
  const district = Math.floor(code / 0x10000);
  const block = code % 0x10000;
  return block === 0 ? `district ${district}` : `district ${district}, block ${block}`;
}

/**
 * The participant directory's errors. Its terms (an organisation's status, capabilities, a jurisdiction) are also
 * how any registry's error that names them reads.
 */
export const DIRECTORY_ERRORS: ErrorSentences = {
  prefixes: ["ParticipantDirectory"],
  describeArg(name, _type, value) {
    if (name === "jurisdiction") return `jurisdiction ${describeJurisdiction(Number(value))}`;
    if (name === "status") return statusName(Number(value));
    if (name === "capability" || name === "capabilities") return capabilityNames(Number(value)).join("+") || String(value);
    if (name === "cutoff" || name === "earliest") return isoTime(Number(value));
    return undefined;
  },
  sentences: {
    ParticipantDirectoryUnknownOrganisation: (a) => `no organisation has id ${a.orgId}`,
    ParticipantDirectoryUnknownCode: (a) => `no organisation has code "${a.code}"`,
    ParticipantDirectoryCodeTaken: (a) => `organisation ${a.orgId} already uses code "${a.code}"`,
    ParticipantDirectoryEmptyCode: () => "the organisation code is empty",
    ParticipantDirectoryEmptyHash: () => "a metadata or reason hash must not be zero",
    ParticipantDirectoryUnknownCapabilities: (a) => `capability mask ${a.capabilities} has undefined bits`,
    ParticipantDirectoryDuplicateJurisdiction: (a) => `jurisdiction ${a.jurisdiction} is listed twice`,
    ParticipantDirectoryTooManyJurisdictions: (a) => `${a.count} jurisdictions is more than the ${a.max} allowed`,
    ParticipantDirectoryUnexpectedStatus: (a) => `organisation ${a.orgId} is ${a.status}, which does not allow this`,
    ParticipantDirectoryZeroAccount: () => "the zero address cannot be an account",
    ParticipantDirectoryAccountAlreadyActive: (a) => `account ${a.account} is already an active key of organisation ${a.orgId}`,
    ParticipantDirectoryAccountBoundElsewhere: (a) => `account ${a.account} belongs to organisation ${a.orgId}; keys never move between organisations`,
    ParticipantDirectoryAccountIsCompromised: (a) => `account ${a.account} was reported compromised (cut-off ${a.cutoff}) and can never be used again`,
    ParticipantDirectoryUnknownAccount: (a) => `account ${a.account} is not in the directory`,
    ParticipantDirectoryAccountInactive: (a) => `account ${a.account} is not active`,
    ParticipantDirectoryInvalidCutoff: (a) => `compromise cut-off ${a.cutoff} must be a past time (and, moved by governance, earlier than the one reported)`,
    ParticipantDirectoryCutoffTooEarly: (a) =>
      `a report dates a cut-off at most 72 hours back, so not before ${a.earliest}; an earlier cut-off, voiding what the key signed before, is the governor's decision (org backdate-compromise)`,
    ParticipantDirectoryAccountNotCompromised: (a) => `account ${a.account} was never reported compromised: report it first (org compromise-account)`,
    ParticipantDirectoryOrganisationInactive: (a) => `organisation ${a.orgId} is ${a.status}`,
    ParticipantDirectoryMissingCapability: (a) => `organisation ${a.orgId} lacks capability ${a.capability}`,
    ParticipantDirectoryOutsideJurisdiction: (a) => `organisation ${a.orgId} does not act in ${a.jurisdiction}`,
    ParticipantDirectoryInvalidEnode: () => "the enode id is zero",
    ParticipantDirectoryInvalidHost: () => "the node host is empty or too long",
    ParticipantDirectoryInvalidPort: () => "the node port is zero",
    ParticipantDirectoryNodeAlreadyRegistered: (a) => `node ${a.nodeId} is already registered`,
    ParticipantDirectoryUnknownNode: (a) => `no node has id ${a.nodeId}`,
    ParticipantDirectoryInvalidSuccessor: (a) => `organisation ${a.successor} cannot succeed organisation ${a.orgId}`,
    ParticipantDirectoryTooManyAccounts: (a) => `organisation ${a.orgId} has used all 65,535 key numbers`,
  },
};
