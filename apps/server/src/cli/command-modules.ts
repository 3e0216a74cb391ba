import type { Command } from 'commander';

/** A module of CLI commands: the top-level commands it registers, and how to load its registration. */
export interface CommandModule {
  names: readonly string[];
  load(): Promise<(program: Command) => void>;
}

/**
 * Every module of `vigie` commands, with the top-level commands each registers (a test holds the names to what the
 * modules register). A command loads its own module only: the others' (the HTTP server's, the PDF's, the GeoPackage's)
 * are most of the CLI's start-up time, and a `vigie users list` needs none of them.
 */
export const COMMAND_MODULES: readonly CommandModule[] = [
  { names: ['serve'], load: async () => (await import('./commands/serve.js')).registerServeCommand },
  { names: ['migrate', 'users', 'token'], load: async () => (await import('./commands/admin.js')).registerAdminCommands },
  { names: ['audit'], load: async () => (await import('./commands/audit.js')).registerAuditCommands },
  { names: ['seed', 'gazetteer', 'backup', 'restore'], load: async () => (await import('./commands/data.js')).registerDataCommands },
  { names: ['export'], load: async () => (await import('./commands/export.js')).registerExportCommands },
  { names: ['import'], load: async () => (await import('./commands/import.js')).registerImportCommands },
  { names: ['alerts'], load: async () => (await import('./commands/alerts.js')).registerAlertCommands },
  { names: ['forecast'], load: async () => (await import('./commands/forecast.js')).registerForecastCommands },
  { names: ['report'], load: async () => (await import('./commands/strategy.js')).registerStrategyCommands },
  { names: ['federation'], load: async () => (await import('./commands/federation.js')).registerFederationCommands },
  { names: ['sitrep'], load: async () => (await import('./commands/sitrep.js')).registerSitrepCommands },
  { names: ['attachments'], load: async () => (await import('./commands/attachments.js')).registerAttachmentCommands },
];

/**
 * The modules to load for these arguments (the process's, after node and the script): the one that registers the
 * command named first, or all of them when none is named or the name is unknown (help, the list of commands, and
 * commander's error with its suggestion need them all).
 */
export function modulesFor(args: readonly string[]): readonly CommandModule[] {
  const first = args.find((a) => !a.startsWith('-'));
  const own = first === undefined ? undefined : COMMAND_MODULES.find((m) => m.names.includes(first));
  return own ? [own] : COMMAND_MODULES;
}
