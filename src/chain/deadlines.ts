import { InputError } from "../errors";

/** How long any one wait on the chain may take: every command's answer comes within these, then the process exits. */
export interface Deadlines {
  /** One JSON-RPC request (or one HTTP request to a site). */
  readonly requestMs: number;
  /** A sent transaction's inclusion in a block, or another run's hold on the same key. */
  readonly inclusionMs: number;
}

const DEFAULT_REQUEST_SECONDS = 15;
/** A QBFT block comes every few seconds; a transaction not mined in eight request timeouts is not coming soon. */
const INCLUSION_FACTOR = 8;

/** `--timeout <seconds>` (or SAKSHYA_TIMEOUT): each request waits that long, a transaction eight times as long. */
export function deadlinesFrom(timeout: string | undefined): Deadlines {
  const raw = timeout ?? process.env.SAKSHYA_TIMEOUT;
  let seconds = DEFAULT_REQUEST_SECONDS;
  if (raw !== undefined && raw !== "") {
    seconds = Number(raw);
    if (!/^\d+(\.\d+)?$/.test(raw) || seconds <= 0 || seconds > 3600) {
      throw new InputError(`--timeout takes a number of seconds from 0.1 to 3600, not "${raw}".`);
    }
  }
  return { requestMs: seconds * 1000, inclusionMs: seconds * 1000 * INCLUSION_FACTOR };
}

export const DEFAULT_DEADLINES: Deadlines = deadlinesFrom(String(DEFAULT_REQUEST_SECONDS));
