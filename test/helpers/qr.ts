import { execFileSync } from "node:child_process";
import fs from "node:fs";
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

/**
 * A camera's view of a QR code, for Chromium's fake capture device (`--use-file-for-fake-video-capture`): a Y4M
 * video (YUV 4:2:0) of the code in black on white, centred in a 640×480 frame, held for a second.
 */
export function qrVideo(modules: readonly (readonly boolean[])[], file: string): void {
  const [width, height, fps] = [640, 480, 10];
  const scale = Math.floor(Math.min(width, height) * 0.8 / modules.length);
  const left = Math.floor((width - modules.length * scale) / 2);
  const top = Math.floor((height - modules.length * scale) / 2);
  const luma = Buffer.alloc(width * height, 235);
  modules.forEach((row, y) =>
    row.forEach((dark, x) => {
      if (!dark) return;
      for (let dy = 0; dy < scale; dy++) luma.fill(16, (top + y * scale + dy) * width + left + x * scale, (top + y * scale + dy) * width + left + (x + 1) * scale);
    }),
  );
  const chroma = Buffer.alloc((width / 2) * (height / 2) * 2, 128);
  const frame = Buffer.concat([Buffer.from("FRAME\n"), luma, chroma]);
  fs.writeFileSync(file, Buffer.concat([Buffer.from(`YUV4MPEG2 W${width} H${height} F${fps}:1 Ip A1:1 C420jpeg\n`), ...Array.from({ length: fps }, () => frame)]));
}
