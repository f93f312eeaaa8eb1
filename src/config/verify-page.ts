import { InputError } from "../errors";
import { isLocalNetwork } from "./networks";

/** Where the service of a development chain serves its verification page (`sakshya serve`'s default address). */
export const LOCAL_VERIFY_PAGE = "http://127.0.0.1:8080/";

/**
 * The verification page's address that QR codes printed for `network` lead to: `--verify-url`, else
 * SAKSHYA_VERIFY_URL, else — on the development chain only — the local service. A production batch must name it:
 * a printed code outlives any default.
 */
export function verifyPageAddress(network: string, given?: string): string {
  const url = given || process.env.SAKSHYA_VERIFY_URL || (isLocalNetwork(network) ? LOCAL_VERIFY_PAGE : undefined);
  if (url === undefined) throw new InputError("Give the verification page's address that QR codes lead to: --verify-url https://… (or SAKSHYA_VERIFY_URL), or --no-qr.");
  return checkedAddress(url);
}

/** The page's address a link is made from: https, or http on this machine only (development). */
function checkedAddress(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new InputError(`"${url}" is not a web address; give the verification page's address, e.g. https://verify.example.gov.in/.`);
  }
  const local = ["localhost", "127.0.0.1", "[::1]"].includes(parsed.hostname);
  if (parsed.protocol !== "https:" && !(parsed.protocol === "http:" && local)) {
    throw new InputError(`The verification page's address must start with https:// (phones warn about, or refuse, plain http), not "${url}".`);
  }
  if (parsed.search !== "" || parsed.hash !== "" || parsed.username !== "" || parsed.password !== "") {
    throw new InputError(`The verification page's address must have no query, fragment or password: "${url}".`);
  }
  return parsed.href.endsWith("/") ? parsed.href : `${parsed.href}/`;
}

