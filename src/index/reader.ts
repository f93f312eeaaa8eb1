import { ZeroAddress, type Provider } from "ethers";
import { ILandRegistry__factory } from "../../typechain-types";
import type { DocumentRef, DocumentStatusView } from "../certificates/client";
import type { StatusRegistry } from "../certificates/checks";
import { reasonName, statusAt, statusName } from "../certificates/vocabulary";
import type { Deployment } from "../config/deployments";
import type { OrganisationDetail } from "../directory/client";
import type { PendingOperation, RoleView } from "../governance/inspect";
import { LandClient, type MutationView, type ParcelView } from "../land/client";
import type { LandEvent } from "../land/events";
import type { ExtractRecords } from "../land/extract";
import type { OrganisationCodes, TitleRecords } from "../land/history";
import type { ReleaseView, SiteView } from "../websites/client";
import { ChainError, NotFoundError } from "../errors";
import { batchKey, CODES_PER_CHUNK, type RecordKind } from "./current-state";
import type { Database } from "./database";

export interface IndexedBatch {
  readonly issuerOrgId: number;
  readonly root: string;
  readonly signer: string;
  readonly issuedAt: number;
  readonly expiresAt: number;
  readonly documentCount: number;
  readonly replacements: Record<string, DocumentRef>;
  /** Governance's decision affirming a batch its signer's compromise had voided. */
  readonly affirmation?: string;
}

export interface IndexedParcel extends ParcelView {
  readonly liensHeld: Array<{ lien: string; holder: number; registeredAt: number; consentedTo: string }>;
  readonly pendingMutations: MutationView[];
}

export interface IndexedSite extends SiteView {
  readonly releases: ReleaseView[];
}

export interface IndexedGovernance {
  readonly roles: RoleView[];
  readonly operations: PendingOperation[];
}

const landEvents = ILandRegistry__factory.createInterface();

/**
 * Reads what the indexer wrote: current records, document statuses and events, in the shapes the domain modules
 * read from the chain — so that verification, title history and extract checks run the same code over either.
 * `certificates` and `land` stand where a `CertificateClient` or `LandClient` would.
 */
export class IndexReader implements OrganisationCodes {
  readonly certificates: StatusRegistry;
  readonly land: TitleRecords & ExtractRecords;
  private readonly chainLand?: LandClient;

  /** Rows read since the index last moved: most answers repeat a few batches and organisations. */
  private readonly cache = new Map<string, unknown>();
  private cachedAt?: number | string;

  /**
   * `indexedBlock` says which block the index holds now (with how often it was rewound, as one key: a rewound index
   * may come back to the same block with other rows); while it stays the same, rows once read are answered from
   * memory. Without it, every answer reads the database.
   */
  constructor(
    private readonly db: Database,
    readonly deployment: Deployment,
    private readonly provider: Provider,
    private readonly now: () => number = () => Math.floor(Date.now() / 1000),
    private readonly indexedBlock: () => number | string | undefined = () => undefined,
  ) {
    if (deployment.contracts.LandRegistry) this.chainLand = new LandClient(deployment, provider);
    this.certificates = { deployment, address: deployment.contracts.CertificateRegistry?.address ?? ZeroAddress, statuses: (documents) => this.statuses(documents) };
    this.land = {
      deployment,
      address: deployment.contracts.LandRegistry?.address ?? ZeroAddress,
      parcel: (ulpin) => this.parcel(ulpin),
      requireParcel: (ulpin) => this.requireParcel(ulpin),
      events: (ulpin) => this.events(ulpin),
      mutation: (ulpin, deedHash) => this.mutation(ulpin, deedHash),
    };
  }

  /** A row's value, from memory while the index has not moved since it was read. Callers must not change it. */
  private async cached<T>(key: string, load: () => Promise<T>): Promise<T> {
    const block = this.indexedBlock();
    if (block === undefined) return load();
    if (block !== this.cachedAt) {
      this.cache.clear();
      this.cachedAt = block;
    }
    if (this.cache.has(key)) return this.cache.get(key) as T;
    const value = await load();
    if (this.cache.size < 100_000) this.cache.set(key, value);
    return value;
  }

  async record<T>(kind: RecordKind, key: string): Promise<T | undefined> {
    return this.cached(`${kind}|${key}`, async () => {
      const [row] = await this.db.query<{ value: string }>("SELECT value FROM current_state WHERE kind = $1 AND key = $2", [kind, key]);
      return row ? (JSON.parse(row.value) as T) : undefined;
    });
  }

  async records<T>(kind: RecordKind): Promise<T[]> {
    const rows = await this.db.query<{ value: string }>("SELECT value FROM current_state WHERE kind = $1 ORDER BY org_id, key", [kind]);
    return rows.map((row) => JSON.parse(row.value) as T);
  }

  // ---------------------------------------------------------------- directory

  async organisationIdOf(code: string): Promise<number | undefined> {
    return this.cached(`code|${code}`, async () => {
      const [row] = await this.db.query<{ org_id: number }>("SELECT org_id FROM current_state WHERE kind = 'organisation' AND label = $1", [code]);
      return row ? Number(row.org_id) : undefined;
    });
  }

  async organisation(id: number): Promise<OrganisationDetail> {
    const found = await this.record<OrganisationDetail>("organisation", String(id));
    if (!found) throw new NotFoundError(`No organisation ${id} is in the directory.`);
    return found;
  }

  async codeOf(id: number): Promise<string> {
    return (await this.organisation(id)).code;
  }

  // ---------------------------------------------------------------- certificates

  async batch(issuerOrgId: number, root: string): Promise<IndexedBatch | undefined> {
    return this.record<IndexedBatch>("batch", batchKey(issuerOrgId, root));
  }

  /** Each document's status as the registry gave it when last read, with expiry applied at this moment. */
  async statuses(documents: readonly DocumentRef[]): Promise<DocumentStatusView[]> {
    const batches = new Map<string, IndexedBatch | undefined>();
    const views: DocumentStatusView[] = [];
    for (const { issuerOrgId, root, index } of documents) {
      const key = batchKey(issuerOrgId, root);
      if (!batches.has(key)) batches.set(key, await this.batch(issuerOrgId, root));
      const batch = batches.get(key);
      if (!batch || index >= batch.documentCount) {
        views.push({ status: "not-issued", reason: "none", issuerOrgId, signer: batch?.signer ?? ZeroAddress, issuedAt: batch?.issuedAt ?? 0, expiresAt: batch?.expiresAt ?? 0 });
        continue;
      }
      const chunk = Math.floor(index / CODES_PER_CHUNK);
      const offset = 4 * (index % CODES_PER_CHUNK);
      const codes = await this.cached(`codes|${key}|${chunk}`, async () => {
        const [row] = await this.db.query<{ codes: string }>("SELECT codes FROM certificate_codes WHERE issuer_org_id = $1 AND root = $2 AND chunk = $3", [issuerOrgId, key.split(":")[1], chunk]);
        return row.codes;
      });
      const status = statusAt(statusName(parseInt(codes.slice(offset, offset + 2), 16)), batch.expiresAt, this.now());
      const replacement = batch.replacements[String(index)];
      views.push({
        status,
        reason: reasonName(parseInt(codes.slice(offset + 2, offset + 4), 16)),
        issuerOrgId,
        signer: batch.signer,
        issuedAt: batch.issuedAt,
        expiresAt: batch.expiresAt,
        ...(status === "superseded" && replacement ? { replacement } : {}),
        ...(batch.affirmation ? { affirmation: batch.affirmation } : {}),
      });
    }
    return views;
  }

  // ---------------------------------------------------------------- short codes

  /** The root of the issuer's batch holding a short-code slot, if one does: the last to take it. */
  async codeSlotRoot(issuerOrgId: number, slot: number): Promise<string | undefined> {
    return this.shortCode("slot", `${issuerOrgId}:${slot}`);
  }

  /** The ULPIN of the parcel created `number`th in the registry. */
  async parcelByNumber(number: number): Promise<string | undefined> {
    return this.shortCode("parcel", String(number));
  }

  /** A parcel's creation number, for the short code of its title extracts. */
  async parcelNumber(ulpin: string): Promise<number | undefined> {
    const [row] = await this.db.query<{ key: string }>("SELECT key FROM short_codes WHERE kind = 'parcel' AND value = $1", [ulpin]);
    return row ? Number(row.key) : undefined;
  }

  private shortCode(kind: "slot" | "parcel", key: string): Promise<string | undefined> {
    return this.cached(`short|${kind}|${key}`, async () => {
      const [row] = await this.db.query<{ value: string }>("SELECT value FROM short_codes WHERE kind = $1 AND key = $2 ORDER BY block_number DESC, log_index DESC LIMIT 1", [
        kind,
        key,
      ]);
      return row?.value;
    });
  }

  // ---------------------------------------------------------------- land

  async parcel(ulpin: string): Promise<IndexedParcel | undefined> {
    return this.record<IndexedParcel>("parcel", ulpin);
  }

  async requireParcel(ulpin: string): Promise<ParcelView> {
    const parcel = await this.parcel(ulpin);
    if (!parcel) throw new NotFoundError(`No parcel ${ulpin} is on chain.`);
    return parcel;
  }

  /** The parcel's events from the index, decoded as from the chain, each with its block's time. */
  async events(ulpin: string): Promise<LandEvent[]> {
    const rows = await this.db.query<{ block_number: number; log_index: number; transaction_hash: string; topics: string; data: string }>(
      "SELECT block_number, log_index, transaction_hash, topics, data FROM chain_events WHERE subject = $1 ORDER BY block_number, log_index",
      [`parcel:${ulpin}`],
    );
    const times = await this.blockTimes(rows.map((row) => Number(row.block_number)));
    return rows.flatMap((row) => {
      const parsed = landEvents.parseLog({ topics: JSON.parse(row.topics) as string[], data: row.data });
      if (!parsed) return [];
      const blockNumber = Number(row.block_number);
      return [{ name: parsed.name, args: parsed.args, blockNumber, transactionHash: row.transaction_hash, logIndex: Number(row.log_index), time: times.get(blockNumber)! }];
    });
  }

  /** A mutation read through from the chain: whether it is overdue changes with time alone. */
  async mutation(ulpin: string, deedHash: string): Promise<MutationView | undefined> {
    return this.chainLand?.mutation(ulpin, deedHash);
  }

  /** Block times, from the index where it has them, else read once from the chain and kept. */
  private async blockTimes(blocks: readonly number[]): Promise<Map<number, number>> {
    const times = new Map<number, number>();
    for (const block of new Set(blocks)) {
      const [row] = await this.db.query<{ block_time: number | null }>("SELECT block_time FROM indexed_blocks WHERE block_number = $1", [block]);
      let time = row?.block_time === null || row?.block_time === undefined ? undefined : Number(row.block_time);
      if (time === undefined) {
        const read = await this.provider.getBlock(block);
        // Never a time made up: a history dated 1970 would be a false answer.
        if (!read) throw new ChainError(`Block ${block} could not be read from the RPC endpoint.`);
        time = read.timestamp;
        await this.db.execute("UPDATE indexed_blocks SET block_time = $1 WHERE block_number = $2", [time, block]);
      }
      times.set(block, time);
    }
    return times;
  }

  // ---------------------------------------------------------------- websites and governance

  async site(siteId: string): Promise<IndexedSite | undefined> {
    return this.record<IndexedSite>("site", siteId.toLowerCase());
  }

  async governance(): Promise<IndexedGovernance> {
    return (await this.record<IndexedGovernance>("governance", "all")) ?? { roles: [], operations: [] };
  }

  async validators(): Promise<{ validators: string[]; minimum: number }> {
    return (await this.record<{ validators: string[]; minimum: number }>("validators", "all")) ?? { validators: [], minimum: 0 };
  }
}
