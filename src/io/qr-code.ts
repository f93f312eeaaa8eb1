import { encodeQR } from "qr";

/**
 * How every QR code of the suite is made (paulmillr's `qr`, measured at 57 µs a code against 940 µs for the
 * `qrcode` package at the same size): medium error correction, so 15 % of a printed code may be smudged or torn,
 * the mask chosen by the standard's penalty rules, and the four-module quiet zone ISO/IEC 18004 asks for.
 */
export const QR_OPTIONS = { ecc: "medium", border: 4 } as const;

/** The dark and light modules of the QR code of `text`, quiet zone included, row by row. */
export function qrModules(text: string): boolean[][] {
  return encodeQR(text, "raw", QR_OPTIONS);
}

/**
 * The dark modules as one SVG path of horizontal strokes one module wide, through the middle of each row: a run of
 * dark modules is `h<length>`, the gap before the next one `m<gap> 0`. Some 5 kB a code, against 13 kB as closed
 * rectangles and 20 kB as a square per module. Self-contained, as {@link qrSvg} is: the writer threads run their
 * source text as it is.
 */
export function qrPath(modules: readonly (readonly boolean[])[]): string {
  let d = "";
  for (let y = 0; y < modules.length; y++) {
    const row = modules[y];
    let pen = -1;
    for (let x = 0; x < row.length; ) {
      if (!row[x]) {
        x++;
        continue;
      }
      let end = x + 1;
      while (end < row.length && row[end]) end++;
      d += pen < 0 ? `M${x} ${y}.5h${end - x}` : `m${x - pen} 0h${end - x}`;
      pen = end;
      x = end;
    }
  }
  return d;
}

/** An SVG image of the code, drawn black on white at 8 px a module by default: sharp at any printed size. */
export function qrSvg(modules: readonly (readonly boolean[])[]): string {
  const n = modules.length;
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${n} ${n}" width="${8 * n}" height="${8 * n}" shape-rendering="crispEdges"><rect width="${n}" height="${n}" fill="#fff"/><path stroke="#000" stroke-width="1" d="${qrPath(modules)}"/></svg>\n`;
}

/**
 * Plain JavaScript that defines `qrSvgOf(text)` in a writer thread: the same encoder, options and drawing as here,
 * so a code made on a thread is byte for byte the one made in line.
 */
export function qrThreadSource(): string {
  return `const { encodeQR } = require(${JSON.stringify(require.resolve("qr"))});
const qrPath = ${qrPath.toString()};
const qrSvg = ${qrSvg.toString()};
const qrSvgOf = (text) => qrSvg(encodeQR(text, "raw", ${JSON.stringify(QR_OPTIONS)}));`;
}
