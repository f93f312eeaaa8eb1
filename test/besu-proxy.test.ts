import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect } from "chai";
import hre from "hardhat";
import { JsonRpcProvider, Network, Transaction, Wallet, parseEther } from "ethers";
import { BesuProxy, MAX_FUTURE_NONCES } from "../src/besu/proxy";
import { BESU_RPC_ERRORS, PERM_SUCCESS } from "../src/besu/rpc-errors";
import { submitPipelined, type PipelineItem } from "../src/chain/pipeline";
import { LOCAL_CHAIN_ID } from "../src/config/chain";
import { devWallet } from "../src/keys/signer";
import { serveChain } from "./helpers/cli";
import { rejection } from "./helpers/rejection";

interface RpcAnswer {
  id: unknown;
  result?: unknown;
  error?: { code: number; message: string };
}

async function rpc(url: string, body: unknown): Promise<RpcAnswer | RpcAnswer[]> {
  const response = await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
  return (await response.json()) as RpcAnswer | RpcAnswer[];
}

const call = async (url: string, method: string, params: unknown[] = []) => (await rpc(url, { jsonrpc: "2.0", id: 7, method, params })) as RpcAnswer;

const NODE_A = `enode://${"a1".repeat(64)}@10.0.0.1:30303`;
const NODE_B = `enode://${"b2".repeat(64)}@10.0.0.2:30303`;

describe("Besu stand-in proxy", function () {
  let chain: Awaited<ReturnType<typeof serveChain>>;
  let proxy: BesuProxy;
  let provider: JsonRpcProvider;
  // Accounts of their own, so nonces here never disturb other test files.
  const sender = devWallet(11);
  const stranger = Wallet.createRandom();

  const signed = async (overrides: Partial<{ type: number; gasPrice: bigint; gasLimit: bigint; nonce: number; chainId: bigint; maxFeePerGas: bigint }>, wallet: Wallet | ReturnType<typeof devWallet> = sender) => {
    const nonce = await hre.ethers.provider.getTransactionCount(wallet.address, "latest");
    return wallet.signTransaction({ to: stranger.address, value: 1n, type: 0, gasPrice: 0n, gasLimit: 21_000n, nonce, chainId: BigInt(LOCAL_CHAIN_ID), ...overrides });
  };

  before(async function () {
    chain = await serveChain();
    proxy = await BesuProxy.start({ upstream: chain.hardhat, allowlists: { nodes: [NODE_A], accounts: [sender.address, devWallet(12).address] } });
    provider = new JsonRpcProvider(proxy.url, LOCAL_CHAIN_ID, { staticNetwork: Network.from(LOCAL_CHAIN_ID), pollingInterval: 20, cacheTimeout: -1 });
  });

  after(async function () {
    provider.destroy();
    await proxy.close();
    await chain.close();
  });

  it("refuses eth_sendTransaction with Besu's answer, and has no accounts to send from", async function () {
    const answer = await call(proxy.url, "eth_sendTransaction", [{ from: sender.address, to: stranger.address }]);
    expect(answer.error).to.deep.equal(BESU_RPC_ERRORS.ETH_SEND_TX_NOT_AVAILABLE);
    expect(answer.error!.code).to.equal(-32604);
    expect((await call(proxy.url, "eth_accounts")).result).to.deep.equal([]);
  });

  it("does not offer Hardhat's own methods, bar the read-only metadata the upgrades plugin looks for", async function () {
    for (const method of ["hardhat_mine", "evm_mine", "evm_increaseTime", "hardhat_setBalance", "eth_sign", "personal_sign"]) {
      expect((await call(proxy.url, method)).error).to.deep.equal(BESU_RPC_ERRORS.METHOD_NOT_FOUND);
    }
    expect((await call(proxy.url, "hardhat_metadata")).result).to.have.property("chainId", LOCAL_CHAIN_ID);
  });

  it("accepts a signed legacy transaction at gas price 0 and forwards reads", async function () {
    const before = await hre.ethers.provider.getBalance(stranger.address);
    const answer = await call(proxy.url, "eth_sendRawTransaction", [await signed({})]);
    expect(answer.error).to.equal(undefined);
    expect(await hre.ethers.provider.getBalance(stranger.address)).to.equal(before + 1n);
    expect((await call(proxy.url, "eth_chainId")).result).to.equal(`0x${LOCAL_CHAIN_ID.toString(16)}`);
  });

  it("refuses EIP-1559 transactions, a non-zero gas price, more than 2^24 gas, another chain and unprotected signatures", async function () {
    const cases: Array<[string, keyof typeof BESU_RPC_ERRORS]> = [
      [await signed({ type: 2, gasPrice: undefined, maxFeePerGas: 0n }), "INVALID_TRANSACTION_TYPE"],
      [await signed({ gasPrice: 1n }), "TRANSACTION_UPFRONT_COST_EXCEEDS_BALANCE"],
      [await signed({ gasLimit: 16_777_217n }), "EXCEEDS_TRANSACTION_GAS_LIMIT"],
      [await signed({ chainId: 1n }), "WRONG_CHAIN_ID"],
      [Transaction.from({ ...Transaction.from(await signed({})).toJSON(), chainId: 0n, signature: null }).unsignedSerialized, "INVALID_PARAMS"],
      ["0x1234", "INVALID_PARAMS"],
    ];
    const block = await hre.ethers.provider.getBlockNumber();
    for (const [raw, expected] of cases) {
      expect((await call(proxy.url, "eth_sendRawTransaction", [raw])).error, expected).to.deep.equal(BESU_RPC_ERRORS[expected]);
    }
    expect(await hre.ethers.provider.getBlockNumber()).to.equal(block);
  });

  it("refuses a pre-EIP-155 signature as Besu does", async function () {
    const unprotected = Transaction.from({ to: stranger.address, value: 1n, type: 0, gasPrice: 0n, gasLimit: 21_000n, nonce: 0 });
    unprotected.signature = sender.signingKey.sign(unprotected.unsignedHash);
    expect((await call(proxy.url, "eth_sendRawTransaction", [unprotected.serialized])).error).to.deep.equal(BESU_RPC_ERRORS.REPLAY_PROTECTED_SIGNATURE_REQUIRED);
  });

  it("keeps a transaction that leaves a gap until the gap fills, at most 200 nonces ahead, and refuses used nonces", async function () {
    const send = async (raw: string) => call(proxy.url, "eth_sendRawTransaction", [raw]);
    const confirmed = await hre.ethers.provider.getTransactionCount(sender.address, "latest");
    expect((await send(await signed({ nonce: confirmed + MAX_FUTURE_NONCES }))).error).to.deep.equal(BESU_RPC_ERRORS.NONCE_TOO_FAR_IN_FUTURE_FOR_SENDER);
    const [first, second, third] = await Promise.all([0, 1, 2].map((k) => signed({ nonce: confirmed + k })));
    for (const raw of [third, second]) expect((await send(raw)).result).to.equal(Transaction.from(raw).hash);
    expect(await hre.ethers.provider.getTransactionCount(sender.address, "latest")).to.equal(confirmed);
    expect((await send(first)).error).to.equal(undefined);
    expect(await hre.ethers.provider.getTransactionCount(sender.address, "latest")).to.equal(confirmed + 3);
    for (const raw of [first, second, third]) expect((await hre.ethers.provider.getTransactionReceipt(Transaction.from(raw).hash!))!.status).to.equal(1);
    expect((await send(await signed({ nonce: confirmed + 3 + MAX_FUTURE_NONCES - 1 }))).error).to.equal(undefined);
    expect((await send(await signed({ nonce: confirmed }))).error).to.deep.equal(BESU_RPC_ERRORS.NONCE_TOO_LOW);
  });

  it("refuses senders outside the account allow-list", async function () {
    const outsider = devWallet(10);
    const answer = await call(proxy.url, "eth_sendRawTransaction", [await signed({}, outsider)]);
    expect(answer.error).to.deep.equal(BESU_RPC_ERRORS.TX_SENDER_NOT_AUTHORIZED);
    expect(answer.error!.code).to.equal(-32007);
  });

  it("answers a batch in order, intercepted and forwarded calls mixed", async function () {
    const answers = (await rpc(proxy.url, [
      { jsonrpc: "2.0", id: "a", method: "eth_chainId", params: [] },
      { jsonrpc: "2.0", id: "b", method: "eth_sendTransaction", params: [{}] },
      { jsonrpc: "2.0", id: "c", method: "eth_blockNumber", params: [] },
      { jsonrpc: "2.0", id: "d", method: "perm_getNodesAllowlist", params: [] },
    ])) as RpcAnswer[];
    expect(answers.map((a) => a.id)).to.deep.equal(["a", "b", "c", "d"]);
    expect(answers[1].error!.code).to.equal(-32604);
    expect(Number(answers[2].result)).to.equal(await hre.ethers.provider.getBlockNumber());
    expect(((await rpc(proxy.url, [null])) as RpcAnswer[])[0].error!.code).to.equal(-32600);
    const broken = await fetch(proxy.url, { method: "POST", body: "{" });
    expect(((await broken.json()) as RpcAnswer).error!.code).to.equal(-32700);
  });

  describe("perm_* allow-list methods", function () {
    it("adds and removes nodes as Besu does, refusing a whole request for one bad entry", async function () {
      expect((await call(proxy.url, "perm_getNodesAllowlist")).result).to.deep.equal([NODE_A]);
      expect((await call(proxy.url, "perm_addNodesToAllowlist", [[NODE_A]])).error).to.deep.equal(BESU_RPC_ERRORS.NODE_ALLOWLIST_EXISTING_ENTRY);
      expect((await call(proxy.url, "perm_addNodesToAllowlist", [[NODE_B, NODE_B]])).error).to.deep.equal(BESU_RPC_ERRORS.NODE_ALLOWLIST_DUPLICATED_ENTRY);
      expect((await call(proxy.url, "perm_addNodesToAllowlist", [[NODE_B, "enode://zz@1.2.3.4:1"]])).error).to.deep.equal(BESU_RPC_ERRORS.NODE_ALLOWLIST_INVALID_ENTRY);
      expect((await call(proxy.url, "perm_addNodesToAllowlist", [[]])).error).to.deep.equal(BESU_RPC_ERRORS.NODE_ALLOWLIST_EMPTY_ENTRY);
      expect((await call(proxy.url, "perm_getNodesAllowlist")).result).to.deep.equal([NODE_A]);
      expect((await call(proxy.url, "perm_addNodesToAllowlist", [[NODE_B]])).result).to.equal(PERM_SUCCESS);
      expect((await call(proxy.url, "perm_removeNodesFromAllowlist", [[NODE_A.toUpperCase().replace("ENODE", "enode")]])).result).to.equal(PERM_SUCCESS);
      expect((await call(proxy.url, "perm_removeNodesFromAllowlist", [[NODE_A]])).error).to.deep.equal(BESU_RPC_ERRORS.NODE_ALLOWLIST_MISSING_ENTRY);
      expect((await call(proxy.url, "perm_getNodesAllowlist")).result).to.deep.equal([NODE_B]);
    });

    it("adds and removes accounts, case aside", async function () {
      const account = Wallet.createRandom().address;
      expect((await call(proxy.url, "perm_addAccountsToAllowlist", [[account.toLowerCase()]])).result).to.equal(PERM_SUCCESS);
      expect((await call(proxy.url, "perm_addAccountsToAllowlist", [[account]])).error).to.deep.equal(BESU_RPC_ERRORS.ACCOUNT_ALLOWLIST_EXISTING_ENTRY);
      expect((await call(proxy.url, "perm_addAccountsToAllowlist", [["0x12"]])).error).to.deep.equal(BESU_RPC_ERRORS.ACCOUNT_ALLOWLIST_INVALID_ENTRY);
      expect((await call(proxy.url, "perm_removeAccountsFromAllowlist", [[account]])).result).to.equal(PERM_SUCCESS);
      expect((await call(proxy.url, "perm_removeAccountsFromAllowlist", [[account]])).error).to.deep.equal(BESU_RPC_ERRORS.ACCOUNT_ALLOWLIST_ABSENT_ENTRY);
    });

    it("answers that an allow-list is not enabled when the node has none", async function () {
      const open = await BesuProxy.start({ upstream: chain.hardhat });
      try {
        expect((await call(open.url, "perm_getNodesAllowlist")).error).to.deep.equal(BESU_RPC_ERRORS.NODE_ALLOWLIST_NOT_ENABLED);
        expect((await call(open.url, "perm_addAccountsToAllowlist", [[sender.address]])).error).to.deep.equal(BESU_RPC_ERRORS.ACCOUNT_ALLOWLIST_NOT_ENABLED);
      } finally {
        await open.close();
      }
    });
  });

  describe("pipelined submission", function () {
    const wallet = () => new Wallet(devWallet(12).privateKey, provider);
    const transfers = (count: number, salt: number): PipelineItem[] =>
      Array.from({ length: count }, (_, i) => ({ to: Wallet.createRandom().address, value: BigInt(salt * 1000 + i + 1), gasLimit: 21_000n }));

    before(async function () {
      await hre.network.provider.send("hardhat_setBalance", [devWallet(12).address, `0x${parseEther("1000").toString(16)}`]);
    });

    /** Starts a job with blocks held back, interrupts it once 20 transactions wait in the pool, lets `meanwhile` act, then mines. */
    async function interruptedWithTwentySent(items: PipelineItem[], journal: string, meanwhile: (interruption: Error) => Promise<void>): Promise<void> {
      await hre.network.provider.send("evm_setAutomine", [false]);
      const controller = new AbortController();
      try {
        const run = submitPipelined(wallet(), provider, items, { window: 20, journal, signal: controller.signal, pollMs: 10 });
        while ((await hre.network.provider.send("eth_getBlockByNumber", ["pending", false])).transactions.length < 20) await new Promise((r) => setTimeout(r, 10));
        controller.abort();
        await meanwhile(await rejection(run));
        await hre.network.provider.send("evm_mine");
      } finally {
        await hre.network.provider.send("evm_setAutomine", [true]);
      }
    }

    it("sends more transactions than the pool keeps for one sender, every receipt confirmed in order", async function () {
      const items = transfers(450, 1);
      const start = await provider.getTransactionCount(devWallet(12).address);
      const progress: number[] = [];
      const result = await submitPipelined(wallet(), provider, items, { window: 200, onProgress: (done) => progress.push(done) });
      expect(result.receipts).to.have.length(450);
      expect(result.receipts.every((r, i) => r.status === 1 && r.to === items[i].to)).to.equal(true);
      expect(result.sent).to.equal(450);
      expect(await provider.getTransactionCount(devWallet(12).address)).to.equal(start + 450);
      expect(progress.at(-1)).to.equal(450);
    });

    it("resumes after an interruption: mined ones collected, lost ones rebroadcast byte for byte, nothing sent twice", async function () {
      const journal = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "sakshya-pipeline-")), "job.jsonl");
      const items = transfers(30, 2);
      const start = await provider.getTransactionCount(devWallet(12).address);
      await interruptedWithTwentySent(items, journal, async (interruption) => {
        expect(interruption.message).to.match(/Interrupted with 20 transaction\(s\) sent/);
        // The node loses the last 8 from its pool (a restart), then mines the other 12.
        const lines = fs.readFileSync(journal, "utf8").trim().split("\n").slice(1).map((l) => JSON.parse(l) as { hash: string });
        expect(lines).to.have.length(20);
        for (const { hash } of lines.slice(12).reverse()) await hre.network.provider.send("hardhat_dropTransaction", [hash]);
      });
      expect(await provider.getTransactionCount(devWallet(12).address)).to.equal(start + 12);
      const result = await submitPipelined(wallet(), provider, items, { window: 20, journal });
      expect(result.resumed).to.equal(12);
      expect(result.sent).to.equal(18);
      expect(result.receipts.every((r, i) => r.status === 1 && r.to === items[i].to)).to.equal(true);
      expect(await provider.getTransactionCount(devWallet(12).address)).to.equal(start + 30);
      const again = await submitPipelined(wallet(), provider, items, { journal });
      expect([again.resumed, again.sent]).to.deep.equal([30, 0]);
      expect((await rejection(submitPipelined(wallet(), provider, transfers(2, 3), { journal }))).message).to.match(/belongs to a different job/);
    });

    it("its journal's tail lost in a crash, re-derives what was sent from the chain and sends only what is missing", async function () {
      const journal = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "sakshya-pipeline-")), "job.jsonl");
      const items = transfers(30, 4);
      const start = await provider.getTransactionCount(devWallet(12).address);
      await interruptedWithTwentySent(items, journal, async () => undefined);
      // An OS crash took the journal's last 8 lines; the chain mined all 20.
      const lines = fs.readFileSync(journal, "utf8").trim().split("\n");
      fs.writeFileSync(journal, `${lines.slice(0, 13).join("\n")}\n`);
      const result = await submitPipelined(wallet(), provider, items, { window: 20, journal });
      expect([result.resumed, result.sent]).to.deep.equal([20, 10]);
      expect(result.receipts.every((r, i) => r.status === 1 && r.to === items[i].to)).to.equal(true);
      expect(await provider.getTransactionCount(devWallet(12).address)).to.equal(start + 30);
      expect(fs.readFileSync(journal, "utf8").trim().split("\n"), "the lost lines written again, then the rest").to.have.length(31);
      const again = await submitPipelined(wallet(), provider, items, { journal });
      expect([again.resumed, again.sent]).to.deep.equal([30, 0]);
    });

    it("refuses to resume a journal whose lost tail cannot be re-derived, sending nothing", async function () {
      const journal = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "sakshya-pipeline-")), "job.jsonl");
      const items = transfers(30, 6);
      const start = await provider.getTransactionCount(devWallet(12).address);
      await interruptedWithTwentySent(items, journal, async () => undefined);
      // A journal written before it recorded its first block, with its tail lost.
      const [header, ...entries] = fs.readFileSync(journal, "utf8").trim().split("\n");
      const { firstBlock: _firstBlock, ...older } = JSON.parse(header) as Record<string, unknown>;
      fs.writeFileSync(journal, `${[JSON.stringify(older), ...entries.slice(0, 12)].join("\n")}\n`);
      const failure = await rejection(submitPipelined(wallet(), provider, items, { window: 20, journal }));
      expect(failure.message).to.equal(
        `The chain shows ${devWallet(12).address}'s transactions up to nonce ${start + 19}, but the journal ${journal} records them only up to nonce ${start + 11} (since nonce ${start}); resuming could send the unrecorded ones twice, so nothing was sent. Check what was mined, then start a new journal for what is missing. (This journal predates the record of its first block, so what was sent cannot be re-derived.)`,
      );
      expect(await provider.getTransactionCount(devWallet(12).address)).to.equal(start + 20);
    });

    it("refuses to re-derive a lost tail that holds a transaction the job did not make (the key used elsewhere)", async function () {
      const journal = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "sakshya-pipeline-")), "job.jsonl");
      const items = transfers(30, 7);
      const start = await provider.getTransactionCount(devWallet(12).address);
      await interruptedWithTwentySent(items, journal, async () => undefined);
      const lines = fs.readFileSync(journal, "utf8").trim().split("\n");
      fs.writeFileSync(journal, `${lines.slice(0, 21).join("\n")}\n`);
      // Meanwhile the same key sent something else.
      await (await wallet().sendTransaction({ to: stranger.address, value: 1n, gasPrice: 0n, type: 0 })).wait();
      const failure = await rejection(submitPipelined(wallet(), provider, items, { window: 20, journal }));
      expect(failure.message).to.match(new RegExp(`records them only up to nonce ${start + 19} .* \\(The transaction at nonce ${start + 20} is not one of this job's\\.\\)$`));
      expect(await provider.getTransactionCount(devWallet(12).address)).to.equal(start + 21);
    });

    it("gives up, resumable, when nothing it sent is mined within its deadline", async function () {
      await hre.network.provider.send("evm_setAutomine", [false]);
      try {
        const stalled = await rejection(submitPipelined(wallet(), provider, transfers(3, 5), { stallMs: 300, pollMs: 10 }));
        expect(stalled.message).to.equal("3 transaction(s) were sent and none was mined in 0.3 s; they may still be mined.");
        await hre.network.provider.send("evm_mine");
      } finally {
        await hre.network.provider.send("evm_setAutomine", [true]);
      }
    });

    it("stops at the first refusal, naming the transaction", async function () {
      const items: PipelineItem[] = [{ to: stranger.address, gasLimit: 20_000_000n }];
      expect((await rejection(submitPipelined(wallet(), provider, items))).message).to.match(/refused transaction 1 of 1 \(nonce \d+\): .*gas limit/);
      expect((await rejection(submitPipelined(wallet(), provider, items, { window: 500 }))).message).to.match(/window must be 1 to 200/);
    });
  });
});
