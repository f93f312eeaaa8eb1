/**
 * Every time Sakshya shows is in India Standard Time (UTC+05:30 all year, no daylight saving): the command line, the
 * page and SMS name the same day for the same act, and machine output names the zone by its offset.
 */
export const TIME_ZONE = "Asia/Kolkata";
const IST_OFFSET_SECONDS = 5 * 3600 + 30 * 60;

/** Unix seconds as an ISO 8601 time to the second in IST (`2026-12-08T14:05:00+05:30`), or "-" for 0, the registries' "never". */
export function isoTime(unix: number): string {
  if (unix === 0) return "-";
  return new Date(Math.floor(unix + IST_OFFSET_SECONDS) * 1000).toISOString().replace(/\.\d{3}Z$/, "+05:30");
}

/** The day, in IST, that Unix seconds fall on (`2026-12-08`). */
export function isoDate(unix: number): string {
  return isoTime(unix).slice(0, 10);
}

/** Now, as {@link isoTime} writes it: for the times files and logs record. */
export function isoNow(): string {
  return isoTime(Date.now() / 1000);
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
