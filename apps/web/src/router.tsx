// A small client-side router: the History API, one hook to read the location, and a <Link> that
// navigates without reloading (and leaves modified clicks — new tab, new window — to the browser).
import {
  type AnchorHTMLAttributes,
  type MouseEvent,
  type Ref,
  useEffect,
  useMemo,
  useSyncExternalStore,
} from 'react';
import { parseRoute, type Route } from './routes.ts';

const listeners = new Set<() => void>();
/** How many in-app navigations happened: the first page load is 0 (focus stays where the browser puts it). */
let navigations = 0;

function notify(): void {
  for (const listener of listeners) listener();
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  if (listeners.size === 1) window.addEventListener('popstate', onPopState);
  return () => {
    listeners.delete(listener);
    if (listeners.size === 0) window.removeEventListener('popstate', onPopState);
  };
}

function onPopState(): void {
  navigations++;
  notify();
}

const currentHref = () => window.location.pathname + window.location.search + window.location.hash;

export function navigate(to: string, options: { replace?: boolean } = {}): void {
  const url = new URL(to, window.location.href);
  const samePath = url.pathname === window.location.pathname;
  const samePage = samePath && url.search === window.location.search;
  if (options.replace) window.history.replaceState(null, '', url);
  else window.history.pushState(null, '', url);
  if (!samePage) navigations++;
  // A new page starts at its top; another view of the same page (order, filter) stays put.
  if (!samePath && !url.hash) window.scrollTo(0, 0);
  notify();
}

/** Changes the URL's fragment in place (no history entry, no navigation): a shareable selection. */
export function replaceHash(hash: string): void {
  const url = new URL(window.location.href);
  url.hash = hash;
  window.history.replaceState(null, '', url);
  notify();
}

export function useLocation(): { href: string; route: Route; navigations: number } {
  const href = useSyncExternalStore(subscribe, currentHref, currentHref);
  return useMemo(() => {
    const url = new URL(href, window.location.origin);
    return { href, route: parseRoute(url), navigations };
  }, [href]);
}

export function isInAppNavigation(): boolean {
  return navigations > 0;
}

type LinkProps = Omit<AnchorHTMLAttributes<HTMLAnchorElement>, 'href'> & {
  to: string;
  ref?: Ref<HTMLAnchorElement>;
};

export function Link({ to, onClick, ...props }: LinkProps) {
  function handleClick(event: MouseEvent<HTMLAnchorElement>) {
    onClick?.(event);
    if (
      event.defaultPrevented ||
      event.button !== 0 ||
      event.metaKey ||
      event.ctrlKey ||
      event.shiftKey ||
      event.altKey ||
      (props.target && props.target !== '_self')
    )
      return;
    event.preventDefault();
    navigate(to);
  }
  return <a href={to} onClick={handleClick} {...props} />;
}

/** Sets the document title while a page is shown. */
export function useDocumentTitle(title: string | null): void {
  useEffect(() => {
    document.title = title ? `${title} — Chancery` : 'Chancery';
  }, [title]);
}
