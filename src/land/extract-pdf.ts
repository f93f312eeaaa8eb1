import fs from "node:fs";
import PDFDocument from "pdfkit";
import { isoTime } from "../io/time";
import { qrModules, qrPath } from "../io/qr-code";
import type { TitleExtract } from "./extract";
import { extractLink } from "./extract-link";
import { percent } from "./titles";

const MARGIN = 50;
/** Chain-of-title lines printed; the JSON extract carries them all. */
const PRINTED_HISTORY = 14;

/**
 * A printable title extract: the parcel, its owners by commitment and share, its encumbrances and the latest of
 * its chain of title, with a QR code whose link opens the verification page at `page` on the verdict. Names never
 * appear: the registry holds none, and an owner proves a commitment is theirs with their owner card.
 */
export async function writeExtractPdf(extract: TitleExtract, file: string, page: string): Promise<void> {
  const qr = qrModules(extractLink(extract, page));
  const doc = new PDFDocument({ size: "A4", margin: MARGIN, info: { Title: `Title extract ${extract.parcel.ulpin}`, Creator: "Sakshya" } });
  const done = new Promise<void>((resolve, reject) => {
    const out = fs.createWriteStream(file);
    out.on("finish", resolve).on("error", reject);
    doc.pipe(out);
  });
  const { parcel, anchor } = extract;
  const width = doc.page.width - 2 * MARGIN;

  doc.font("Helvetica-Bold").fontSize(18).text("Title extract — Record of Rights", MARGIN, MARGIN);
  doc.font("Helvetica").fontSize(10).fillColor("#555").text(`Issued ${extract.issuedAt} from the land registry on chain ${anchor.chainId}, block ${anchor.block}.`);
  // Drawn as vector paths, sharp however the page is printed or zoomed.
  doc.save().translate(doc.page.width - MARGIN - 110, MARGIN).scale(110 / qr.length).path(qrPath(qr)).lineWidth(1).stroke("#000").restore();
  doc.moveDown(1.5).fillColor("black");

  section(doc, "Parcel");
  rows(doc, [
    ["ULPIN", parcel.ulpin],
    ["Status", parcel.status],
    ["Area", `${parcel.area.toLocaleString("en-IN")} m² (${(parcel.area / 4046.8564224).toFixed(3)} acres)`],
    ["Land use", parcel.landUse],
    ["Location", `district ${parcel.district}, block ${parcel.block}, village ${parcel.village}`],
    ["Version", String(parcel.version)],
    ["Record of Rights", parcel.recordHash],
  ]);

  section(doc, "Owners");
  rows(
    doc,
    extract.owners.map((o, i) => [`Owner ${i + 1}`, `${percent(o.share)}   ${o.commitment}`]),
  );
  doc.fontSize(8).fillColor("#555").text("Owners are identified by commitments; each owner's card proves which commitment is theirs.", { width }).fillColor("black");

  section(doc, "Encumbrances");
  rows(doc, [
    ["Liens", parcel.liens === 0 ? "none" : `${parcel.liens} registered`],
    ["Pending mutation", parcel.mutationPending ? "yes" : "none"],
    ["Court freeze", parcel.status === "frozen" ? "frozen by court order" : "none"],
  ]);

  section(doc, "Chain of title");
  const recent = extract.chainOfTitle.slice(-PRINTED_HISTORY);
  if (recent.length < extract.chainOfTitle.length) doc.fontSize(8).text(`(latest ${recent.length} of ${extract.chainOfTitle.length} entries; the JSON extract has them all)`);
  for (const entry of recent) {
    doc.font("Helvetica-Bold").fontSize(8).text(`${isoTime(entry.time)}${entry.ulpin === parcel.ulpin ? "" : `  [${entry.ulpin}]`}`, { continued: false });
    // The standard PDF fonts have no arrow glyph.
    doc.font("Helvetica").fontSize(8).text(entry.summary.replace(/→/g, "->"), { width });
  }

  section(doc, "Verify");
  doc.font("Helvetica").fontSize(9).text(`Scan the code above with a phone camera, or open ${page} and choose the extract's file; or run sakshya land verify-extract <extract.json>. Registry ${anchor.registry}.`, { width });
  doc.end();
  await done;
}

function section(doc: PDFKit.PDFDocument, title: string): void {
  doc.moveDown(0.8).font("Helvetica-Bold").fontSize(12).text(title, MARGIN).moveDown(0.2);
}

function rows(doc: PDFKit.PDFDocument, pairs: Array<[string, string]>): void {
  for (const [label, value] of pairs) {
    const y = doc.y;
    doc.font("Helvetica-Bold").fontSize(9).text(label, MARGIN, y, { width: 110 });
    doc.font("Helvetica").fontSize(9).text(value, MARGIN + 115, y, { width: doc.page.width - 2 * MARGIN - 115 });
  }
}
