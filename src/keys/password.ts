import fs from "node:fs";
import { InputError } from "../errors";

/** Reads a password from a file (first line), or asks for it on the terminal without echoing it. */
export async function readPassword(passwordFile: string | undefined, prompt: string): Promise<string> {
  if (passwordFile) {
    let text: string;
    try {
      text = fs.readFileSync(passwordFile, "utf8");
    } catch {
      throw new InputError(`No password file at "${passwordFile}".`);
    }
    return text.split(/\r?\n/)[0];
  }
  if (!process.stdin.isTTY) throw new InputError("No password given: pass --password-file (there is no terminal to ask on).");
  return promptHidden(prompt);
}

function promptHidden(prompt: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const stdin = process.stdin;
    process.stderr.write(prompt);
    stdin.setRawMode(true);
    stdin.resume();
    stdin.setEncoding("utf8");
    let password = "";
    const onData = (chunk: string) => {
      for (const char of chunk) {
        if (char === "\r" || char === "\n" || char === "\u0004") {
          finish();
          resolve(password);
          return;
        }
        if (char === "\u0003") {
          finish();
          reject(new InputError("Cancelled."));
          return;
        }
        password = char === "\u007f" ? password.slice(0, -1) : password + char;
      }
    };
    const finish = () => {
      stdin.off("data", onData);
      stdin.setRawMode(false);
      stdin.pause();
      process.stderr.write("\n");
    };
    stdin.on("data", onData);
  });
}
