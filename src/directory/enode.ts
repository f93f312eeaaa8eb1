import { getBytes, hexlify, keccak256 } from "ethers";
import { InputError } from "../errors";

/** A node as Besu names it: `enode://<128 hex digits of public key>@<host>:<port>`. */
export interface Enode {
  readonly publicKey: string;
  readonly host: string;
  readonly port: number;
}

const ENODE_PATTERN = /^enode:\/\/([0-9a-fA-F]{128})@([^:@/\s]+|\[[0-9a-fA-F:]+\]):(\d{1,5})(\?.*)?$/;

export function parseEnode(url: string): Enode {
  const match = ENODE_PATTERN.exec(url.trim());
  if (!match) throw new InputError(`"${url}" is not an enode URL (enode://<128 hex digits>@host:port).`);
  const port = Number(match[3]);
  if (port < 1 || port > 65535) throw new InputError(`Port ${port} in the enode URL is outside 1-65535.`);
  if (/^0+$/.test(match[1])) throw new InputError("The enode public key is all zeros.");
  return { publicKey: `0x${match[1].toLowerCase()}`, host: match[2], port };
}

export function formatEnode(enode: Enode): string {
  return `enode://${enode.publicKey.slice(2)}@${enode.host}:${enode.port}`;
}

/** The two bytes32 halves the directory stores. */
export function enodeHalves(publicKey: string): [string, string] {
  const bytes = getBytes(publicKey);
  return [hexlify(bytes.slice(0, 32)), hexlify(bytes.slice(32))];
}

/** The directory's node id: keccak256 of the 64-byte public key. */
export function nodeId(publicKey: string): string {
  return keccak256(publicKey);
}

/** A node as a person names it on the command line: its directory id (0x + 64 hex digits) or its enode URL. */
export function parseNodeReference(value: string): string {
  if (/^0x[0-9a-fA-F]{64}$/.test(value)) return value.toLowerCase();
  if (!value.startsWith("enode://")) throw new InputError(`"${value}" is neither a node id (0x and 64 hex digits) nor an enode URL.`);
  return nodeId(parseEnode(value).publicKey);
}
