import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect } from "chai";
import { freePort } from "../src/io/net";
import { Wallet } from "ethers";
import hre from "hardhat";
import lockfile from "proper-lockfile";
import { CertificateRegistry__factory } from "../typechain-types";
import { CAP, KIND, code, deployedSuite, evidence } from "./fixtures";
import { expectNothingSent, runCli, serveChain, type CliResult } from "./helpers/cli";
import { serveFaultyRpc } from "./helpers/faulty-rpc";

const SCHEMA = path.join(__dirname, "..", "scripts", "samples", "certificates", "wbu-degree.schema.json");

/** `count` graduates whose roll numbers start at `first`: records no other batch of the test holds. */
function graduates(file: string, first: number, count = 3): string {
  const rows = Array.from({ length: count }, (_, i) => `WBU-2026-${String(first + i).padStart(6, "0")},Graduate ${first + i},2003-01-01,B.A. History,Scottish Church College,7.5,First,2026-06-30`);
  fs.writeFileSync(file, `rollNumber,name,dateOfBirth,programme,college,cgpa,division,graduationDate\n${rows.join("\n")}\n`);
  return file;
}

/** How long a command took to give its answer and exit. */
async function timed(run: Promise<CliResult>): Promise<CliResult & { seconds: number }> {
  const started = Date.now();
  const result = await run;
  return { ...result, seconds: (Date.now() - started) / 1000 };
}

/**
 * The command line against endpoints that fail the way the field review saw them fail: a chain that lost its state,
 * silent endpoints, answers that are not JSON-RPC, a node gone or restarted right after taking a transaction, and
 * runs of one key at the same time. Each case runs the real command in a child process.
 */
describe("sakshya under faults (command line)", function () {
  this.timeout(300_000);
  let chain: { url: string; close(): Promise<void> };
  let work: string;
  let deploymentFile: string;
  const issuer = ["--dev-account", "3"];
  let batchNumber = 0;
  let suite: Awaited<ReturnType<typeof deployedSuite>>;

  before(async () => {
    chain = await serveChain();
    suite = await deployedSuite();
    await suite.directory.onboard(code("wbu"), KIND.university, CAP.issueCertificates, [0], evidence("wbu"));
    await suite.directory.addAccount(1, suite.others[0].address); // development account 3
    await suite.directory.addAccount(1, suite.others[1].address); // a second wbu key, sent from in-process
    work = fs.mkdtempSync(path.join(os.tmpdir(), "sakshya-faults-"));
    deploymentFile = suite.deploymentFile;
  });
  after(async () => chain.close());

  const on = (url: string) => (args: string[]) => runCli(["--rpc-url", url, "--deployments", deploymentFile, ...args]);
  const ledgerFile = () => path.join(work, "ledger.json");
  const ledgerRoots = (): string[] => (fs.existsSync(ledgerFile()) ? Object.values(JSON.parse(fs.readFileSync(ledgerFile(), "utf8")).records as Record<string, string>) : []);

  /** Builds a new batch of `count` records offline and returns its folder and root. */
  async function newBatch(count = 3): Promise<{ dir: string; root: string }> {
    batchNumber++;
    const dir = path.join(work, `batch-${batchNumber}`);
    const csv = graduates(path.join(work, `batch-${batchNumber}.csv`), batchNumber * 100, count);
    const built = await on(chain.url)(["--json", "cert", "batch", csv, "--schema", SCHEMA, "--issuer", "wbu", "--out", dir, "--no-qr", "--ledger", ledgerFile()]);
    expect(built.code, built.stderr).to.equal(0);
    return { dir, root: JSON.parse(built.stdout).root as string };
  }

  describe("a deployment file stale for the chain", () => {
    it("stops every command before it reads or signs, with one sentence and exit 2", async () => {
      const { dir } = await newBatch();
      const certificates = fs.readdirSync(path.join(dir, "certificates")).map((f) => path.join(dir, "certificates", f));
      const deployment = JSON.parse(fs.readFileSync(deploymentFile, "utf8"));
      // A node that lost its state: the same chain id, nothing at the addresses the file names.
      for (const record of Object.values(deployment.contracts) as Array<{ address: string }>) record.address = Wallet.createRandom().address;
      const reset = path.join(work, "reset.json");
      fs.writeFileSync(reset, JSON.stringify(deployment));
      const stale = (args: string[]) => runCli(["--rpc-url", chain.url, "--deployments", reset, ...args]);
      for (const args of [
        ["org", "list"],
        ["cert", "revoke", certificates[0], "--reason", "withdrawn", ...issuer],
        ["cert", "suspend", certificates[0], "--reason", "under-review", ...issuer],
        ["cert", "reinstate", certificates[0], ...issuer],
        ["cert", "supersede", certificates[0], certificates[1], ...issuer],
        ["cert", "verify", dir],
      ]) {
        const result = await expectNothingSent(stale(args), 2, /deployment file .*reset\.json is stale for this chain: SakshyaAuthority has no code at 0x/);
        expect(result.stdout).to.not.contain("✓");
      }
      // Code where the file says, but not the suite's: the authority standing where the certificate registry should.
      const real = JSON.parse(fs.readFileSync(deploymentFile, "utf8"));
      real.contracts.CertificateRegistry.address = real.contracts.SakshyaAuthority.address;
      const foreign = path.join(work, "foreign.json");
      fs.writeFileSync(foreign, JSON.stringify(real));
      await expectNothingSent(runCli(["--rpc-url", chain.url, "--deployments", foreign, "cert", "verify", dir]), 2, /is not a Sakshya CertificateRegistry/);
    });
  });

  describe("every wait ends", () => {
    it("with no node running, says how to start one or point elsewhere, in one sentence", async () => {
      const nobody = `http://127.0.0.1:${await freePort()}`;
      const result = await on(nobody)(["org", "list"]);
      expect([result.code, result.stderr.trim()]).to.deep.equal([
        2,
        `error: Could not reach the RPC endpoint at ${nobody}: is its node running? On this machine start one with \`npx hardhat node\`; for another, give --rpc-url (or set LOCALHOST_RPC_URL).`,
      ]);
    });

    it("gives up on an endpoint that never answers, says so and exits", async () => {
      const rpc = await serveFaultyRpc(chain.url, "silent");
      try {
        const silent = await timed(on(rpc.url)(["--timeout", "1", "org", "list"]));
        expect(silent.code).to.equal(2);
        expect(silent.stderr).to.match(/did not answer within 1 s/);
        expect(silent.seconds).to.be.below(10);
        // Falls silent mid-command, after the connection and the contract check.
        // Falls silent while the suite's contracts are being proved: no answer is not "stale", it is no answer.
        rpc.setFault("silent-after", 2);
        const proving = await on(rpc.url)(["--timeout", "1", "org", "list"]);
        expect(proving.code).to.equal(2);
        expect(proving.stderr).to.match(/^error: The RPC endpoint did not answer in time; nothing more was sent\.$/m);
        rpc.setFault("silent-after", 3);
        const midway = await timed(on(rpc.url)(["--timeout", "1", "org", "list"]));
        expect(midway.code).to.equal(2);
        expect(midway.stderr).to.match(/^error: The RPC endpoint did not answer in time; nothing more was sent\.$/m);
        expect(midway.seconds).to.be.below(10);
      } finally {
        await rpc.close();
      }
    });

    it("an endpoint gone after taking the transaction: outcome unknown, then the same command confirms and completes", async () => {
      const { dir, root } = await newBatch();
      const rpc = await serveFaultyRpc(chain.url, "gone-after-send");
      try {
        const first = await timed(on(rpc.url)(["--timeout", "3", "cert", "issue", dir, "--ledger", ledgerFile(), ...issuer]));
        expect(first.code).to.equal(2);
        // What it waits for is said at once, and it gives up once the endpoint has not answered for --timeout, not
        // eight times that.
        expect(first.stderr).to.match(/^note: waiting for transaction 0x[0-9a-f]{64}: the RPC endpoint stopped answering; giving up if it does not answer within 3 s$/m);
        expect(first.stderr).to.match(/^error: Transaction 0x[0-9a-f]{64} was sent; outcome unknown \(the RPC endpoint stopped answering for [34] s\); run the same command again to confirm\.$/m);
        expect(first.stdout).to.equal("");
        expect(first.seconds).to.be.below(15);
        expect(rpc.sent).to.equal(1);
        expect(ledgerRoots()).to.not.include(root);
      } finally {
        await rpc.close();
      }
      const again = await expectNothingSent(on(chain.url)(["cert", "issue", dir, "--ledger", ledgerFile(), ...issuer]), 0, /note: transaction 0x[0-9a-f]{64} from an earlier run was mined in block \d+/);
      expect(again.stdout).to.match(/already on chain, nothing sent/);
      expect(ledgerRoots()).to.include(root);
    });

    it("an answer that is not JSON-RPC after the transaction was taken is an unknown outcome, not a refusal", async () => {
      const { dir, root } = await newBatch();
      const rpc = await serveFaultyRpc(chain.url, "garbage-after-send");
      try {
        const first = await on(rpc.url)(["cert", "issue", dir, "--ledger", ledgerFile(), ...issuer]);
        expect(first.code).to.equal(2);
        expect(first.stderr).to.match(/was sent; outcome unknown \(the RPC endpoint's answer was not JSON-RPC\)/);
        expect(first.stderr).to.not.match(/rejected/);
      } finally {
        await rpc.close();
      }
      const again = await on(chain.url)(["cert", "issue", dir, "--ledger", ledgerFile(), ...issuer]);
      expect(again.code, again.stderr).to.equal(0);
      expect(again.stdout).to.match(/already on chain, nothing sent/);
      expect(ledgerRoots()).to.include(root);
      // Built again from the same records, the batch is refused: the ledger knows them now.
      const rebuilt = await on(chain.url)(["cert", "batch", path.join(work, `batch-${batchNumber}.csv`), "--schema", SCHEMA, "--issuer", "wbu", "--out", path.join(work, "rebuilt"), "--ledger", ledgerFile()]);
      expect(rebuilt.code).to.equal(2);
      expect(rebuilt.stderr).to.match(/already issued in batch/);
    });

    it("a node that lost the transaction: outcome unknown; the next run hands it the same bytes and sends nothing new", async () => {
      const { dir, root } = await newBatch();
      const rpc = await serveFaultyRpc(chain.url, "lose-sends");
      const blockBefore = await hre.ethers.provider.getBlockNumber();
      try {
        const first = await timed(on(rpc.url)(["--timeout", "0.5", "cert", "issue", dir, "--ledger", ledgerFile(), ...issuer]));
        expect(first.code).to.equal(2);
        expect(first.stderr).to.match(/was sent; outcome unknown \(the node has not mined it yet after 4 s\)/);
        expect(first.seconds).to.be.below(15);
      } finally {
        await rpc.close();
      }
      expect(await hre.ethers.provider.getBlockNumber()).to.equal(blockBefore);
      const again = await on(chain.url)(["cert", "issue", dir, "--ledger", ledgerFile(), ...issuer]);
      expect(again.code, again.stderr).to.equal(0);
      expect(again.stderr).to.match(/no longer holds transaction 0x[0-9a-f]{64}; handing it the same signed bytes again/);
      expect(again.stdout).to.match(/already on chain, nothing sent/);
      expect(await hre.ethers.provider.getBlockNumber()).to.equal(blockBefore + 1);
      expect(ledgerRoots()).to.include(root);
    });

    it("a transaction still pending is waited for, never sent a second time to revert", async () => {
      const { dir, root } = await newBatch();
      const blockBefore = await hre.ethers.provider.getBlockNumber();
      await hre.network.provider.send("evm_setAutomine", [false]);
      try {
        const first = await on(chain.url)(["--timeout", "0.5", "cert", "issue", dir, "--ledger", ledgerFile(), ...issuer]);
        expect(first.code).to.equal(2);
        expect(first.stderr).to.match(/outcome unknown/);
        const second = on(chain.url)(["--timeout", "5", "cert", "issue", dir, "--ledger", ledgerFile(), ...issuer]);
        await new Promise((resolve) => setTimeout(resolve, 2_500));
        await hre.network.provider.send("evm_mine", []);
        const settled = await second;
        expect(settled.code, settled.stderr).to.equal(0);
        expect(settled.stderr).to.match(/from an earlier run is not mined yet; waiting for it/);
        expect(settled.stdout).to.match(/already on chain, nothing sent/);
      } finally {
        await hre.network.provider.send("evm_setAutomine", [true]);
      }
      expect(await hre.ethers.provider.getBlockNumber()).to.equal(blockBefore + 1);
      expect(ledgerRoots()).to.include(root);
    });
  });

  describe("what the key's journal and lock hold back", () => {
    const issuerKeyFiles = (home: string) => {
      const chainId = JSON.parse(fs.readFileSync(deploymentFile, "utf8")).chainId as number;
      return path.join(home, "keys", `${chainId}-${suite.others[0].address.toLowerCase()}`);
    };

    it("waits for another run's hold on the key no longer than the deadline, and says so", async () => {
      const { dir } = await newBatch();
      const home = fs.mkdtempSync(path.join(os.tmpdir(), "sakshya-home-"));
      fs.mkdirSync(path.join(home, "keys"));
      const release = await lockfile.lock(`${issuerKeyFiles(home)}.lock`, { realpath: false, stale: 10_000, update: 2_000 });
      try {
        const held = await expectNothingSent(
          runCli(["--rpc-url", chain.url, "--deployments", deploymentFile, "--timeout", "0.2", "cert", "issue", dir, "--ledger", ledgerFile(), ...issuer], { SAKSHYA_HOME: home }),
          2,
          /^error: Another run on this machine is sending with key 0x[0-9a-fA-F]{40}; it still was after 1\.6 s — try again when it has finished\.$/m,
        );
        expect(held.stdout).to.equal("");
      } finally {
        await release();
      }
    });

    it("a damaged journal stops the run with one sentence: it may list transactions still in flight", async () => {
      const { dir } = await newBatch();
      const home = fs.mkdtempSync(path.join(os.tmpdir(), "sakshya-home-"));
      fs.mkdirSync(path.join(home, "keys"));
      fs.writeFileSync(`${issuerKeyFiles(home)}.json`, "{ half a journ");
      await expectNothingSent(
        runCli(["--rpc-url", chain.url, "--deployments", deploymentFile, "cert", "issue", dir, "--ledger", ledgerFile(), ...issuer], { SAKSHYA_HOME: home }),
        2,
        /The journal of sent transactions .*\.json is damaged; move it aside to go on/,
      );
    });

    it("a transaction of the key this machine did not send is waited for, within the deadline, before anything is read", async () => {
      const { dir } = await newBatch();
      await hre.network.provider.send("evm_setAutomine", [false]);
      try {
        await suite.others[0].sendTransaction({ to: suite.others[0].address, value: 0n, gasLimit: 21_000n });
        const waiting = await on(chain.url)(["--timeout", "0.2", "cert", "issue", dir, "--ledger", ledgerFile(), ...issuer]);
        expect(waiting.code).to.equal(2);
        expect(waiting.stderr).to.match(/^error: Key 0x[0-9a-fA-F]{40} has 1 transaction\(s\) waiting in the node's pool that this machine did not send, still unmined after 1\.6 s; nothing was sent\.$/m);
        await hre.network.provider.send("evm_mine");
      } finally {
        await hre.network.provider.send("evm_setAutomine", [true]);
      }
    });

    it("a transaction mined but failed (another key got there first) is reported with the contract's reason, never as done", async () => {
      const { dir, root } = await newBatch();
      const manifest = JSON.parse(fs.readFileSync(path.join(dir, "batch.json"), "utf8"));
      await hre.network.provider.send("evm_setAutomine", [false]);
      try {
        const run = on(chain.url)(["--timeout", "3", "cert", "issue", dir, "--ledger", ledgerFile(), ...issuer]);
        while ((await hre.network.provider.send("eth_getBlockByNumber", ["pending", false])).transactions.length < 1) await new Promise((r) => setTimeout(r, 50));
        // The second wbu key issues the same root, paying for priority: it is mined first in the same block.
        const registry = CertificateRegistry__factory.connect(suite.deployment.contracts.CertificateRegistry!.address, suite.others[1]);
        await registry.issue(root, manifest.documentCount, manifest.expiresAt, { gasLimit: 300_000n, gasPrice: 10n ** 9n });
        await hre.network.provider.send("evm_mine");
        const failed = await run;
        expect(failed.code).to.equal(2);
        expect(failed.stdout).to.equal("");
        expect(failed.stderr).to.match(
          /^error: Transaction 0x[0-9a-f]{64} was mined in block \d+ but failed, so it changed nothing\. Replayed after that block: The contract refused: organisation 1 already issued batch 0x[0-9a-f]{64}/m,
        );
      } finally {
        await hre.network.provider.send("evm_setAutomine", [true]);
      }
      expect(ledgerRoots()).to.not.include(root);
    });
  });

  describe("records issued once", () => {
    it("two batches built from the same records before either is issued: the second is refused at issue, until the first is revoked", async () => {
      const csv = graduates(path.join(work, "twice.csv"), 5000);
      const build = async (name: string) => {
        const built = await on(chain.url)(["--json", "cert", "batch", csv, "--schema", SCHEMA, "--issuer", "wbu", "--out", path.join(work, name), "--no-qr", "--ledger", ledgerFile()]);
        expect(built.code, built.stderr).to.equal(0);
        return { dir: path.join(work, name), root: JSON.parse(built.stdout).root as string };
      };
      const [first, second] = [await build("twice-1"), await build("twice-2")];
      expect(first.root).to.not.equal(second.root); // fresh salts: the same records, another root
      expect((await on(chain.url)(["cert", "issue", first.dir, "--ledger", ledgerFile(), ...issuer])).code).to.equal(0);
      await expectNothingSent(
        on(chain.url)(["cert", "issue", second.dir, "--ledger", ledgerFile(), ...issuer]),
        2,
        new RegExp(`3 record\\(s\\) of this batch \\(document 0, 1, 2\\) were already issued in batch ${first.root}, which stands on chain; nothing was sent\\. To change a record, use "cert correct"; to issue them again, revoke that batch first \\(issued-in-error\\)\\.`),
      );
      expect((await on(chain.url)(["cert", "revoke", "--batch", first.dir, "--reason", "issued-in-error", ...issuer])).code).to.equal(0);
      const again = await on(chain.url)(["cert", "issue", second.dir, "--ledger", ledgerFile(), ...issuer]);
      expect(again.code, again.stderr).to.equal(0);
      expect(ledgerRoots()).to.include(second.root);
    });
  });

  describe("one key, several runs at once", () => {
    it("a nonce another tool took meanwhile is one sentence, without the signed transaction, and the next run goes on", async () => {
      const { dir, root } = await newBatch();
      const rpc = await serveFaultyRpc(chain.url, "nonce-taken");
      try {
        const clash = await expectNothingSent(on(rpc.url)(["cert", "issue", dir, "--ledger", ledgerFile(), ...issuer]), 2, /^error: The node refused the transaction's nonce: another transaction of this key was sent meanwhile, from another machine or tool; nothing was sent — run the command again\.$/m);
        expect(clash.stderr).to.not.match(/0x[0-9a-f]{130,}/);
      } finally {
        await rpc.close();
      }
      const next = await on(chain.url)(["cert", "issue", dir, "--ledger", ledgerFile(), ...issuer]);
      expect(next.code, next.stderr).to.equal(0);
      expect(next.stderr).to.not.match(/earlier run/);
      expect(ledgerRoots()).to.include(root);
    });

    it("four cert issue runs at once all land, and the ledger keeps every batch", async () => {
      const batches = [await newBatch(), await newBatch(), await newBatch(), await newBatch()];
      const results = await Promise.all(batches.map(({ dir }) => on(chain.url)(["cert", "issue", dir, "--ledger", ledgerFile(), ...issuer])));
      for (const result of results) expect(result.code, result.stderr).to.equal(0);
      for (const { root } of batches) expect(ledgerRoots()).to.include(root);
    });

    it("two org add-account runs at once both land", async () => {
      const [a, b] = [Wallet.createRandom().address, Wallet.createRandom().address];
      const results = await Promise.all([a, b].map((account) => on(chain.url)(["org", "add-account", "wbu", account, "--dev-account", "1"])));
      for (const result of results) expect(result.code, result.stderr).to.equal(0);
      const shown = (await on(chain.url)(["org", "show", "wbu"])).stdout;
      expect(shown).to.contain(a).and.to.contain(b);
    });
  });

  describe("input a person gets wrong", () => {
    const key = "4c0883a69102937d6231471b5dbb6204fe5129617082792ae468d01a3f362318";

    it("never echoes a private key typed where a file, an address or an index belongs", async () => {
      for (const args of [
        ["cert", "verify", key],
        ["cert", "verify", `0x${key}`],
        ["org", "add-account", "wbu", `0x${key}`, "--dev-account", "1"],
        ["org", "show", key.toUpperCase()],
        ["--dev-account", key, "org", "add-account", "wbu", Wallet.createRandom().address],
        ["frobnicate", key],
        // Where a file belongs: the keystore, its password file, a private key file to import.
        ["--keystore", `0x${key}`, "--password-file", `0x${key}`, "org", "add-account", "wbu", Wallet.createRandom().address],
        ["--keystore", path.join(work, "missing.json"), "--password-file", `0x${key}`, "org", "add-account", "wbu", Wallet.createRandom().address],
        ["keys", "import", path.join(work, "imported.json"), "--private-key-file", `0x${key}`, "--password-file", `0x${key}`],
        ["keys", "address", `0x${key}`],
      ]) {
        const result = await on(chain.url)(args);
        expect(result.code, args.join(" ")).to.equal(2);
        expect(`${result.stdout}${result.stderr}`.toLowerCase(), args.join(" ")).to.not.contain(key);
      }
    });

    it("refuses dates that do not exist, times past the year 9999, a keystore of null, an empty --hide, and names a typo", async () => {
      const csv = graduates(path.join(work, "dates.csv"), 9000);
      await expectNothingSent(
        on(chain.url)(["cert", "batch", csv, "--schema", SCHEMA, "--issuer", "wbu", "--out", path.join(work, "dated"), "--expires", "2031-02-30"]),
        2,
        /^error: --expires must be a date that exists \(YYYY-MM-DD\), not "2031-02-30"\.$/m,
      );
      await expectNothingSent(
        on(chain.url)(["org", "compromise-account", Wallet.createRandom().address, "--cutoff", "99999999999999999999", "--dev-account", "0"]),
        2,
        /--cutoff 99999999999999999999 is not a time: as Unix seconds it lies past the year 9999/,
      );
      await expectNothingSent(on(chain.url)(["org", "compromise-account", Wallet.createRandom().address, "--cutoff", "2026-02-30T10:00:00Z", "--dev-account", "0"]), 2, /--cutoff must be an ISO date-time that exists/);
      const nullKeystore = path.join(work, "null-keystore.json");
      fs.writeFileSync(nullKeystore, "null");
      const password = path.join(work, "password");
      fs.writeFileSync(password, "password123\n");
      await expectNothingSent(on(chain.url)(["--keystore", nullKeystore, "--password-file", password, "org", "add-account", "wbu", Wallet.createRandom().address]), 2, /keystore .* is not an encrypted key: it holds no JSON object/);
      await expectNothingSent(on(chain.url)(["keys", "address", nullKeystore]), 2, /is not an encrypted key/);
      const { dir } = await newBatch(1);
      const certificate = path.join(dir, "certificates", fs.readdirSync(path.join(dir, "certificates"))[0]);
      await expectNothingSent(on(chain.url)(["cert", "redact", certificate, "--hide", ",", "--out", path.join(work, "r.json")]), 2, /Name at least one field to hide/);
      const typo = await on(chain.url)(["cert", "suspendd"]);
      expect(typo.code).to.equal(2);
      expect(typo.stderr).to.match(/unknown command 'suspendd'\n\(Did you mean suspend\?\)/);
    });

    it("a printed certificate given to cert verify: it says it is the PDF, and what to verify instead", async () => {
      const pdf = path.join(work, "printed.pdf");
      fs.writeFileSync(pdf, "%PDF-1.7\n%\u00e2\u00e3\n1 0 obj\n");
      const result = await on(chain.url)(["cert", "verify", pdf]);
      expect(result.code, "not a certificate: invalid, as any unreadable file").to.equal(1);
      expect(result.stdout).to.match(/printed\.pdf is a PDF, the printed certificate: verify its \.json file instead, or scan the QR code printed on it\./);
    });

    it("an output path that is a file or lies in a missing folder: one sentence, never an unexpected failure", async () => {
      const { dir } = await newBatch(1);
      const certificate = path.join(dir, "certificates", fs.readdirSync(path.join(dir, "certificates"))[0]);
      const aFile = path.join(work, "a-file");
      fs.writeFileSync(aFile, "");
      const csv = graduates(path.join(work, "out.csv"), 9100);
      await expectNothingSent(on(chain.url)(["cert", "batch", csv, "--schema", SCHEMA, "--issuer", "wbu", "--out", aFile]), 2, /a-file is a file; choose a new folder for the batch/);
      // A batch folder whose parents do not exist yet (batches/2026-june in a fresh clone) is made with them.
      const nested = await on(chain.url)(["cert", "batch", csv, "--schema", SCHEMA, "--issuer", "wbu", "--no-qr", "--out", path.join(work, "batches", "2026-june")]);
      expect(nested.code, nested.stderr).to.equal(0);
      expect(fs.readdirSync(path.join(work, "batches", "2026-june"))).to.include("batch.json");
      const redacted = await expectNothingSent(on(chain.url)(["cert", "redact", certificate, "--hide", "cgpa", "--out", path.join(work, "missing", "r.json")]), 2, /^error: Could not use ".*missing\/r\.json": it, or a folder on its path, does not exist\.$/m);
      expect(redacted.stderr).to.not.match(/Unexpected/);
      await expectNothingSent(on(chain.url)(["cert", "verify", path.join(work, "missing")]), 2, /missing" does not exist/);
    });

    it("reports progress on a pipe too, a line at a time (a bar only on a terminal)", async () => {
      const csv = graduates(path.join(work, "progress.csv"), 20_000, 2_000);
      const args = ["--rpc-url", chain.url, "--deployments", deploymentFile, "cert", "batch", csv, "--schema", SCHEMA, "--issuer", "wbu", "--out", path.join(work, "progress"), "--no-qr"];
      const piped = await runCli(args, { SAKSHYA_PROGRESS_SECONDS: "0" });
      expect(piped.code, piped.stderr).to.equal(0);
      expect(piped.stderr).to.match(/^hashing: 1,000 of 2,000$/m).and.to.match(/^writing: 1,000 of 2,000$/m);
      expect(piped.stderr).to.not.match(/\[/, "no bar drawn into a pipe");
    });

    it("a killed cert batch leaves a staging folder only its owner can read, removed by the next run; two runs into one folder: one refuses", async () => {
      const big = graduates(path.join(work, "big.csv"), 100_000, 20_000);
      const out = path.join(work, "killed");
      const child = spawn(process.execPath, [path.join(__dirname, "..", "bin", "sakshya.js"), "--deployments", deploymentFile, "cert", "batch", big, "--schema", SCHEMA, "--issuer", "wbu", "--out", out], {
        env: { ...process.env, SAKSHYA_HOME: path.join(work, "home") },
        stdio: "ignore",
      });
      const staging = `${out}.partial`;
      for (let i = 0; i < 600 && !fs.existsSync(path.join(staging, "certificates")); i++) await new Promise((resolve) => setTimeout(resolve, 50));
      child.kill("SIGKILL");
      await new Promise((resolve) => child.once("exit", resolve));
      expect(fs.existsSync(staging), "the killed run's staging folder").to.equal(true);
      expect(fs.statSync(staging).mode & 0o777).to.equal(0o700);

      const small = graduates(path.join(work, "after-kill.csv"), 9200);
      const next = await on(chain.url)(["cert", "batch", small, "--schema", SCHEMA, "--issuer", "wbu", "--out", path.join(work, "after-kill"), "--no-qr"]);
      expect(next.code, next.stderr).to.equal(0);
      expect(fs.existsSync(staging), "removed by the next run").to.equal(false);

      const same = path.join(work, "same");
      const both = await Promise.all([1, 2].map(() => on(chain.url)(["cert", "batch", big, "--schema", SCHEMA, "--issuer", "wbu", "--out", same, "--no-qr"])));
      expect(both.map((r) => r.code).sort()).to.deep.equal([0, 2]);
      expect(both.find((r) => r.code === 2)!.stderr).to.match(/Another cert batch is writing .*same now|same already exists and is not empty/);
      expect(fs.readdirSync(path.join(same, "certificates"))).to.have.length(20_000);
    });
  });
});
