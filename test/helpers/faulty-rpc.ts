import http from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { keccak256 } from "ethers";

/**
 * How the endpoint misbehaves. `pass` forwards everything; the others fail the way the field review saw nodes fail:
 * - `silent`: accepts connections and never answers;
 * - `silent-after`: answers the first `after` requests, then falls silent;
 * - `garbage-after-send`: hands a transaction to the node, then answers it (and everything after) with HTML;
 * - `gone-after-send`: hands a transaction to the node, answers it, then closes every connection;
 * - `lose-sends`: answers a transaction with its hash but never hands it on (a node that restarts empty);
 * - `nonce-taken`: refuses every transaction as Besu and Geth do when another one of the key took its nonce.
 */
export type Fault = "pass" | "silent" | "silent-after" | "garbage-after-send" | "gone-after-send" | "lose-sends" | "nonce-taken";

interface RpcRequest {
  id: unknown;
  method: string;
  params: unknown[];
}

/** A JSON-RPC endpoint in front of `upstream` that fails on demand; `sent` counts transactions it handed on. */
export async function serveFaultyRpc(upstream: string, fault: Fault = "pass", after = 0): Promise<{ url: string; sent: number; setFault(f: Fault, n?: number): void; close(): Promise<void> }> {
  let mode = fault;
  let budget = after;
  let broken = false;
  const sockets = new Set<Socket>();
  const state = { sent: 0 };

  const forward = async (body: string): Promise<string> => {
    const response = await fetch(upstream, { method: "POST", headers: { "content-type": "application/json" }, body });
    return response.text();
  };

  const server = http.createServer((request, response) => {
    let body = "";
    request.on("data", (chunk: Buffer) => (body += chunk.toString()));
    request.on("end", () => {
      void (async () => {
        if (broken && mode === "gone-after-send") return request.socket.destroy();
        if (broken && mode === "garbage-after-send") return response.end("<html>502 Bad Gateway</html>");
        if (mode === "silent") return; // never answers
        if (mode === "silent-after" && budget-- <= 0) return;
        const parsed = JSON.parse(body) as RpcRequest | RpcRequest[];
        const calls = Array.isArray(parsed) ? parsed : [parsed];
        const sends = calls.filter((c) => c.method === "eth_sendRawTransaction");
        if (sends.length > 0 && mode === "nonce-taken") {
          const refusal = (c: RpcRequest) => ({ jsonrpc: "2.0", id: c.id, error: { code: -32000, message: "nonce too low" } });
          return response.end(JSON.stringify(Array.isArray(parsed) ? calls.map(refusal) : refusal(calls[0])));
        }
        if (sends.length > 0 && mode === "lose-sends") {
          const answers = await Promise.all(
            calls.map(async (c) =>
              c.method === "eth_sendRawTransaction"
                ? { jsonrpc: "2.0", id: c.id, result: keccak256(String(c.params[0])) }
                : JSON.parse(await forward(JSON.stringify(c))),
            ),
          );
          return response.end(JSON.stringify(Array.isArray(parsed) ? answers : answers[0]));
        }
        const answer = await forward(body);
        state.sent += sends.length;
        if (sends.length > 0 && (mode === "garbage-after-send" || mode === "gone-after-send")) {
          broken = true;
          if (mode === "garbage-after-send") return response.end("<html>502 Bad Gateway</html>");
        }
        response.setHeader("content-type", "application/json");
        response.end(answer);
      })().catch(() => response.destroy());
    });
  });
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    get sent() {
      return state.sent;
    },
    setFault(next: Fault, n = 0) {
      mode = next;
      budget = n;
      broken = false;
    },
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
