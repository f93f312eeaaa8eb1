import { Command } from "commander";
import { action } from "../../src/cli/action";
import { table } from "../../src/cli/output";
import { InputError } from "../../src/errors";
import { BESU_VERSIONS } from "../../src/besu/genesis";
import { networkFiles, writeNetwork } from "../../src/besu/network";

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
    .option("--keys-from <dir>", "an earlier network folder whose node keys to keep")
    .action(
      action<Record<string, string | undefined>>(async (io, _args, o) => {
        if (o.selection !== "contract" && o.selection !== "header") throw new InputError(`--selection must be contract or header, not "${o.selection}".`);
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
          keysFrom: o.keysFrom,
        });
        writeNetwork(o.out!, files);
        io.out.result({ out: o.out, nodes: nodes.map((n) => ({ name: n.name, role: n.role, enode: n.enode, address: n.key.address })) }, [
          `✓ QBFT network for chain ${o.chainId} in ${o.out}: ${files.length} files, node keys mode 600`,
          ...table(
            ["node", "role", "validator address", "enode"],
            nodes.map((n) => [n.name, n.role, n.key.address, `${n.enode.slice(0, 26)}…@${n.host}:${n.p2pPort}`]),
          ),
          `Start each node with ${o.out}/<node>/start.sh (Besu ${BESU_VERSIONS}).`,
        ]);
      }),
    );

  return besu;
}
