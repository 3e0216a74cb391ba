import { readConfig } from '../../config.js';
import { openVigie } from '../../bootstrap.js';
import { buildApp } from '../../http/app.js';
import { startCheckpointSchedule } from '../../services/audit/audit-checkpoint.service.js';
import { startAlertSchedule } from '../../services/alerts/alert-schedule.js';
import { startNotificationSchedule } from '../../services/accounts/notification-mailer.js';
import { loadSitrepConfig, startSitrepSchedule } from '../../services/sitrep/sitrep-schedule.js';
import { loadRulesConfig } from '../../services/alerts/rules-config.js';
import { isEmpty, seedDemo } from '../../services/demo/demo-seed.service.js';
import { SYSTEM } from '../../services/principal.js';
import { createUser } from '../../services/accounts/user.service.js';
import { progressBar } from '../progress.js';
import { openCommandEngine } from '../database.js';
import { writeCredentialsFile } from './shared.js';
import { startAttachmentCleaning } from '../../services/attachments/clean-stored.js';
import { startFederation } from '../../services/federation/federation-link.js';
import { resumeReplacementJobs } from '../../services/geography/replacement-job.service.js';
import { loadNodeKey } from '../../services/federation/signing.js';
import { stateOfNode } from '../../services/federation/foreign-alerts.js';

export interface ServeOptions { demoIfEmpty?: boolean; port?: string; demoCount: string }

/**
 * `vigie serve`: opens the database (creating it on a first start), seeds the demo when asked and the database is
 * empty, starts the HTTP server and the schedules, and stops them all on SIGINT or SIGTERM. Loaded only by that
 * command: the HTTP server's modules are most of the CLI's, and no other command needs them.
 */
export async function runServe(opts: ServeOptions): Promise<void> {
  const config = readConfig();
  const ctx = await openVigie(config, await openCommandEngine(config, { create: true }));
  let firstStart: string[] = [];
  if (opts.demoIfEmpty && (await isEmpty(ctx))) {
    const admin = await createUser(ctx, SYSTEM, { login: 'admin', organisation: 'CONF', role: 'admin', clearance: 0, display_name: 'Administrateur' });
    console.log('Premier démarrage : chargement des données de démonstration (fictives)…');
    const count = Number(opts.demoCount);
    const bar = progressBar('Démo', count);
    // A federated node seeds only what it owns: a national node its own state's incidents (the same seed everywhere
    // would give every node the same ids, refused as another's), the confederation none (they come from the nationals).
    const fed = config.federation;
    const states = fed ? (fed.role === 'national' ? [stateOfNode(fed.node)] : []) : undefined;
    const demo = await seedDemo(ctx, { count, states, onProgress: (d) => bar.update(d) });
    bar.stop();
    const credentials = writeCredentialsFile(config.dataDir, [
      `Administrateur / administrator : admin / ${admin.password}`,
      '  mot de passe à usage unique : un nouveau est demandé à la première connexion, puis le second facteur TOTP',
      '  one-time password: a new one is asked at first sign-in, then the TOTP second factor',
      `Comptes de démonstration / demo accounts (${demo.users.map((u) => u.login).join(', ')}) : ${demo.demoPassword ?? '(inchangé / unchanged)'}`,
    ]);
    // Passwords never go to the console: a service's console is its log.
    firstStart = [
      `  Identifiants de l'administrateur (mot de passe à usage unique) et des comptes de démonstration : ${credentials}`,
      '  (fichier lisible par vous seul ; supprimez-le une fois connecté)',
      `  ${demo.incidents.created} incidents fictifs chargés.`,
    ];
  }
  // The log is on at warn by default (every 5xx is recorded with its request id); VIGIE_LOG=1 logs every request, VIGIE_LOG_LEVEL sets the level.
  const app = await buildApp(ctx, { webRoot: config.webRoot, logger: process.env.VIGIE_LOG === '1', logLevel: process.env.VIGIE_LOG_LEVEL, trustedProxies: config.trustedProxies });
  const port = opts.port ? Number(opts.port) : config.port;
  await app.listen({ port, host: config.host });
  const stopAlerts = startAlertSchedule(ctx, SYSTEM, loadRulesConfig(), (m) => console.log(m));
  // Weekly and monthly situation reports (config/sitreps.json), generated when due and caught up after downtime.
  const stopSitreps = startSitrepSchedule(ctx, SYSTEM, loadSitrepConfig(), (m) => console.log(m));
  // A signed checkpoint of the audit chain's head every minute it moved, and at shutdown.
  const stopCheckpoints = startCheckpointSchedule(ctx, (m) => console.error(m));
  // Reminders of due and overdue actions, and notification e-mails (when VIGIE_SMTP_URL is set), every minute.
  const stopNotifications = startNotificationSchedule(ctx, (m) => console.error(m));
  // A federated node runs its link (docs/federation.md); the single-node default has none.
  const fed = config.federation;
  const federation = fed ? startFederation(ctx, fed, loadNodeKey(fed.keyFile), (m) => console.error(m)) : undefined;
  if (fed) console.log(`Fédération : nœud ${fed.node} (${fed.role}), NATS ${fed.natsUrl}`);
  // A re-placement of the incidents that a crash or a stop interrupted resumes from its last batch (docs/geography.md).
  void resumeReplacementJobs(ctx, (m) => console.log(m));
  // Files stored before metadata cleaning existed are cleaned (or held) in the background, resuming where it stopped.
  const stopCleaning = startAttachmentCleaning(ctx, (m) => console.log(m));
  // The port actually bound: with PORT=0 the system picks a free one (tests start servers this way).
  const address = app.server.address();
  const bound = address && typeof address === 'object' ? address.port : port;
  const shown = config.host === '0.0.0.0' ? 'localhost' : config.host;
  console.log(`Vigie écoute sur http://${shown}:${bound}/  (base : ${ctx.engine.kind} ${ctx.engine.describe})`);
  for (const line of firstStart) console.log(line);
  const stop = async () => {
    stopAlerts();
    stopCleaning();
    stopNotifications();
    await (await federation)?.stop();
    stopSitreps();
    await app.close();
    await stopCheckpoints();
    await ctx.engine.close();
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}
