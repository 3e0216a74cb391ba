import { lazy } from 'react';
import type { Feature } from '../feature';
import { shell } from './shell-messages';

const StrategyPage = lazy(() => import('./StrategyPage').then((m) => ({ default: m.StrategyPage })));
const IndicatorPage = lazy(() => import('./IndicatorPage').then((m) => ({ default: m.IndicatorPage })));
const ValuesPage = lazy(() => import('./ValuesPage').then((m) => ({ default: m.ValuesPage })));
const EvaluationPage = lazy(() => import('./EvaluationPage').then((m) => ({ default: m.EvaluationPage })));

export const strategyFeature: Feature = {
  id: 'strategy',
  routes: [
    { path: '/strategy', component: StrategyPage, permission: 'strategy.read' },
    { path: '/strategy/indicators/:id', component: IndicatorPage, permission: 'strategy.read' },
    { path: '/strategy/values', component: ValuesPage, permission: 'indicator_value.enter' },
    { path: '/strategy/evaluations/:id', component: EvaluationPage, permission: 'strategy.read' },
  ],
  nav: { path: '/strategy', labelKey: 'strategy.nav', order: 50, permission: 'strategy.read' },
  messages: { shell, en: () => import('./messages.en').then((m) => m.en) },
};
