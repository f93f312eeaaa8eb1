import { hexlify, type Provider } from "ethers";
import { SakshyaAuthority__factory, ValidatorSet__factory } from "../../typechain-types";
import { VALIDATOR_CONTRACT_ADDRESS } from "../besu/validator-contract";
import { CertificateClient } from "../certificates/client";
import type { Deployment } from "../config/deployments";
import { DirectoryClient } from "../directory/client";
import { describeRoles, pendingOperations } from "../governance/inspect";
import { LandClient } from "../land/client";
import { ulpinBytes, ulpinText } from "../land/titles";
import { WebsiteClient } from "../websites/client";
import type { Database } from "./database";

/** The records the index keeps current, each re-read from the chain when an event touches it. */
export type RecordKind = "organisation" | "batch" | "parcel" | "site" | "validators" | "governance";

export interface RecordRef {
  readonly kind: RecordKind;
  readonly key: string;
  /** For a batch: only these documents' marks changed, so only their part of the batch is read again. */
  readonly documents?: readonly number[];
}

/** Documents per row of `certificate_codes`: one document's status is one short row, not its batch's whole list. */
export const CODES_PER_CHUNK = 256;

export const batchKey = (issuerOrgId: number | string, root: string) => `${issuerOrgId}:${root.toLowerCase()}`;

type EventArgs = Readonly<Record<string, unknown>>;

/** The record an event is about, by the contract that emitted it and the arguments every such event names. */
export function subjectOf(contract: string, args: EventArgs): RecordRef | undefined {
  switch (contract) {
    case "ParticipantDirectory":
      return args.orgId === undefined ? undefined : { kind: "organisation", key: String(args.orgId) };
    case "CertificateRegistry":
      return args.root === undefined || args.issuerOrgId === undefined ? undefined : { kind: "batch", key: batchKey(String(args.issuerOrgId), String(args.root)), ...documentsOf(args) };
    case "LandRegistry":
      return typeof args.ulpin === "string" ? { kind: "parcel", key: ulpinText(args.ulpin) } : undefined;
    case "WebsiteRegistry":
      return typeof args.siteId === "string" ? { kind: "site", key: args.siteId.toLowerCase() } : undefined;
    case "ValidatorSet":
      return { kind: "validators", key: "all" };
    case "SakshyaAuthority":
      return { kind: "governance", key: "all" };
    default:
      return undefined;
  }
}

/** The documents a document-level event names: one `index`, or a bitmap of 256 per word from `firstWord`. */
function documentsOf(args: EventArgs): { documents?: number[] } {
  if (args.index !== undefined) return { documents: [Number(args.index)] };
  if (args.firstWord === undefined || !Array.isArray(args.bitmap)) return {};
  const documents: number[] = [];
  args.bitmap.forEach((word, w) => {
    let bits = BigInt(String(word));
    for (let bit = 0; bits > 0n; bit++, bits >>= 1n) if (bits & 1n) documents.push((Number(args.firstWord) + w) * 256 + bit);
  });
  return { documents };
}

function markStale(tx: Database, ref: RecordRef): Promise<void> {
  return tx.execute("INSERT INTO stale_records (kind, key) VALUES ($1, $2) ON CONFLICT (kind, key) DO NOTHING", [ref.kind, ref.key]);
}

/** A record as stored: its JSON value and its second keys; a batch also carries its documents' status codes. */
interface RecordRow {
  readonly value: unknown;
  readonly orgId?: number;
  readonly label?: string;
  readonly codes?: Uint8Array;
}

/**
 * Keeps `current_state` current: re-reads each touched record through the domain clients — the chain's own read
 * functions, so the index never decides a status, a title or a standing by itself — and writes it in the step's
 * transaction. An organisation's change (suspended, a key reported compromised) also re-reads its batches and sites,
 * whose statuses depend on it. Records are read at the chain's latest state: never older than the block the index
 * names.
 */
export class CurrentState {
  private readonly directory: DirectoryClient;
  private readonly certificates?: CertificateClient;
  private readonly land?: LandClient;
  private readonly websites?: WebsiteClient;

  constructor(
    private readonly provider: Provider,
    private readonly deployment: Deployment,
  ) {
    this.directory = new DirectoryClient(deployment, provider);
    if (deployment.contracts.CertificateRegistry) this.certificates = new CertificateClient(deployment, provider);
    if (deployment.contracts.LandRegistry) this.land = new LandClient(deployment, provider);
    if (deployment.contracts.WebsiteRegistry) this.websites = new WebsiteClient(deployment, provider);
  }

  /**
   * Re-reads and stores `touched`, every stale record, and the records of every organisation touched. With `defer`
   * (more steps follow at once, catching up), only notes them stale: each is read once, when the index reaches the
   * head, however many steps touched it.
   */
  async refresh(tx: Database, touched: readonly RecordRef[], blockNumber: number, defer = false): Promise<number> {
    if (defer) {
      const unique = new Map(touched.map((ref) => [`${ref.kind}|${ref.key}`, ref]));
      for (const ref of unique.values()) await markStale(tx, ref);
      return 0;
    }
    const wanted = new Map<string, RecordRef>();
    const want = (ref: RecordRef) => {
      const id = `${ref.kind}|${ref.key}`;
      const earlier = wanted.get(id);
      // Some documents and some more are those documents; some documents and the whole batch is the whole batch.
      const documents = earlier === undefined ? ref.documents : earlier.documents && ref.documents ? [...earlier.documents, ...ref.documents] : undefined;
      wanted.set(id, { kind: ref.kind, key: ref.key, documents });
    };
    touched.forEach(want);
    const stale = await tx.query<{ kind: RecordKind; key: string }>("SELECT kind, key FROM stale_records");
    stale.forEach(want);
    const organisations = [...wanted.values()].filter((ref) => ref.kind === "organisation").map((ref) => Number(ref.key));
    for (const orgId of organisations) {
      const dependents = await tx.query<{ kind: RecordKind; key: string }>("SELECT kind, key FROM current_state WHERE org_id = $1 AND kind IN ('batch', 'site')", [orgId]);
      dependents.forEach(want);
    }
    for (const ref of wanted.values()) {
      if (ref.kind === "batch" && ref.documents && (await this.refreshDocuments(tx, ref.key, ref.documents, blockNumber))) continue;
      await this.store(tx, ref, await this.read(tx, ref), blockNumber);
    }
    await tx.execute("DELETE FROM stale_records");
    return wanted.size;
  }

  /**
   * Re-reads only the chunks of a stored batch that hold `documents`, and their replacements; false when the batch is
   * not stored yet (then it is read whole).
   */
  private async refreshDocuments(tx: Database, key: string, documents: readonly number[], blockNumber: number): Promise<boolean> {
    const [row] = await tx.query<{ value: string }>("SELECT value FROM current_state WHERE kind = 'batch' AND key = $1", [key]);
    if (!row || !this.certificates) return false;
    const stored = JSON.parse(row.value) as { documentCount: number; replacements: Record<string, unknown> };
    const [issuerOrgId, root] = key.split(":");
    const batch = { issuerOrgId: Number(issuerOrgId), root };
    for (const chunk of new Set(documents.map((index) => Math.floor(index / CODES_PER_CHUNK)))) {
      const first = chunk * CODES_PER_CHUNK;
      const count = Math.min(CODES_PER_CHUNK, stored.documentCount - first);
      if (count <= 0) continue;
      const { codes, replacements } = await this.certificates.documentCodes(batch, first, count);
      for (const index of Object.keys(stored.replacements)) if (Number(index) >= first && Number(index) < first + count) delete stored.replacements[index];
      Object.assign(stored.replacements, replacements);
      await tx.execute(
        "INSERT INTO certificate_codes (issuer_org_id, root, chunk, codes) VALUES ($1, $2, $3, $4) ON CONFLICT (issuer_org_id, root, chunk) DO UPDATE SET codes = excluded.codes",
        [batch.issuerOrgId, root, chunk, Buffer.from(codes).toString("hex")],
      );
    }
    await tx.execute("UPDATE current_state SET value = $1, block_number = $2 WHERE kind = 'batch' AND key = $3", [JSON.stringify(stored), blockNumber, key]);
    return true;
  }

  /**
   * Takes back every record read after `blockNumber`: marked stale for the next step to read again from the chain,
   * and removed (with a batch's document codes) so that nothing is answered from blocks the chain no longer holds.
   */
  static async takeBackAfter(tx: Database, blockNumber: number): Promise<void> {
    await tx.execute("INSERT INTO stale_records (kind, key) SELECT kind, key FROM current_state WHERE block_number > $1 ON CONFLICT (kind, key) DO NOTHING", [blockNumber]);
    await tx.execute(
      "DELETE FROM certificate_codes WHERE EXISTS (SELECT 1 FROM current_state s WHERE s.kind = 'batch' AND s.block_number > $1 AND s.key = certificate_codes.issuer_org_id || ':' || certificate_codes.root)",
      [blockNumber],
    );
    await tx.execute("DELETE FROM current_state WHERE block_number > $1", [blockNumber]);
  }

  /** Forgets every record: the index holds no block of the chain. */
  static async clear(tx: Database): Promise<void> {
    for (const table of ["current_state", "certificate_codes", "stale_records"]) await tx.execute(`DELETE FROM ${table}`);
  }

  private async read(tx: Database, ref: RecordRef): Promise<RecordRow | undefined> {
    switch (ref.kind) {
      case "organisation": {
        const detail = await this.directory.findDetail(Number(ref.key));
        return detail && { value: detail, orgId: detail.id, label: detail.code };
      }
      case "batch": {
        const [issuerOrgId, root] = ref.key.split(":");
        const found = await this.certificates?.batchCodes({ issuerOrgId: Number(issuerOrgId), root });
        if (!found) return undefined;
        return { value: { issuerOrgId: Number(issuerOrgId), root, ...found.record, replacements: found.replacements }, orgId: Number(issuerOrgId), codes: found.codes };
      }
      case "parcel":
        return this.readParcel(tx, ref.key);
      case "site": {
        const site = await this.websites?.site(ref.key);
        if (!site) return undefined;
        return { value: { ...site, releases: await this.websites!.releases(ref.key) }, orgId: site.orgId };
      }
      case "validators": {
        // The genesis contract exists on a Besu network only.
        if ((await this.provider.getCode(VALIDATOR_CONTRACT_ADDRESS)) === "0x") return undefined;
        const set = ValidatorSet__factory.connect(VALIDATOR_CONTRACT_ADDRESS, this.provider);
        const [validators, minimum] = await Promise.all([set.getValidators(), set.minimum()]);
        return { value: { validators: [...validators], minimum: Number(minimum) } };
      }
      case "governance": {
        const authority = SakshyaAuthority__factory.connect(this.deployment.contracts.SakshyaAuthority.address, this.provider);
        const [roles, operations] = await Promise.all([describeRoles(authority, this.deployment), pendingOperations(authority, this.deployment)]);
        return { value: { roles, operations } };
      }
    }
  }

  /**
   * A parcel with what its record alone does not hold: its liens (each lien its events named, as the registry holds
   * it now) and its pending mutations (each deed its events opened, as the registry holds it now).
   */
  private async readParcel(tx: Database, ulpin: string): Promise<RecordRow | undefined> {
    const land = this.land;
    const parcel = await land?.parcel(ulpin);
    if (!land || !parcel) return undefined;
    const named = await tx.query<{ event: string; args: string }>(
      "SELECT event, args FROM chain_events WHERE subject = $1 AND event IN ('LienRegistered', 'MutationOpened') ORDER BY block_number, log_index",
      [`parcel:${ulpin}`],
    );
    const liens = [...new Set(named.filter((e) => e.event === "LienRegistered").map((e) => String(JSON.parse(e.args).lien)))];
    const deeds = [...new Set(named.filter((e) => e.event === "MutationOpened").map((e) => String(JSON.parse(e.args).deedHash)))];
    const held = await Promise.all(liens.map(async (lien) => ({ lien, record: await land.contract.lienOf(ulpinBytes(ulpin), lien) })));
    const mutations = await Promise.all(deeds.map((deed) => land.mutation(ulpin, deed)));
    return {
      value: {
        ...parcel,
        liensHeld: held.filter(({ record }) => record.holder !== 0n).map(({ lien, record }) => ({ lien, holder: Number(record.holder), registeredAt: Number(record.registeredAt), consentedTo: hexlify(record.consentedTo) })),
        pendingMutations: mutations.filter((m) => m && (m.status === "open" || m.status === "appealed")),
      },
    };
  }

  private async store(tx: Database, ref: RecordRef, row: RecordRow | undefined, blockNumber: number): Promise<void> {
    await tx.execute("DELETE FROM current_state WHERE kind = $1 AND key = $2", [ref.kind, ref.key]);
    if (ref.kind === "batch") {
      const [issuerOrgId, root] = ref.key.split(":");
      await tx.execute("DELETE FROM certificate_codes WHERE issuer_org_id = $1 AND root = $2", [Number(issuerOrgId), root]);
      const codes = row?.codes ?? new Uint8Array();
      for (let chunk = 0; chunk * CODES_PER_CHUNK * 2 < codes.length; chunk++) {
        const slice = codes.subarray(chunk * CODES_PER_CHUNK * 2, (chunk + 1) * CODES_PER_CHUNK * 2);
        await tx.execute("INSERT INTO certificate_codes (issuer_org_id, root, chunk, codes) VALUES ($1, $2, $3, $4)", [Number(issuerOrgId), root, chunk, Buffer.from(slice).toString("hex")]);
      }
    }
    if (!row) return;
    await tx.execute("INSERT INTO current_state (kind, key, org_id, label, block_number, value) VALUES ($1, $2, $3, $4, $5, $6)", [
      ref.kind,
      ref.key,
      row.orgId ?? null,
      row.label ?? null,
      blockNumber,
      JSON.stringify(row.value),
    ]);
  }
}
