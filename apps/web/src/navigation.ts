// What the app adds to wouter's routing: a new page starts at its top and its heading takes the
// focus (PageHeading), the URL's fragment as state (an article's pinned statement), the title.
import { useEffect } from 'react';
import type { AroundNavHandler } from 'wouter';
import { navigate as go, useLocationProperty } from 'wouter/use-browser-location';

/** How many in-app navigations happened: the first page load is 0 (focus stays where the browser puts it). */
let navigations = 0;
if (typeof window !== 'undefined') window.addEventListener('popstate', () => navigations++);

function tracked(to: string, change: () => void): void {
  const url = new URL(to, window.location.href);
  const samePath = url.pathname === window.location.pathname;
  const samePage = samePath && url.search === window.location.search;
  change();
  if (!samePage) navigations++;
  // A new page starts at its top; another view of the same page (order, filter) stays put.
  if (!samePath && !url.hash) window.scrollTo(0, 0);
}

/** Every navigation through wouter (its <Link>, useLocation's navigate) is tracked: `<Router aroundNav>`. */
export const aroundNav: AroundNavHandler = (navigate, to, options) =>
  tracked(String(to), () => navigate(to, options));

/** Goes to another URL of the app without reloading, from outside a component. */
export function navigate(to: string, options: { replace?: boolean } = {}): void {
  tracked(to, () => go(to, options));
}

export function isInAppNavigation(): boolean {
  return navigations > 0;
}

const currentHash = () => window.location.hash;

/** The URL's fragment (`#statement-…`), kept current as it changes. */
export function useHash(): string {
  return useLocationProperty(currentHash, () => '');
}

/** Changes the URL's fragment in place (no history entry, no navigation): a shareable selection. */
export function replaceHash(hash: string): void {
  const url = new URL(window.location.href);
  url.hash = hash;
  window.history.replaceState(null, '', url);
}

/** Sets the document title while a page is shown. */
export function useDocumentTitle(title: string | null): void {
  useEffect(() => {
    document.title = title ? `${title} — Chancery` : 'Chancery';
  }, [title]);
}
