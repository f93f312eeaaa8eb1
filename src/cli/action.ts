import type { Command } from "commander";
import { OutcomeUnknownError } from "../chain/sender";
import { ExitCode, SakshyaError } from "../errors";
import { CommandContext, type GlobalOptions } from "./context";
import { Output } from "./output";

export interface ActionIo {
  readonly out: Output;
  readonly global: GlobalOptions;
  /** Connects to the deployment's chain (once); commands that need no chain never call it. */
  open(): Promise<CommandContext>;
}

export type Handler<O> = (io: ActionIo, args: string[], options: O) => Promise<ExitCode | void>;

/**
 * Hides a 64-digit hex string the user typed (a private key pasted where a file, an address or an index belongs)
 * wherever an error echoes it back as input: inside quotes, the way every sentence of the tool quotes what was
 * typed, or bare, without the 0x the tool gives every hash it prints. A hash typed where a hash belongs (a root, a
 * deed) and named unquoted in a sentence about it stays readable.
 */
export function hideTypedSecrets(message: string, argv: readonly string[] = process.argv.slice(2)): string {
  const typed = new Set(argv.flatMap((arg) => arg.match(/[0-9a-fA-F]{64}/g) ?? []).map((hex) => hex.toLowerCase()));
  if (typed.size === 0) return message;
  const hide = (text: string, bareOnly: boolean) =>
    text.replace(/(0x)?([0-9a-fA-F]{64})/g, (hex, prefix: string | undefined, digits: string) =>
      typed.has(digits.toLowerCase()) && (!bareOnly || prefix === undefined) ? `${prefix ?? ""}[64 hex digits, not shown]` : hex,
    );
  return hide(message, true).replace(/"[^"\n]*"|'[^'\n]*'/g, (quoted) => hide(quoted, false));
}

const FILE_PROBLEMS: Record<string, string> = {
  ENOENT: "it, or a folder on its path, does not exist",
  ENOTDIR: "a part of its path is a file, not a folder",
  EISDIR: "it is a folder, not a file",
  EEXIST: "it already exists",
  EACCES: "permission denied",
  EPERM: "permission denied",
  ENOSPC: "the disk is full",
  EROFS: "the file system is read-only",
  ENAMETOOLONG: "the name is too long",
  ELOOP: "its symbolic links loop",
};

/** A failed file-system call as one sentence naming the path and what was wrong with it, or undefined. */
function fileProblem(error: unknown): string | undefined {
  const { code, path: file } = (error ?? {}) as NodeJS.ErrnoException;
  const problem = code === undefined ? undefined : FILE_PROBLEMS[code];
  if (problem === undefined || file === undefined) return undefined;
  return `Could not use "${file}": ${problem}.`;
}

/** Prints a failure as one plain sentence (and as JSON with --json) and sets the exit code it calls for. */
export function reportFailure(error: unknown, out: Output): void {
  const known = error instanceof SakshyaError;
  const sentence = known ? error.message : (fileProblem(error) ?? `Unexpected failure: ${error instanceof Error ? error.message : String(error)}`);
  const message = hideTypedSecrets(sentence);
  const exitCode = known ? error.exitCode : ExitCode.CouldNotRun;
  const transaction = error instanceof OutcomeUnknownError ? { transactionHash: error.transactionHash, outcome: "unknown" } : {};
  if (out.json) out.result({ error: { kind: known ? error.name : "Error", message, exitCode, ...transaction } }, []);
  process.stderr.write(`error: ${message}\n`);
  if (!known && process.env.SAKSHYA_DEBUG && error instanceof Error) process.stderr.write(`${error.stack}\n`);
  process.exitCode = exitCode;
}

/** Adapts a handler to commander: gathers arguments and global options, runs it, maps errors to exit codes. */
export function action<O>(handler: Handler<O>): (...raw: unknown[]) => Promise<void> {
  return async (...raw) => {
    const command = raw[raw.length - 1] as Command;
    const options = raw[raw.length - 2] as O;
    const args = raw.slice(0, -2) as string[];
    const global = command.optsWithGlobals<GlobalOptions>();
    const out = new Output(Boolean(global.json));
    let context: CommandContext | undefined;
    try {
      const code = await handler({ out, global, open: async () => (context ??= await CommandContext.open(global)) }, args, options);
      process.exitCode = code ?? ExitCode.Ok;
    } catch (error) {
      reportFailure(error, out);
    } finally {
      await context?.close();
    }
  };
}
