import { getAddress, isAddress } from "ethers";
import { InputError } from "../src/errors";

/** Who holds each governance role on a network, and the delay before the governor's decisions take effect. */
export interface RolePlan {
  readonly governor: string;
  readonly operator: string;
  readonly guardian: string;
  /** Seconds between scheduling and executing the governor's operations (upgrades, offboarding, role changes). */
  readonly governorDelay: number;
  readonly operatorDelay: number;
}

function addressFromEnv(name: string): string {
  const value = process.env[name];
  if (!value) throw new InputError(`Set ${name} in .env: the address that will hold that role.`);
  if (!isAddress(value)) throw new InputError(`${name} is not a valid address (or its checksum is wrong): "${value}".`);
  return getAddress(value);
}

function secondsFromEnv(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === "") return fallback;
  if (!/^\d+$/.test(raw)) throw new InputError(`${name} must be a whole number of seconds, not "${raw}".`);
  return Number(raw);
}

/**
 * On the local chains the three roles go to Hardhat development accounts 0, 1 and 2 with no delay, so every path
 * can be exercised at once; anywhere else they come from .env, with a one-day governor delay unless told otherwise.
 */
export function rolePlan(network: string, devAccounts: readonly string[]): RolePlan {
  if (network === "hardhat" || network === "localhost") {
    return { governor: devAccounts[0], operator: devAccounts[1], guardian: devAccounts[2], governorDelay: 0, operatorDelay: 0 };
  }
  return {
    governor: addressFromEnv("SAKSHYA_GOVERNOR"),
    operator: addressFromEnv("SAKSHYA_OPERATOR"),
    guardian: addressFromEnv("SAKSHYA_GUARDIAN"),
    governorDelay: secondsFromEnv("SAKSHYA_GOVERNOR_DELAY", 86_400),
    operatorDelay: secondsFromEnv("SAKSHYA_OPERATOR_DELAY", 0),
  };
}
