import { FetchRequest, JsonRpcProvider, Network } from "ethers";
import type { Deployment } from "../config/deployments";
import type { NetworkTarget } from "../config/networks";
import { ChainError } from "../errors";

const RPC_TIMEOUT_MS = 15_000;

/**
 * Connects to the target's RPC endpoint and proves it is the chain the deployment describes before anything
 * is read or sent: a wrong or unreachable chain stops the command with "could not run", never a false answer.
 */
export async function connect(target: NetworkTarget, deployment?: Deployment): Promise<JsonRpcProvider> {
  const expected = deployment?.chainId ?? target.expectedChainId;
  const request = new FetchRequest(target.rpcUrl);
  request.timeout = RPC_TIMEOUT_MS;
  const provider = new JsonRpcProvider(request, expected, {
    staticNetwork: expected === undefined ? undefined : Network.from(expected),
    pollingInterval: 100,
    // ethers answers a repeated read from a 250 ms cache: two quick writes would be given the same nonce.
    cacheTimeout: -1,
    // Requests made together still go in one batch; a lone request is not held back 10 ms waiting for company.
    batchStallTime: 0,
  });
  let actual: number;
  try {
    actual = Number(await provider.send("eth_chainId", []));
  } catch {
    provider.destroy();
    throw new ChainError(`Could not reach the RPC endpoint at ${target.rpcUrl}.`);
  }
  const mismatch = [target.expectedChainId, deployment?.chainId].find((id) => id !== undefined && id !== actual);
  if (mismatch !== undefined) {
    provider.destroy();
    throw new ChainError(`The RPC endpoint at ${target.rpcUrl} serves chain ${actual}, not the expected chain ${mismatch}.`);
  }
  return provider;
}
