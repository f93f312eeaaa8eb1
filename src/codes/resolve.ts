import { judgeOnChain, type StatusRegistry, type Verdict } from "../certificates/checks";
import type { OrganisationView } from "../directory/client";
import type { ParcelView } from "../land/client";
import { parseShortCode, type ShortCode } from "./short-code";

/** What short codes name, as the index (or the chain) knows it. */
export interface CodeBook {
  codeSlotRoot(issuerOrgId: number, slot: number): Promise<string | undefined>;
  parcelByNumber(number: number): Promise<string | undefined>;
}

/** What resolving a code reads: the code book, the registry's statuses, the directory and the land registry. */
export interface CodeSources {
  readonly codes: CodeBook;
  readonly certificates: StatusRegistry;
  organisation(id: number): Promise<OrganisationView>;
  parcel(ulpin: string): Promise<ParcelView | undefined>;
}

/** A code as read back: its digits (spaces and dashes dropped) and what they name. */
interface Read<K extends ShortCode["kind"]> {
  readonly digits: string;
  readonly code: ShortCode & { kind: K };
}

export type CodeAnswer =
  | (Read<"certificate"> & { readonly kind: "certificate"; readonly found: false })
  | (Read<"certificate"> & {
      readonly kind: "certificate";
      readonly found: true;
      readonly verdict: Verdict;
      readonly issuer: Pick<OrganisationView, "id" | "code" | "kind" | "status" | "metadataHash">;
    })
  | (Read<"title"> & { readonly kind: "title"; readonly found: false })
  | (Read<"title"> & {
      readonly kind: "title";
      readonly found: true;
      /** `current`: the parcel is still at the extract's version; `outdated`: it has changed since. */
      readonly verdict: "current" | "outdated";
      readonly parcel: ParcelView;
    });

/**
 * What a short code names, and the registry's word on it: for a certificate, the verdict `cert verify` gives on the
 * document (found through its issuer's code slot); for a title extract, whether the parcel is still at the version the
 * extract shows. A code that names nothing is `found: false` — never a guess at a neighbouring code. A mistyped code
 * throws its sentence (InputError); the chain or index not answering throws too, and is never a verdict.
 */
export async function resolveShortCode(text: string, sources: CodeSources): Promise<CodeAnswer> {
  const code = parseShortCode(text);
  const digits = text.replace(/[\s-]/g, "");
  if (code.kind === "certificate") {
    const root = await sources.codes.codeSlotRoot(code.issuerOrgId, code.slot);
    if (root === undefined) return { kind: "certificate", digits, code, found: false };
    const organisation = await sources.organisation(code.issuerOrgId);
    const [verdict] = await judgeOnChain([{ file: digits, issuer: organisation.code, root, index: code.index }], sources.certificates, async (c) =>
      c === organisation.code ? organisation.id : undefined,
    );
    if (verdict.status === "not-issued") return { kind: "certificate", digits, code, found: false };
    const { id, kind, status, metadataHash } = organisation;
    return { kind: "certificate", digits, code, found: true, verdict, issuer: { id, code: organisation.code, kind, status, metadataHash } };
  }
  const ulpin = await sources.codes.parcelByNumber(code.parcelNumber);
  const parcel = ulpin === undefined ? undefined : await sources.parcel(ulpin);
  if (!parcel || code.version > parcel.version) return { kind: "title", digits, code, found: false };
  return { kind: "title", digits, code, found: true, verdict: parcel.version === code.version ? "current" : "outdated", parcel };
}
