import fs from "node:fs";
import PDFDocument from "pdfkit";
import { formatShortCode } from "../codes/short-code";
import { qrModules, qrPath } from "../io/qr-code";
import { packagePath } from "../io/package-root";
import { sfntOfWoff } from "../io/woff";
import type { CertificateFile } from "./document";
import { certificateLink } from "./link";
import { fieldLabel } from "./labels";
import { isPrinted, type CertificateSchema } from "./schema";

/** What a printed certificate shows beside its fields. */
export interface PrintOptions {
  readonly schema: CertificateSchema;
  /** The issuer's name as printed at the top (its directory code when none is given). */
  readonly issuerName: string;
  /** The verification page the QR code links to. */
  readonly page: string;
  /** The document's short verification code (digits). */
  readonly code: string;
  /** The number verifiers send `VERIFY <code>` to, where SMS verification is offered. */
  readonly smsNumber?: string;
}

const FONTS = packagePath("node_modules", "@fontsource", "noto-sans-bengali", "files");
const MARGIN = 56;
const QR_SIZE = 150;
/** Bengali script, with the dandas and the joiners that shape it: set in the Bengali face, the rest in the Latin one. */
const BENGALI_RUN = /([\u0980-\u09ff\u0964\u0965\u200c\u200d]+)/;

let loaded: Array<[string, Buffer]> | undefined;

/** The faces a certificate is set in, read once: Bengali and Latin, regular and bold. */
function fonts(): Array<[string, Buffer]> {
  loaded ??= ["400", "700"].flatMap((weight): Array<[string, Buffer]> => [
    [`bn-${weight}`, sfntOfWoff(fs.readFileSync(`${FONTS}/noto-sans-bengali-bengali-${weight}-normal.woff`))],
    [`latin-${weight}`, sfntOfWoff(fs.readFileSync(`${FONTS}/noto-sans-bengali-latin-${weight}-normal.woff`))],
  ]);
  return loaded;
}

/** The fields a certificate prints: those the schema marks `printed`, or every field when it marks none. */
export function printedFields(schema: CertificateSchema, certificate: CertificateFile): Array<[label: string, value: string]> {
  return Object.entries(schema.fields)
    .filter(([name]) => isPrinted(schema, name) && name in certificate.fields)
    .map(([name, rule]) => [fieldLabel(name, rule.label), String(certificate.fields[name])]);
}

/**
 * A printable certificate on A4: the issuer's name, the schema's title, the fields the schema prints, and — at the
 * foot — the QR code (its verification link, so any phone camera opens the verdict) beside the short code for SMS,
 * IVRS or typing in. Bengali is set in Noto Sans Bengali, shaped (conjuncts and vowel signs) by pdfkit's fontkit.
 */
export async function writeCertificatePdf(certificate: CertificateFile, file: string, options: PrintOptions): Promise<void> {
  const doc = new PDFDocument({ size: "A4", margin: MARGIN, info: { Title: `${options.schema.title} — ${options.issuerName}`, Creator: "Sakshya" } });
  const done = new Promise<void>((resolve, reject) => {
    const out = fs.createWriteStream(file);
    out.on("finish", resolve).on("error", reject);
    doc.pipe(out);
  });
  for (const [name, font] of fonts()) doc.registerFont(name, font);
  const width = doc.page.width - 2 * MARGIN;
  const runsOf = (text: string, weight: "400" | "700") => text.split(BENGALI_RUN).filter((run) => run !== "").map((run) => ({ run, font: `${BENGALI_RUN.test(run) ? "bn" : "latin"}-${weight}` }));
  const write = (text: string, size: number, weight: "400" | "700", options: PDFKit.Mixins.TextOptions = {}) => {
    const runs = runsOf(text, weight);
    runs.forEach(({ run, font }, i) => {
      doc.font(font).fontSize(size);
      doc.text(run, { ...options, continued: i < runs.length - 1 });
    });
  };
  /** One centred line in mixed scripts, made smaller until it fits: pdfkit cannot centre a run of several fonts. */
  const centred = (text: string, size: number, weight: "400" | "700") => {
    const runs = runsOf(text, weight);
    const widthAt = (s: number) => runs.reduce((sum, { run, font }) => sum + doc.font(font).fontSize(s).widthOfString(run), 0);
    let fitted = size;
    while (fitted > 10 && widthAt(fitted) > width) fitted -= 1;
    let x = MARGIN + Math.max(0, (width - widthAt(fitted)) / 2);
    const y = doc.y;
    for (const { run, font } of runs) {
      doc.font(font).fontSize(fitted).text(run, x, y, { lineBreak: false });
      x += doc.widthOfString(run);
    }
    doc.x = MARGIN;
    doc.y = y + doc.currentLineHeight(true);
  };

  // A frame and the heading.
  doc.rect(MARGIN / 2, MARGIN / 2, doc.page.width - MARGIN, doc.page.height - MARGIN).lineWidth(1.5).stroke("#0b4f8a");
  doc.fillColor("#0b4f8a");
  centred(options.issuerName, 24, "700");
  doc.moveDown(0.4).fillColor("#1b1f24");
  centred(options.schema.title, 16, "400");
  doc.moveDown(1.5);

  // The fields, label beside value.
  const labelWidth = 170;
  for (const [label, value] of printedFields(options.schema, certificate)) {
    const y = doc.y;
    doc.fillColor("#4a5560");
    write(label, 11, "400", { width: labelWidth });
    const afterLabel = doc.y;
    doc.y = y;
    doc.x = MARGIN + labelWidth;
    doc.fillColor("#1b1f24");
    write(value, 13, "700", { width: width - labelWidth });
    doc.x = MARGIN;
    doc.y = Math.max(afterLabel, doc.y) + 6;
  }
  if (certificate.redacted.length > 0) {
    doc.moveDown(0.5).fillColor("#4a5560");
    write(`${certificate.redacted.length} field(s) withheld by the holder; what is printed is still proven.`, 10, "400", { width });
  }

  // The foot: QR code on the left, the code and how to check on the right.
  const footTop = doc.page.height - MARGIN - QR_SIZE - 30;
  const qr = qrModules(certificateLink(certificate, options.page));
  doc.save().translate(MARGIN, footTop).scale(QR_SIZE / qr.length).path(qrPath(qr)).lineWidth(1).stroke("#000").restore();
  const textLeft = MARGIN + QR_SIZE + 24;
  const textWidth = doc.page.width - MARGIN - textLeft;
  doc.x = textLeft;
  doc.y = footTop + 4;
  doc.fillColor("#4a5560");
  write("Verification code · যাচাই কোড", 10, "400", { width: textWidth });
  doc.fillColor("#1b1f24");
  write(formatShortCode(options.code), 22, "700", { width: textWidth, characterSpacing: 1 });
  doc.moveDown(0.4).fillColor("#1b1f24");
  const sms = options.smsNumber ? ` SMS "VERIFY ${options.code}" to ${options.smsNumber}.` : "";
  write(`Scan the QR code with a phone camera, or enter the code at ${options.page}.${sms}`, 9.5, "400", { width: textWidth });
  doc.moveDown(0.3);
  write("ফোনের ক্যামেরায় QR কোড স্ক্যান করুন, অথবা কোডটি যাচাইয়ের পাতায় লিখুন।", 9.5, "400", { width: textWidth });
  // The anchor, small, under the QR code: two lines inside the page's margins, so that it never starts a second page.
  doc.font("latin-400").fontSize(7).fillColor("#4a5560");
  doc.text(`Registry ${certificate.anchor.registry} on chain ${certificate.anchor.chainId}`, MARGIN, doc.page.height - MARGIN - 24, { width });
  doc.text(`Batch ${certificate.proof.root}, document ${certificate.proof.index}`, { width });
  doc.end();
  await done;
}
