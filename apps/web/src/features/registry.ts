/**
 * Every feature of the web app. Adding one is one import and one entry below: its pages become
 * routes, its navigation entry appears for users who hold its permission, its strings join the catalogue.
 */
import { alertsFeature } from './alerts/feature';
import { accountFeature } from './account/feature';
import { authFeature } from './auth/feature';
import { dashboardFeature } from './dashboard/feature';
import type { Feature } from './feature';
import { incidentsFeature, myReportsFeature, newIncidentFeature } from './incidents/feature';
import { mapFeature } from './map/feature';
import { reviewFeature } from './review/feature';
import { usersFeature } from './users/feature';
import { strategyFeature } from './strategy/feature';
import { coordinationFeature } from './coordination/feature';
import { auditFeature } from './audit/feature';
import { forecastFeature } from './forecast/feature';
import { briefingFeature } from './briefing/feature';
import { inboxFeature } from './inbox/feature';
import { outboxFeature } from './outbox/feature';
import { periodsFeature } from './periods/feature';
import { sitrepsFeature } from './sitreps/feature';
import { federationFeature } from './federation/feature';
import { attachmentsFeature } from './attachments/feature';
import { heldFeature } from './held/feature';
import { gazetteerFeature } from './gazetteer/feature';

export const FEATURES: Feature[] = [
  dashboardFeature, incidentsFeature, newIncidentFeature, reviewFeature, alertsFeature, mapFeature, forecastFeature, strategyFeature,
  coordinationFeature, usersFeature, auditFeature, authFeature, accountFeature, briefingFeature, inboxFeature, myReportsFeature,
  outboxFeature,
  periodsFeature,
  sitrepsFeature,
  federationFeature,
  attachmentsFeature,
  heldFeature,
  gazetteerFeature,
];
