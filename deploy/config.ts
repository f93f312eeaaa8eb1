import { getAddress, isAddress } from "ethers";
import { InputError } from "../src/errors";
import { isLocalNetwork } from "../src/config/networks";

/** A committee to hold a role: a Safe with these members, of whom `threshold` must sign each decision. */
export interface CommitteeSpec {
  readonly members: readonly string[];
  readonly threshold: number;
}

/** Who holds a role: an account (a single key, or a Safe that exists already), or a committee the deployment creates. */
export type Holder = string | CommitteeSpec;

/**
 * Who holds each governance role on a network, and the delays before the governor's and the operator's decisions
 * take effect. The responder's protective acts (suspending, removing keys and nodes, reporting compromise) never wait.
 * A holder named as a committee becomes an address once the deployment has created its Safe ({@link RolePlan}).
 */
export interface RolePlanSpec {
  readonly governor: Holder;
  readonly operator: Holder;
  readonly guardian: Holder;
  readonly responder: Holder;
  /** Seconds between scheduling and executing the governor's operations (upgrades, offboarding, role changes). */
  readonly governorDelay: number;
  /** Seconds between scheduling and executing the operator's grants of power (onboarding, keys, nodes). */
  readonly operatorDelay: number;
}

/** A plan whose every holder is an address. */
export interface RolePlan extends RolePlanSpec {
  readonly governor: string;
  readonly operator: string;
  readonly guardian: string;
  readonly responder: string;
}

/** Production delays unless .env says otherwise: the guardian has this long to cancel a grant of power. */
export const DEFAULT_DELAYS = { governor: 2 * 86_400, operator: 86_400 } as const;

function addressFromEnv(name: string): string {
  const value = process.env[name];
  if (!value) throw new InputError(`Set ${name} in .env: the address that will hold that role (or ${name}_MEMBERS and ${name}_THRESHOLD for a committee).`);
  if (!isAddress(value)) throw new InputError(`${name} is not a valid address (or its checksum is wrong): "${value}".`);
  return getAddress(value);
}

/** A committee from .env: `<NAME>_MEMBERS` (comma-separated addresses) and `<NAME>_THRESHOLD` of them to sign. */
function committeeFromEnv(name: string): CommitteeSpec {
  const members = (process.env[`${name}_MEMBERS`] ?? "").split(",").map((m) => m.trim()).filter(Boolean);
  for (const member of members) if (!isAddress(member)) throw new InputError(`${name}_MEMBERS holds "${member}", which is not an address.`);
  const threshold = process.env[`${name}_THRESHOLD`] ?? "";
  if (!/^\d+$/.test(threshold)) throw new InputError(`Set ${name}_THRESHOLD in .env: how many of the ${members.length} members of ${name}_MEMBERS must sign.`);
  return { members: members.map((m) => getAddress(m)), threshold: Number(threshold) };
}

/** A role's holder from .env: a committee when `<NAME>_MEMBERS` is set, else the address `<NAME>` (or `fallback`). */
function holderFromEnv(name: string, fallback?: Holder): Holder {
  if (process.env[`${name}_MEMBERS`]) return committeeFromEnv(name);
  if (process.env[name] || fallback === undefined) return addressFromEnv(name);
  return fallback;
}

function secondsFromEnv(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === "") return fallback;
  if (!/^\d+$/.test(raw) || Number(raw) > 2 ** 32 - 1) throw new InputError(`${name} must be a whole number of seconds, not "${raw}".`);
  return Number(raw);
}

/**
 * On the local development chains the roles go to Hardhat development accounts 0 (governor), 1 (operator and
 * responder) and 2 (guardian) with no delay, so every path can be exercised at once: a one-key shortcut for development
 * only (a committee in .env is taken there too). Anywhere else they come from .env — committees for the governor and
 * guardian — with a two-day governor delay and a one-day operator delay unless told otherwise; a delay of zero there
 * would let one key confer power at once, so it is refused unless `allowZeroDelay` says it is meant.
 */
export function rolePlan(network: string, devAccounts: readonly string[], { allowZeroDelay = false } = {}): RolePlanSpec {
  if (isLocalNetwork(network)) {
    const local = (name: string, account: string): Holder => (process.env[`${name}_MEMBERS`] ? committeeFromEnv(name) : account);
    return {
      governor: local("SAKSHYA_GOVERNOR", devAccounts[0]),
      operator: local("SAKSHYA_OPERATOR", devAccounts[1]),
      guardian: local("SAKSHYA_GUARDIAN", devAccounts[2]),
      responder: local("SAKSHYA_RESPONDER", devAccounts[1]),
      governorDelay: 0,
      operatorDelay: 0,
    };
  }
  const operator = holderFromEnv("SAKSHYA_OPERATOR");
  const plan: RolePlanSpec = {
    governor: holderFromEnv("SAKSHYA_GOVERNOR"),
    operator,
    guardian: holderFromEnv("SAKSHYA_GUARDIAN"),
    responder: holderFromEnv("SAKSHYA_RESPONDER", operator),
    governorDelay: secondsFromEnv("SAKSHYA_GOVERNOR_DELAY", DEFAULT_DELAYS.governor),
    operatorDelay: secondsFromEnv("SAKSHYA_OPERATOR_DELAY", DEFAULT_DELAYS.operator),
  };
  for (const [role, delay] of [["SAKSHYA_OPERATOR_DELAY", plan.operatorDelay], ["SAKSHYA_GOVERNOR_DELAY", plan.governorDelay]] as const) {
    if (delay === 0 && !allowZeroDelay) {
      throw new InputError(`${role} is 0 on network "${network}": one key could then confer power with nobody able to cancel it; set a delay, or pass --allow-zero-delay if that is meant.`);
    }
  }
  return plan;
}
