import { getAddress, isAddress } from "ethers";
import { InputError } from "../src/errors";
import { isLocalNetwork } from "../src/config/networks";

/**
 * Who holds each governance role on a network, and the delays before the governor's and the operator's decisions
 * take effect. The responder's protective acts (suspending, removing keys and nodes, reporting compromise) never wait.
 */
export interface RolePlan {
  readonly governor: string;
  readonly operator: string;
  readonly guardian: string;
  readonly responder: string;
  /** Seconds between scheduling and executing the governor's operations (upgrades, offboarding, role changes). */
  readonly governorDelay: number;
  /** Seconds between scheduling and executing the operator's grants of power (onboarding, keys, nodes). */
  readonly operatorDelay: number;
}

/** Production delays unless .env says otherwise: the guardian has this long to cancel a grant of power. */
export const DEFAULT_DELAYS = { governor: 2 * 86_400, operator: 86_400 } as const;

function addressFromEnv(name: string, fallback?: string): string {
  const value = process.env[name] || fallback;
  if (!value) throw new InputError(`Set ${name} in .env: the address that will hold that role.`);
  if (!isAddress(value)) throw new InputError(`${name} is not a valid address (or its checksum is wrong): "${value}".`);
  return getAddress(value);
}

function secondsFromEnv(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === "") return fallback;
  if (!/^\d+$/.test(raw) || Number(raw) > 2 ** 32 - 1) throw new InputError(`${name} must be a whole number of seconds, not "${raw}".`);
  return Number(raw);
}

/**
 * On the local development chains the roles go to Hardhat development accounts 0 (governor), 1 (operator and
 * responder) and 2 (guardian) with no delay, so every path can be exercised at once. Anywhere else they come from
 * .env, with a two-day governor delay and a one-day operator delay unless told otherwise; a delay of zero there would
 * let one key confer power at once, so it is refused unless `allowZeroDelay` says it is meant.
 */
export function rolePlan(network: string, devAccounts: readonly string[], { allowZeroDelay = false } = {}): RolePlan {
  if (isLocalNetwork(network)) {
    return { governor: devAccounts[0], operator: devAccounts[1], guardian: devAccounts[2], responder: devAccounts[1], governorDelay: 0, operatorDelay: 0 };
  }
  const operator = addressFromEnv("SAKSHYA_OPERATOR");
  const plan: RolePlan = {
    governor: addressFromEnv("SAKSHYA_GOVERNOR"),
    operator,
    guardian: addressFromEnv("SAKSHYA_GUARDIAN"),
    responder: addressFromEnv("SAKSHYA_RESPONDER", operator),
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
