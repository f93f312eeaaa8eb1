import { id as textHash } from "ethers";

/**
 * A register export of `count` parcels as the Land Revenue department would hand it over: one owner in most
 * parcels, two or three co-owners in one of five, named by identity reference. Deterministic for a given count.
 */
export function registerExportCsv(count: number): string {
  const lines = ["ulpin,district,block,village,area_sqm,land_use,record_hash,owners"];
  const record = textHash("RoR");
  for (let i = 0; i < count; i++) {
    const ulpin = `WB${String(10 + (i % 23)).padStart(2, "0")}${String(i).padStart(10, "0")}`;
    const owners = i % 5 === 0 ? `EPIC${i}A:50%;EPIC${i}B:30%;EPIC${i}C:20%` : `EPIC${i}:100%`;
    lines.push(`${ulpin},${10 + (i % 23)},${1 + (i % 40)},${100_000 + (i % 5_000)},${400 + (i % 9_000)},agricultural,${record},${owners}`);
  }
  return `${lines.join("\n")}\n`;
}
