import http from "node:http";
import https from "node:https";
import { gunzipSync } from "node:zlib";
import { FetchRequest, Interface, JsonRpcProvider, Network, makeError, type FetchGetUrlFunc, type JsonRpcPayload, type JsonRpcResult } from "ethers";
import type { Deployment, SuiteContractName } from "../config/deployments";
import type { NetworkTarget } from "../config/networks";
import { ChainError } from "../errors";
import { DEFAULT_DEADLINES } from "./deadlines";
import { asSakshyaError, isNodeRefusal, serviceRefusal } from "./transact";

/**
 * ethers' HTTP getter for Node copies the whole body again for every chunk it receives: a log query answering ten
 * megabytes takes seconds in copying alone. This one gathers the chunks and joins them once; like ethers' own, it
 * opens a connection per request (a kept-alive one can be closed by the node just as it is reused).
 */
const getUrlGathering: FetchGetUrlFunc = (request, signal) =>
  new Promise((resolve, reject) => {
    const url = new URL(request.url);
    const send = url.protocol === "https:" ? https.request : http.request;
    const outgoing = send(url, { method: request.method, headers: request.headers, agent: false }, (response) => {
      const chunks: Buffer[] = [];
      response.on("data", (chunk: Buffer) => chunks.push(chunk));
      response.on("error", reject);
      response.on("end", () => {
        const headers: Record<string, string> = {};
        for (const [name, value] of Object.entries(response.headers)) headers[name] = Array.isArray(value) ? value.join(", ") : (value ?? "");
        let body = Buffer.concat(chunks);
        try {
          if (headers["content-encoding"] === "gzip" && body.length > 0) body = gunzipSync(body);
        } catch (error) {
          return reject(makeError("bad response data", "SERVER_ERROR", { request, info: { error } }));
        }
        resolve({ statusCode: response.statusCode ?? 0, statusMessage: response.statusMessage ?? "", headers, body: body.length > 0 ? new Uint8Array(body) : null });
      });
    });
    // The same errors as ethers' own getter: the deadline policy and its sentences rely on them.
    outgoing.setTimeout(request.timeout, () => {
      outgoing.destroy();
      reject(makeError("request timeout", "TIMEOUT"));
    });
    outgoing.on("error", reject);
    signal?.addListener(() => {
      outgoing.destroy();
      reject(makeError("request cancelled", "CANCELLED"));
    });
    if (request.body) outgoing.write(request.body);
    outgoing.end();
  });

/**
 * ethers' JSON-RPC provider, reading answers with Node's own UTF-8 decoder: ethers decodes bodies in JavaScript, which
 * for a log query of tens of megabytes takes seconds.
 */
class NodeJsonRpcProvider extends JsonRpcProvider {
  override async _send(payload: JsonRpcPayload | JsonRpcPayload[]): Promise<JsonRpcResult[]> {
    const request = this._getConnection();
    request.body = JSON.stringify(payload);
    request.setHeader("content-type", "application/json");
    const response = await request.send();
    response.assertOk();
    let answer: JsonRpcResult | JsonRpcResult[];
    try {
      answer = JSON.parse(Buffer.from(response.body ?? new Uint8Array()).toString("utf8")) as JsonRpcResult | JsonRpcResult[];
    } catch {
      // Not JSON: ethers' own reading raises the error the rest of the tool knows ("not JSON-RPC").
      answer = response.bodyJson as JsonRpcResult | JsonRpcResult[];
    }
    return Array.isArray(answer) ? answer : [answer];
  }
}

/**
 * Connects to the target's RPC endpoint and proves it is the chain the deployment describes before anything
 * is read or sent: a wrong or unreachable chain stops the command with "could not run", never a false answer.
 */
export async function connect(target: NetworkTarget, deployment?: Deployment, requestMs = DEFAULT_DEADLINES.requestMs): Promise<JsonRpcProvider> {
  const expected = deployment?.chainId ?? target.expectedChainId;
  const request = new FetchRequest(target.rpcUrl);
  request.timeout = requestMs;
  for (const [name, value] of Object.entries(target.headers ?? {})) request.setHeader(name, value);
  request.getUrlFunc = getUrlGathering;
  const provider = new NodeJsonRpcProvider(request, expected, {
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
  } catch (error) {
    provider.destroy();
    const silent = (error as { code?: unknown })?.code === "TIMEOUT";
    const refused = serviceRefusal(error);
    if (refused) throw new ChainError(`The Sakshya service at ${target.rpcUrl} refused: ${refused}`);
    const where = silent ? `The RPC endpoint at ${target.rpcUrl} did not answer within ${requestMs / 1000} s` : `Could not reach the RPC endpoint at ${target.rpcUrl}`;
    throw new ChainError(`${where}: is its node running? On this machine start one with \`npx hardhat node\`; for another, give --rpc-url (or set LOCALHOST_RPC_URL).`);
  }
  const mismatch = [target.expectedChainId, deployment?.chainId].find((id) => id !== undefined && id !== actual);
  if (mismatch !== undefined) {
    provider.destroy();
    throw new ChainError(`The RPC endpoint at ${target.rpcUrl} serves chain ${actual}, not the expected chain ${mismatch}.`);
  }
  return provider;
}

const VERSIONED = new Interface(["function version() view returns (string)"]);

/**
 * Proves the deployment file describes this chain as it is now, before anything is read or signed: every contract
 * it names has code, and every registry answers `version()`. A chain that was reset (a restarted development node,
 * a rebuilt network) keeps its id, so the id check alone would let commands send to empty addresses and print ✓.
 */
export async function requireSuite(provider: JsonRpcProvider, deployment: Deployment, file: string): Promise<void> {
  const contracts = (Object.entries(deployment.contracts) as Array<[SuiteContractName, { address: string } | undefined]>).filter(
    (entry): entry is [SuiteContractName, { address: string }] => entry[1] !== undefined,
  );
  const stale = (what: string) =>
    new ChainError(`The deployment file ${file} is stale for this chain: ${what}. The chain was reset or rebuilt since it was written; deploy again, or pass the right --deployments.`);
  const codes = await Promise.all(contracts.map(([, { address }]) => provider.getCode(address))).catch((error: unknown) => {
    throw asSakshyaError(error);
  });
  const empty = contracts.filter((_, i) => codes[i] === "0x");
  if (empty.length > 0) throw stale(empty.map(([name, { address }]) => `${name} has no code at ${address}`).join(", "));
  const registries = contracts.filter(([name]) => name !== "SakshyaAuthority");
  const versions = await Promise.all(
    registries.map(([, { address }]) =>
      provider.call({ to: address, data: VERSIONED.encodeFunctionData("version") }).then(
        (data) => {
          try {
            return String(VERSIONED.decodeFunctionResult("version", data)[0]);
          } catch {
            return undefined;
          }
        },
        // A refusal means the contract there is not ours; no answer means nothing, and is reported as such.
        (error: unknown) => {
          if (isNodeRefusal(error)) return undefined;
          throw asSakshyaError(error);
        },
      ),
    ),
  );
  const foreign = registries.filter((_, i) => !versions[i]);
  if (foreign.length > 0) throw stale(foreign.map(([name, { address }]) => `the contract at ${address} is not a Sakshya ${name}`).join(", "));
}
