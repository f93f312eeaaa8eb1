/** The folder of a batch holding each certificate's QR code, `<name>.svg`: its verification link (see link.ts). */
export const QR_DIR = "qr";

/** The folder of a batch holding each certificate's printable PDF, `<name>.pdf` (`cert batch --pdf`). */
export const PDF_DIR = "pdf";
