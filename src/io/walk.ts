import fs from "node:fs";
import path from "node:path";
import { InputError } from "../errors";

/**
 * Something the walk passed over, and why: a FIFO, a socket, a device (reading one could block for ever), or — for a
 * walk that skips them — a symbolic link that loops, which leaves part of the folder unread.
 */
export type SkipNotice = (file: string, why: string, kind?: "special" | "loop") => void;

export interface WalkOptions {
  /** Skip a looping or broken symbolic link with a notice and walk on, rather than refuse the whole folder. */
  readonly skipLoops?: boolean;
}

/**
 * Every regular file under `dir`, by its path relative to `dir` (with "/" between parts), mapped to its real path.
 * The one folder walk of the tool: symbolic links are followed, to files and to folders, but a folder reached again
 * through a link below itself (a loop) is refused with the path that closes it; anything that is neither a file
 * nor a folder is skipped with a notice, never opened.
 */
export function walkFiles(dir: string, onSkip?: SkipNotice, options: WalkOptions = {}): Map<string, string> {
  const files = new Map<string, string>();
  let root: string;
  try {
    root = fs.realpathSync(dir);
    if (!fs.statSync(root).isDirectory()) throw new Error("not a folder");
  } catch {
    throw new InputError(`${dir} is not a readable folder.`);
  }
  const walk = (real: string, relative: string, ancestors: Set<string>) => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(real, { withFileTypes: true });
    } catch {
      throw new InputError(`Cannot read the folder ${path.join(dir, relative)}.`);
    }
    for (const entry of entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
      const childRelative = relative ? `${relative}/${entry.name}` : entry.name;
      let target = path.join(real, entry.name);
      if (entry.isSymbolicLink()) {
        try {
          target = fs.realpathSync(target);
        } catch {
          const why = "a broken or looping symbolic link";
          if (!options.skipLoops) throw new InputError(`${path.join(dir, childRelative)} is ${why}.`);
          onSkip?.(path.join(dir, childRelative), why, "loop");
          continue;
        }
      }
      let stat: fs.Stats;
      try {
        stat = fs.statSync(target);
      } catch {
        throw new InputError(`Cannot read ${path.join(dir, childRelative)}.`);
      }
      if (stat.isDirectory()) {
        if (ancestors.has(target)) {
          if (!options.skipLoops) throw new InputError(`${path.join(dir, childRelative)} links back to a folder above it: a symbolic-link loop.`);
          onSkip?.(path.join(dir, childRelative), "it links back to a folder above it (a symbolic-link loop); not followed", "loop");
          continue;
        }
        walk(target, childRelative, new Set([...ancestors, target]));
      } else if (stat.isFile()) {
        files.set(childRelative, target);
      } else {
        onSkip?.(path.join(dir, childRelative), "not a regular file", "special");
      }
    }
  };
  walk(root, "", new Set([root]));
  return files;
}

/**
 * The files a command was given: each argument a file, or a folder walked by {@link walkFiles} and filtered by
 * `wanted`. Every file is counted once, however many paths (links, repeated arguments) lead to it.
 */
export function collectFiles(targets: readonly string[], wanted: (relative: string) => boolean, onSkip?: SkipNotice, options: WalkOptions = {}): string[] {
  const byRealPath = new Map<string, string>();
  for (const target of targets) {
    let stat: fs.Stats;
    try {
      stat = fs.statSync(target);
    } catch {
      throw new InputError(`"${target}" does not exist.`);
    }
    if (stat.isDirectory()) {
      for (const [relative, real] of walkFiles(target, onSkip, options)) if (wanted(relative) && !byRealPath.has(real)) byRealPath.set(real, path.join(target, relative));
    } else if (stat.isFile()) {
      const real = fs.realpathSync(target);
      if (!byRealPath.has(real)) byRealPath.set(real, target);
    } else {
      throw new InputError(`"${target}" is not a regular file or a folder.`);
    }
  }
  return [...byRealPath.values()];
}
