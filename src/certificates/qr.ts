import type { CertificateFile } from "./document";

/** The folder of a batch holding each certificate's QR code, `<name>.svg`. */
export const QR_DIR = "qr";

/**
 * What a certificate's QR code carries: enough to ask the registry about the document (chain, registry, root,
 * index) and to tie the printed copy to the holder's file (target hash) — no personal data. Written
 * `SAKSHYA:C1:<chain>:<registry>:<root>:<index>:<target>`, hex in capitals without 0x, so that every character is in
 * the QR alphanumeric set (5.5 bits a character instead of 8): the code is version 8 (49 modules a side) rather than
 * 11 (61) — a third quicker to draw, and easier to scan printed small.
 */
export function verificationPayload(certificate: CertificateFile): string {
  const { anchor, proof } = certificate;
  const hex = (value: string) => value.slice(2).toUpperCase();
  return `SAKSHYA:C1:${anchor.chainId}:${hex(anchor.registry)}:${hex(proof.root)}:${proof.index}:${hex(proof.targetHash)}`;
}
