import { fragmentLink, fromFragment, type Reader, Writer } from "../io/packing";
import type { TitleExtract } from "./extract";

/**
 * A title extract's verification link: the page's address with the extract packed into the fragment (`#L1.`), as a
 * certificate's is (see certificates/link.ts). It carries everything the registry is asked to confirm — the parcel at
 * its version, its owners by commitment and share, the encumbrances then — but not the chain of title, which the
 * registry holds anyway; an extract holds no names. The layout, version 1 (varint and text as for certificates):
 *
 *   varint chainId · 20 bytes registry · varint block · 32 block hash · text issuedAt · text ulpin · text status ·
 *   varint area · text landUse · varint district · varint block · varint village · varint version · 32 record hash ·
 *   varint liens · 1 byte mutation pending · 32 owners hash · varint n + n × (32 commitment · varint share)
 */
export const EXTRACT_LINK_PREFIX = "L1.";

export function extractLink(extract: TitleExtract, page: string): string {
  const out = new Writer();
  const { anchor, parcel } = extract;
  out.varint(anchor.chainId);
  out.hex(anchor.registry, 20);
  out.varint(anchor.block);
  out.hex(anchor.blockHash, 32);
  out.text(extract.issuedAt);
  out.text(parcel.ulpin);
  out.text(parcel.status);
  out.varint(parcel.area);
  out.text(parcel.landUse);
  out.varint(parcel.district);
  out.varint(parcel.block);
  out.varint(parcel.village);
  out.varint(parcel.version);
  out.hex(parcel.recordHash, 32);
  out.varint(parcel.liens);
  out.varint(parcel.mutationPending ? 1 : 0);
  out.hex(extract.ownersHash, 32);
  out.varint(extract.owners.length);
  for (const owner of extract.owners) {
    out.hex(owner.commitment, 32);
    out.varint(owner.share);
  }
  return fragmentLink(page, EXTRACT_LINK_PREFIX, out.bytes());
}

/** The extract a link's fragment carries, as the JSON of its file (with an empty chain of title). */
export function extractFromFragment(fragment: string): unknown {
  return fromFragment(fragment, EXTRACT_LINK_PREFIX, "a Sakshya title extract", unpackExtract);
}

function unpackExtract(input: Reader): unknown {
  const anchor = { chainId: input.varint(), registry: input.hex(20), block: input.varint(), blockHash: input.hex(32) };
  const issuedAt = input.text();
  const parcel = {
    ulpin: input.text(),
    status: input.text(),
    area: input.varint(),
    landUse: input.text(),
    district: input.varint(),
    block: input.varint(),
    village: input.varint(),
    version: input.varint(),
    recordHash: input.hex(32),
    liens: input.varint(),
    mutationPending: input.varint() === 1,
  };
  const ownersHash = input.hex(32);
  const count = input.varint();
  if (count > 1_000) throw new RangeError("too many owners");
  const owners = Array.from({ length: count }, () => ({ commitment: input.hex(32), share: input.varint() }));
  return { kind: "sakshya-land-title-extract", version: 1, issuedAt, anchor, parcel, owners, ownersHash, chainOfTitle: [] };
}
