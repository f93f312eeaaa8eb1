import { Worker } from "node:worker_threads";
import { qrThreadSource } from "./qr-code";

/**
 * The thread's code is plain JavaScript in a string, so it starts in milliseconds: a worker loaded through ts-node
 * was measured at 1.8 s to start, more than it saves on a 100,000-file batch. A file marked as a QR code carries the
 * text to encode; the thread draws it, which is most of the work of a batch with QR codes.
 */
const WRITER_THREAD = `
const { parentPort } = require("node:worker_threads");
const fs = require("node:fs");
${qrThreadSource()}
parentPort.on("message", (files) => {
  try {
    for (const [file, content, qr] of files) fs.writeFileSync(file, qr ? qrSvgOf(content) : content);
    parentPort.postMessage(null);
  } catch (error) {
    parentPort.postMessage(error instanceof Error ? error.message : String(error));
  }
});
`;

/**
 * Writes many small files on other threads, so that preparing their contents (here) and the system calls that
 * create them (there) overlap. Two threads write 100,000 certificates to tmpfs in 1.9 s against 3.0 s for one
 * (bench/results.md). Memory stays bounded: at most `maxInFlight` chunks wait to be written.
 */
export class BackgroundWriter {
  private readonly workers: Worker[];
  private sent = 0;
  private chunk: Array<[file: string, content: string, qr: boolean]> = [];
  private inFlight = 0;
  private readonly waiters: Array<() => void> = [];
  private failure?: Error;

  constructor(
    threads = 2,
    private readonly chunkSize = 256,
    private readonly maxInFlight = 8,
  ) {
    this.workers = Array.from({ length: threads }, () => {
      const worker = new Worker(WRITER_THREAD, { eval: true });
      worker.on("message", (error: string | null) => {
        this.inFlight--;
        if (error !== null) this.failure ??= new Error(error);
        this.waiters.shift()?.();
      });
      worker.on("error", (error) => {
        this.failure ??= error;
        this.waiters.splice(0).forEach((wake) => wake());
      });
      return worker;
    });
  }

  async write(file: string, text: string): Promise<void> {
    this.chunk.push([file, text, false]);
    if (this.chunk.length >= this.chunkSize) await this.send();
  }

  /** Writes the SVG QR code of `text` to `file` (see qr-code.ts), drawn on a writer thread. */
  async writeQrCode(file: string, text: string): Promise<void> {
    this.chunk.push([file, text, true]);
    if (this.chunk.length >= this.chunkSize) await this.send();
  }

  /** Waits until every file is written, then stops the thread; throws the first write error. */
  async close(): Promise<void> {
    try {
      if (this.chunk.length > 0) await this.send();
      while (this.inFlight > 0 && this.failure === undefined) await this.turn();
      if (this.failure) throw this.failure;
    } finally {
      await Promise.all(this.workers.map((worker) => worker.terminate()));
    }
  }

  private async send(): Promise<void> {
    while (this.inFlight >= this.maxInFlight && this.failure === undefined) await this.turn();
    if (this.failure) throw this.failure;
    this.workers[this.sent++ % this.workers.length].postMessage(this.chunk);
    this.chunk = [];
    this.inFlight++;
  }

  private turn(): Promise<void> {
    return new Promise((resolve) => this.waiters.push(resolve));
  }
}
