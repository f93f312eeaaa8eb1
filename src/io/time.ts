/** Unix seconds as an ISO 8601 time to the second (UTC), or "-" for 0, the registries' "never". */
export function isoTime(unix: number): string {
  return unix === 0 ? "-" : new Date(unix * 1000).toISOString().replace(".000Z", "Z");
}

/** Waits `ms`, or less if `signal` aborts first; leaves no listener behind either way. */
export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise<void>((resolve) => {
    if (signal.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener("abort", done, { once: true });
  });
}
