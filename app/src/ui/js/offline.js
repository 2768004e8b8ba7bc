// Registers the service worker (public/sw.js) that lets pages open without signal, and
// hands it this first visit's page and files, which were loaded before it ran.
//
// Written for Tryggkarta; used from Rust through wasm-bindgen (ui/outbox.rs).

let registered = false;

/** Registers the worker (`script`, the path of public/sw.js) and keeps it told of what the
 *  page loads. Once. */
export function registerServiceWorker(script) {
  if (registered || !('serviceWorker' in navigator)) return;
  registered = true;
  navigator.serviceWorker
    .register(script)
    .then(() => navigator.serviceWorker.ready)
    .then((registration) => {
      const sameSite = (entries) =>
        entries
          .map((entry) => new URL(entry.name))
          .filter((url) => url.origin === location.origin)
          .map((url) => url.pathname);
      const files = sameSite(performance.getEntriesByType('resource'));
      registration.active?.postMessage({ keep: [location.pathname, ...files] });
      // A page's own WASM chunk (a lazy route) may arrive after this: hand over
      // whatever the page loads from now on too.
      new PerformanceObserver((list) => {
        const more = sameSite(list.getEntries()).filter((path) => path.startsWith('/pkg/'));
        if (more.length > 0) registration.active?.postMessage({ keep: more });
      }).observe({ type: 'resource' });
    })
    .catch(() => {});
}

/** Hands the worker a page reached by a link inside the app (the browser never loaded it
 *  whole, so the worker never saw it): it keeps it if it is a capture page. */
export function keepPage(path) {
  if (!('serviceWorker' in navigator)) return;
  navigator.serviceWorker.ready
    .then((registration) => registration.active?.postMessage({ keep: [path] }))
    .catch(() => {});
}
