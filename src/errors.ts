/**
 * Typed errors with a one-sentence human message and the exit code a script can trust:
 * 0 success, 1 the answer is "no" / invalid, 2 could not run (bad input, RPC unreachable, wrong chain).
 */
export const ExitCode = { Ok: 0, No: 1, CouldNotRun: 2 } as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

export class SakshyaError extends Error {
  readonly exitCode: ExitCode = ExitCode.CouldNotRun;
  override readonly name: string = "SakshyaError";
}

/** The user gave something malformed, unknown or contradictory; nothing was sent. */
export class InputError extends SakshyaError {
  override readonly name: string = "InputError";
}

/** The chain could not be reached, or it is not the chain the deployment file describes. */
export class ChainError extends SakshyaError {
  override readonly name = "ChainError";
}

/** A contract refused the call; `errorName` and `args` are its decoded custom error. */
export class RevertError extends SakshyaError {
  override readonly name = "RevertError";
  constructor(
    message: string,
    readonly errorName: string,
    readonly args: Record<string, string>,
  ) {
    super(message);
  }
}

/** The question had a definite answer, and it is "no". */
export class DeniedError extends SakshyaError {
  override readonly exitCode = ExitCode.No;
  override readonly name = "DeniedError";
}

/** What was asked for does not exist (no such parcel, organisation, batch): bad input to a command, 404 to a client. */
export class NotFoundError extends InputError {
  override readonly name = "NotFoundError";
}
