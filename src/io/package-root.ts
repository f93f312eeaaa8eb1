import fs from "node:fs";
import path from "node:path";

/**
 * A path inside this package's folder (the one holding `package.json`), found upwards from this module: the same
 * from `src/` under ts-node and from `dist/src/` once built.
 */
export function packagePath(...parts: string[]): string {
  let dir = __dirname;
  while (!fs.existsSync(path.join(dir, "package.json")) && path.dirname(dir) !== dir) dir = path.dirname(dir);
  return path.join(dir, ...parts);
}
