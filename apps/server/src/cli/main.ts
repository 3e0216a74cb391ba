import { Command } from 'commander';
import { ZodError } from 'zod';
import { fieldErrors } from '@vigie/domain';
import { Problem } from '../lib/problem.js';
import { tuneRuntime } from '../lib/runtime.js';
import { registerAdminCommands } from './commands/admin.js';
import { registerAuditCommands } from './commands/audit.js';
import { registerDataCommands } from './commands/data.js';
import { registerExportCommands } from './commands/export.js';
import { registerImportCommands } from './commands/import.js';
import { registerAlertCommands } from './commands/alerts.js';
import { registerForecastCommands } from './commands/forecast.js';
import { registerServeCommand } from './commands/serve.js';
import { registerStrategyCommands } from './commands/strategy.js';
import { registerFederationCommands } from './commands/federation.js';
import { registerSitrepCommands } from './commands/sitrep.js';
import { registerAttachmentCommands } from './commands/attachments.js';

tuneRuntime();

const program = new Command()
  .name('vigie')
  .description('Vigie — image commune des incidents, alerte précoce et suivi de la stratégie commune')
  .showHelpAfterError();

registerServeCommand(program);
registerAdminCommands(program);
registerAuditCommands(program);
registerDataCommands(program);
registerExportCommands(program);
registerImportCommands(program);
registerAlertCommands(program);
registerForecastCommands(program);
registerStrategyCommands(program);
registerFederationCommands(program);
registerSitrepCommands(program);
registerAttachmentCommands(program);

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
