import type { ErrorSentences } from "../chain/error-sentences";
import { reasonName } from "./vocabulary";

/** The certificate registry's errors; a reason reads by its name. */
export const CERTIFICATE_ERRORS: ErrorSentences = {
  prefixes: ["CertificateRegistry"],
  describeArg: (name, type, value) => (name === "reason" && type === "uint8" ? reasonName(Number(value)) : undefined),
  sentences: {
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
    CertificateRegistryCodeSlotTaken: (a) =>
      `batch ${a.root} of organisation ${a.issuerOrgId} already holds short-code slot ${a.slot}; build the batch again (new salts give it another slot)`,
    CertificateRegistryBatchNotVoided: (a) =>
      `batch ${a.root} of organisation ${a.issuerOrgId} was not voided by a compromised key (or was affirmed already): there is nothing to affirm`,
    CertificateRegistryZeroDirectory: () => "the registry needs the participant directory's address",
    CertificateRegistryInvalidReplacement: (a) =>
      `document ${a.index} of batch ${a.root} cannot be the replacement: it must be issued, unmarked, another document and from the same issuer`,
  },
};
