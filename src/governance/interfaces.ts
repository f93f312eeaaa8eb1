import type { Interface } from "ethers";
import { CertificateRegistry__factory, ILandRegistry__factory, ParticipantDirectory__factory, WebsiteRegistry__factory } from "../../typechain-types";
import type { FUNCTION_ROLES } from "./roles";

export type GovernedContractName = keyof typeof FUNCTION_ROLES;

/** Interfaces of the contracts whose functions governance assigns to roles. */
export const GOVERNED_INTERFACES: Record<GovernedContractName, Interface> = {
  ParticipantDirectory: ParticipantDirectory__factory.createInterface(),
  CertificateRegistry: CertificateRegistry__factory.createInterface(),
  LandRegistry: ILandRegistry__factory.createInterface(),
  WebsiteRegistry: WebsiteRegistry__factory.createInterface(),
};
