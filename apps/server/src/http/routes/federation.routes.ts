import { federationStatusSchema } from '@vigie/domain';
import { runningFederation } from '../../services/federation/federation-link.js';
import { federationStatus } from '../../services/federation/federation-status.service.js';
import { route, type RouteDef } from '../route.js';

export const federationRoutes: RouteDef[] = [
  route({
    method: 'GET', url: '/api/v1/federation/status', tags: ['federation'], auth: 'user',
    summary: "The federation links of this node: last seq sent or received, lag, backlog, link state, last error, keys",
    responses: { 200: federationStatusSchema },
    async handler(req) {
      const running = runningFederation(req.ctx);
      return federationStatus(req.ctx, req.principal, running?.fed, running?.nc);
    },
  }),
];
