import type { HardhatRuntimeEnvironment } from "hardhat/types";
import { TASK_NODE_CREATE_SERVER } from "hardhat/builtin-tasks/task-names";
import { BesuProxy, type BesuProxyOptions } from "./proxy";
import type { GenesisAccount } from "./validator-contract";

/**
 * What Besu does with a genesis `alloc` when it starts, done on a running development chain: each account's code
 * and storage become state. Lets a chain that already runs play one started from a `besu generate` genesis.
 */
export async function installGenesisAlloc(hre: HardhatRuntimeEnvironment, alloc: Readonly<Record<string, GenesisAccount>>): Promise<void> {
  for (const [address, account] of Object.entries(alloc)) {
    if (account.code) await hre.network.provider.send("hardhat_setCode", [address, account.code]);
    for (const [slot, value] of Object.entries(account.storage ?? {})) {
      await hre.network.provider.send("hardhat_setStorageAt", [address, `0x${slot}`, `0x${value}`]);
    }
  }
}

/**
 * Serves the in-process Hardhat chain over HTTP on a free loopback port, like `npx hardhat node`, behind the Besu
 * stand-in. `url` is the stand-in; `hardhat` the node itself, for what only a development chain offers.
 */
export async function serveStandIn(
  hre: HardhatRuntimeEnvironment,
  options: Omit<BesuProxyOptions, "upstream"> = {},
): Promise<{ url: string; hardhat: string; close(): Promise<void> }> {
  const server = (await hre.run(TASK_NODE_CREATE_SERVER, { hostname: "127.0.0.1", port: 0, provider: hre.network.provider })) as {
    listen(): Promise<{ port: number }>;
    close(): Promise<void>;
  };
  const { port } = await server.listen();
  const hardhat = `http://127.0.0.1:${port}`;
  const proxy = await BesuProxy.start({ ...options, upstream: hardhat });
  return {
    url: proxy.url,
    hardhat,
    close: async () => {
      await proxy.close();
      await server.close();
    },
  };
}
