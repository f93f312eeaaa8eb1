import { Result, getAddress, type EventFragment, type Provider } from "ethers";
import { ACCOUNT_PERMISSIONS_ADDRESS, NODE_PERMISSIONS_ADDRESS } from "../besu/permission-contracts";
import { VALIDATOR_CONTRACT_ADDRESS } from "../besu/validator-contract";
import { getRawLogsInRange, type RawLog } from "../chain/logs";
import { suiteInterface } from "../chain/suite-abi";
import type { Deployment } from "../config/deployments";
import { ChainError } from "../errors";
import { CurrentState, subjectOf, type RecordRef } from "./current-state";
import type { Database } from "./database";

/** The contracts the index follows, by address (lower case): the deployment's and the genesis contracts. */
function followedContracts(deployment: Deployment): Map<string, string> {
  const contracts = new Map<string, string>();
  for (const [name, record] of Object.entries(deployment.contracts)) if (record) contracts.set(record.address.toLowerCase(), name);
  contracts.set(VALIDATOR_CONTRACT_ADDRESS.toLowerCase(), "ValidatorSet");
  contracts.set(NODE_PERMISSIONS_ADDRESS.toLowerCase(), "NodePermissions");
  contracts.set(ACCOUNT_PERMISSIONS_ADDRESS.toLowerCase(), "AccountPermissions");
  return contracts;
}

type Json = string | boolean | null | Json[] | { [key: string]: Json };

/** A decoded value as JSON: numbers as decimal strings (they may pass 2^53), structs by member name. */
function jsonOf(value: unknown): Json {
  if (typeof value === "bigint") return value.toString();
  if (value instanceof Result) {
    let named: Record<string, unknown> | undefined;
    try {
      named = value.toObject(false);
    } catch {
      named = undefined; // some member has no name: a plain list
    }
    return named && Object.keys(named).length === value.length ? Object.fromEntries(Object.keys(named).map((n, i) => [n, jsonOf(value[i])])) : [...value].map(jsonOf);
  }
  if (Array.isArray(value)) return value.map(jsonOf);
  if (typeof value === "string" || typeof value === "boolean" || value === null) return value;
  return String(value);
}

export interface IndexedEvent {
  readonly blockNumber: number;
  readonly logIndex: number;
  readonly transactionHash: string;
  readonly contract: string;
  readonly address: string;
  readonly event: string;
  readonly args: Record<string, Json>;
  /** The log as the chain gave it. */
  readonly topics: readonly string[];
  readonly data: string;
  /** The record it is about, when it is about one the index keeps current. */
  readonly subject?: RecordRef;
}

const checksums = new Map<string, string>();

/** An address as the rest of the suite writes it; the index meets a handful of addresses, each worked out once. */
function checksummed(address: string): string {
  let found = checksums.get(address);
  if (!found) checksums.set(address, (found = getAddress(address)));
  return found;
}

let topics: Map<string, EventFragment> | undefined;

/** The suite's events by topic, hashed once: ethers' own lookup hashes every event's signature for every log. */
function eventsByTopic(): Map<string, EventFragment> {
  if (!topics) {
    topics = new Map();
    suiteInterface("event").forEachEvent((fragment) => topics!.set(fragment.topicHash, fragment));
  }
  return topics;
}

/** A log as the index keeps it: decoded with the suite's ABIs, or kept raw (topics and data) if no ABI knows it. */
function decode(log: RawLog, contracts: Map<string, string>): IndexedEvent {
  const contract = contracts.get(log.address.toLowerCase()) ?? "unknown";
  const base = { blockNumber: log.blockNumber, logIndex: log.index, transactionHash: log.transactionHash, contract, address: checksummed(log.address), topics: [...log.topics], data: log.data };
  const fragment = log.topics[0] === undefined ? undefined : eventsByTopic().get(log.topics[0]);
  if (!fragment) return { ...base, event: log.topics[0] ?? "anonymous", args: {} };
  const decoded = suiteInterface("event").decodeEventLog(fragment, log.data, log.topics);
  const args = Object.fromEntries(fragment.inputs.map((input, i) => [input.name || `arg${i}`, jsonOf(decoded[i])]));
  return { ...base, event: fragment.name, args, subject: subjectOf(contract, args) };
}

/**
 * What short verification codes name, as events make it: an issuer's code slot taken by a batch, and each new
 * parcel's number — one more than the parcels before it, so every reader of the chain numbers them alike.
 */
async function recordShortCodes(tx: Database, events: readonly IndexedEvent[]): Promise<void> {
  let parcels: number | undefined;
  for (const e of events) {
    if (e.contract === "CertificateRegistry" && e.event === "CodeSlotTaken") {
      await tx.execute("INSERT INTO short_codes (kind, key, value, block_number, log_index) VALUES ('slot', $1, $2, $3, $4)", [
        `${e.args.issuerOrgId}:${e.args.slot}`,
        String(e.args.root).toLowerCase(),
        e.blockNumber,
        e.logIndex,
      ]);
    } else if (e.contract === "LandRegistry" && e.event === "ParcelCreated" && e.subject) {
      parcels ??= Number((await tx.query<{ n: number }>("SELECT COUNT(*) AS n FROM short_codes WHERE kind = 'parcel'"))[0].n);
      parcels += 1;
      await tx.execute("INSERT INTO short_codes (kind, key, value, block_number, log_index) VALUES ('parcel', $1, $2, $3, $4)", [String(parcels), e.subject.key, e.blockNumber, e.logIndex]);
    }
  }
}

/**
 * Holds the index's write lock until the transaction ends. SQLite has one writer at a time already (its
 * transactions begin IMMEDIATE); PostgreSQL takes an advisory lock that every follower of the index asks for.
 */
async function lockWriters(tx: Database): Promise<void> {
  if (tx.engine === "postgres") await tx.query("SELECT pg_advisory_xact_lock($1)", [INDEX_WRITER_LOCK]);
}

/** The advisory lock key of the index's writers ("SAKI" in ASCII): any number no other user of the database takes. */
const INDEX_WRITER_LOCK = 0x53414b49;

/** Events a step aims at: enough that a step's fixed cost (a few calls, a transaction) is small beside them. */
const STEP_EVENTS = 5_000;
const MIN_WINDOW = 1;

export interface IndexerOptions {
  /** Most blocks read and written in one step (one transaction); smaller steps on a node that caps log ranges. */
  readonly batchBlocks?: number;
  /** Blocks left unread below the head (0 on QBFT, whose blocks are final once made). */
  readonly confirmations?: number;
  /** Called inside each step's transaction after its rows are written: tests kill the indexer here. */
  readonly beforeCommit?: (toBlock: number) => void | Promise<void>;
}

export interface StepResult {
  readonly fromBlock: number;
  readonly toBlock: number;
  readonly events: number;
  /** Blocks taken back because the chain no longer holds them (a reorganisation or a rebuilt chain). */
  readonly rewound: number;
}

/**
 * Follows the suite's contracts from the deployment block into the database, step by step. Each step's events and
 * the checkpoint after it are written in one transaction, so the index is always a prefix of the chain: killed at
 * any moment it resumes after the last whole step, with nothing missing or doubled. Before each step the checkpoint
 * block is compared with the chain's block at that height; if they differ, the index is rewound to the last block
 * the two still share and read again from there.
 */
export class ChainIndexer {
  private readonly contracts: Map<string, string>;
  private readonly state: CurrentState;
  private chainChecked = false;
  /** Widest step, in blocks. */
  private readonly maxWindow: number;
  /** The next step's width, in blocks: starts narrow and adapts to how busy the chain is. */
  private window: number;
  private prefetched?: { fromBlock: number; toBlock: number; logs: Promise<RawLog[]> };
  /** The last block the index held after this indexer's last write or rewind: known without asking the database. */
  held?: number;

  constructor(
    private readonly db: Database,
    private readonly provider: Provider,
    private readonly deployment: Deployment,
    private readonly options: IndexerOptions = {},
  ) {
    this.contracts = followedContracts(deployment);
    this.state = new CurrentState(provider, deployment);
    this.maxWindow = options.batchBlocks ?? 2_000;
    this.window = Math.min(100, this.maxWindow);
  }

  /** The last block the index holds in full, or the block before the deployment when it holds none. */
  async checkpoint(): Promise<{ blockNumber: number; blockHash?: string }> {
    const [row] = await this.db.query<{ block_number: number; block_hash: string }>("SELECT block_number, block_hash FROM index_checkpoint WHERE id = 1");
    return row ? { blockNumber: Number(row.block_number), blockHash: row.block_hash } : { blockNumber: this.deployment.deployBlock - 1 };
  }

  /** Reads the next blocks after the checkpoint (none when caught up), after rewinding what the chain dropped. */
  async step(): Promise<StepResult> {
    await this.requireSameChain();
    const rewound = await this.rewindIfReorganised();
    // Logs fetched ahead may be of the blocks just taken back.
    if (rewound > 0) this.prefetched = undefined;
    const { blockNumber: last } = await this.checkpoint();
    const head = (await this.provider.getBlockNumber()) - (this.options.confirmations ?? 0);
    const fromBlock = last + 1;
    if (head < this.deployment.deployBlock) {
      // The chain may have been reset between the look for a rewind and this one: take the index back first, so that
      // what it holds and this error agree.
      await this.rewindIfReorganised();
      throw new ChainError(
        `The chain's head is block ${head}, before the suite's deployment at block ${this.deployment.deployBlock}: the chain was reset or rebuilt since the deployment file was written, and the index holds nothing of it now.`,
      );
    }
    if (head < fromBlock) {
      // Records a rewind left to read again are read now, even with no new block: until then they are not answered.
      await this.refreshStale(last);
      return { fromBlock, toBlock: last, events: 0, rewound };
    }
    const toBlock = Math.min(head, fromBlock + this.window - 1);
    const logs = await this.logsOf(fromBlock, toBlock);
    // Steps of about STEP_EVENTS events: wide over quiet blocks, narrow over busy ones.
    this.window = Math.max(MIN_WINDOW, Math.min(this.maxWindow, Math.round(((toBlock - fromBlock + 1) * STEP_EVENTS) / Math.max(logs.length, 1))));
    // While this step is decoded and written, the node already answers the next.
    if (toBlock < head) this.prefetch(toBlock + 1, Math.min(head, toBlock + this.window));
    const end = await this.provider.getBlock(toBlock);
    if (!end?.hash) throw new ChainError(`The RPC endpoint has no block ${toBlock}.`);
    const events = logs.map((log) => decode(log, this.contracts));
    const blocks = new Map(logs.map((log) => [log.blockNumber, log.blockHash]));
    const written = await this.db.transaction(async (tx) => {
      // Several service processes may follow into one PostgreSQL index: the first to write a step wins, the others
      // find the checkpoint moved and take the index as it now stands.
      await lockWriters(tx);
      const [held] = await tx.query<{ block_number: number }>("SELECT block_number FROM index_checkpoint WHERE id = 1");
      const now = held ? Number(held.block_number) : this.deployment.deployBlock - 1;
      if (now !== last) return now;
      for (const e of events) {
        await tx.execute(
          "INSERT INTO chain_events (block_number, log_index, transaction_hash, contract, address, event, args, topics, data, subject) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
          [e.blockNumber, e.logIndex, e.transactionHash, e.contract, e.address, e.event, JSON.stringify(e.args), JSON.stringify(e.topics), e.data, e.subject ? `${e.subject.kind}:${e.subject.key}` : null],
        );
      }
      await recordShortCodes(tx, events);
      // The first step also reads what holds from genesis, before any event: the validators and the roles.
      const fromGenesis: RecordRef[] = last < this.deployment.deployBlock ? [{ kind: "validators", key: "all" }, { kind: "governance", key: "all" }] : [];
      await this.state.refresh(tx, [...fromGenesis, ...events.flatMap((e) => (e.subject ? [e.subject] : []))], toBlock, toBlock < head);
      for (const [number, hash] of blocks) await tx.execute("INSERT INTO indexed_blocks (block_number, block_hash) VALUES ($1, $2)", [number, hash]);
      await this.saveCheckpoint(tx, toBlock, end.hash!);
      await this.options.beforeCommit?.(toBlock);
      return toBlock;
    });
    this.held = written;
    if (written !== toBlock) return { fromBlock, toBlock: written, events: 0, rewound };
    return { fromBlock, toBlock, events: events.length, rewound };
  }

  /** Steps until the index reaches the head. */
  async catchUp(): Promise<number> {
    let events = 0;
    for (;;) {
      const step = await this.step();
      events += step.events;
      if (step.toBlock < step.fromBlock) return events;
    }
  }

  private async refreshStale(checkpoint: number): Promise<void> {
    const [pending] = await this.db.query<{ count: number }>("SELECT COUNT(*) AS count FROM stale_records");
    if (Number(pending?.count ?? 0) === 0) return;
    await this.db.transaction(async (tx) => {
      await lockWriters(tx);
      await this.state.refresh(tx, [], checkpoint);
    });
  }

  private logsOf(fromBlock: number, toBlock: number): Promise<RawLog[]> {
    const ready = this.prefetched;
    this.prefetched = undefined;
    if (ready && ready.fromBlock === fromBlock && ready.toBlock === toBlock) return ready.logs;
    return getRawLogsInRange(this.provider, { address: [...this.contracts.keys()] }, fromBlock, toBlock);
  }

  private prefetch(fromBlock: number, toBlock: number): void {
    const logs = getRawLogsInRange(this.provider, { address: [...this.contracts.keys()] }, fromBlock, toBlock);
    // A failure is reported by the step that uses these logs, or dropped with them if none does.
    logs.catch(() => undefined);
    this.prefetched = { fromBlock, toBlock, logs };
  }

  private async saveCheckpoint(tx: Database, blockNumber: number, blockHash: string): Promise<void> {
    await tx.execute(
      "INSERT INTO index_checkpoint (id, block_number, block_hash) VALUES (1, $1, $2) ON CONFLICT (id) DO UPDATE SET block_number = excluded.block_number, block_hash = excluded.block_hash",
      [blockNumber, blockHash],
    );
  }

  /** Refuses a chain other than the one the database was filled from (another id, or another genesis block). */
  private async requireSameChain(): Promise<void> {
    if (this.chainChecked) return;
    const chainId = String((await this.provider.getNetwork()).chainId);
    const genesis = (await this.provider.getBlock(0))?.hash ?? "";
    // The first follower of an empty index records its chain; any other finds it recorded.
    for (const [key, value] of [["chain_id", chainId], ["genesis_hash", genesis]]) {
      await this.db.execute("INSERT INTO index_meta (key, value) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING", [key, value]);
    }
    const meta = new Map((await this.db.query<{ key: string; value: string }>("SELECT key, value FROM index_meta")).map((r) => [r.key, r.value]));
    if (meta.get("chain_id") !== chainId || meta.get("genesis_hash") !== genesis) {
      throw new ChainError(
        `The index database holds chain ${meta.get("chain_id")} (genesis ${meta.get("genesis_hash")}), but the RPC endpoint serves chain ${chainId} (genesis ${genesis}); use another database for another chain.`,
      );
    }
    this.chainChecked = true;
  }

  /** Takes back every block above the last one the index and the chain still share; returns how many. */
  private async rewindIfReorganised(): Promise<number> {
    const checkpoint = await this.checkpoint();
    if (checkpoint.blockHash === undefined) return 0;
    if ((await this.provider.getBlock(checkpoint.blockNumber))?.hash === checkpoint.blockHash) return 0;
    let base = this.deployment.deployBlock - 1;
    let baseHash: string | undefined;
    const stored = await this.db.query<{ block_number: number; block_hash: string }>("SELECT block_number, block_hash FROM indexed_blocks ORDER BY block_number DESC");
    for (const row of stored) {
      const onChain = await this.provider.getBlock(Number(row.block_number));
      if (onChain?.hash === row.block_hash) {
        [base, baseHash] = [Number(row.block_number), row.block_hash];
        break;
      }
    }
    await this.db.transaction(async (tx) => {
      await lockWriters(tx);
      await tx.execute("DELETE FROM chain_events WHERE block_number > $1", [base]);
      await tx.execute("DELETE FROM indexed_blocks WHERE block_number > $1", [base]);
      await tx.execute("DELETE FROM short_codes WHERE block_number > $1", [base]);
      // A relayed transaction whose block was taken back is pending again; its TransactionMined went with the block.
      await tx.execute("UPDATE relayed_transactions SET state = 'pending', block_number = NULL, reason = NULL WHERE block_number > $1", [base]);
      // Every record read after the shared block goes with the blocks: none is answered again until it is read
      // from the chain as it is now. With no block shared, the index holds nothing and the events bring each back.
      if (baseHash === undefined) {
        await CurrentState.clear(tx);
        await tx.execute("DELETE FROM index_checkpoint WHERE id = 1");
      } else {
        await CurrentState.takeBackAfter(tx, base);
        await this.saveCheckpoint(tx, base, baseHash);
      }
    });
    this.held = base;
    return checkpoint.blockNumber - base;
  }
}
