/**
 * Run by bench/run.ts as `hardhat run --network localhost` against a spawned `npx hardhat node`: builds and issues a
 * batch, then verifies its folder over HTTP the way `sakshya cert verify` does, and one certificate per call beside it.
 * Prints its figures as one line of JSON.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import hre from "hardhat";
import { buildBatch, writeBatch } from "../src/certificates/batch";
import { CertificateClient } from "../src/certificates/client";
import { parseCsvRecords } from "../src/certificates/records";
import { readSchema } from "../src/certificates/schema";
import type { IssuerLookup } from "../src/certificates/checks";
import { collectCertificateFiles, verifyCertificates } from "../src/certificates/verify";
import { connect } from "../src/chain/provider";
import { encodeCode } from "../src/directory/vocabulary";
import { loadKeccak } from "../src/hashing/keccak";
import { ParticipantDirectory__factory } from "../typechain-types";
import { SAMPLE_SCHEMA, graduatesCsv } from "./certificates";
import { deployedSuiteForBench } from "./suite";

const DOCUMENTS = Number(process.env.BENCH_VERIFY_DOCUMENTS ?? 10_000);
const NAIVE_SAMPLE = 1_000;

async function main() {
  const { deployment, key } = await deployedSuiteForBench(hre);
  const keccak = await loadKeccak();
  const anchor = { chainId: deployment.chainId, registry: deployment.contracts.CertificateRegistry!.address };
  const batch = buildBatch({ records: parseCsvRecords(graduatesCsv(DOCUMENTS), "graduates.csv"), schema: readSchema(SAMPLE_SCHEMA), issuer: "wbu", anchor, expiresAt: 0 }, keccak);
  const folder = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "sakshya-verify-")), "batch");
  try {
    await writeBatch(folder, batch, { threads: 0 }); // this process has Hardhat loaded: see WriteOptions.threads
    const issuerOrgId = Number(await ParticipantDirectory__factory.connect(deployment.contracts.ParticipantDirectory.address, key).organisationIdByCode(encodeCode("wbu")));
    await new CertificateClient(deployment, key, key).issue(batch.manifest, issuerOrgId);

    // What a verifier has: the folder, the deployment file and the RPC URL.
    const url = (hre.network.config as { url: string }).url;
    const provider = await connect({ name: "localhost", rpcUrl: url }, deployment);
    const client = new CertificateClient(deployment, provider);
    const directory = ParticipantDirectory__factory.connect(deployment.contracts.ParticipantDirectory.address, provider);
    const issuerCode: IssuerLookup = async (code) => Number(await directory.organisationIdByCode(encodeCode(code)));
    // Twice: the first run pays for a cold file cache and JIT, as a verifier's single run would.
    const folderRate = async () => {
      const begun = process.hrtime.bigint();
      const verdicts = await verifyCertificates(collectCertificateFiles([folder]), client, issuerCode, keccak);
      if (verdicts.some((v) => !v.valid)) throw new Error("A freshly issued certificate did not verify.");
      return DOCUMENTS / (Number(process.hrtime.bigint() - begun) / 1e9);
    };
    const [firstPerSecond, secondPerSecond] = [await folderRate(), await folderRate()];

    const sample = collectCertificateFiles([folder]).slice(0, NAIVE_SAMPLE);
    const start = process.hrtime.bigint();
    for (const file of sample) await verifyCertificates([file], client, issuerCode, keccak);
    const naiveSeconds = Number(process.hrtime.bigint() - start) / 1e9;
    provider.destroy();
    console.log(JSON.stringify({ documents: DOCUMENTS, firstPerSecond, secondPerSecond, naivePerSecond: sample.length / naiveSeconds }));
  } finally {
    fs.rmSync(path.dirname(folder), { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
