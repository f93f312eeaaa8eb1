import os from "node:os";
import path from "node:path";

/**
 * The folder where the tool keeps what must outlive one run on this machine: the journal of transactions sent and
 * not yet seen mined, and the locks that keep two runs from sending with one key at once. SAKSHYA_HOME moves it.
 */
export function sakshyaHome(): string {
  return process.env.SAKSHYA_HOME || path.join(os.homedir(), ".sakshya");
}
