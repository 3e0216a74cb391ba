import type { Command } from 'commander';
import type { ServeOptions } from './serve-run.js';

export function registerServeCommand(program: Command): void {
  program
    .command('serve')
    .description("Démarre le serveur (API, application web) / start the server")
    .option('--demo-if-empty', 'au premier démarrage, crée un administrateur et charge les données de démonstration')
    .option('--port <port>', 'port (défaut : $PORT ou 8080)')
    .option('--demo-count <n>', "nombre d'incidents de démonstration au premier démarrage", '5000')
    // The server's modules load with the command (serve-run.ts), not with every other command of the CLI.
    .action(async (opts: ServeOptions) => (await import('./serve-run.js')).runServe(opts));
}
