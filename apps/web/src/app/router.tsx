/**
 * The application's router: the few names its pages use (as react-router spelt them), on wouter. react-router weighed
 * about 13 KB brotli of the first view, a third of a second on a 256 kbit/s link before the dashboard can draw; wouter
 * does the same job for the browser's history in about 2 KB. Pages import from here only, never from the library.
 *
 * The location is the browser's (history API): deep links, back and forward, and the service worker's fallback to
 * index.html for any page address work as before. Navigation state (`navigate(to, { state })`) is kept in
 * `history.state`, so it survives a reload as it did.
 */
import { Children, createElement, isValidElement, useMemo, type AnchorHTMLAttributes, type MouseEvent, type ReactElement, type ReactNode } from 'react';
import { Link as WouterLink, Redirect, Route as WouterRoute, Switch, useParams as useWouterParams } from 'wouter';
import { navigate as go, useHistoryState, usePathname, useSearch } from 'wouter/use-browser-location';
import { byRouteRank } from './route-rank';

export interface NavigateOptions {
  /** Replace the current history entry instead of adding one (the back button skips it). */
  replace?: boolean;
  /** Carried to the next page (`useLocation().state`), e.g. "saved offline". */
  state?: unknown;
}

type LinkProps = Omit<AnchorHTMLAttributes<HTMLAnchorElement>, 'href'> & NavigateOptions & { to: string };

/**
 * A link to a page of the app (`to` may carry a query string): a plain `<a href>`, followed without a reload (a click
 * with a modifier key opens it as the browser does). As with react-router, a link to the page already shown replaces
 * the history entry, so that the back button does not step through copies of one page.
 */
export function Link({ onClick, ...props }: LinkProps) {
  const click = (e: MouseEvent<HTMLAnchorElement>) => {
    onClick?.(e);
    if (e.defaultPrevented || props.replace || props.to !== `${location.pathname}${location.search}`) return;
    e.preventDefault();
    go(props.to, { replace: true, state: props.state });
  };
  return <WouterLink {...props} onClick={click} />;
}

/** Goes to a page (`navigate('/incidents/1')`) or back and forth in the history (`navigate(-1)`). */
export function navigate(to: string | number, options?: NavigateOptions): void {
  if (typeof to === 'number') history.go(to);
  else go(to, options);
}

/** The navigation function (the same one on every render). */
export function useNavigate(): typeof navigate {
  return navigate;
}

/** Sends the reader to another page as soon as it renders (the landing page, a page a role may open). */
export function Navigate({ to, replace }: { to: string; replace?: boolean }) {
  return <Redirect to={to} replace={replace} />;
}

/** The current address: path, raw query string (with its `?`, or empty) and the state the last navigation carried. */
export function useLocation(): { pathname: string; search: string; state: unknown } {
  return { pathname: usePathname(), search: useSearch(), state: useHistoryState<unknown>() };
}

/**
 * The query string's parameters, and a function that replaces them (the page's filters live in the address, so a link
 * or a reload shows the same list). Read from the raw query string: wouter's own helper decodes it once too often.
 */
export function useSearchParams(): [URLSearchParams, (next: URLSearchParams, options?: NavigateOptions) => void] {
  const search = useSearch();
  const params = useMemo(() => new URLSearchParams(search), [search]);
  return [params, setSearchParams];
}

function setSearchParams(next: URLSearchParams, options?: NavigateOptions): void {
  const query = next.toString();
  go(`${location.pathname}${query ? `?${query}` : ''}`, options);
}

/** The current page's path parameters (`:id` in `/incidents/:id`). */
export function useParams<K extends string = string>(): Readonly<Partial<Record<K, string>>> {
  return useWouterParams() as Readonly<Partial<Record<K, string>>>;
}

interface RouteProps { path: string; element: ReactNode }

/**
 * One page at a path (`/incidents/:id`, or `*` for any other address), inside `Routes`. The other props `Routes`
 * (wouter's Switch) hands a route, its match, pass through to wouter's.
 */
export function Route({ element, ...props }: RouteProps) {
  return createElement(WouterRoute, props, element);
}

/** Renders the most specific route that matches the current path (the order the routes are written in does not matter). */
export function Routes({ children }: { children: ReactNode }) {
  const routes = Children.toArray(children).filter((c): c is ReactElement<RouteProps> => isValidElement(c));
  return <Switch>{byRouteRank(routes, (r) => r.props.path)}</Switch>;
}
