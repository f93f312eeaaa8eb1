import type { WriteResult } from "../chain/contract-client";
import { printable } from "../io/printable";
import type { SkipNotice } from "../io/walk";
import type { Outcome } from "../governance/governed";
import { isoTime } from "../io/time";

type Printable = object;

/** Human lines by default, one JSON document with `--json`; bigints print as decimal strings. */
export class Output {
  constructor(readonly json: boolean) {}

  /**
   * Prints `data` as JSON, or the human `lines`. Every line goes through {@link printable}: a name holding a newline
   * or a terminal escape cannot forge a line of the report.
   */
  result(data: Printable, lines: string[]): void {
    if (this.json) process.stdout.write(`${JSON.stringify(data, (_, v: unknown) => (typeof v === "bigint" ? v.toString() : v), 2)}\n`);
    else if (lines.length > 0) process.stdout.write(`${lines.map(printable).join("\n")}\n`);
  }

  /** Human lines only (nothing in JSON mode), printed as {@link result} prints them. */
  lines(lines: string[]): void {
    if (!this.json) this.result({}, lines);
  }

  /** Reports a governance write: done now (with its transaction), scheduled (with its operation id), or proposed. */
  outcome(what: string, outcome: Outcome, extra: Record<string, unknown> = {}): void {
    if (outcome.status === "proposed") {
      const { file, role, safe, nonce, safeTxHash, threshold, delayed, title } = outcome;
      this.result({ status: "proposed", file, role, safe, nonce, safeTxHash, threshold, delayed, title, ...extra }, [
        `📝 Proposed to the ${role.toUpperCase()} committee (Safe ${safe}, nonce ${nonce}): ${title}. Nothing was sent; the proposal is ${file}.`,
        `   ${threshold} member${threshold === 1 ? "" : "s"} must sign it: "sakshya committee show ${file}", then "sakshya committee sign ${file}" each; anyone then runs "sakshya committee execute ${file}".`,
        ...(delayed ? ["   Executed, it is scheduled: it takes effect after the role's delay, unless the guardian cancels it."] : []),
      ]);
      return;
    }
    const tx = { transaction: outcome.receipt.hash, block: outcome.receipt.blockNumber };
    if (outcome.status === "executed") {
      this.result({ status: "executed", ...extra, ...tx }, [`✓ ${what} (tx ${tx.transaction}, block ${tx.block})`]);
    } else {
      const when = isoTime(outcome.executableAt);
      this.result(
        { status: "scheduled", operationId: outcome.operationId, executableAt: outcome.executableAt, ...extra, ...tx },
        [
          `⏳ ${what}: scheduled as operation ${outcome.operationId}, executable after ${when}.`,
          `   Run "sakshya roles execute ${outcome.operationId}" then.`,
        ],
      );
    }
  }
}

/** A notice on stderr for each thing a folder walk passed over. */
export const skipped: SkipNotice = (file, why) => process.stderr.write(`note: skipped ${printable(file)}: ${why}\n`);

/** Formats rows as left-aligned columns under a header. */
export function table(header: string[], rows: string[][]): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i])).join("  ").trimEnd();
  return [line(header), line(widths.map((w) => "-".repeat(w))), ...rows.map(line)];
}


/** Reports a registry write: sent (with its transaction) or found already on chain and not sent again. */
export function reportWrite(out: Output, what: string, result: WriteResult, extra: Record<string, unknown> = {}, already = "already-done"): void {
  if (result.status === "already-done") out.result({ status: already, ...extra }, [`✓ ${what}: already on chain, nothing sent.`]);
  else out.result({ status: "done", transaction: result.transactionHash, block: result.blockNumber, ...extra }, [`✓ ${what} (tx ${result.transactionHash}, block ${result.blockNumber})`]);
}
