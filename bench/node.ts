import { spawn, execFile } from "node:child_process";
import path from "node:path";
import { freePort } from "../src/io/net";

const ROOT = path.join(__dirname, "..");
const HARDHAT = require.resolve("hardhat/internal/cli/cli", { paths: [ROOT] });

/** Runs `node <args>` in the project folder and parses the last line it prints as JSON. */
function runForJson<T>(args: string[], env: NodeJS.ProcessEnv = {}): Promise<T> {
  return new Promise((resolve, reject) =>
    execFile(process.execPath, args, { cwd: ROOT, env: { ...process.env, ...env }, maxBuffer: 1 << 24 }, (error, out, err) =>
      error ? reject(new Error(`${args.join(" ")} failed: ${err || error.message}`)) : resolve(JSON.parse(out.trim().split("\n").pop()!) as T),
    ),
  );
}

/** Runs a TypeScript file of the project in a plain Node process (no Hardhat), for its JSON result. */
export function runInOwnProcess<T>(script: string, args: string[]): Promise<T> {
  return runForJson<T>(["-r", "ts-node/register/transpile-only", script, ...args], { TS_NODE_PROJECT: path.join(ROOT, "tsconfig.json") });
}

/**
 * Starts `npx hardhat node` as its own process (the chain a verifier would point at), runs `hardhat run` of `script`
 * against it, and returns the script's last line of output parsed as JSON.
 */
export async function runAgainstNode<T>(script: string): Promise<T> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const node = spawn(process.execPath, [HARDHAT, "node", "--hostname", "127.0.0.1", "--port", String(port)], { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] });
  try {
    await new Promise<void>((resolve, reject) => {
      node.stdout.on("data", (chunk: Buffer) => chunk.toString().includes("Started HTTP") && resolve());
      node.on("exit", (code) => reject(new Error(`hardhat node exited with ${code} before it listened`)));
    });
    node.stdout.resume();
    return await runForJson<T>([HARDHAT, "run", "--network", "localhost", script], { LOCALHOST_RPC_URL: url });
  } finally {
    node.kill();
  }
}
