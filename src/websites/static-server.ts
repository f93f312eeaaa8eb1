import fs from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";

/**
 * A plain static web server on 127.0.0.1 for the demo, the tests and the benchmark: a folder's files as they are, a
 * folder's URL answered with its index.html, and no caching, so a file changed on disk is served changed at once.
 * Production sites keep their own web servers; this stands in for one.
 */
export interface StaticServer {
  readonly url: string;
  close(): Promise<void>;
}

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".css": "text/css",
  ".js": "text/javascript",
  ".json": "application/json",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".txt": "text/plain; charset=utf-8",
};

/** Lets a test answer a request itself (an error, a stall); returns true when it did. */
export type Intercept = (pathname: string, response: http.ServerResponse) => boolean;

export async function serveFolder(dir: string, options: { port?: number; intercept?: Intercept } = {}): Promise<StaticServer> {
  const root = fs.realpathSync(dir);
  const server = http.createServer((request, response) => {
    const pathname = decodeURIComponent(new URL(request.url ?? "/", "http://localhost").pathname);
    if (options.intercept?.(pathname, response)) return;
    let file = path.join(root, pathname);
    if (!file.startsWith(root)) return answer(response, 404);
    if (fs.statSync(file, { throwIfNoEntry: false })?.isDirectory()) file = path.join(file, "index.html");
    fs.readFile(file, (error, bytes) => {
      if (error) return answer(response, 404);
      response.writeHead(200, { "content-type": TYPES[path.extname(file)] ?? "application/octet-stream", "content-length": bytes.length, "cache-control": "no-store" });
      response.end(bytes);
    });
  });
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function answer(response: http.ServerResponse, status: number): void {
  response.writeHead(status, { "content-type": "text/plain" });
  response.end(http.STATUS_CODES[status]);
}

// `node static-server.js <dir>` serves a folder in a process of its own (the benchmark measures over real sockets).
if (require.main === module) {
  void serveFolder(process.argv[2] ?? ".", { port: Number(process.argv[3] ?? 0) }).then((s) => console.log(s.url));
}
