import { execFile } from "node:child_process";
import crypto from "node:crypto";
import { Worker } from "node:worker_threads";
import { keccak256 } from "ethers";
import { createKeccak } from "hash-wasm";

/** What the batch builder hashes most: a salt and one small field (about 80 bytes). */
const INPUT_BYTES = 80;

export interface KeccakRow {
  readonly implementation: string;
  readonly perSecond: number;
}

/** The better of two runs, so the first one pays for JIT warm-up. */
function perSecond(count: number, run: () => void): number {
  const once = () => {
    const start = process.hrtime.bigint();
    run();
    return count / (Number(process.hrtime.bigint() - start) / 1e9);
  };
  return Math.max(once(), once());
}

function inputs(count: number): Buffer[] {
  return Array.from({ length: count }, () => crypto.randomBytes(INPUT_BYTES));
}

/** WebAssembly keccak on `threads` worker threads, each hashing `perThread` inputs; wall-clock rate of them all. */
async function wasmOnThreads(threads: number, perThread: number): Promise<number> {
  // Plain JavaScript in a string: a TypeScript worker would spend its first 1.8 s loading the compiler.
  const code = `
    const { parentPort, workerData } = require("node:worker_threads");
    const { createKeccak } = require(${JSON.stringify(require.resolve("hash-wasm"))});
    const crypto = require("node:crypto");
    createKeccak(256).then((hasher) => {
      const inputs = Array.from({ length: workerData }, () => crypto.randomBytes(${INPUT_BYTES}));
      parentPort.postMessage("ready");
      parentPort.once("message", () => {
        for (const input of inputs) { hasher.init(); hasher.update(input); hasher.digest("binary"); }
        parentPort.postMessage("done");
      });
    });`;
  const workers = Array.from({ length: threads }, () => new Worker(code, { eval: true, workerData: perThread }));
  const next = (worker: Worker) => new Promise((resolve) => worker.once("message", resolve));
  await Promise.all(workers.map(next));
  const start = process.hrtime.bigint();
  const done = workers.map(next);
  workers.forEach((worker) => worker.postMessage("go"));
  await Promise.all(done);
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  await Promise.all(workers.map((worker) => worker.terminate()));
  return (threads * perThread) / seconds;
}

/**
 * The native addon runs in a child process: loaded into the bench process, after Hardhat, it corrupted the heap
 * ("free(): invalid next size") in two runs out of two. Returns 0 if that process dies too.
 */
function nativeInChildProcess(count: number): Promise<number> {
  const code = `
    const crypto = require("node:crypto");
    const createKeccak = require(${JSON.stringify(require.resolve("keccak/bindings"))});
    const inputs = Array.from({ length: ${count} }, () => crypto.randomBytes(${INPUT_BYTES}));
    let best = 0;
    for (let run = 0; run < 2; run++) {
      const start = process.hrtime.bigint();
      for (const input of inputs) createKeccak("keccak256").update(input).digest();
      best = Math.max(best, inputs.length / (Number(process.hrtime.bigint() - start) / 1e9));
    }
    console.log(best);`;
  return new Promise((resolve) => execFile(process.execPath, ["-e", code], (error, stdout) => resolve(error ? 0 : Number(stdout))));
}

/** keccak-256 of 80-byte inputs: JavaScript (ethers/noble), WebAssembly (hash-wasm), native addon, and 1 vs 2 threads. */
export async function measureKeccak(count = 300_000): Promise<KeccakRow[]> {
  const data = inputs(count);
  const wasm = await createKeccak(256);
  const rows: KeccakRow[] = [
    { implementation: "JavaScript: ethers keccak256 (@noble/hashes)", perSecond: perSecond(count / 3, () => data.slice(0, count / 3).forEach((d) => keccak256(d))) },
    { implementation: "native: keccak addon (N-API), in its own process", perSecond: await nativeInChildProcess(count) },
    {
      implementation: "WebAssembly: hash-wasm, one reused hasher (chosen)",
      perSecond: perSecond(count, () =>
        data.forEach((d) => {
          wasm.init();
          wasm.update(d);
          wasm.digest("binary");
        }),
      ),
    },
    { implementation: "WebAssembly: hash-wasm on 1 worker thread", perSecond: await wasmOnThreads(1, count) },
    { implementation: "WebAssembly: hash-wasm on 2 worker threads", perSecond: await wasmOnThreads(2, count) },
  ];
  return rows;
}
