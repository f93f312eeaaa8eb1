import net from "node:net";
import { InputError } from "../errors";

/** A TCP port free on 127.0.0.1 at the moment of asking, for a server started next. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer().listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
    server.on("error", reject);
  });
}

/** The sentence for a port another process holds. */
export function portInUse(host: string, port: number): InputError {
  return new InputError(`Port ${port} on ${host} is in use (another service, or an earlier one still running): stop that, or give another --port.`);
}

/**
 * Refuses, before anything is opened or written, a port another process listens on: a second service on the same
 * port is told so, not that its audit log is locked. Port 0 (any free port) always passes.
 */
export async function requirePortFree(host: string, port: number): Promise<void> {
  if (port === 0) return;
  await new Promise<void>((resolve, reject) => {
    const server = net.createServer();
    server.once("error", (error: NodeJS.ErrnoException) => reject(error.code === "EADDRINUSE" ? portInUse(host, port) : error));
    server.listen(port, host, () => server.close(() => resolve()));
  });
}
