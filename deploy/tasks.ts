import path from "node:path";
import { task, types } from "hardhat/config";
import type { HardhatRuntimeEnvironment } from "hardhat/types";
import type { Signer } from "ethers";

interface SignerArgs {
  keystore?: string;
  passwordFile?: string;
}

// Modules that need compiled typings are loaded inside the actions, so the config loads before the first compile.
// Every network signs locally (legacy, gas price 0), as Besu needs; locally, development account 0 by default.
async function deployerSigner(hre: HardhatRuntimeEnvironment, args: SignerArgs): Promise<Signer> {
  const { isLocalNetwork } = await import("../src/config/networks");
  if (isLocalNetwork(hre.network.name) && !args.keystore) {
    const { devWallet } = await import("../src/keys/signer");
    const { LegacyWallet } = await import("../src/chain/legacy-wallet");
    return new LegacyWallet(devWallet(0).privateKey, hre.ethers.provider);
  }
  const { resolveSigner } = await import("../src/keys/signer");
  const chainId = Number((await hre.ethers.provider.getNetwork()).chainId);
  return resolveSigner(args, hre.ethers.provider, chainId);
}

function deploymentFile(hre: HardhatRuntimeEnvironment, file?: string): string {
  return file ? path.resolve(file) : path.join(hre.config.paths.root, "deployments", `${hre.network.name}.json`);
}

/**
 * Waits, up to the tool's RPC deadline (`SAKSHYA_TIMEOUT`, 15 s by default), for the network's node to answer: a node
 * started a moment ago (`npx hardhat node &`) is given time to listen. One sentence naming what to do if none does.
 */
async function waitForNode(hre: HardhatRuntimeEnvironment): Promise<void> {
  const url = "url" in hre.network.config ? hre.network.config.url : undefined;
  if (url === undefined) return;
  const { ChainError } = await import("../src/errors");
  const { sleep } = await import("../src/io/time");
  const deadline = Date.now() + 1000 * Number(process.env.SAKSHYA_TIMEOUT ?? 15);
  for (;;) {
    try {
      await hre.network.provider.send("eth_chainId", []);
      return;
    } catch {
      if (Date.now() > deadline) {
        throw new ChainError(
          `No node answers at ${url} (network ${hre.network.name}): start one with \`npx hardhat node\`, or point LOCALHOST_RPC_URL (or --network) at yours.`,
        );
      }
      await sleep(250, new AbortController().signal);
    }
  }
}

async function report(run: () => Promise<void>): Promise<void> {
  const { SakshyaError } = await import("../src/errors");
  try {
    await run();
  } catch (error) {
    if (!(error instanceof SakshyaError)) throw error;
    console.error(`error: ${error.message}`);
    process.exitCode = error.exitCode;
  }
}

task("deploy-suite", "Deploys (or completes the deployment of) the whole suite and writes deployments/<network>.json")
  .addOptionalParam("keystore", "Encrypted JSON keystore of the deployer (required outside the local chain)")
  .addOptionalParam("passwordFile", "File whose first line is the keystore password")
  .addOptionalParam("deployments", "Deployment file to write (default deployments/<network>.json)")
  .addFlag("allowZeroDelay", "Allow a governor or operator delay of 0 outside the local chains (one key then confers power at once)")
  .addFlag("allowSingleKeyGovernor", "Allow a governor or guardian that is not a committee (a Safe of 2 or more) outside the local chains; warns")
  .addOptionalParam("networkDir", "The folder of \"sakshya besu generate\": its operator and nodes are registered and the genesis contracts bound")
  .setAction(async (args: SignerArgs & { deployments?: string; allowZeroDelay: boolean; allowSingleKeyGovernor: boolean; networkDir?: string }, hre) =>
    report(async () => {
      await hre.run("compile", { quiet: true });
      await waitForNode(hre);
      const { deploySuite } = await import("./suite");
      const { rolePlan } = await import("./config");
      const { readNetworkDescription } = await import("../src/besu/network");
      const network = args.networkDir ? readNetworkDescription(args.networkDir) : undefined;
      const signer = await deployerSigner(hre, args);
      const devAccounts = await Promise.all((await hre.ethers.getSigners()).slice(0, 3).map((s) => s.getAddress()));
      const file = deploymentFile(hre, args.deployments);
      const { steps } = await deploySuite(hre, {
        signer,
        plan: rolePlan(hre.network.name, devAccounts, { allowZeroDelay: args.allowZeroDelay }),
        allowSingleKeyGovernor: args.allowSingleKeyGovernor,
        deploymentFile: file,
        network,
        log: ({ step, status }) => console.log(`${status.padEnd(9)} ${step}`),
      });
      const done = steps.filter((s) => s.status === "done" || s.status === "scheduled").length;
      console.log(`${done === 0 ? "Nothing to do: the suite was already deployed and wired." : `${done} ${done === 1 ? "step" : "steps"} done.`} Deployment: ${file}`);
    }),
  );

task("upgrade-contract", "Validates storage layout, deploys the new implementation and upgrades (or schedules or proposes the upgrade)")
  .addParam("contract", "Suite contract to upgrade, e.g. ParticipantDirectory")
  .addParam("to", "Name of the new implementation contract")
  .addOptionalParam("keystore", "Encrypted JSON keystore of a governor account (or, with --propose, of any account: it deploys the implementation)")
  .addOptionalParam("passwordFile", "File whose first line is the keystore password")
  .addOptionalParam("deployments", "Deployment file (default deployments/<network>.json)", undefined, types.string)
  .addOptionalParam("propose", "Write the upgrade as a proposal of the governor's committee to this file, for its members to sign", undefined, types.string)
  .addFlag("allowZeroDelay", "Take a plan with a zero delay outside the local chains")
  .setAction(async (args: SignerArgs & { contract: string; to: string; deployments?: string; propose?: string; allowZeroDelay: boolean }, hre) =>
    report(async () => {
      await hre.run("compile", { quiet: true });
      await waitForNode(hre);
      const { readDeployment } = await import("../src/config/deployments");
      const { upgradeContract } = await import("./upgrade");
      const { rolePlan } = await import("./config");
      const { CommitteeProposer } = await import("../src/committee/propose");
      const { Output } = await import("../src/cli/output");
      const { durationText } = await import("../src/governance/describe");
      const { isoTime } = await import("../src/io/time");
      const file = deploymentFile(hre, args.deployments);
      const deployment = readDeployment(file);
      const devAccounts = await Promise.all((await hre.ethers.getSigners()).slice(0, 3).map((s) => s.getAddress()));
      const plan = rolePlan(hre.network.name, devAccounts, { allowZeroDelay: args.allowZeroDelay });
      const result = await upgradeContract(hre, {
        signer: await deployerSigner(hre, args),
        deployment,
        deploymentFile: file,
        contract: args.contract,
        to: args.to,
        delays: { governor: plan.governorDelay, operator: plan.operatorDelay },
        proposer: args.propose ? new CommitteeProposer({ deployment, provider: hre.ethers.provider, file: args.propose, role: "governor" }) : undefined,
      });
      const out = new Output(false);
      if (result.status === "delays-first") {
        for (const [i, s] of result.shortfalls.entries()) {
          const what = `${s.label} ${s.account}: execution delay ${durationText(s.delay)} raised to the plan's ${durationText(s.planned)}`;
          const fix = result.fixes[i];
          if (fix.status === "pending") console.log(`⏳ ${what}: already scheduled as operation ${fix.operationId}, executable after ${isoTime(fix.executableAt)}.`);
          else out.outcome(what, fix);
        }
        console.log(`The upgrade waits until these delays hold: run it again once they have taken effect.`);
        process.exitCode = 2;
        return;
      }
      console.log(`Storage layout compatible; implementation ${result.implementation} deployed.`);
      out.outcome(`Upgrade ${args.contract} to ${args.to}`, result.outcome);
    }),
  );
