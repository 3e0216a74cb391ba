/** The real Vigie server, in-process, on a fresh SQLite database, serving the built web app. */
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../apps/server/src/http/app.js';
import { testVigie, type TestVigie } from '../../apps/server/src/test-support/factories.js';
import { ensureWebBuild } from './web-build.js';

export interface RunningServer {
  vigie: TestVigie;
  app: FastifyInstance;
  url: string;
  stop(): Promise<void>;
}

export async function startServer(): Promise<RunningServer> {
  const webRoot = ensureWebBuild();
  const vigie = await testVigie('sqlite');
  const app = await buildApp(vigie.ctx, { webRoot });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    vigie, app, url: `http://127.0.0.1:${port}`,
    async stop() {
      await app.close();
      await vigie.drop();
    },
  };
}
