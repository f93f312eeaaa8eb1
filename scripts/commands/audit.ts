import { Command } from "commander";
import { action } from "../../src/cli/action";
import { ExitCode } from "../../src/errors";
import { verifyAuditLog } from "../../src/service/audit-log";

export function auditCommand(): Command {
  const audit = new Command("audit").description("the service's audit log");
  audit
    .command("verify <file>")
    .description("check the hash chain of an audit log: exit 0 intact, 1 names the first changed, missing or reordered entry")
    .action(
      action(async (io, [file]) => {
        const check = verifyAuditLog(file);
        if (!check.broken) {
          io.out.result({ intact: true, entries: check.entries }, [`✓ ${file}: ${check.entries} entries, the chain is intact`]);
          return ExitCode.Ok;
        }
        const { line, seq, problem } = check.broken;
        io.out.result({ intact: false, entries: check.entries, broken: check.broken }, [`✗ ${file}: line ${line}${seq === undefined ? "" : ` (entry ${seq})`}: ${problem}; the ${check.entries} entries before it are intact`]);
        return ExitCode.No;
      }),
    );
  return audit;
}
