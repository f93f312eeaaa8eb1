import path from "node:path";
import QRCode from "qrcode";
import type { CertificateFile } from "./document";

export const QR_DIR = "qr";

/**
 * What a certificate's QR code carries: enough to ask the registry about the document (chain, registry, root,
 * index) and to tie the printed copy to the holder's file (target hash) — no personal data.
 */
export function verificationPayload(certificate: CertificateFile): string {
  const { anchor, proof } = certificate;
  return `sakshya:cert/1?chain=${anchor.chainId}&registry=${anchor.registry}&root=${proof.root}&index=${proof.index}&target=${proof.targetHash}`;
}

/** Writes `<dir>/qr/<name>.png`. */
export async function writeQrCode(dir: string, certificate: CertificateFile, name: string): Promise<void> {
  await QRCode.toFile(path.join(dir, QR_DIR, `${name}.png`), verificationPayload(certificate), { errorCorrectionLevel: "M", margin: 2, width: 360 });
}
