import type { Command } from "commander";
import { evidenceHash } from "../hashing/evidence";

/** Options of a command that cites a document by text, file or hash; only the hash goes on chain. */
export type DocumentOptions = Record<string, string | undefined>;

const camel = (name: string) => name.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());

/** Adds `--<name> <text>`, `--<name>-file <file>` and `--<name>-hash <hash>` for the document `what`. */
export function withDocument(command: Command, name: string, what: string): Command {
  return command
    .option(`--${name} <text>`, `${what}, as text (only its hash goes on chain)`)
    .option(`--${name}-file <file>`, `${what}, as a file (only its hash goes on chain)`)
    .option(`--${name}-hash <hash>`, `hash of ${what} kept elsewhere`);
}

/** The hash of the document given through {@link withDocument}'s options; exactly one of them must be given. */
export function documentHash(options: DocumentOptions, name: string, what: string): string {
  const key = camel(name);
  return evidenceHash({ text: options[key], file: options[`${key}File`], hash: options[`${key}Hash`] }, what);
}
