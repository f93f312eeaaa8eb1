import { Parser } from "htmlparser2";

/**
 * What a page makes a browser load or go to. `script`, `stylesheet`, `frame` and `form` run or capture content, so
 * injected ones are what defacers add; `resource` is other loaded content (images, media, icons); `link` is a page
 * the reader is sent to.
 */
export type ReferenceKind = "script" | "stylesheet" | "frame" | "form" | "resource" | "link";

export interface PageReference {
  readonly kind: ReferenceKind;
  /** The attribute value as written, resolved against the page later. */
  readonly url: string;
}

/** A tag whose `src` or `href` is a script or stylesheet, with where it sits in the page (for SRI). */
export interface IntegrityTarget {
  readonly url: string;
  readonly start: number;
  readonly end: number;
  readonly tagName: string;
}

const SOURCE_ATTRIBUTE: Record<string, { attribute: string; kind: ReferenceKind }> = {
  script: { attribute: "src", kind: "script" },
  iframe: { attribute: "src", kind: "frame" },
  frame: { attribute: "src", kind: "frame" },
  embed: { attribute: "src", kind: "frame" },
  object: { attribute: "data", kind: "frame" },
  form: { attribute: "action", kind: "form" },
  img: { attribute: "src", kind: "resource" },
  source: { attribute: "src", kind: "resource" },
  video: { attribute: "src", kind: "resource" },
  audio: { attribute: "src", kind: "resource" },
  track: { attribute: "src", kind: "resource" },
  a: { attribute: "href", kind: "link" },
  area: { attribute: "href", kind: "link" },
};

function linkKind(rel: string): ReferenceKind | undefined {
  const rels = rel.toLowerCase().split(/\s+/);
  if (rels.includes("stylesheet")) return "stylesheet";
  if (rels.includes("modulepreload") || rels.includes("preload") || rels.includes("prefetch")) return "script";
  if (rels.some((r) => ["icon", "manifest", "apple-touch-icon", "mask-icon"].includes(r))) return "resource";
  return undefined;
}

/** `<meta http-equiv="refresh" content="0; url=…">` sends the reader elsewhere without a click. */
function refreshTarget(content: string): string | undefined {
  return /;\s*url\s*=\s*['"]?([^'"]+)/i.exec(content)?.[1]?.trim();
}

interface Scan {
  references: PageReference[];
  base?: string;
  integrityTargets: IntegrityTarget[];
}

function scan(html: string): Scan {
  const result: Scan = { references: [], integrityTargets: [] };
  const parser = new Parser(
    {
      onopentag(name, attributes) {
        const add = (kind: ReferenceKind, url: string | undefined) => {
          if (url !== undefined && url.trim() !== "") result.references.push({ kind, url: url.trim() });
        };
        if (name === "base") result.base ??= attributes.href;
        else if (name === "link") {
          const kind = linkKind(attributes.rel ?? "");
          if (kind) add(kind, attributes.href);
          if (kind === "stylesheet" && attributes.href) result.integrityTargets.push({ url: attributes.href, start: parser.startIndex, end: parser.endIndex, tagName: name });
        } else if (name === "meta" && attributes["http-equiv"]?.toLowerCase() === "refresh") add("link", refreshTarget(attributes.content ?? ""));
        else {
          const source = SOURCE_ATTRIBUTE[name];
          if (source) add(source.kind, attributes[source.attribute]);
          if (name === "script" && attributes.src) result.integrityTargets.push({ url: attributes.src, start: parser.startIndex, end: parser.endIndex, tagName: name });
        }
        for (const candidate of (attributes.srcset ?? "").split(",")) add("resource", candidate.trim().split(/\s+/)[0]);
      },
    },
    { decodeEntities: true, lowerCaseTags: true, lowerCaseAttributeNames: true },
  );
  parser.end(html);
  return result;
}

/** Every script, stylesheet, frame, form target, loaded resource and link of a page, and its `<base href>` if any. */
export function pageReferences(html: string): { references: PageReference[]; base?: string } {
  const { references, base } = scan(html);
  return { references, base };
}

/** The script and stylesheet tags of a page, for writing Subresource Integrity attributes. */
export function integrityTargets(html: string): IntegrityTarget[] {
  return scan(html).integrityTargets;
}

/** The tag with its `integrity` attribute set to `value` (an existing one is replaced). */
export function withIntegrity(tag: string, tagName: string, value: string): string {
  const stripped = tag.replace(/\s+integrity\s*=\s*("[^"]*"|'[^']*'|[^\s>]+)/gi, "");
  return `${stripped.slice(0, tagName.length + 1)} integrity="${value}"${stripped.slice(tagName.length + 1)}`;
}

/** True for paths served as HTML, whose references are checked. */
export function isHtmlPath(path: string): boolean {
  return /\.x?html?$/i.test(path) || path.endsWith("/") || path === "";
}
