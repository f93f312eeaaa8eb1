import { SakshyaError } from "../errors";
import type { Keccak } from "../hashing/keccak";
import type { RememberedManifest } from "./baseline";
import type { WebsiteClient } from "./client";
import { describeRelease, stopped, type ReleaseSummary, type SiteReport } from "./report";
import { checkServed, type HttpOptions } from "./verify";

/**
 * `alert`: the site differs from its current release (every check until it matches again); `restored`: it matches
 * again after alerts; `ok`: it matches; `unchecked`: this check could not tell (the site or the chain did not answer).
 */
export type MonitorEventKind = "alert" | "restored" | "ok" | "unchecked";

export interface MonitorEvent {
  readonly kind: MonitorEventKind;
  readonly check: number;
  /** Checks in a row that found the site tampered, this one included. */
  readonly streak: number;
  /** The release the monitor now checks against, when it changed on chain since the previous check. */
  readonly followed?: ReleaseSummary;
  readonly report: SiteReport;
}

export interface MonitorOptions extends HttpOptions {
  readonly intervalMs: number;
  /** Stop after this many checks (for scripts and tests); runs until `signal` aborts otherwise. */
  readonly maxChecks?: number;
  readonly signal?: AbortSignal;
}

/**
 * Checks the site every interval against whatever release is current on chain at that moment. The baseline is never
 * what the site served last: a manifest is remembered only once its hash matched the chain, so a defacer who also
 * replaces or deletes the manifest is still caught, and a newly published release is followed as soon as it is current.
 * A `--manifest` given by the verifier is the first check's baseline, and must be the current release's.
 */
export async function monitorSite(
  url: string,
  options: MonitorOptions,
  client: WebsiteClient,
  keccak: Keccak,
  onEvent: (event: MonitorEvent) => Promise<void> | void,
): Promise<MonitorEvent | undefined> {
  const remembered = new Map<string, RememberedManifest>();
  const uncovered = new Set<string>();
  let streak = 0;
  let previousRelease: number | undefined;
  let last: MonitorEvent | undefined;
  for (let check = 1; !options.signal?.aborted; check++) {
    const begun = Date.now();
    let report: SiteReport;
    try {
      const result = await checkServed(url, { ...options, manifest: check === 1 ? options.manifest : undefined, remembered, uncovered: [...uncovered] }, client, keccak);
      report = result.report;
      for (const f of report.files) if (f.state === "not-covered") uncovered.add(f.path);
      if (result.baseline) {
        const known = remembered.get(result.baseline.release.manifest);
        remembered.set(result.baseline.release.manifest, { manifest: result.baseline.manifest, text: result.baseline.text, served: known?.served || report.manifest?.state === "ok" });
      }
    } catch (error) {
      // The first check's mistakes (an unknown site, a wrong manifest) are the caller's; later a flaky chain is not.
      if (check === 1 || !(error instanceof SakshyaError)) throw error;
      report = stopped(url, last?.report.site ?? url, "unchecked", error.message.replace(/\.$/, "") + ".", begun);
    }
    streak = report.verdict === "tampered" ? streak + 1 : report.verdict === "clean" ? 0 : streak;
    const kind: MonitorEventKind =
      report.verdict === "tampered" ? "alert" : report.verdict === "unchecked" ? "unchecked" : last && last.streak > 0 ? "restored" : "ok";
    const releaseId = report.release?.id;
    const followed = releaseId !== undefined && previousRelease !== undefined && releaseId !== previousRelease ? report.release : undefined;
    if (releaseId !== undefined) previousRelease = releaseId;
    last = { kind, check, streak, followed, report };
    await onEvent(last);
    if (options.maxChecks !== undefined && check >= options.maxChecks) break;
    await pause(Math.max(0, options.intervalMs - (Date.now() - begun)), options.signal);
  }
  return last;
}

function pause(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener("abort", done);
      resolve();
    }
    signal?.addEventListener("abort", done, { once: true });
  });
}

/** The line a person watching the monitor reads for one check. */
export function monitorLines(event: MonitorEvent): string[] {
  const { report } = event;
  const at = report.checkedAt.replace(/\.\d+Z$/, "Z");
  const lines = event.followed ? [`${at} following ${describeRelease(event.followed)}, now current on chain`] : [];
  const timing = `(check ${event.check}, ${report.seconds.toFixed(2)} s)`;
  switch (event.kind) {
    case "alert":
      lines.push(`${at} ALERT ✗ ${report.summary} ${timing}${event.streak > 1 ? ` — ${event.streak} checks in a row` : ""}`);
      for (const f of [...(report.manifest ? [report.manifest] : []), ...report.files]) {
        if (f.state === "modified" || f.state === "missing" || f.state === "unexpected") lines.push(`    ✗ ${f.path}  ${f.state}${f.detail ? `: ${f.detail}` : ""}`);
      }
      for (const i of report.injected) lines.push(`    ✗ ${i.page}  injects ${i.kind} ${i.url}`);
      break;
    case "restored":
      lines.push(`${at} RESTORED ✓ ${report.summary} ${timing}`);
      break;
    case "unchecked":
      lines.push(`${at} ? ${report.summary} ${timing}`);
      break;
    case "ok":
      lines.push(`${at} ✓ ${report.summary} ${timing}`);
  }
  return lines;
}
