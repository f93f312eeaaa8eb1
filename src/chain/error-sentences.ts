/** A custom error's arguments as text, by parameter name. */
export type ErrorArgs = Record<string, string>;

/**
 * What a domain says about its contracts' custom errors: a sentence for each (by error name), and how its arguments
 * read (a ULPIN as text, a status by name). The revert decoder gathers every domain's book; no domain keeps another's.
 */
export interface ErrorSentences {
  /** Error names this book speaks for start with one of these. */
  readonly prefixes: readonly string[];
  readonly sentences: Readonly<Record<string, (args: ErrorArgs) => string>>;
  /** An argument as a person reads it, or undefined to leave it to the directory's terms or plain text. */
  describeArg?(name: string, type: string, value: unknown): string | undefined;
}
