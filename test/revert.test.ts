import fs from "node:fs";
import path from "node:path";
import { expect } from "chai";
import { ZeroAddress, ZeroHash, type ParamType } from "ethers";
import { decodeRevert, suiteErrorInterface } from "../src/chain/revert";

/** A value of each type the suite's errors carry. */
function sample(input: ParamType): unknown {
  if (input.type === "address") return ZeroAddress;
  if (input.type === "bytes32") return ZeroHash;
  if (input.type === "bytes14") return `0x${"41".repeat(14)}`;
  if (input.type === "bool") return false;
  if (input.type === "bytes4") return "0x12345678";
  if (input.type.startsWith("uint") || input.type.startsWith("int")) return 1;
  throw new Error(`No sample for ${input.type}`);
}

describe("revert sentences", () => {
  it("every custom error of the suite's own contracts reads as a sentence, not as its raw name and arguments", () => {
    const iface = suiteErrorInterface();
    const own = /^(ParticipantDirectory|CertificateRegistry|LandRegistry|WebsiteRegistry|ValidatorSet|BesuPermissions|ScheduledOperationExecutor)/;
    const raw: string[] = [];
    iface.forEachError((fragment) => {
      if (!own.test(fragment.name)) return;
      const decoded = decodeRevert({ data: iface.encodeErrorResult(fragment, fragment.inputs.map(sample)) });
      expect(decoded?.errorName).to.equal(fragment.name);
      if (decoded!.message.includes(`${fragment.name}(`)) raw.push(fragment.name);
    });
    expect(raw, "errors without a sentence").to.deep.equal([]);
  });
});

describe("module boundaries", () => {
  it("no domain module imports command-line code: the service and the command line share src/ alone", () => {
    const root = path.join(__dirname, "..", "src");
    const offenders = (fs.readdirSync(root, { recursive: true, encoding: "utf8" }) as string[])
      .filter((file) => file.endsWith(".ts") && !file.startsWith(`cli${path.sep}`))
      .filter((file) => /from "(\.\.?\/)+(cli|scripts)\//.test(fs.readFileSync(path.join(root, file), "utf8")));
    expect(offenders).to.deep.equal([]);
  });
});
