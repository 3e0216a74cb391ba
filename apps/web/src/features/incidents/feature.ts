import { lazy } from 'react';
import type { Feature } from '../feature';
import { shell } from './my-reports-shell-messages';

// Pages load on first visit: the form brings the shared Zod schemas, which the first view does not need.
const ListPage = lazy(() => import('./ListPage').then((m) => ({ default: m.ListPage })));
const FormPage = lazy(() => import('./FormPage').then((m) => ({ default: m.FormPage })));
const MyReportsPage = lazy(() => import('./MyReportsPage').then((m) => ({ default: m.MyReportsPage })));
const DetailPage = lazy(() => import('./DetailPage').then((m) => ({ default: m.DetailPage })));

/** The incident registry: list, form (create/edit) and the incident page with its history. */
export const incidentsFeature: Feature = {
  id: 'incidents',
  routes: [
    { path: '/incidents', component: ListPage, permission: 'incident.read' },
    { path: '/incidents/new', component: FormPage, permission: 'incident.create' },
    { path: '/incidents/:id', component: DetailPage, permission: 'incident.read' },
    { path: '/incidents/:id/edit', component: FormPage, permission: 'incident.update' },
  ],
  nav: { path: '/incidents', labelKey: 'nav.incidents', order: 20, permission: 'incident.read' },
};

/** A second navigation entry for the form, so a reporter reaches it in one tap. */
export const newIncidentFeature: Feature = {
  id: 'new-incident',
  routes: [],
  nav: { path: '/incidents/new', labelKey: 'nav.new_incident', order: 25, permission: 'incident.create' },
};

/** "Mes signalements": a reporter's own reports with their status and a rejection's reason. */
export const myReportsFeature: Feature = {
  id: 'my_reports',
  routes: [{ path: '/my-reports', component: MyReportsPage, permission: 'incident.create' }],
  nav: { path: '/my-reports', labelKey: 'my_reports.nav', order: 26, permission: 'incident.create' },
  messages: { shell, en: () => import('./my-reports-messages.en').then((m) => m.en) },
};
