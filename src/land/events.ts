import type { Provider, Result } from "ethers";
import type { ILandRegistry } from "../../typechain-types";
import { getLogsFrom } from "../chain/logs";
import { ChainError } from "../errors";
import { ownersHash, ulpinTopic, type Owner } from "./titles";

/** One decoded event of the land registry, with where and when it happened. */
export interface LandEvent {
  readonly name: string;
  readonly args: Result;
  readonly blockNumber: number;
  readonly transactionHash: string;
  readonly logIndex: number;
  readonly time: number;
}

/** Every event of a parcel, oldest first: each indexes the ULPIN first, so one log query finds them all. */
export async function parcelEvents(contract: ILandRegistry, provider: Provider, fromBlock: number, ulpin: string): Promise<LandEvent[]> {
  const logs = await getLogsFrom(provider, { address: await contract.getAddress(), topics: [null, ulpinTopic(ulpin)] }, fromBlock);
  return decode(contract, provider, logs);
}

/**
 * The events that opened mutations under `deedHash` (a deed or succession certificate hash): one per parcel it
 * names — a mutation is its parcel's and its deed's, and one deed may convey several parcels.
 */
export async function mutationOpenedEvents(contract: ILandRegistry, provider: Provider, fromBlock: number, deedHash: string): Promise<LandEvent[]> {
  const topic = contract.interface.getEvent("MutationOpened").topicHash;
  const logs = await getLogsFrom(provider, { address: await contract.getAddress(), topics: [topic, null, deedHash] }, fromBlock);
  return decode(contract, provider, logs);
}

async function decode(contract: ILandRegistry, provider: Provider, logs: readonly { blockNumber: number; transactionHash: string; index: number; topics: readonly string[]; data: string }[]): Promise<LandEvent[]> {
  const blocks = [...new Set(logs.map((log) => log.blockNumber))];
  const times = new Map<number, number>();
  await Promise.all(
    blocks.map(async (n) => {
      const block = await provider.getBlock(n);
      if (!block) throw new ChainError(`Block ${n} could not be read.`);
      times.set(n, block.timestamp);
    }),
  );
  return logs.flatMap((log) => {
    const parsed = contract.interface.parseLog({ topics: [...log.topics], data: log.data });
    if (!parsed) return [];
    return [{ name: parsed.name, args: parsed.args, blockNumber: log.blockNumber, transactionHash: log.transactionHash, logIndex: log.index, time: times.get(log.blockNumber)! }];
  });
}

/** An owner list as decoded from an event. */
export function ownersOf(value: Result): Owner[] {
  return [...value].map((o: Result) => ({ commitment: String(o[0]).toLowerCase(), share: Number(o[1]) }));
}

/**
 * The events that set a parcel's owners, each carrying the whole list: its creation, an approved mutation, a court's
 * rectification. Every reader of owners replays exactly these.
 */
export const OWNER_EVENTS: ReadonlySet<string> = new Set(["ParcelCreated", "MutationApproved", "TitleRectified"]);

/**
 * The parcel's current owners: those set by the latest event that set them, checked against the hash the registry
 * keeps, so a gap in the logs can never pass for the truth.
 */
export function currentOwners(events: readonly LandEvent[], onChainHash: string, ulpin: string): Owner[] {
  for (let i = events.length - 1; i >= 0; i--) {
    const event = events[i];
    if (OWNER_EVENTS.has(event.name)) {
      const owners = ownersOf(event.args.owners as Result);
      if (ownersHash(owners) !== onChainHash.toLowerCase()) break;
      return owners;
    }
  }
  throw new ChainError(`The events of parcel ${ulpin} do not give the owners the registry records; the RPC node may be missing logs.`);
}

/** The owners a parcel had just before the mutation `deedHash` took effect: what a court's rectification restores. */
export function ownersBefore(events: readonly LandEvent[], deedHash: string): Owner[] | undefined {
  let before: Owner[] | undefined;
  for (const event of events) {
    if (event.name === "MutationApproved" && String(event.args.deedHash).toLowerCase() === deedHash.toLowerCase()) return before;
    if (OWNER_EVENTS.has(event.name)) before = ownersOf(event.args.owners as Result);
  }
  return undefined;
}
