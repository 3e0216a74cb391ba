import { Component, type ReactNode } from 'react';
import i18next from 'i18next';

/** Shows a message instead of a blank page when a component fails to render. */
export class ErrorBoundary extends Component<{ children: ReactNode }, { error: Error | null }> {
  override state: { error: Error | null } = { error: null };
  static getDerivedStateFromError(error: Error) {
    return { error };
  }
  override render() {
    if (this.state.error) return <p role="alert">{i18next.t('common.error')}{i18next.t('common.sep')}{this.state.error.message}</p>;
    return this.props.children;
  }
}
