import fs from "node:fs";
import { Command } from "commander";
import { action } from "../../src/cli/action";
import { InputError } from "../../src/errors";
import { createKeystore, importPrivateKey, keystoreAddress, writeKeystore } from "../../src/keys/keystore";
import { readPassword } from "../../src/keys/password";

export function keysCommand(): Command {
  const keys = new Command("keys").description("encrypted JSON keystores (Web3 Secret Storage)");

  keys
    .command("create <file>")
    .description("create a new key in an encrypted keystore (mode 600)")
    .action(
      action(async ({ out, global }, [file]) => {
        const password = await readPassword(global.passwordFile, "New keystore password: ");
        const keystore = await createKeystore(password);
        writeKeystore(file, keystore);
        out.result({ address: keystore.address, file }, [`✓ Created ${file} for ${keystore.address}`]);
      }),
    );

  keys
    .command("import <file>")
    .description("encrypt an existing private key into a keystore")
    .requiredOption("--private-key-file <file>", "file holding the hex private key (delete it afterwards)")
    .action(
      action<{ privateKeyFile: string }>(async ({ out, global }, [file], o) => {
        let privateKey: string;
        try {
          privateKey = fs.readFileSync(o.privateKeyFile, "utf8");
        } catch {
          throw new InputError(`No private key file at "${o.privateKeyFile}".`);
        }
        const password = await readPassword(global.passwordFile, "New keystore password: ");
        const keystore = await importPrivateKey(privateKey, password);
        writeKeystore(file, keystore);
        out.result({ address: keystore.address, file }, [`✓ Imported ${keystore.address} into ${file}`]);
      }),
    );

  keys
    .command("address <file>")
    .description("the address a keystore holds (no password needed)")
    .action(
      action(async ({ out }, [file]) => {
        const address = keystoreAddress(file);
        out.result({ address, file }, [address]);
      }),
    );

  return keys;
}
