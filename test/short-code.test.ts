import { expect } from "chai";
import fc from "fast-check";
import hre from "hardhat";
import { CODE_SLOTS, certificateCode, codeSlotOf, formatShortCode, parseShortCode, titleCode, verhoeffDigit } from "../src/codes/short-code";
import { certificateSuite } from "./fixtures";

const certificateCodes = fc.record({ issuerOrgId: fc.integer({ min: 1, max: 9_999 }), slot: fc.nat(CODE_SLOTS - 1), index: fc.nat(16_777_214) });
const titleCodes = fc.record({ parcelNumber: fc.integer({ min: 1, max: 999_999_999_999 }), version: fc.integer({ min: 1, max: 999_999_999 }) });
const anyCode = fc.oneof(
  certificateCodes.map((c) => certificateCode(c.issuerOrgId, c.slot, c.index)),
  titleCodes.map((c) => titleCode(c.parcelNumber, c.version)),
);

describe("short verification codes", () => {
  it("use Verhoeff's check digit (the published examples)", () => {
    expect(verhoeffDigit("236")).to.equal("3");
    expect(verhoeffDigit("12345")).to.equal("1");
    expect(verhoeffDigit("142857")).to.equal("0");
  });

  it("give back what they name, whatever spaces or dashes they are written with", () => {
    fc.assert(
      fc.property(certificateCodes, ({ issuerOrgId, slot, index }) => {
        const code = certificateCode(issuerOrgId, slot, index);
        expect(parseShortCode(formatShortCode(code))).to.deep.equal({ kind: "certificate", issuerOrgId, slot, index });
        expect(parseShortCode(code.replace(/(\d{3})/g, "$1-"))).to.deep.equal({ kind: "certificate", issuerOrgId, slot, index });
      }),
    );
    fc.assert(
      fc.property(titleCodes, ({ parcelNumber, version }) => {
        expect(parseShortCode(titleCode(parcelNumber, version))).to.deep.equal({ kind: "title", parcelNumber, version });
      }),
    );
  });

  it("are short where it matters: 11 digits for a document of the first thousand of a batch, 10 for an early parcel", () => {
    expect(certificateCode(1, 4_217, 12)).to.have.length(11);
    expect(certificateCode(37, 99_999, 999)).to.have.length(12);
    expect(titleCode(12_345, 2)).to.have.length(10);
    expect(formatShortCode(certificateCode(1, 4_217, 12))).to.match(/^\d{4} \d{4} \d{3}$/);
  });

  it("catch every single mistyped digit and every swap of two neighbours", () => {
    fc.assert(
      fc.property(anyCode, fc.nat(), fc.integer({ min: 1, max: 9 }), (code, at, by) => {
        const i = at % code.length;
        const typo = code.slice(0, i) + String((Number(code[i]) + by) % 10) + code.slice(i + 1);
        expect(() => parseShortCode(typo)).to.throw(/mistyped|not one Sakshya gives|digits/);
        const j = at % (code.length - 1);
        if (code[j] !== code[j + 1]) {
          const swapped = code.slice(0, j) + code[j + 1] + code[j] + code.slice(j + 2);
          expect(() => parseShortCode(swapped)).to.throw(/mistyped|not one Sakshya gives|digits/);
        }
      }),
      { numRuns: 500 },
    );
  });

  it("refuse what is not a code, in one sentence", () => {
    expect(() => parseShortCode("VERIFY")).to.throw("A verification code is made of digits only.");
    expect(() => parseShortCode("12345")).to.throw("A verification code has 10 to 24 digits, not 5.");
    const good = certificateCode(1, 5, 7);
    expect(() => parseShortCode(good.slice(0, -1) + String((Number(good.at(-1)) + 1) % 10))).to.throw("This verification code is mistyped: its last digit does not match the others.");
    const data = "0" + "1".repeat(10);
    expect(() => parseShortCode(data + verhoeffDigit(data))).to.throw("This verification code is not one Sakshya gives.");
  });

  it("agree with the registry on slots", async () => {
    const { registry } = await certificateSuite();
    expect(await registry.CODE_SLOTS()).to.equal(BigInt(CODE_SLOTS));
    const root = hre.ethers.id("a batch");
    await registry.issue(root, 3, 0);
    expect(await registry.codeSlot(1, codeSlotOf(root))).to.equal(root);
  });
});
