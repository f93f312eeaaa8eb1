import fs from "node:fs";
import path from "node:path";
import { expect } from "chai";
import { HDNodeWallet, Transaction, Wallet, type Provider, type TransactionLike } from "ethers";
import type { FastifyInstance } from "fastify";
import hre from "hardhat";
import { DEV_MNEMONIC, TX_GAS_CAP } from "../src/config/chain";
import type { Database } from "../src/index/database";
import type { IndexStatus } from "../src/index/follow";
import { loadKeccak } from "../src/hashing/keccak";
import { createApiKey, parseRate, type Scope } from "../src/service/api-keys";
import { DROPPED_AFTER_MS, trackOnce } from "../src/service/relay";
import { buildService } from "../src/service/server";
import { CertificateRegistry__factory } from "../typechain-types";
import { REASON, evidence } from "./fixtures";
import { busyChain, indexedService } from "./helpers/busy-chain";
import { runCli } from "./helpers/cli";

/** The development account a wallet of the suite's fixtures signs with, as a key that signs raw transactions. */
const devWallet = (index: number) => HDNodeWallet.fromPhrase(DEV_MNEMONIC, undefined, `m/44'/60'/0'/0/${index}`);
const UNIVERSITY = 3;
const BOARD = 7;
const GOVERNOR = 0;

describe("the transaction relay, for organisations without a node", function () {
  this.timeout(240_000);
  let chain: Awaited<ReturnType<typeof busyChain>>;
  let db: Database;
  let app: FastifyInstance;
  let base: string;
  let status: IndexStatus;
  let catchUp: () => Promise<void>;
  const keys: Partial<Record<"submit" | "readOnly", string>> = {};
  let deploymentFile: string;

  before(async () => {
    chain = await busyChain();
    const make = async (on: Database, scopes: Scope[]) => (await createApiKey(on, { name: scopes.join("+"), scopes, rate: parseRate("1000/s") })).key;
    const service = await indexedService(chain.suite.deployment, {}, async (fresh) => {
      keys.submit = await make(fresh, ["submit"]);
      keys.readOnly = await make(fresh, ["read", "verify"]);
    });
    ({ db, app, status, catchUp } = service);
    deploymentFile = path.join(service.folder, "deployment.json");
    fs.writeFileSync(deploymentFile, JSON.stringify(chain.suite.deployment));
    base = await app.listen({ host: "127.0.0.1", port: 0 });
  });

  after(async () => {
    await app.close();
    await db.close();
  });

  const registry = () => chain.suite.deployment.contracts.CertificateRegistry!.address;
  const revokeCall = (index: number, reason = REASON.withdrawn) => CertificateRegistry__factory.createInterface().encodeFunctionData("revokeDocument", [1, chain.root, index, reason]);

  /** A transaction as a department's own software signs it: legacy, gas price 0, its next nonce. */
  async function signed(signerIndex: number, change: Partial<TransactionLike> = {}): Promise<string> {
    const wallet = devWallet(signerIndex);
    const tx: TransactionLike = {
      type: 0,
      chainId: chain.suite.deployment.chainId,
      nonce: await hre.ethers.provider.getTransactionCount(wallet.address),
      gasPrice: 0n,
      gasLimit: 500_000n,
      to: registry(),
      data: revokeCall(2),
      ...change,
    };
    return wallet.signTransaction(tx);
  }

  const submit = (raw: unknown, key: string | null = keys.submit!) =>
    app.inject({ method: "POST", url: "/v1/transactions", payload: { raw }, headers: key ? { authorization: `Bearer ${key}` } : {} });
  const refusal = async (raw: unknown) => {
    const answer = await submit(raw);
    return [answer.statusCode, answer.json().error];
  };

  it("refuses, with one sentence and nothing sent, what a Besu free-gas node or the directory would not take", async () => {
    const before = await hre.ethers.provider.getBlockNumber();
    expect(await refusal("hello")).to.deep.equal([400, "This is not a signed transaction: send the signed transaction's bytes as 0x-prefixed hex."]);
    const unsigned = Transaction.from({ type: 0, chainId: chain.suite.deployment.chainId, nonce: 0, gasPrice: 0n, gasLimit: 100_000n, to: registry(), data: "0x" }).unsignedSerialized;
    expect(await refusal(unsigned)).to.deep.equal([400, "The transaction is not signed; the relay forwards only transactions signed by their sender."]);
    expect(await refusal(await signed(UNIVERSITY, { chainId: 1 }))).to.deep.equal([400, `The transaction is signed for chain 1, not this network's chain ${chain.suite.deployment.chainId}.`]);
    expect(await refusal(await signed(UNIVERSITY, { type: 2, gasPrice: undefined, maxFeePerGas: 0n, maxPriorityFeePerGas: 0n }))).to.deep.equal([400, "The transaction is of type 2; this network takes legacy transactions (type 0) at gas price 0."]);
    expect(await refusal(await signed(UNIVERSITY, { gasPrice: 1_000_000_000n }))).to.deep.equal([400, "The transaction offers a gas price of 1000000000 wei; this network's gas is free: sign it at gas price 0."]);
    expect(await refusal(await signed(UNIVERSITY, { gasLimit: TX_GAS_CAP + 1n }))).to.deep.equal([400, `The transaction asks for ${TX_GAS_CAP + 1n} gas, over this network's cap per transaction.`]);
    const stranger = `0x${"12".repeat(20)}`;
    expect(await refusal(await signed(UNIVERSITY, { to: stranger }))).to.deep.equal([400, `${hre.ethers.getAddress(stranger)} is not one of this deployment's contracts; the relay forwards calls to them only.`]);
    expect(await refusal(await signed(UNIVERSITY, { to: null, data: "0x6000" }))).to.deep.equal([400, "The relay does not deploy contracts; it forwards calls to the deployment's contracts only."]);
    const outsider = Wallet.createRandom();
    const fromOutsider = await outsider.signTransaction({ type: 0, chainId: chain.suite.deployment.chainId, nonce: 0, gasPrice: 0n, gasLimit: 500_000n, to: registry(), data: revokeCall(2) });
    expect(await refusal(fromOutsider)).to.deep.equal([403, `${outsider.address} is neither an active key of an active organisation in the directory nor a governance role holder; the relay forwards only their transactions.`]);
    // The board's key belongs to an organisation: once the board is suspended, the relay stops forwarding for it.
    await (await chain.suite.directory.suspend(3, evidence("audit"))).wait();
    await catchUp();
    expect((await refusal(await signed(BOARD)))[0]).to.equal(403);
    await (await chain.suite.directory.reinstate(3, evidence("audit closed"))).wait();
    await catchUp();
    // A key without the submit scope, and no key at all.
    const readOnly = await submit(await signed(UNIVERSITY), keys.readOnly!);
    expect([readOnly.statusCode, readOnly.json().error]).to.deep.equal([403, 'This API key may not submit transactions; it needs the "submit" scope.']);
    expect((await submit(await signed(UNIVERSITY), null)).statusCode).to.equal(401);
    expect(await hre.ethers.provider.getBlockNumber(), "nothing reached the chain").to.equal(before + 2);
  });

  it("forwards a department's signed transaction, follows it to its block, and puts TransactionMined in the feed", async () => {
    const answer = await submit(await signed(UNIVERSITY));
    expect(answer.statusCode, answer.body).to.equal(202);
    const { hash, sender, organisation, state } = answer.json();
    expect([sender, organisation, state]).to.deep.equal([devWallet(UNIVERSITY).address, "wbu", "pending"]);
    const followed = await app.inject({ method: "GET", url: `/v1/transactions/${hash}`, headers: { authorization: `Bearer ${keys.submit}` } });
    expect(followed.json()).to.include({ hash, state: "mined" });
    expect((await CertificateRegistry__factory.connect(registry(), hre.ethers.provider).documentStatus(1, chain.root, 2)).status, "the document is revoked on chain").to.equal(6n);
    // The same bytes again: the node holds that nonce already.
    const again = await submit(Transaction.from(await signed(UNIVERSITY, { nonce: 0 })).serialized);
    expect(again.statusCode).to.equal(409);
    expect(again.json().error).to.match(/^The node refused the transaction: /);
    await catchUp();
    expect(await trackOnce(db, hre.ethers.provider, status)).to.equal(1);
    const [row] = await db.query<{ args: string; contract: string }>("SELECT args, contract FROM chain_events WHERE event = 'TransactionMined'");
    expect(row.contract).to.equal("Relay");
    expect(JSON.parse(row.args)).to.deep.equal({ hash: hash.toLowerCase(), sender: devWallet(UNIVERSITY).address, status: "mined" });
    expect(await trackOnce(db, hre.ethers.provider, status), "told once").to.equal(0);
    // One the node never mined and no longer knows is given up on after a while, not followed for ever.
    const forgotten = `0x${"ef".repeat(32)}`;
    const long = new Date(Date.now() - DROPPED_AFTER_MS - 1_000).toISOString();
    const recent = new Date().toISOString();
    for (const [hash, at] of [[forgotten, long], [`0x${"ee".repeat(32)}`, recent]]) {
      await db.execute("INSERT INTO relayed_transactions (hash, key_id, sender, target, nonce, submitted_at, state) VALUES ($1, 'k', $2, $3, 0, $4, 'pending')", [hash, devWallet(UNIVERSITY).address, registry(), at]);
    }
    await trackOnce(db, hre.ethers.provider, status);
    const states = await db.query<{ hash: string; state: string }>("SELECT hash, state FROM relayed_transactions WHERE hash IN ($1, $2) ORDER BY hash", [`0x${"ee".repeat(32)}`, forgotten]);
    expect(states.map((r) => r.state)).to.deep.equal(["pending", "dropped"]);
  });

  it("a reverted transaction is read back with the contract's reason in the command line's words", async () => {
    // Document 1 is revoked already: the registry refuses to revoke it again.
    const answer = await submit(await signed(UNIVERSITY, { data: revokeCall(1) }));
    expect(answer.statusCode, answer.body).to.equal(202);
    const { hash } = answer.json();
    const followed = (await app.inject({ method: "GET", url: `/v1/transactions/${hash}`, headers: { authorization: `Bearer ${keys.submit}` } })).json();
    expect(followed.state).to.equal("reverted");
    expect(followed.reason).to.equal(`The contract refused: document 1 of batch ${chain.root} is already revoked (CertificateRegistryDocumentRevoked).`);
    const unknown = await app.inject({ method: "GET", url: `/v1/transactions/0x${"ab".repeat(32)}`, headers: { authorization: `Bearer ${keys.submit}` } });
    expect([unknown.statusCode, unknown.json().error]).to.deep.equal([404, `The network holds no transaction 0x${"ab".repeat(32)}: it was never sent, or it was dropped.`]);
  });

  it("forwards for a governance role holder too", async () => {
    const data = chain.suite.directory.interface.encodeFunctionData("suspend", [3, evidence("relay test")]);
    const answer = await submit(await signed(GOVERNOR, { to: chain.suite.deployment.contracts.ParticipantDirectory.address, data }));
    expect(answer.statusCode, answer.body).to.equal(202);
    expect(answer.json().sender).to.equal(devWallet(GOVERNOR).address);
    expect(answer.json().role).to.be.oneOf(["ADMIN", "GOVERNOR"]);
    // Whatever the chain made of it (the governor's suspensions wait out a delay), the relay only forwarded it.
    const followed = await app.inject({ method: "GET", url: `/v1/transactions/${answer.json().hash}`, headers: { authorization: `Bearer ${keys.submit}` } });
    expect(["mined", "reverted"]).to.include(followed.json().state);
  });

  it("a node that cannot be reached: 503 when forwarding (nothing known to be sent) and when reading a transaction back", async () => {
    const unreachable = () => Promise.reject(Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:8545"), { code: "NETWORK_ERROR" }));
    const down = { send: unreachable, getTransactionReceipt: unreachable, getTransaction: unreachable, call: unreachable, getBlockNumber: unreachable } as unknown as Provider;
    const cut = await buildService({ db, status, deployment: chain.suite.deployment, provider: down, keccak: await loadKeccak() });
    const recorded = async () => Number((await db.query<{ n: number }>("SELECT COUNT(*) AS n FROM relayed_transactions"))[0].n);
    const before = await recorded();
    try {
      const auth = { authorization: `Bearer ${keys.submit}` };
      const sent = await cut.inject({ method: "POST", url: "/v1/transactions", payload: { raw: await signed(UNIVERSITY) }, headers: auth });
      expect([sent.statusCode, sent.json().error]).to.deep.equal([503, "The node did not take the transaction: it could not be reached. Nothing is known to be sent; send it again."]);
      expect(sent.headers["retry-after"]).to.equal("5");
      const read = await cut.inject({ method: "GET", url: `/v1/transactions/0x${"cd".repeat(32)}`, headers: auth });
      expect([read.statusCode, read.json().error]).to.deep.equal([503, "The node could not be asked about the transaction; try again shortly."]);
      expect(await recorded(), "nothing was recorded as sent").to.equal(before);
    } finally {
      await cut.close();
    }
  });

  it("answers as a JSON-RPC endpoint: a signing client's reads, sends through the same checks, nothing else", async () => {
    const rpc = async (body: unknown) =>
      (await app.inject({ method: "POST", url: "/v1/rpc", payload: body as object, headers: { authorization: `Bearer ${keys.submit}`, "content-type": "application/json" } })).json();
    expect((await rpc({ jsonrpc: "2.0", id: 1, method: "eth_chainId", params: [] })).result).to.equal(`0x${chain.suite.deployment.chainId.toString(16)}`);
    expect((await rpc({ jsonrpc: "2.0", id: 2, method: "eth_sign", params: [] })).error).to.deep.equal({ code: -32601, message: "The relay does not answer eth_sign." });
    expect((await rpc({ jsonrpc: "2.0", id: 3, method: "eth_getLogs", params: [{ fromBlock: "0x0", toBlock: "latest" }] })).error.code).to.equal(-32005);
    const wrongChain = await rpc({ jsonrpc: "2.0", id: 4, method: "eth_sendRawTransaction", params: [await signed(UNIVERSITY, { chainId: 1 })] });
    expect(wrongChain.error).to.deep.equal({ code: -32003, message: `The transaction is signed for chain 1, not this network's chain ${chain.suite.deployment.chainId}.` });
    const batch = await rpc([
      { jsonrpc: "2.0", id: 5, method: "eth_blockNumber", params: [] },
      { jsonrpc: "2.0", id: 6, method: "eth_getTransactionCount", params: [devWallet(UNIVERSITY).address, "latest"] },
    ]);
    expect(batch.map((r: { id: number }) => r.id)).to.deep.equal([5, 6]);
  });

  it("lets the command line sign here and send through the service (--api), with the service's refusals in its words", async () => {
    const cli = (key: string, ...args: string[]) => runCli(["--api", base, "--api-key", key, "--deployments", deploymentFile, ...args]);
    const revoked = await cli(keys.submit!, "cert", "revoke", "--batch", chain.root, "--index", "0", "--reason", "withdrawn", "--dev-account", String(UNIVERSITY));
    expect(revoked.code, revoked.stderr).to.equal(0);
    expect(revoked.stdout).to.match(/✓/);
    expect((await CertificateRegistry__factory.connect(registry(), hre.ethers.provider).documentStatus(1, chain.root, 0)).status).to.equal(6n);
    const refused = await cli(keys.readOnly!, "cert", "revoke", "--batch", chain.root, "--index", "2", "--reason", "withdrawn", "--dev-account", String(UNIVERSITY));
    expect([refused.code, refused.stderr.trim()]).to.deep.equal([2, `error: The Sakshya service at ${base}/v1/rpc refused: This API key may not submit transactions; it needs the "submit" scope.`]);
    const both = await runCli(["--api", base, "--rpc-url", "http://127.0.0.1:1", "cert", "revoke", "--batch", chain.root, "--index", "2", "--reason", "withdrawn"]);
    expect(both.stderr).to.include("Give either --api (a Sakshya service) or --rpc-url (a node), not both.");
  });
});
