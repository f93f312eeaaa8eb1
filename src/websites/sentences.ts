import type { ErrorSentences } from "../chain/error-sentences";
import { releaseStatusName } from "./vocabulary";

/** How a website error's arguments read: release statuses by name. */
function describeWebsiteArg(name: string, value: unknown): string | undefined {
  return name === "status" ? releaseStatusName(Number(value)) : undefined;
}

/** Sentences for the website registry's custom errors. */
export const WEBSITE_ERRORS: ErrorSentences = {
  prefixes: ["WebsiteRegistry"],
  describeArg: (name, _type, value) => describeWebsiteArg(name, value),
  sentences: {
    WebsiteRegistryUnknownSite: (a) => `no site ${a.siteId} is registered`,
    WebsiteRegistrySiteExists: (a) => `site ${a.siteId} is already registered to organisation ${a.orgId}`,
    WebsiteRegistryEmptyValue: () => "a site, root, manifest hash or version is missing",
    WebsiteRegistryInvalidThreshold: (a) => `a release needs 1 to 32 approvals, not ${a.threshold}`,
    WebsiteRegistryOrganisationCannotPublish: (a) => `organisation ${a.orgId} is not active with the publish-websites capability`,
    WebsiteRegistryNotSiteOwner: (a) => `the site belongs to organisation ${a.owner}, not to organisation ${a.caller}`,
    WebsiteRegistryEmptyRelease: () => "a release lists at least one file",
    WebsiteRegistryDuplicateRoot: (a) => `this manifest root is already release ${a.releaseId} of the site`,
    WebsiteRegistryUnknownRelease: (a) => `the site has no release ${a.releaseId}`,
    WebsiteRegistryUnexpectedStatus: (a) => `release ${a.releaseId} is ${a.status}, which does not allow this`,
    WebsiteRegistryAlreadyApproved: (a) => `${a.account} already approved release ${a.releaseId}`,
    WebsiteRegistryAlreadyCurrent: (a) => `release ${a.releaseId} is already current`,
    WebsiteRegistryMissingReason: () => "a revocation needs a reason",
    WebsiteRegistryNotAuthorized: (a) => `${a.caller} is neither a key of the site's organisation nor a governance role`,
    WebsiteRegistryThresholdUnreachable: (a) => `${a.threshold} approvals could never be given: the organisation has ${a.activeKeys} active keys`,
    WebsiteRegistryReleaseOfAnotherOrganisation: (a) =>
      `release ${a.releaseId} was published by organisation ${a.orgId}, which no longer holds the site: its approvals no longer count and cannot be added to; publish it again`,
    WebsiteRegistryReleaseNotVoided: (a) => `nothing of release ${a.releaseId} was voided by a compromised key (or it was affirmed already): there is nothing to affirm`,
    WebsiteRegistryMissingDecision: () => "an affirmation needs the hash of the decision behind it",
    WebsiteRegistryTooFewApprovals: (a) => `release ${a.releaseId} has ${a.counted} approvals that count, and needs ${a.needed}`,
  },
};
