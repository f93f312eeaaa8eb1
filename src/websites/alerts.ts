import fs from "node:fs";
import type { MonitorEvent } from "./monitor";

/** What a log line and a webhook carry: the event and the findings that are not "ok". */
export function alertPayload(event: MonitorEvent): Record<string, unknown> {
  const { report } = event;
  const findings = [...(report.manifest ? [report.manifest] : []), ...report.files].filter((f) => f.state !== "ok");
  return {
    event: event.kind,
    site: report.site,
    target: report.target,
    check: event.check,
    streak: event.streak,
    verdict: report.verdict,
    summary: report.summary,
    release: report.release,
    followed: event.followed,
    findings,
    injected: report.injected,
    checkedAt: report.checkedAt,
    seconds: report.seconds,
  };
}

/**
 * Where a monitor's events go besides the terminal: every event as one JSON line in a log file, and alerts and
 * restorations POSTed as JSON to a webhook. A webhook that fails is reported and the monitor goes on.
 */
export class AlertSinks {
  constructor(
    private readonly options: { readonly logFile?: string; readonly webhook?: string; readonly timeoutMs?: number },
    private readonly warn: (message: string) => void,
  ) {}

  async deliver(event: MonitorEvent): Promise<void> {
    const payload = alertPayload(event);
    if (this.options.logFile) fs.appendFileSync(this.options.logFile, `${JSON.stringify(payload)}\n`);
    if (this.options.webhook && (event.kind === "alert" || event.kind === "restored")) {
      try {
        const response = await fetch(this.options.webhook, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify(payload),
          signal: AbortSignal.timeout(this.options.timeoutMs ?? 10_000),
        });
        await response.body?.cancel();
        if (!response.ok) this.warn(`The webhook answered ${response.status}; the alert is in the log and on screen.`);
      } catch (error) {
        this.warn(`The webhook could not be reached (${error instanceof Error ? error.message : String(error)}); the alert is in the log and on screen.`);
      }
    }
  }
}
