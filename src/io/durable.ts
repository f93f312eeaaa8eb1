import fs from "node:fs";
import path from "node:path";
import lockfile from "proper-lockfile";
import writeFileAtomic from "write-file-atomic";
import { SakshyaError } from "../errors";

/**
 * Replaces a file's contents so that a crash at any moment leaves either the old contents or the new, never a mix:
 * written to a temporary file, flushed to the disk (fsync), then renamed over the old one.
 */
export function writeDurably(file: string, text: string, mode?: number): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  writeFileAtomic.sync(file, text, { fsync: true, mode });
}

/** Appends a line and waits until it is on the disk, so what it records survives a power cut. */
export function appendDurably(file: string, line: string): void {
  const fd = fs.openSync(file, "a");
  try {
    fs.writeSync(fd, line);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

/** Another process holds a lock longer than this one may wait. */
export class LockTimeoutError extends SakshyaError {
  override readonly name = "LockTimeoutError";
}

/**
 * Holds an exclusive lock on `file` (which need not exist) between processes of this machine, waiting up to
 * `waitMs` for another holder to finish; `busy` is the sentence when it does not. A holder that died leaves a
 * lock that goes stale after 10 s and is taken over (proper-lockfile refreshes a live holder's lock meanwhile).
 */
export async function acquireLock(file: string, waitMs: number, busy: string): Promise<() => Promise<void>> {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const started = Date.now();
  for (;;) {
    try {
      return await lockfile.lock(file, { realpath: false, stale: 10_000, update: 2_000 });
    } catch (error) {
      if ((error as { code?: string }).code !== "ELOCKED") throw error;
      if (Date.now() - started >= waitMs) throw new LockTimeoutError(busy);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}
