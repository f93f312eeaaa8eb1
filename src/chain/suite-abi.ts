import { Interface, type InterfaceAbi } from "ethers";
import {
  AccountPermissions__factory,
  CertificateRegistry__factory,
  ILandRegistry__factory,
  NodePermissions__factory,
  ParticipantDirectory__factory,
  SakshyaAuthority__factory,
  ScheduledOperationExecutor__factory,
  ValidatorSet__factory,
  WebsiteRegistry__factory,
} from "../../typechain-types";

/** The ABIs of every contract of the suite, the genesis contracts and the committees' module included (the land extension's are the registry's). */
const SUITE_ABIS: readonly InterfaceAbi[] = [
  ParticipantDirectory__factory.abi,
  SakshyaAuthority__factory.abi,
  CertificateRegistry__factory.abi,
  ILandRegistry__factory.abi,
  WebsiteRegistry__factory.abi,
  ValidatorSet__factory.abi,
  NodePermissions__factory.abi,
  AccountPermissions__factory.abi,
  ScheduledOperationExecutor__factory.abi,
];

const merged = new Map<string, Interface>();

/** One interface holding every error (or every event) the suite's contracts, and what they inherit, can raise. */
export function suiteInterface(kind: "error" | "event"): Interface {
  let found = merged.get(kind);
  if (!found) {
    const seen = new Set<string>();
    found = new Interface(SUITE_ABIS.flatMap((abi) => new Interface(abi).fragments).filter((f) => f.type === kind && !seen.has(f.format()) && seen.add(f.format())));
    merged.set(kind, found);
  }
  return found;
}
