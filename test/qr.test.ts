import { expect } from "chai";
import fc from "fast-check";
import { qrModules, qrSvg } from "../src/io/qr-code";
import { scanSvg } from "./helpers/qr";

describe("QR codes", () => {
  it("scan back to exactly what they carry, for certificate payloads and links alike", () => {
    const hex = (bytes: number) => fc.uint8Array({ minLength: bytes, maxLength: bytes }).map((b) => Buffer.from(b).toString("hex").toUpperCase());
    const payload = fc.oneof(
      fc.tuple(fc.integer({ min: 1, max: 2 ** 31 }), hex(20), hex(32), fc.nat({ max: 16_777_214 }), hex(32)).map(([chain, registry, root, index, target]) => `SAKSHYA:C1:${chain}:${registry}:${root}:${index}:${target}`),
      fc.webUrl(),
    );
    fc.assert(
      fc.property(payload, (text) => {
        expect(scanSvg(qrSvg(qrModules(text)))).to.equal(text);
      }),
      { numRuns: 25 },
    );
  });

  it("draw one stroke per run of dark modules, on a white ground with the four-module quiet zone", () => {
    const svg = qrSvg(qrModules("SAKSHYA:C1:1:AB"));
    expect(svg).to.match(/^<svg xmlns="http:\/\/www.w3.org\/2000\/svg" viewBox="0 0 29 29" width="232" height="232" shape-rendering="crispEdges"><rect width="29" height="29" fill="#fff"\/><path stroke="#000" stroke-width="1" d="M4 4\.5h7m/);
  });
});
