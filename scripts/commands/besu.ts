import { Command } from "commander";
import { action } from "../../src/cli/action";
import { table } from "../../src/cli/output";
import { ExitCode, InputError } from "../../src/errors";
import { BESU_VERSIONS } from "../../src/besu/genesis";
import { readPermissionsConfig } from "../../src/besu/allowlists";
import { networkFiles, readNetworkDescription, writeNetwork } from "../../src/besu/network";
import { desiredAllowlists, syncPermissions, type NodeSyncReport } from "../../src/besu/permissions-sync";
import { BesuProxy } from "../../src/besu/proxy";
import { bindGenesisContracts, describeValidators, validatorOf } from "../../src/besu/genesis-contracts";
import { VALIDATOR_CONTRACT_ADDRESS } from "../../src/besu/validator-contract";
import { ACCOUNT_PERMISSIONS_ADDRESS, CONTRACT_PERMISSIONING_BESU } from "../../src/besu/permission-contracts";
import { sendAndWait } from "../../src/chain/transact";
import { parseAddress } from "../../src/directory/client";
import { parseNodeReference } from "../../src/directory/enode";
import type { CommandContext } from "../../src/cli/context";
import type { Outcome } from "../../src/governance/governed";
import type { Interface } from "ethers";
import { ValidatorSet__factory } from "../../typechain-types";

const list = (value: string) => value.split(",").map((v) => v.trim()).filter(Boolean);

function wholeNumber(raw: string | undefined, option: string): number | undefined {
  if (raw === undefined) return undefined;
  if (!/^\d+$/.test(raw)) throw new InputError(`${option} must be a whole number, not "${raw}".`);
  return Number(raw);
}

export function besuCommand(): Command {
  const besu = new Command("besu").description(`the Hyperledger Besu QBFT network (Besu ${BESU_VERSIONS})`);

  besu
    .command("generate")
    .description("generate a QBFT network: node keys, genesis, per-node configuration, allow-lists and start scripts (offline)")
    .requiredOption("--out <dir>", "a new folder for the network")
    .requiredOption("--chain-id <id>", "the network's chain id")
    .requiredOption("--bootstrap <address>", "the account that binds the validator contract to governance after deployment")
    .option("--validators <n>", "validator nodes", "4")
    .option("--nodes <n>", "non-validating nodes (RPC nodes for the departments)", "0")
    .option("--hosts <ips>", "one IP address per node, validators first (default: all on 127.0.0.1, ports one apart)")
    .option("--p2p-port <port>", "first P2P port", "30303")
    .option("--rpc-port <port>", "first JSON-RPC port", "8545")
    .option("--rpc-allow <hosts>", "host names the JSON-RPC answers for, besides localhost")
    .option("--accounts <addresses>", "accounts allowed to send transactions from genesis (the suite's role holders)")
    .option("--block-period <seconds>", "QBFT block period", "2")
    .option("--request-timeout <seconds>", "QBFT round timeout", "4")
    .option("--epoch <blocks>", "QBFT epoch length", "30000")
    .option("--selection <how>", "validators in the pre-deployed contract (governed on chain) or in block headers: contract|header", "contract")
    .option("--min-validators <n>", "the fewest validators pruning may leave; below it only governance removes (default: 4, or all if fewer)")
    .option("--permissioning <how>", "local: allow-list files kept by sync-permissions (Besu 25.6+); contract: also the permissioning contracts (Besu up to 25.5)", "local")
    .option("--keys-from <dir>", "an earlier network folder whose node keys to keep")
    .option("--operator-org <code>", "directory code of the organisation running these nodes; the deployment registers it", "sdc")
    .option("--operator-name <name>", "its public name", "State Data Centre")
    .action(
      action<Record<string, string | undefined>>(async (io, _args, o) => {
        if (o.selection !== "contract" && o.selection !== "header") throw new InputError(`--selection must be contract or header, not "${o.selection}".`);
        if (o.permissioning !== "local" && o.permissioning !== "contract") throw new InputError(`--permissioning must be local or contract, not "${o.permissioning}".`);
        const { nodes, files } = networkFiles({
          chainId: wholeNumber(o.chainId, "--chain-id")!,
          bootstrap: o.bootstrap!,
          validators: wholeNumber(o.validators, "--validators")!,
          nodes: wholeNumber(o.nodes, "--nodes")!,
          hosts: o.hosts === undefined ? undefined : list(o.hosts),
          p2pPort: wholeNumber(o.p2pPort, "--p2p-port"),
          rpcPort: wholeNumber(o.rpcPort, "--rpc-port"),
          rpcAllow: o.rpcAllow === undefined ? undefined : list(o.rpcAllow),
          accounts: o.accounts === undefined ? undefined : list(o.accounts),
          blockPeriodSeconds: wholeNumber(o.blockPeriod, "--block-period"),
          requestTimeoutSeconds: wholeNumber(o.requestTimeout, "--request-timeout"),
          epochLength: wholeNumber(o.epoch, "--epoch"),
          selection: o.selection,
          minimumValidators: wholeNumber(o.minValidators, "--min-validators"),
          permissioning: o.permissioning,
          keysFrom: o.keysFrom,
          operator: { code: o.operatorOrg!, name: o.operatorName! },
        });
        writeNetwork(o.out!, files);
        io.out.result({ out: o.out, nodes: nodes.map((n) => ({ name: n.name, role: n.role, enode: n.enode, address: n.key.address })) }, [
          `✓ QBFT network for chain ${o.chainId} in ${o.out}: ${files.length} files, node keys mode 600`,
          ...table(
            ["node", "role", "validator address", "enode"],
            nodes.map((n) => [n.name, n.role, n.key.address, `${n.enode.slice(0, 26)}…@${n.host}:${n.p2pPort}`]),
          ),
          `Start each node with ${o.out}/<node>/start.sh (Besu ${BESU_VERSIONS}), then deploy with --network-dir ${o.out}: the bootstrap account registers ${o.operatorOrg} and these nodes and binds the genesis contracts.`,
        ]);
      }),
    );

  besu
    .command("sync-permissions")
    .description("write each node's permissions_config.toml from the directory and apply the difference live (perm_* methods)")
    .requiredOption("--network-dir <dir>", "the folder \"besu generate\" wrote")
    .option("--rpc <nodes>", "node=url pairs where a node's JSON-RPC answers, comma-separated (default: network.json)")
    .option("--offline", "write the files only; contact no node")
    .option("--dry-run", "show what would change; write and apply nothing")
    .action(
      action<{ networkDir: string; rpc?: string; offline?: boolean; dryRun?: boolean }>(async ({ out, open }, _args, o) => {
        const network = readNetworkDescription(o.networkDir);
        const context = await open();
        if (network.chainId !== context.deployment.chainId) {
          throw new InputError(`${o.networkDir} is chain ${network.chainId}, but the deployment is on chain ${context.deployment.chainId}.`);
        }
        const desired = await desiredAllowlists(context.directory(), context.authority(), context.deployment, network.nodes.map((n) => n.enode));
        const reports = await syncPermissions(o.networkDir, network, desired, { rpc: o.rpc === undefined ? undefined : pairs(o.rpc), offline: o.offline, dryRun: o.dryRun });
        const change = (c: NodeSyncReport["nodes"]) => (typeof c === "string" ? c : c.added.length + c.removed.length === 0 ? "no change" : `+${c.added.length} -${c.removed.length}`);
        const failed = reports.filter((r) => r.error);
        out.result({ desired, nodes: reports, dryRun: Boolean(o.dryRun) }, [
          `${o.dryRun ? "Would allow" : "Allowed"}: ${desired.nodes.length} nodes and ${desired.accounts.length} accounts, from the directory and governance.`,
          ...table(
            ["node", "in directory", "file", "node list", "account list"],
            reports.map((r) => [r.node, r.inDirectory ? "yes" : "NO", o.dryRun && r.file === "written" ? "would change" : r.file, change(r.nodes), change(r.accounts)]),
          ),
          ...reports.flatMap(changeLines),
          ...failed.map((r) => `✗ ${r.node}: ${r.error}; run again once it answers.`),
        ]);
        return failed.length > 0 ? ExitCode.CouldNotRun : ExitCode.Ok;
      }),
    );

  besu
    .command("bind")
    .description("bind the genesis validator and permissioning contracts to the deployed suite (the bootstrap account, once)")
    .action(
      action(async ({ out, open }) => {
        const context = await open();
        const results = await bindGenesisContracts(await context.wallet(), context.deployment);
        out.result(
          { contracts: results },
          results.map((r) => `${r.status === "bound" ? "✓" : "·"} ${r.contract} at ${r.address}: ${r.status}${r.transaction ? ` (tx ${r.transaction})` : ""}`),
        );
      }),
    );

  const validators = besu.command("validators").description("the QBFT validator set governed on chain, beside the directory's validator nodes");
  validators
    .command("list", { isDefault: true })
    .description("the validators, their nodes, and where the set and the directory disagree")
    .action(
      action(async ({ out, open }) => {
        const context = await open();
        const report = await describeValidators(context.provider, context.directory());
        const atMinimum = report.validators.length <= report.minimum;
        out.result(report, [
          `${report.validators.length} validators, minimum ${report.minimum}${report.bound ? "" : " (not yet bound to governance: the genesis set is fixed)"}`,
          ...table(
            ["validator", "organisation", "node", "directory"],
            report.validators.map((v) => [
              v.address,
              v.node ? `${v.node.orgId} (${v.organisation})` : "-",
              v.node?.enode.replace(/^enode:\/\/(.{12}).*@/, "enode://$1…@") ?? "not registered",
              v.node?.allowed ? "allowed" : "NOT allowed",
            ]),
          ),
          ...report.prunable.map((a) =>
            atMinimum
              ? `! ${a} validates, but its node left the directory; the set is at its minimum, so only governance can remove it: "sakshya besu validators remove ${a}".`
              : `! ${a} validates, but its node left the directory: "sakshya besu validators prune ${a}".`,
          ),
          ...report.held.map((a) => `! ${a} validates, but the directory does not allow its node now (a suspension or a capability taken away); it stays until governance decides.`),
          ...report.candidates.map((n) => `+ node ${n.nodeId} (organisation ${n.orgId}) may validate and does not: "sakshya besu validators add ${n.nodeId}".`),
        ]);
        return report.prunable.length + report.held.length > 0 ? ExitCode.No : ExitCode.Ok;
      }),
    );
  validators
    .command("add <node>")
    .description("make a validator node of the directory a validator (governor); node id or enode URL")
    .action(
      action(async ({ out, open }, [node]) => {
        const id = parseNodeReference(node);
        const outcome = await governValidatorSet(await open(), "addValidator", id);
        out.outcome(`Validator ${validatorOf(id)} added`, outcome, { validator: validatorOf(id), nodeId: id });
      }),
    );
  validators
    .command("remove <validator>")
    .description("stop a validator (governor)")
    .action(
      action(async ({ out, open }, [validator]) => {
        const address = parseAddress(validator);
        const outcome = await governValidatorSet(await open(), "removeValidator", address);
        out.outcome(`Validator ${address} removed`, outcome, { validator: address });
      }),
    );
  validators
    .command("prune <validator>")
    .description("remove a validator whose node left the directory for good: removed, or its organisation offboarded (anyone; never below the minimum)")
    .action(
      action(async ({ out, open }, [validator]) => {
        const address = parseAddress(validator);
        const receipt = await sendAndWait(await (await open()).wallet(), { to: VALIDATOR_CONTRACT_ADDRESS, data: VALIDATOR_SET.encodeFunctionData("prune", [address]) });
        out.result({ validator: address, transaction: receipt.hash, block: receipt.blockNumber }, [`✓ Validator ${address} pruned (tx ${receipt.hash}, block ${receipt.blockNumber})`]);
      }),
    );

  besu
    .command("proxy")
    .description("stand in for a Besu free-gas node in front of a local \"npx hardhat node\" (runs until stopped)")
    .option("--upstream <url>", "the Hardhat node", "http://127.0.0.1:8545")
    .option("--host <host>", "address to listen on", "127.0.0.1")
    .option("--port <port>", "port to listen on", "8546")
    .option("--permissions <file>", "a permissions_config.toml whose allow-lists the stand-in enforces and perm_* changes")
    .option("--account-contract", `ask the account permissioning contract at ${ACCOUNT_PERMISSIONS_ADDRESS} about every transaction, as Besu ${CONTRACT_PERMISSIONING_BESU} does`)
    .action(
      action<{ upstream: string; host: string; port: string; permissions?: string; accountContract?: boolean }>(async ({ out }, _args, o) => {
        const proxy = await BesuProxy.start({
          upstream: o.upstream,
          host: o.host,
          port: wholeNumber(o.port, "--port"),
          allowlists: o.permissions === undefined ? undefined : readPermissionsConfig(o.permissions),
          accountContract: o.accountContract ? ACCOUNT_PERMISSIONS_ADDRESS : undefined,
        });
        out.result({ url: proxy.url, upstream: o.upstream }, [`Besu stand-in at ${proxy.url}, in front of ${o.upstream}. Stop it with Ctrl-C.`]);
        await new Promise<void>((resolve) => process.once("SIGINT", resolve).once("SIGTERM", resolve));
        await proxy.close();
      }),
    );

  return besu;
}

const VALIDATOR_SET: Interface = ValidatorSet__factory.createInterface();

/** A governed change of the validator set: executed, or scheduled where the governor's role has a delay. */
async function governValidatorSet(context: CommandContext, fn: "addValidator" | "removeValidator", arg: string): Promise<Outcome> {
  return (await context.governance()).call(VALIDATOR_CONTRACT_ADDRESS, VALIDATOR_SET.encodeFunctionData(fn, [arg]));
}

/** Each entry a node's lists gained (+) or lost (-). */
function changeLines(report: NodeSyncReport): string[] {
  return [report.nodes, report.accounts].flatMap((change) =>
    typeof change === "string" ? [] : [...change.added.map((e) => `  ${report.node}: + ${e}`), ...change.removed.map((e) => `  ${report.node}: - ${e}`)],
  );
}

/** `a=x,b=y` as a record. */
function pairs(value: string): Record<string, string> {
  return Object.fromEntries(
    list(value).map((pair) => {
      const at = pair.indexOf("=");
      if (at <= 0) throw new InputError(`"${pair}" is not node=url.`);
      return [pair.slice(0, at), pair.slice(at + 1)];
    }),
  );
}
