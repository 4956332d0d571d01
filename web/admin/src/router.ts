import { useSyncExternalStore } from 'react';

function subscribeToHash(onChange: () => void): () => void {
  window.addEventListener('hashchange', onChange);
  return () => window.removeEventListener('hashchange', onChange);
}

/**
 * The route is the hash (#/connectors/…): the server serves the same index.html for every path.
 * An external store, not state plus an effect: React re-reads the hash once it has subscribed, so a
 * link followed between the first render and the listener is not lost (the page stayed on the list).
 */
export function useRoute(): string[] {
  const hash = useSyncExternalStore(subscribeToHash, () => window.location.hash);
  return (hash.replace(/^#\/?/, '').split('?')[0] || 'dashboard').split('/').map(decodePart);
}

/** The hash's query (#/audit?type=login.refused&since=…): filters a link carries to a page. */
export function useRouteQuery(): string {
  const hash = useSyncExternalStore(subscribeToHash, () => window.location.hash);
  return hash.includes('?') ? hash.slice(hash.indexOf('?') + 1) : '';
}

/** A malformed escape (#/connectors/%E0) stays as typed, and is then no id: the page says Not found, it does not go blank. */
function decodePart(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    return part;
  }
}

export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function go(...parts: string[]): void {
  window.location.hash = `#/${parts.map(encodeURIComponent).join('/')}`;
}

/** Asked before the console leaves a page with unsaved edits: true lets it go. */
let leaveGuard: (() => boolean) | null = null;
let revertingTo: string | null = null;
/** A link whose leaving was confirmed: its hash change is not asked about again. */
let confirmed = false;
let currentHash = typeof window === 'undefined' ? '' : window.location.hash;

/** While set, following a link, going back or closing the tab asks first (`confirm` on the page's own links and history, the browser's prompt on unload). */
export function guardLeaving(guard: (() => boolean) | null): void {
  leaveGuard = guard;
}

if (typeof window !== 'undefined') {
  // Capture: before the link's default action changes the hash.
  document.addEventListener(
    'click',
    (event) => {
      const link = (event.target as Element | null)?.closest?.('a[href^="#"]');
      if (!link || !leaveGuard) return;
      if (leaveGuard()) confirmed = true;
      else event.preventDefault();
    },
    true,
  );
  window.addEventListener('hashchange', (event) => {
    if (revertingTo !== null && window.location.hash === revertingTo) {
      revertingTo = null;
      return;
    }
    // Back, forward, or a hash typed: the page has already changed its hash; put it back if asked to stay.
    if (leaveGuard && !confirmed && !leaveGuard()) {
      event.stopImmediatePropagation();
      revertingTo = currentHash;
      window.location.hash = currentHash;
      return;
    }
    confirmed = false;
    currentHash = window.location.hash;
  });
  window.addEventListener('beforeunload', (event) => {
    if (leaveGuard) event.preventDefault();
  });
}
