/** The folder of a batch holding each certificate's QR code, `<name>.svg`: its verification link (see link.ts). */
export const QR_DIR = "qr";
/** Each certificate's verification link, one line each (`file,index,link`), beside the QR codes. */
export const LINKS_FILE = "links.csv";

/** The folder of a batch holding each certificate's printable PDF, `<name>.pdf` (`cert batch --pdf`). */
export const PDF_DIR = "pdf";
