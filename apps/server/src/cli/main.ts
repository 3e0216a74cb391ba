import { Command } from 'commander';
import { ZodError } from 'zod';
import { fieldErrors } from '@vigie/domain';
import { Problem } from '../lib/problem.js';
import { tuneRuntime } from '../lib/runtime.js';
import { modulesFor } from './command-modules.js';

tuneRuntime();

const program = new Command()
  .name('vigie')
  .description('Vigie — image commune des incidents, alerte précoce et suivi de la stratégie commune')
  .showHelpAfterError();

// Only the named command's module is loaded (all of them for help or an unknown command).
for (const register of await Promise.all(modulesFor(process.argv.slice(2)).map((m) => m.load()))) register(program);

try {
  await program.parseAsync(process.argv);
} catch (err) {
  if (err instanceof ZodError) {
    for (const e of fieldErrors(err, 'fr')) console.error(`vigie: ${e.field}: ${e.message}`);
  } else if (err instanceof Problem) {
    console.error(`vigie: ${err.code}: ${err.detail ?? ''}`);
    for (const e of err.errors ?? []) console.error(`  ${e.field}: ${e.message}`);
  } else {
    console.error(`vigie: ${(err as Error).message}`);
  }
  process.exitCode = 2;
}
