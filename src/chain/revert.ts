import { Interface, isHexString, type ErrorDescription, type InterfaceAbi } from "ethers";
import {
  CertificateRegistry__factory,
  ILandRegistry__factory,
  ParticipantDirectory__factory,
  SakshyaAuthority__factory,
  WebsiteRegistry__factory,
  ValidatorSet__factory,
  NodePermissions__factory,
} from "../../typechain-types";
import { reasonName } from "../certificates/vocabulary";
import { capabilityNames, statusName } from "../directory/vocabulary";
import { RevertError } from "../errors";
import { LAND_SENTENCES, describeJurisdiction, describeLandArg } from "../land/sentences";
import { WEBSITE_SENTENCES, describeWebsiteArg } from "../websites/sentences";

type Args = Record<string, string>;

/** Human sentences for the custom errors a user most often meets; anything else prints as `Name(arg=value)`. */
const SENTENCES: Record<string, (a: Args) => string> = {
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
  ParticipantDirectoryInvalidCutoff: (a) => `compromise cut-off ${a.cutoff} must be a past time`,
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
  CertificateRegistryEmptyRoot: () => "the batch root is empty",
  CertificateRegistryInvalidDocumentCount: (a) => `a batch holds 1 to 16,777,215 documents, not ${a.documentCount}`,
  CertificateRegistryInvalidExpiry: (a) => `expiry ${a.expiresAt} is not in the future`,
  CertificateRegistryAlreadyIssued: (a) => `organisation ${a.issuerOrgId} already issued batch ${a.root} (signed by ${a.signer} at ${a.issuedAt})`,
  CertificateRegistryUnknownBatch: (a) => `organisation ${a.issuerOrgId} issued no batch with root ${a.root} in this registry`,
  CertificateRegistryIndexOutOfRange: (a) => `batch ${a.root} has ${a.documentCount} documents, so index ${a.index} does not exist`,
  CertificateRegistryNotIssuer: (a) => `${a.caller} is neither an active key of organisation ${a.issuerOrgId}, which issued the batch, nor a governance role`,
  CertificateRegistryInvalidReason: (a) => `reason "${a.reason}" cannot be given here`,
  CertificateRegistryBatchRevoked: (a) => `batch ${a.root} is revoked; nothing in it can change any more`,
  CertificateRegistryBatchSuspended: (a) => `batch ${a.root} is already suspended`,
  CertificateRegistryBatchNotSuspended: (a) => `batch ${a.root} is not suspended`,
  CertificateRegistryDocumentRevoked: (a) => `document ${a.index} of batch ${a.root} is already revoked`,
  CertificateRegistryDocumentSuspended: (a) => `document ${a.index} of batch ${a.root} is already suspended`,
  CertificateRegistryDocumentNotSuspended: (a) => `document ${a.index} of batch ${a.root} is not suspended`,
  CertificateRegistryDocumentNotRevoked: (a) => `document ${a.index} of batch ${a.root} is not revoked, so there is nothing to restore`,
  CertificateRegistryBatchNotRevoked: (a) => `batch ${a.root} is not revoked, so there is nothing to restore`,
  CertificateRegistrySuspendedByGovernance: (a) =>
    `${a.index === (2n ** 256n - 1n).toString() ? `batch ${a.root}` : `document ${a.index} of batch ${a.root}`} was suspended by governance; only governance lifts it`,
  CertificateRegistryEmptySelection: () => "no document was selected",
  CertificateRegistryInvalidRange: (a) => `a status range holds 1 to 16,777,215 documents from an index below that, not ${a.count} from ${a.first}`,
  CertificateRegistryZeroDirectory: () => "the registry needs the participant directory's address",
  CertificateRegistryInvalidReplacement: (a) =>
    `document ${a.index} of batch ${a.root} cannot be the replacement: it must be issued, unmarked, another document and from the same issuer`,
  AccessManagedUnauthorized: (a) => `account ${a.caller} holds no role allowed to call this function`,
  AccessManagerUnauthorizedAccount: (a) => `account ${a.msgsender} does not hold role ${a.roleId}`,
  AccessManagerUnauthorizedCall: (a) => `account ${a.caller} may not call ${a.selector} on ${a.target}`,
  AccessManagerUnauthorizedCancel: (a) => `account ${a.msgsender} may not cancel this operation`,
  AccessManagerNotScheduled: (a) => `operation ${a.operationId} is not scheduled`,
  AccessManagerNotReady: (a) => `operation ${a.operationId} is scheduled but its delay has not passed yet`,
  AccessManagerExpired: (a) => `operation ${a.operationId} expired before it was executed`,
  AccessManagerAlreadyScheduled: (a) => `operation ${a.operationId} is already scheduled`,
  AccessManagerLockedRole: (a) => `role ${a.roleId} cannot be changed`,
  EnforcedPause: () => "the contract is paused",
  ExpectedPause: () => "the contract is not paused",
  ValidatorSetNotBootstrap: (a) => `only the bootstrap account written into the genesis may bind the validator set, not ${a.caller}`,
  ValidatorSetAlreadyBound: () => "the validator set is already bound",
  ValidatorSetZeroAddress: () => "binding the validator set needs the authority's and the directory's addresses",
  ValidatorSetNodeNotAllowed: (a) => `node ${a.nodeId} is not a validator node the directory allows`,
  ValidatorSetNotInDirectory: (a) => `genesis validator ${a.validator} has no validator node in the directory; register it first`,
  ValidatorSetAlreadyValidator: (a) => `${a.validator} is already a validator`,
  ValidatorSetUnknownValidator: (a) => `${a.validator} is not a validator`,
  ValidatorSetLastValidator: (a) => `${a.validator} is the last validator; without one the chain stops`,
  ValidatorSetNotPrunable: (a) =>
    `the node of ${a.validator} is still in the directory with an organisation that has not left (a suspension does not count); remove it through governance instead`,
  ValidatorSetAtMinimum: (a) => `pruning ${a.validator} would leave fewer than the minimum of ${a.minimum} validators (now ${a.count}); only governance may go below it`,
  BesuPermissionsNotBootstrap: (a) => `only the bootstrap account written into the genesis may bind the permissioning contracts, not ${a.caller}`,
  BesuPermissionsAlreadyBound: () => "the permissioning contract is already bound",
  BesuPermissionsZeroAddress: () => "binding the permissioning contract needs the authority's and the directory's addresses",
  ...LAND_SENTENCES,
  ...WEBSITE_SENTENCES,
};

let suiteErrors: Interface | undefined;

/** One interface holding every custom error the suite's contracts (and what they inherit) can raise. */
export function suiteErrorInterface(): Interface {
  if (!suiteErrors) {
    const abis: InterfaceAbi[] = [
      ParticipantDirectory__factory.abi,
      SakshyaAuthority__factory.abi,
      CertificateRegistry__factory.abi,
      ILandRegistry__factory.abi,
      WebsiteRegistry__factory.abi,
      ValidatorSet__factory.abi,
      NodePermissions__factory.abi,
    ];
    const seen = new Set<string>();
    const fragments = abis
      .flatMap((abi) => new Interface(abi).fragments)
      .filter((f) => f.type === "error" && !seen.has(f.format()) && seen.add(f.format()));
    suiteErrors = new Interface(fragments);
  }
  return suiteErrors;
}

/** Finds revert data in whatever shape ethers, Hardhat or a JSON-RPC node wrapped it. */
export function findRevertData(error: unknown, depth = 0): string | undefined {
  if (depth > 6 || error === null || typeof error !== "object") return undefined;
  const record = error as Record<string, unknown>;
  const data = record.data;
  if (typeof data === "string" && isHexString(data) && data.length >= 10) return data;
  for (const key of ["data", "error", "info", "cause", "revert", "payload"]) {
    const found = findRevertData(record[key], depth + 1);
    if (found) return found;
  }
  return undefined;
}

function describeArgs(description: ErrorDescription): Args {
  const args: Args = {};
  const land = description.name.startsWith("LandRegistry");
  const website = description.name.startsWith("WebsiteRegistry");
  description.fragment.inputs.forEach((input, i) => {
    const value: unknown = description.args[i];
    const special = land ? describeLandArg(input.name, input.type, value) : website ? describeWebsiteArg(input.name, value) : undefined;
    if (special !== undefined) args[input.name] = special;
    else if (input.name === "jurisdiction") args[input.name] = `jurisdiction ${describeJurisdiction(Number(value))}`;
    else if (input.name === "status") args[input.name] = statusName(Number(value));
    else if (input.name === "reason" && input.type === "uint8") args[input.name] = reasonName(Number(value));
    else if (input.name === "capability" || input.name === "capabilities") {
      args[input.name] = capabilityNames(Number(value)).join("+") || String(value);
    } else args[input.name] = String(value);
  });
  return args;
}

/** Turns a failed call into a {@link RevertError} naming the custom error, or returns undefined if it was not a revert. */
export function decodeRevert(error: unknown): RevertError | undefined {
  const data = findRevertData(error);
  if (!data) return undefined;
  const description = suiteErrorInterface().parseError(data);
  if (!description) {
    return new RevertError(`The contract refused the call with unrecognised data ${data.slice(0, 74)}.`, "Unknown", {});
  }
  const args = describeArgs(description);
  const sentence = SENTENCES[description.name];
  const detail = sentence
    ? sentence(args)
    : `${description.name}(${Object.entries(args).map(([k, v]) => `${k}=${v}`).join(", ")})`;
  return new RevertError(`The contract refused: ${detail} (${description.name}).`, description.name, args);
}
