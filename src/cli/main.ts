import { Command, CommanderError } from 'commander';
import { describeCliError, EXIT_USAGE } from './errors';
// Each noun of the `rein` command lives in its own file and exports `register(program)`.
// REGISTER-IMPORTS (one line per noun; keep sorted)
import { register as registerAudit } from './audit';
import { register as registerBackup } from './backup';
import { register as registerClinic } from './clinic';
import { register as registerDemo } from './demo';
import { register as registerFhir } from './fhir';
import { register as registerMechanism } from './mechanism';
import { register as registerMigrate } from './migrate';
import { register as registerPk } from './pk';
import { register as registerScore } from './score';
import { register as registerServe } from './serve';
import { register as registerTaper } from './taper';
import { register as registerUser } from './user';
// END-REGISTER-IMPORTS

export function buildProgram(): Command {
  const program = new Command('rein')
    .description('Rein: ketamine clinic platform — server, database tools and clinical calculators')
    .showHelpAfterError()
    .exitOverride();
  // REGISTER-CALLS (one line per noun; keep sorted)
  registerAudit(program);
  registerBackup(program);
  registerClinic(program);
  registerDemo(program);
  registerFhir(program);
  registerMechanism(program);
  registerMigrate(program);
  registerPk(program);
  registerScore(program);
  registerServe(program);
  registerTaper(program);
  registerUser(program);
  // END-REGISTER-CALLS
  for (const cmd of allCommands(program)) {
    cmd.exitOverride();
  }
  return program;
}

function allCommands(cmd: Command): Command[] {
  return cmd.commands.flatMap((c) => [c, ...allCommands(c)]);
}

export async function main(argv: string[]): Promise<void> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
  } catch (err) {
    if (err instanceof CommanderError) {
      // Commander has already printed its message (help, version or a usage error).
      process.exitCode = err.exitCode === 0 ? 0 : EXIT_USAGE;
      return;
    }
    const { message, exitCode } = describeCliError(err);
    process.stderr.write(`${message}\n`);
    process.exitCode = exitCode;
  }
}
