import type { ErrorSentences } from "../chain/error-sentences";

/** The errors of OpenZeppelin's AccessManager and AccessManaged, and of pausing, as the suite's governance meets them. */
export const GOVERNANCE_ERRORS: ErrorSentences = {
  prefixes: ["AccessManage", "EnforcedPause", "ExpectedPause", "ScheduledOperationExecutor"],
  sentences: {
    AccessManagedUnauthorized: (a) => `account ${a.caller} holds no role allowed to call this function`,
    AccessManagerUnauthorizedAccount: (a) => `account ${a.msgsender} does not hold role ${a.roleId}`,
    AccessManagerUnauthorizedCall: (a) => `account ${a.caller} may not call ${a.selector} on ${a.target}`,
    AccessManagerUnauthorizedCancel: (a) => `account ${a.msgsender} may not cancel this operation`,
    AccessManagerNotScheduled: (a) => `operation ${a.operationId} is not scheduled`,
    AccessManagerNotReady: (a) => `operation ${a.operationId} is scheduled but its delay has not passed yet`,
    AccessManagerExpired: (a) => `operation ${a.operationId} expired before it was executed`,
    AccessManagerAlreadyScheduled: (a) => `operation ${a.operationId} is already scheduled`,
    AccessManagerLockedRole: (a) => `role ${a.roleId} cannot be changed`,
    ScheduledOperationExecutorZeroManager: () => "the executor module needs the suite's AccessManager",
    ScheduledOperationExecutorNotScheduled: (a) => `the committee has no operation ${a.operationId} waiting: it was never scheduled, or was executed, cancelled or has expired`,
    ScheduledOperationExecutorNotReady: (a) => `operation ${a.operationId} may run after ${a.readyAt}, not before`,
    EnforcedPause: () => "the contract is paused",
    ExpectedPause: () => "the contract is not paused",
  },
};
