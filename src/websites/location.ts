import { InputError } from "../errors";
import { normaliseDomain } from "./manifest";

/** Where a reference in a page points: a file of the site (its manifest path), or somewhere else. */
export type Target = { readonly path: string } | { readonly external: string };

const NOT_FETCHED = /^(#|data:|blob:|javascript:|mailto:|tel:|about:)/i;

/** A site's root URL and domain: turns manifest paths into URLs, and references in its pages back into paths. */
export class SiteLocation {
  private readonly hosts: Set<string>;

  private constructor(
    readonly root: URL,
    readonly domain: string,
  ) {
    this.hosts = new Set([root.host, domain, `www.${domain}`]);
  }

  /**
   * A site served at `url`. The domain it is registered under is `site`, or the URL's host name; an address or
   * `localhost` cannot be a registered domain, so then `site` is required.
   */
  static served(url: string, site?: string): SiteLocation {
    let root: URL;
    try {
      root = new URL(url);
    } catch {
      throw new InputError(`"${url}" is not a URL.`);
    }
    if (root.protocol !== "http:" && root.protocol !== "https:") throw new InputError(`"${url}" is not an http or https URL.`);
    root.search = "";
    root.hash = "";
    if (!root.pathname.endsWith("/")) root.pathname += "/";
    const host = root.hostname.replace(/^\[|\]$/g, "");
    if (site === undefined && (host === "localhost" || /^[\d.]+$/.test(host) || host.includes(":"))) {
      throw new InputError(`${host} is an address, not the site's domain: name the site with --site, e.g. --site wb.gov.in.`);
    }
    return new SiteLocation(root, normaliseDomain(site ?? host));
  }

  /** A build folder: references are resolved as if it were served at the site's own https root. */
  static folder(site: string): SiteLocation {
    const domain = normaliseDomain(site);
    return new SiteLocation(new URL(`https://${domain}/`), domain);
  }

  /** The URL a manifest path is served at. */
  urlOf(path: string): string {
    return new URL(path.split("/").map(encodeURIComponent).join("/"), this.root).href;
  }

  /** The manifest path of a URL of this site, or undefined when the URL is elsewhere. */
  pathOf(url: URL): string | undefined {
    let within: string;
    if (url.host === this.root.host) {
      if (!url.pathname.startsWith(this.root.pathname)) return undefined;
      within = url.pathname.slice(this.root.pathname.length);
    } else if (this.hosts.has(url.host)) within = url.pathname.slice(1);
    else return undefined;
    let path: string;
    try {
      path = decodeURIComponent(within);
    } catch {
      path = within;
    }
    return path === "" || path.endsWith("/") ? `${path}index.html` : path;
  }

  /** Where `reference`, written in the page at manifest path `page` (with its `<base href>`), points. */
  resolve(reference: string, page: string, base?: string): Target | undefined {
    if (NOT_FETCHED.test(reference)) return undefined;
    let url: URL;
    try {
      const pageUrl = new URL(this.urlOf(page));
      url = new URL(reference, base ? new URL(base, pageUrl) : pageUrl);
    } catch {
      return undefined;
    }
    if (url.protocol !== "http:" && url.protocol !== "https:") return undefined;
    url.hash = "";
    const path = this.pathOf(url);
    if (path !== undefined) return { path };
    return { external: url.href };
  }
}
