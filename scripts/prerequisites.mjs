// Makes the system packages the test suite needs present before anything runs (`npm test` runs this first):
// PostgreSQL's server binaries (the index tests start a server of their own from them), Debian's Chromium and a
// Bengali font (the verification page's browser tests), poppler's tools (the printed certificates' tests render their
// pages and read them back), and curl (the README's examples, which a test runs, call the service with it). As root
// it installs what is missing with apt-get; otherwise it stops, naming the one command to run. Nothing is downloaded
// but Debian's packages.
import { execFileSync, spawnSync } from "node:child_process";
import fs from "node:fs";

const has = {
  postgresql: () => fs.existsSync("/usr/lib/postgresql") && fs.readdirSync("/usr/lib/postgresql").some((v) => fs.existsSync(`/usr/lib/postgresql/${v}/bin/initdb`)),
  chromium: () => fs.existsSync(process.env.CHROMIUM_PATH ?? "/usr/bin/chromium"),
  "fonts-beng-extra": () => spawnSync("fc-list", [":lang=bn", "family"], { encoding: "utf8" }).stdout?.trim().length > 0,
  "poppler-utils": () => spawnSync("pdftoppm", ["-v"]).status === 0,
  // The README's examples, which a test runs, call the service with curl.
  curl: () => spawnSync("curl", ["--version"]).status === 0,
};
const missing = Object.entries(has).filter(([, present]) => !present()).map(([name]) => name);
if (missing.length === 0) process.exit(0);

const command = `apt-get update && apt-get install -y ${missing.join(" ")}`;
if (process.getuid?.() !== 0 || !fs.existsSync("/usr/bin/apt-get")) {
  console.error(`The tests need ${missing.join(", ")}, which this machine lacks: run \`sudo sh -c '${command}'\` (as root, npm test installs them itself).`);
  process.exit(1);
}
console.error(`Installing what the tests need from Debian: ${missing.join(", ")}.`);
const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
try {
  execFileSync("apt-get", ["update"], { stdio: ["ignore", "ignore", "inherit"], env });
  execFileSync("apt-get", ["install", "-y", ...missing], { stdio: ["ignore", "ignore", "inherit"], env });
} catch {
  console.error(`Installing ${missing.join(", ")} failed (apt-get said why above); run \`${command}\` and try again.`);
  process.exit(1);
}
const still = missing.filter((name) => !has[name]());
if (still.length > 0) {
  console.error(`apt-get installed ${missing.join(", ")}, yet ${still.join(", ")} is still not found.`);
  process.exit(1);
}
