import type { Command } from "commander";
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

/** Prints a failure as one plain sentence (and as JSON with --json) and sets the exit code it calls for. */
export function reportFailure(error: unknown, out: Output): void {
  const known = error instanceof SakshyaError;
  const message = known ? error.message : `Unexpected failure: ${error instanceof Error ? error.message : String(error)}`;
  const exitCode = known ? error.exitCode : ExitCode.CouldNotRun;
  if (out.json) out.result({ error: { kind: known ? error.name : "Error", message, exitCode } }, []);
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
      context?.close();
    }
  };
}
