import type { ComponentType } from 'react';
import type { Permission } from '@vigie/domain/permissions';
import type { Role } from '@vigie/domain/classification';
import type { SessionInfo } from '../api/types';

/** One page of a feature, mounted at `path` (e.g. `/incidents/:id`; see app/router.tsx). */
export interface FeatureRoute {
  path: string;
  component: ComponentType;
  /** The user needs this permission (from /auth/me) to open the page. */
  permission?: Permission;
}

/**
 * A feature of the web app: its pages, an optional entry in the main navigation, and its own
 * strings (merged into the i18n catalogue under the feature's id, French first).
 */
export interface Feature {
  id: string;
  routes: FeatureRoute[];
  nav?: { path: string; labelKey: string; order: number; permission?: Permission; badge?: ComponentType; when?: (session: SessionInfo) => boolean };
  /**
   * Its strings, merged under the feature's id. `shell`: the French of what the application's shell shows before any of
   * the feature's pages (its navigation label, a header item), bundled with the first view. Its pages' French strings
   * are in its messages.ts, which each module showing them imports (it registers them as it loads; see
   * i18n/feature-strings.ts). `en`: all of its English, loaded only when a reader chooses English (a chunk of its own).
   */
  messages?: { shell?: Record<string, unknown>; en: () => Promise<Record<string, unknown>> };
  /** Roles whose first page (`/`) is this feature's navigation entry instead of the dashboard. */
  landingFor?: Role[];
  /** Shown in the header next to the menu button, on every page and at every width (e.g. the notifications bell). */
  headerItem?: ComponentType;
}
