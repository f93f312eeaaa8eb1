/** Unix seconds as an ISO 8601 time to the second (UTC), or "-" for 0, the registries' "never". */
export function isoTime(unix: number): string {
  return unix === 0 ? "-" : new Date(unix * 1000).toISOString().replace(".000Z", "Z");
}
