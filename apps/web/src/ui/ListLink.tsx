import type { ReactNode } from 'react';
import { Link } from '../app/router';
import { useSession } from '../app/session';

/** A link to (a filtered) incident list, or plain content for readers without access to the list (decision makers). */
export function ListLink({ to, children, className, ariaLabel }: { to: string; children: ReactNode; className?: string; ariaLabel?: string }) {
  const { can } = useSession();
  if (!can('incident.read')) return <span className={className}>{children}</span>;
  return <Link to={to} className={className} aria-label={ariaLabel}>{children}</Link>;
}

/** Whether the reader may open the incident list (to decide whether to offer "see the list" at all). */
export function useCanList(): boolean {
  return useSession().can('incident.read');
}
