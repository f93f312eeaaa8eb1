import { execFileSync, spawn } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { expect } from "chai";

const ROOT = path.join(__dirname, "..");
/** What `npm ci` makes (installed and built), linked into the copy rather than made again. */
const BUILT = ["node_modules", "artifacts", "typechain-types", "dist"];
/** The ports the README's examples use: the local chain, the service, the stand-in proxy. */
const PORTS = [8545, 8080, 8546];
const SKIP = /<!-- not run by the README test: (.+?) -->\s*$/;

export interface ShellBlock {
  /** The line of the README the block's first command is on. */
  readonly line: number;
  readonly text: string;
  /** Why the README says it is not run here, if it says so. */
  readonly skipped?: string;
}

/** Every ```sh block of a Markdown text, in order, with the reason a comment just before it gives for not running it. */
export function shellBlocks(markdown: string): ShellBlock[] {
  const lines = markdown.split("\n");
  const blocks: ShellBlock[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (lines[i].trim() !== "```sh") continue;
    const end = lines.indexOf("```", i + 1);
    const before = lines.slice(Math.max(0, i - 2), i).join("\n");
    blocks.push({ line: i + 2, text: lines.slice(i + 1, end).join("\n"), skipped: SKIP.exec(before)?.[1] });
    i = end;
  }
  return blocks;
}

/**
 * A copy of the checkout as a fresh clone has it: the files git tracks, with their times, and what `npm ci` built
 * linked in (so nothing here may run npm ci: it would empty the checkout's node_modules through the link). Hardhat's compile cache names sources by absolute path, so it is copied with the copy's path: the
 * contracts are not compiled again.
 */
function freshCopy(): string {
  const copy = fs.mkdtempSync(path.join(os.tmpdir(), "sakshya-readme-"));
  // Tracked files and new ones not ignored: what the next commit holds.
  const tracked = execFileSync("git", ["ls-files", "-z", "--cached", "--others", "--exclude-standard"], { cwd: ROOT, encoding: "utf8" }).split("\0").filter(Boolean);
  for (const file of tracked) {
    if (!fs.existsSync(path.join(ROOT, file))) continue;
    fs.mkdirSync(path.dirname(path.join(copy, file)), { recursive: true });
    fs.cpSync(path.join(ROOT, file), path.join(copy, file), { preserveTimestamps: true });
  }
  for (const built of BUILT) fs.symlinkSync(path.join(ROOT, built), path.join(copy, built));
  fs.mkdirSync(path.join(copy, "cache"));
  for (const file of fs.readdirSync(path.join(ROOT, "cache"))) {
    const text = fs.readFileSync(path.join(ROOT, "cache", file), "utf8");
    fs.writeFileSync(path.join(copy, "cache", file), file === "solidity-files-cache.json" ? text.split(`"${ROOT}/`).join(`"${copy}/`) : text);
  }
  return copy;
}

function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once("error", () => resolve(false));
    server.listen(port, "127.0.0.1", () => server.close(() => resolve(true)));
  });
}

/**
 * The README's examples run as a new user runs them: every shell block, in order, in one shell, from the folder of a
 * fresh copy of the checkout, stopping at the first command that fails. Blocks that need what a test machine cannot
 * have (a Besu network, a PostgreSQL server of one's own) say so just before them, and are counted.
 */
describe("the README's examples", function () {
  this.timeout(20 * 60_000);

  it("finds the README's shell blocks, and a reason for each one it does not run", () => {
    const blocks = shellBlocks(fs.readFileSync(path.join(ROOT, "README.md"), "utf8"));
    expect(blocks.length).to.be.greaterThan(10);
    expect(blocks.filter((b) => b.skipped === undefined).length).to.be.greaterThan(8);
    for (const block of blocks.filter((b) => b.skipped !== undefined)) expect(block.skipped, `line ${block.line}`).to.match(/^(it needs |\.ci\/run runs these)/);
    // npm ci empties node_modules, which the copy shares with the checkout: never run from here.
    for (const block of blocks.filter((b) => b.skipped === undefined)) expect(block.text, `line ${block.line}`).to.not.match(/\bnpm (ci|install|test)\b/);
    expect(shellBlocks("a\n<!-- not run by the README test: it needs Besu -->\n```sh\nls\n```\n```sh\npwd\n```\n")).to.deep.equal([
      { line: 4, text: "ls", skipped: "it needs Besu" },
      { line: 7, text: "pwd", skipped: undefined },
    ]);
  });

  it("run as written, in order, on a fresh copy of the checkout", async () => {
    for (const port of PORTS) expect(await portFree(port), `port ${port} is in use: the README's examples need it free`).to.equal(true);
    const blocks = shellBlocks(fs.readFileSync(path.join(ROOT, "README.md"), "utf8")).filter((b) => b.skipped === undefined);
    if (blocks.some((b) => /\bnpm (ci|install)\b/.test(b.text))) throw new Error("A README block the test would run installs packages; it must not run on a linked node_modules.");
    const copy = freshCopy();
    const script = [
      "set -euo pipefail",
      // Whatever the examples started in the background (the chain, the service, the proxy) stops with the script.
      "trap 'kill $(jobs -p) 2>/dev/null || true' EXIT",
      ...blocks.map((b) => `echo "::README line ${b.line}::"\n${b.text}`),
    ].join("\n");
    fs.writeFileSync(path.join(copy, "readme-examples.sh"), script);
    const log = path.join(ROOT, "test-results", "readme.log");
    fs.mkdirSync(path.dirname(log), { recursive: true });
    const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^(SAKSHYA_|DATABASE_URL$|LOCALHOST_RPC_URL$|BESU_)/.test(name)));
    const child = spawn("bash", ["readme-examples.sh"], {
      cwd: copy,
      env: { ...env, SAKSHYA_HOME: path.join(copy, ".sakshya-home"), NO_COLOR: "1" },
      detached: true,
      stdio: ["ignore", fs.openSync(log, "w"), fs.openSync(log, "a")],
    });
    const code = await new Promise<number | null>((resolve) => child.once("exit", resolve));
    // The whole process group: a background job the trap missed never outlives the test.
    try {
      process.kill(-child.pid!, "SIGKILL");
    } catch {
      // Already gone.
    }
    const output = fs.readFileSync(log, "utf8");
    const failedAt = [...output.matchAll(/::README line (\d+)::/g)].pop()?.[1];
    expect(code, `README line ${failedAt} failed (exit ${code}); the end of test-results/readme.log:\n${output.split("\n").slice(-25).join("\n")}`).to.equal(0);
    expect(output).to.include("✓ issued batch").and.include("✓ approved mutation").and.include("The GOVERNOR committee executed its proposal");
    fs.rmSync(copy, { recursive: true, force: true });
  });
});
