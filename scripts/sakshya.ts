import "dotenv/config";
import { Command, CommanderError } from "commander";
import { hideTypedSecrets } from "../src/cli/action";
import { ExitCode } from "../src/errors";
import { apiKeysCommand } from "./commands/api-keys";
import { auditCommand } from "./commands/audit";
import { besuCommand } from "./commands/besu";
import { certCommand } from "./commands/cert";
import { committeeCommand } from "./commands/committee";
import { keysCommand } from "./commands/keys";
import { landCommand } from "./commands/land";
import { orgCommand } from "./commands/org";
import { rolesCommand } from "./commands/roles";
import { serveCommand } from "./commands/serve";
import { siteCommand } from "./commands/site";

const program = new Command("sakshya")
  .description("Sakshya: registries of a permissioned blockchain backbone — directory, governance, keys, certificates, land records, websites and the Besu network")
  .option("--network <name>", "localhost, besu, or a name with --rpc-url (default: SAKSHYA_NETWORK or localhost)")
  .option("--rpc-url <url>", "JSON-RPC endpoint (overrides the network's)")
  .option("--deployments <file>", "deployment file (default: deployments/<network>.json)")
  .option("--json", "print JSON for machines", false)
  .option("--keystore <file>", "encrypted JSON keystore that signs writes (or SAKSHYA_KEYSTORE)")
  .option("--password-file <file>", "file whose first line is the keystore password (or SAKSHYA_PASSWORD_FILE)")
  .option("--dev-account <index>", "sign with Hardhat development account N (local chain only)")
  .option("--api <url>", "work through a Sakshya service instead of an RPC node: verification and histories from its index, everything else (writes too, signed here) through its relay")
  .option("--api-key <key>", "the service's API key (or SAKSHYA_API_KEY); writes need the submit scope")
  .option("--propose [file]", "write every governance write as a proposal of the committee (Safe) whose role may make it, for its members to sign, instead of sending it (default file: proposals/<network>/<role>-<nonce>.json)")
  .option("--committee <role>", "with --propose: the committee to propose to (governor, operator, guardian, responder)")
  .option("--timeout <seconds>", "longest wait for any one answer from the RPC endpoint or a site; a sent transaction is waited for 8 times as long (default 15, or SAKSHYA_TIMEOUT)")
  .configureOutput({ writeErr: (text) => process.stderr.write(hideTypedSecrets(text)) })
  .showHelpAfterError()
  .exitOverride();

for (const command of [orgCommand(), rolesCommand(), committeeCommand(), keysCommand(), certCommand(), landCommand(), siteCommand(), besuCommand(), serveCommand(), apiKeysCommand(), auditCommand()]) {
  program.addCommand(command.exitOverride().showHelpAfterError());
}

program
  .parseAsync(process.argv)
  .catch((error: unknown) => {
    // Commander already printed its message; bad usage is "could not run", help and version are success.
    if (error instanceof CommanderError) {
      const benign = ["commander.helpDisplayed", "commander.version", "commander.help"].includes(error.code);
      process.exitCode = benign ? ExitCode.Ok : ExitCode.CouldNotRun;
      return;
    }
    process.stderr.write(`error: ${hideTypedSecrets(error instanceof Error ? error.message : String(error))}\n`);
    process.exitCode = ExitCode.CouldNotRun;
  })
  // The answer is printed: exit now with its code. A socket ethers left open, or a request still hanging on a
  // silent endpoint, must not keep the process (and the script that called it) waiting.
  .finally(() => process.stdout.write("", () => process.exit(process.exitCode ?? ExitCode.Ok)));
