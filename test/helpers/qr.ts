import { execFileSync } from "node:child_process";
import path from "node:path";
import decodeQR from "qr/decode.js";

/** Where tests keep printed pages rendered as images, for a person to look at. */
export const PRINT_ARTIFACTS = path.join(__dirname, "..", "..", "test-results", "print");

/**
 * Reads an SVG code the way a camera reads a printed one: the path's strokes painted on a white page at `scale`
 * pixels a module, then handed to an independent decoder (paulmillr's `qr/decode`, which finds the code in the image).
 */
export function scanSvg(svg: string, scale = 4): string {
  const size = Number(/viewBox="0 0 (\d+) \1"/.exec(svg)![1]);
  const path = /<path [^>]*d="([^"]*)"/.exec(svg)![1];
  const dark = Array.from({ length: size }, () => new Array<boolean>(size).fill(false));
  let x = 0;
  let y = 0;
  for (const [, command, a, b] of path.matchAll(/([Mmh])(\d+(?:\.5)?)(?: (\d+(?:\.5)?))?/g)) {
    if (command === "M") [x, y] = [Number(a), Math.floor(Number(b))];
    else if (command === "m") x += Number(a);
    else for (let i = 0; i < Number(a); i++) dark[y][x++] = true;
  }
  const width = size * scale;
  const data = new Uint8Array(width * width * 4).fill(255);
  for (let py = 0; py < width; py++) {
    for (let px = 0; px < width; px++) {
      if (!dark[Math.floor(py / scale)][Math.floor(px / scale)]) continue;
      const at = (py * width + px) * 4;
      data[at] = data[at + 1] = data[at + 2] = 0;
    }
  }
  return decodeQR({ width, height: width, data });
}

/**
 * Reads the QR code on a PDF's first page as a phone reads paper: the page rendered by poppler (`pdftoppm`) at
 * 150 dpi in grey, and the picture handed to the decoder.
 */
export function scanPdfPage(pdf: string): string {
  const pgm = execFileSync("pdftoppm", ["-gray", "-r", "150", "-f", "1", "-l", "1", "-singlefile", pdf], { maxBuffer: 64 << 20 });
  // A binary PGM: "P5", width, height, the largest value, each separated by white space, then one byte a pixel.
  const header = /^P5\s+(\d+)\s+(\d+)\s+(\d+)\s/.exec(pgm.subarray(0, 40).toString("latin1"))!;
  const [width, height] = [Number(header[1]), Number(header[2])];
  const grey = pgm.subarray(header[0].length);
  const data = new Uint8Array(width * height * 4);
  for (let i = 0; i < width * height; i++) {
    data[4 * i] = data[4 * i + 1] = data[4 * i + 2] = grey[i];
    data[4 * i + 3] = 255;
  }
  return decodeQR({ width, height, data });
}
