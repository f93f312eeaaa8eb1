import { execFile } from "node:child_process";
import path from "node:path";
import hre from "hardhat";
import { TASK_NODE_CREATE_SERVER } from "hardhat/builtin-tasks/task-names";
import { BesuProxy } from "../../src/besu/proxy";

const BIN = path.join(__dirname, "..", "..", "bin", "sakshya.js");

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** The test's environment without the tool's own settings, so a developer's .env cannot change results. */
function cleanEnvironment(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const key of Object.keys(env)) if (key.startsWith("SAKSHYA_") || key.endsWith("_RPC_URL")) delete env[key];
  return env;
}

/** Runs the real command-line tool in a child process, as a user would. */
export function runCli(args: string[], env: NodeJS.ProcessEnv = {}): Promise<CliResult> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [BIN, ...args],
      { env: { ...cleanEnvironment(), ...env }, timeout: 60_000 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === "number" ? error.code : 99) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

/**
 * Serves the in-process Hardhat chain over HTTP on a free loopback port, like `npx hardhat node`, behind the Besu
 * stand-in: every command a test runs signs locally and meets Besu's rules, the path production uses. `hardhat` is
 * the node itself, for what only a development chain offers.
 */
export async function serveChain(): Promise<{ url: string; hardhat: string; close(): Promise<void> }> {
  const server = (await hre.run(TASK_NODE_CREATE_SERVER, { hostname: "127.0.0.1", port: 0, provider: hre.network.provider })) as {
    listen(): Promise<{ port: number }>;
    close(): Promise<void>;
  };
  const { port } = await server.listen();
  const hardhat = `http://127.0.0.1:${port}`;
  const proxy = await BesuProxy.start({ upstream: hardhat });
  return {
    url: proxy.url,
    hardhat,
    close: async () => {
      await proxy.close();
      await server.close();
    },
  };
}

/** Runs a command that must fail (or change nothing) and checks that no block was mined meanwhile. */
export async function expectNothingSent(result: Promise<CliResult>, exitCode: number, message: RegExp): Promise<CliResult> {
  const before = await hre.ethers.provider.getBlockNumber();
  const outcome = await result;
  if (outcome.code !== exitCode) throw new Error(`expected exit ${exitCode}, got ${outcome.code}: ${outcome.stderr}${outcome.stdout}`);
  if (!message.test(outcome.stderr)) throw new Error(`expected stderr to match ${message}, got: ${outcome.stderr}`);
  const after = await hre.ethers.provider.getBlockNumber();
  if (after !== before) throw new Error(`expected no transaction, but ${after - before} block(s) were mined`);
  return outcome;
}
