import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect } from "chai";
import { id as textHash, type Filter, type FilterByBlockHash, type Provider } from "ethers";
import hre from "hardhat";
import { openDatabase, type Database } from "../src/index/database";
import { followChain, type IndexStatus } from "../src/index/follow";
import { ChainIndexer } from "../src/index/indexer";
import { migrate } from "../src/index/schema";
import { IndexReader } from "../src/index/reader";
import { CertificateClient } from "../src/certificates/client";
import { CertificateRegistry__factory } from "../typechain-types";
import { CAP, KIND, code, deployedSuite, evidence } from "./fixtures";
import { startPostgres, type TestPostgres } from "./helpers/postgres";
import { rejection } from "./helpers/rejection";

type Suite = Awaited<ReturnType<typeof deployedSuite>>;

/** Every log of the suite's contracts on chain since the deployment, as (block, index) pairs: what the index must hold. */
async function logsOnChain(suite: Suite): Promise<string[]> {
  const addresses = Object.values(suite.deployment.contracts).map((c) => c!.address);
  const logs = await hre.ethers.provider.getLogs({ address: addresses, fromBlock: suite.deployment.deployBlock, toBlock: "latest" });
  return logs.map((l) => `${l.blockNumber}:${l.index}`);
}

async function indexedRows(db: Database): Promise<string[]> {
  const rows = await db.query<{ block_number: number; log_index: number }>("SELECT block_number, log_index FROM chain_events ORDER BY block_number, log_index");
  return rows.map((r) => `${r.block_number}:${r.log_index}`);
}

/** The in-process chain, seen through a node that refuses log queries over more than `maxRange` blocks (Besu's cap). */
function capped(provider: Provider, maxRange: number, refusals: { count: number }): Provider {
  return new Proxy(provider, {
    get(target, property, receiver) {
      const refuseWide = (filter: Filter | FilterByBlockHash) => {
        const { fromBlock, toBlock } = filter as Filter;
        if (Number(toBlock) - Number(fromBlock) + 1 > maxRange) {
          refusals.count++;
          throw new Error(`exceeds max range of ${maxRange}`);
        }
      };
      if (property === "getLogs") return async (filter: Filter) => (refuseWide(filter), target.getLogs(filter));
      if (property === "send") {
        return async (method: string, params: unknown[]) => {
          if (method === "eth_getLogs") refuseWide(params[0] as Filter);
          return (target as unknown as { send(method: string, params: unknown[]): Promise<unknown> }).send(method, params);
        };
      }
      return Reflect.get(target, property, receiver);
    },
  });
}

for (const engine of ["sqlite", "postgres"] as const) {
  describe(`the chain index (${engine})`, function () {
    this.timeout(120_000);
    let postgres: TestPostgres | undefined;
    let db: Database;
    let target: string;

    before(async () => {
      if (engine === "postgres") postgres = await startPostgres();
    });
    after(() => postgres?.stop());
    beforeEach(async () => {
      target = postgres ? await postgres.database() : path.join(fs.mkdtempSync(path.join(os.tmpdir(), "sakshya-index-")), "index.db");
      db = await openDatabase(target);
      await migrate(db);
    });
    afterEach(async () => db.close());

    /** A suite with some history: two organisations, a key each. */
    async function busySuite(): Promise<Suite> {
      const suite = await deployedSuite();
      await suite.directory.onboard(code("wbu"), KIND.university, CAP.issueCertificates, [0], evidence("wbu"));
      await suite.directory.onboard(code("cu"), KIND.university, CAP.issueCertificates, [0], evidence("cu"));
      await suite.directory.addAccount(1, suite.others[0].address);
      await suite.directory.addAccount(2, suite.others[1].address);
      return suite;
    }

    it("holds every event of the suite from its deployment block, decoded, each once; migrating again changes nothing", async () => {
      const suite = await busySuite();
      const indexer = new ChainIndexer(db, hre.ethers.provider, suite.deployment);
      const count = await indexer.catchUp();
      expect(await indexedRows(db)).to.deep.equal(await logsOnChain(suite));
      expect(count).to.equal((await logsOnChain(suite)).length);
      expect(await indexer.catchUp(), "caught up: nothing more").to.equal(0);
      const [onboarded] = await db.query<{ contract: string; args: string }>("SELECT contract, args FROM chain_events WHERE event = $1 ORDER BY block_number LIMIT 1", ["OrganisationOnboarded"]);
      expect(onboarded.contract).to.equal("ParticipantDirectory");
      expect(JSON.parse(onboarded.args)).to.include({ orgId: "1", code: code("wbu") });
      expect(await migrate(db)).to.equal(7);
      expect((await indexer.checkpoint()).blockNumber).to.equal(await hre.ethers.provider.getBlockNumber());
    });

    it("killed in the middle of a step, it resumes where it stopped with nothing missing or doubled", async () => {
      const suite = await busySuite();
      const head = await hre.ethers.provider.getBlockNumber();
      const killAt = head - 2;
      const dying = new ChainIndexer(db, hre.ethers.provider, suite.deployment, {
        batchBlocks: 1,
        beforeCommit: (block) => {
          if (block === killAt) throw new Error("killed");
        },
      });
      expect((await rejection(dying.catchUp())).message).to.equal("killed");
      expect((await dying.checkpoint()).blockNumber).to.equal(killAt - 1);
      expect((await indexedRows(db)).every((row) => Number(row.split(":")[0]) < killAt)).to.equal(true);
      await new ChainIndexer(db, hre.ethers.provider, suite.deployment, { batchBlocks: 1 }).catchUp();
      expect(await indexedRows(db)).to.deep.equal(await logsOnChain(suite));
    });

    it("a chain rewound under it is taken back to the last shared block and read again", async () => {
      const suite = await busySuite();
      const indexer = new ChainIndexer(db, hre.ethers.provider, suite.deployment);
      const snapshot = await hre.network.provider.send("evm_snapshot");
      await suite.directory.onboard(code("lost"), KIND.university, CAP.issueCertificates, [0], evidence("lost"));
      await indexer.catchUp();
      await hre.network.provider.send("evm_revert", [snapshot]);
      await suite.directory.onboard(code("kept"), KIND.court, 0, [0], evidence("kept"));
      const step = await indexer.step();
      expect(step.rewound).to.be.greaterThan(0);
      await indexer.catchUp();
      expect(await indexedRows(db)).to.deep.equal(await logsOnChain(suite));
      const codes = (await db.query<{ args: string }>("SELECT args FROM chain_events WHERE event = $1", ["OrganisationOnboarded"])).map((r) => JSON.parse(r.args).code);
      expect(codes).to.include(code("kept")).and.not.include(code("lost"));
    });

    it("keeps each record current: a document revoked, an issuer suspended reaching its batches, a rewound record read again", async () => {
      const suite = await busySuite();
      const indexer = new ChainIndexer(db, hre.ethers.provider, suite.deployment);
      const reader = new IndexReader(db, suite.deployment, hre.ethers.provider);
      const chainSide = new CertificateClient(suite.deployment, hre.ethers.provider);
      const registry = CertificateRegistry__factory.connect(suite.deployment.contracts.CertificateRegistry!.address, suite.others[0]);
      const root = textHash(`batch ${engine}`);
      const documents = [0, 1, 2, 3].map((index) => ({ issuerOrgId: 1, root, index }));
      const agree = async () => {
        await indexer.catchUp();
        const [indexed, onChain] = await Promise.all([reader.certificates.statuses(documents), chainSide.statuses(documents)]);
        expect(indexed).to.deep.equal(onChain);
        return indexed.map((v) => v.status);
      };
      await (await registry.issue(root, 3, 0)).wait();
      expect(await agree()).to.deep.equal(["valid", "valid", "valid", "not-issued"]);
      await (await registry.revokeDocument(1, root, 2, 4)).wait();
      expect(await agree()).to.deep.equal(["valid", "valid", "revoked", "not-issued"]);
      // No event of the registry: the directory's suspension of the issuer reaches the batch all the same.
      await (await suite.directory.suspend(1, textHash("inquiry"))).wait();
      expect(await agree()).to.deep.equal(["issuer-suspended", "issuer-suspended", "issuer-suspended", "not-issued"]);
      expect((await reader.organisation(1)).status).to.equal("suspended");
      expect(await reader.organisationIdOf("cu")).to.equal(2);

      const snapshot = await hre.network.provider.send("evm_snapshot");
      await suite.directory.onboard(code("lost"), KIND.university, CAP.issueCertificates, [0], evidence("lost"));
      await indexer.catchUp();
      expect((await reader.organisation(3)).code).to.equal("lost");
      await hre.network.provider.send("evm_revert", [snapshot]);
      await (await suite.governor.sendTransaction({ to: suite.others[5].address, value: 1n })).wait();
      await (await suite.governor.sendTransaction({ to: suite.others[5].address, value: 1n })).wait();
      await indexer.catchUp();
      expect((await rejection(reader.organisation(3))).message).to.equal("No organisation 3 is in the directory.");
    });

    it("a rewind with no new block after it takes back the records read after the shared block and reads them again at once", async () => {
      const suite = await busySuite();
      const indexer = new ChainIndexer(db, hre.ethers.provider, suite.deployment);
      await indexer.catchUp();
      const snapshot = await hre.network.provider.send("evm_snapshot");
      await (await suite.directory.suspend(1, textHash("inquiry"))).wait();
      await indexer.catchUp();
      expect((await new IndexReader(db, suite.deployment, hre.ethers.provider).organisation(1)).status).to.equal("suspended");
      // The same height again, other blocks: nothing new to read, yet the suspension is gone from the chain.
      const height = await hre.ethers.provider.getBlockNumber();
      await hre.network.provider.send("evm_revert", [snapshot]);
      await hre.network.provider.send("hardhat_mine", [`0x${(height - (await hre.ethers.provider.getBlockNumber())).toString(16)}`]);
      const step = await indexer.step();
      expect([step.rewound > 0, step.toBlock]).to.deep.equal([true, height]);
      expect((await new IndexReader(db, suite.deployment, hre.ethers.provider).organisation(1)).status).to.equal("active");
      expect(await db.query("SELECT kind, key FROM stale_records")).to.deep.equal([]);
    });

    it("a chain reset under it (no block shared) empties every table at once and says why it reads nothing", async () => {
      const beforeSuite = await hre.network.provider.send("evm_snapshot");
      const suite = await busySuite();
      const indexer = new ChainIndexer(db, hre.ethers.provider, suite.deployment);
      await indexer.catchUp();
      await hre.network.provider.send("evm_revert", [beforeSuite]);
      const refusal = await rejection(indexer.step());
      expect(refusal.message).to.match(
        new RegExp(`^The chain's head is block \\d+, before the suite's deployment at block ${suite.deployment.deployBlock}: the chain was reset or rebuilt since the deployment file was written, and the index holds nothing of it now\\.$`),
      );
      for (const table of ["chain_events", "indexed_blocks", "current_state", "certificate_codes", "short_codes", "stale_records", "index_checkpoint"]) {
        expect(await db.query(`SELECT * FROM ${table}`), table).to.deep.equal([]);
      }
      expect((await indexer.checkpoint()).blockNumber).to.equal(suite.deployment.deployBlock - 1);
    });

    it("two processes following into one index write each step once; the slower takes the index as it stands", async function () {
      // SQLite's index has one writer, the service that owns its file; several processes share PostgreSQL.
      if (engine === "sqlite") this.skip();
      const suite = await busySuite();
      const other = await openDatabase(target);
      try {
        const [first, second] = [new ChainIndexer(db, hre.ethers.provider, suite.deployment, { batchBlocks: 3 }), new ChainIndexer(other, hre.ethers.provider, suite.deployment, { batchBlocks: 3 })];
        await Promise.all([first.catchUp(), second.catchUp()]);
        expect(await indexedRows(db)).to.deep.equal(await logsOnChain(suite));
        expect((await second.checkpoint()).blockNumber).to.equal(await hre.ethers.provider.getBlockNumber());
      } finally {
        await other.close();
      }
    });

    it("reads through a node that caps log ranges, in steps it accepts", async () => {
      const suite = await busySuite();
      await hre.network.provider.send("hardhat_mine", ["0x12c"]); // 300 empty blocks, then more events
      await suite.directory.onboard(code("late"), KIND.court, 0, [0], evidence("late"));
      const refusals = { count: 0 };
      await new ChainIndexer(db, capped(hre.ethers.provider, 100, refusals), suite.deployment, { batchBlocks: 1_000 }).catchUp();
      expect(refusals.count, "the node refused the wide ranges").to.be.greaterThan(0);
      expect(await indexedRows(db)).to.deep.equal(await logsOnChain(suite));
    });

    it("refuses a chain other than the one it was filled from, with one sentence", async () => {
      const suite = await busySuite();
      await new ChainIndexer(db, hre.ethers.provider, suite.deployment).catchUp();
      const other = new Proxy(hre.ethers.provider, {
        get: (target, property, receiver) => (property === "getNetwork" ? async () => ({ chainId: 1n }) : Reflect.get(target, property, receiver)),
      });
      const refused = await rejection(new ChainIndexer(db, other, suite.deployment).step());
      expect(refused.message).to.match(/^The index database holds chain \d+ \(genesis 0x[0-9a-f]{64}\), but the RPC endpoint serves chain 1 \(genesis 0x[0-9a-f]{64}\); use another database for another chain\.$/);
    });
  });
}

describe("following the chain", function () {
  this.timeout(60_000);

  it("an unreachable RPC is retried with backoff and reported, never skipped; the index catches up once it answers", async () => {
    const suite = await deployedSuite();
    const db = await openDatabase(path.join(fs.mkdtempSync(path.join(os.tmpdir(), "sakshya-follow-")), "index.db"));
    await migrate(db);
    let down = true;
    const flaky = new Proxy(hre.ethers.provider, {
      get(target, property, receiver) {
        const value = Reflect.get(target, property, receiver);
        if (typeof value !== "function") return value;
        return (...args: unknown[]) => (down ? Promise.reject(Object.assign(new Error("connect ECONNREFUSED"), { code: "ECONNREFUSED" })) : value.apply(target, args));
      },
    });
    const status: IndexStatus = {};
    const stop = new AbortController();
    const following = followChain(new ChainIndexer(db, flaky, suite.deployment), flaky, status, { signal: stop.signal, pollMs: 20, maxBackoffMs: 50 });
    try {
      while (status.error === undefined) await new Promise((resolve) => setTimeout(resolve, 10));
      expect(status.error).to.match(/ECONNREFUSED|stopped answering/);
      expect(status.indexed).to.equal(undefined);
      down = false;
      const head = await hre.ethers.provider.getBlockNumber();
      while (status.indexed !== head) await new Promise((resolve) => setTimeout(resolve, 10));
      expect(status.error).to.equal(undefined);
      expect(await indexedRows(db)).to.deep.equal(await logsOnChain(suite));
    } finally {
      stop.abort();
      await following;
      await db.close();
    }
  });
});
