import { ChainError, DeniedError, InputError, NotFoundError, SakshyaError } from "../errors";

/** One sentence and a status code: every refusal the service gives, and nothing else (no stack, no internals). */
export class ServiceError extends Error {
  constructor(
    readonly statusCode: number,
    message: string,
    /** Seconds before asking again is worth it (429, 503). */
    readonly retryAfter?: number,
    /** More for the caller to act on beside the sentence (an SMS gateway's reply to send). */
    readonly extra?: Readonly<Record<string, string>>,
  ) {
    super(message);
  }
}

/** The body of every refusal. */
export const errorBody = { type: "object", properties: { error: { type: "string" } }, required: ["error"] } as const;

/**
 * The status code of a domain error: what was asked for does not exist (404), was malformed (400), the chain could
 * not be reached to answer it (503). Any other failure is the service's own (500), and its message is not shown.
 */
export function statusOfDomainError(error: SakshyaError): number {
  if (error instanceof NotFoundError) return 404;
  if (error instanceof InputError) return 400;
  if (error instanceof ChainError) return 503;
  if (error instanceof DeniedError) return 422;
  return 500;
}
