import decodeQR from "qr/decode.js";

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
