import fs from "node:fs";
import path from "node:path";
import { getAddress } from "ethers";
import { z } from "zod";
import { InputError } from "../errors";

/** An address as the suite writes it: checksummed (EIP-55), so a mistyped one is caught. */
export const checksummedAddress = z.string().refine((value) => {
  try {
    return getAddress(value) === value;
  } catch {
    return false;
  }
}, "must be a checksummed address");
const address = checksummedAddress;

const deployedContract = z.object({
  address,
  implementation: address.optional(),
  deployBlock: z.number().int().nonnegative(),
});

/** A committee holding a role: a Safe's members and how many of them must sign, as the deployment found them. */
const committee = z.object({ members: z.array(address).min(1), threshold: z.number().int().positive() });

const roleHolder = z.object({ account: address, executionDelay: z.number().int().nonnegative(), committee: committee.optional() });

/** What the suite's committees run on: Safe 1.4.1's singleton and proxy factory, and the suite's two helpers. */
const safeInfrastructure = z.object({ singleton: address, proxyFactory: address, moduleSetup: address, executor: address });

export const deploymentSchema = z.object({
  suiteVersion: z.string(),
  network: z.string(),
  chainId: z.number().int().positive(),
  deployBlock: z.number().int().nonnegative(),
  updatedAt: z.string(),
  // Registries are optional so that a suite deployed before a registry existed still reads; deploying again adds it.
  contracts: z.object({
    SakshyaAuthority: deployedContract,
    ParticipantDirectory: deployedContract,
    CertificateRegistry: deployedContract.optional(),
    LandRegistry: deployedContract.optional(),
    WebsiteRegistry: deployedContract.optional(),
  }),
  // The responder arrived with 2.0.0; a file written before it still reads, and deploying again records it.
  roles: z.object({ governor: roleHolder, operator: roleHolder, guardian: roleHolder, responder: roleHolder.optional() }),
  // Since 2.2.0, when any role is held by a committee.
  safe: safeInfrastructure.optional(),
});

/** The published description of a deployed suite: all a verifier needs besides an RPC URL. */
export type Deployment = z.infer<typeof deploymentSchema>;
export type SuiteContractName = keyof Deployment["contracts"];
export type DeployedContract = z.infer<typeof deployedContract>;
export type SafeInfrastructure = z.infer<typeof safeInfrastructure>;
export type Committee = z.infer<typeof committee>;

/** A contract's record, or a sentence saying the deployment predates it. */
export function deployedContractOf(deployment: Deployment, name: SuiteContractName): DeployedContract {
  const record = deployment.contracts[name];
  if (!record) {
    throw new InputError(`The ${deployment.network} deployment has no ${name}: run the deployment again to add it.`);
  }
  return record;
}

export function defaultDeploymentPath(network: string, root = process.cwd()): string {
  return path.join(root, "deployments", `${network}.json`);
}

export function readDeployment(file: string): Deployment {
  let raw: string;
  try {
    raw = fs.readFileSync(file, "utf8");
  } catch {
    throw new InputError(`No deployment file at ${file}: deploy the suite first or pass --deployments.`);
  }
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    throw new InputError(`The deployment file ${file} is not valid JSON.`);
  }
  const parsed = deploymentSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new InputError(`The deployment file ${file} is malformed: ${issue.path.join(".")} ${issue.message}.`);
  }
  return parsed.data;
}

/** Writes atomically (temporary file, then rename) so an interrupted deployment never leaves half a file. */
export function writeDeployment(file: string, deployment: Deployment): void {
  const valid = deploymentSchema.parse(deployment);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(temporary, `${JSON.stringify(valid, null, 2)}\n`);
  fs.renameSync(temporary, file);
}
