// Builds the public verification page into dist/web: one script and one style sheet, named by their content's hash,
// and index.html pointing at them. Everything the page needs is in these files: no CDN, so it works on an intranet.
// Fails if the page, compressed as the service sends it, weighs more than the budget.
import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { brotliCompressSync } from "node:zlib";
import { build } from "esbuild";

const BUDGET_BYTES = 200 * 1024;
const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), "..");
const web = path.join(root, "web");
const out = path.join(root, "dist", "web");
const staging = `${out}.partial`;

fs.rmSync(staging, { recursive: true, force: true });
fs.mkdirSync(staging, { recursive: true });
const result = await build({
  entryPoints: { app: path.join(web, "app.ts"), style: path.join(web, "style.css") },
  bundle: true,
  minify: true,
  format: "esm",
  platform: "browser",
  target: ["es2020", "chrome90", "firefox90", "safari15"],
  inject: [path.join(web, "buffer-shim.ts")],
  entryNames: "[name]-[hash]",
  // The Bengali font the style sheet names, copied beside it under a name that carries its content's hash.
  loader: { ".woff2": "file" },
  assetNames: "[name]-[hash]",
  outdir: staging,
  metafile: true,
  legalComments: "none",
  logLevel: "warning",
});
const names = {};
for (const [file, output] of Object.entries(result.metafile.outputs)) {
  if (output.entryPoint) names[`${path.basename(output.entryPoint).replace(/\.ts$/, ".js")}`] = path.basename(file);
}
const icon = fs.readFileSync(path.join(web, "icon.svg"));
names["icon.svg"] = `icon-${createHash("sha256").update(icon).digest("hex").slice(0, 8)}.svg`;
fs.writeFileSync(path.join(staging, names["icon.svg"]), icon);
const html = fs.readFileSync(path.join(web, "index.html"), "utf8").replace(/\{\{([\w.]+)\}\}/g, (_, name) => {
  if (!names[name]) throw new Error(`web/index.html names ${name}, which the build did not make`);
  return names[name];
});
fs.writeFileSync(path.join(staging, "index.html"), html);

const sizes = fs.readdirSync(staging).map((name) => {
  const bytes = fs.readFileSync(path.join(staging, name));
  return { name, bytes: bytes.length, compressed: brotliCompressSync(bytes).length };
});
const total = sizes.reduce((sum, s) => sum + s.compressed, 0);
if (total > BUDGET_BYTES) {
  fs.rmSync(staging, { recursive: true, force: true });
  console.error(`The verification page weighs ${(total / 1024).toFixed(1)} KB compressed, over its budget of ${BUDGET_BYTES / 1024} KB.`);
  process.exit(1);
}
fs.rmSync(out, { recursive: true, force: true });
fs.renameSync(staging, out);
fs.writeFileSync(path.join(out, "sizes.json"), `${JSON.stringify({ totalCompressed: total, files: sizes }, null, 2)}\n`);
if (process.argv.includes("--report")) {
  for (const s of sizes) console.log(`${s.name.padEnd(28)} ${String(s.bytes).padStart(8)} B  ${String(s.compressed).padStart(7)} B compressed`);
  console.log(`total compressed: ${(total / 1024).toFixed(1)} KB of ${BUDGET_BYTES / 1024} KB`);
}
