// Tryggkarta's service worker: keeps the app shell (the capture pages, WASM, JS, CSS and
// Leaflet) on the phone so the capture pages open without network. Data is never cached
// here: the outbox (outbox.js) keeps what the user records.

const CACHE = 'tryggkarta-shell-v1';
const SHELL = [
  '/pkg/tryggkarta.js',
  '/pkg/tryggkarta.wasm',
  '/pkg/tryggkarta.css',
  '/vendor/leaflet/leaflet.js',
  '/vendor/leaflet/leaflet.css',
];
// Pages that must open offline once visited.
const CAPTURE_PAGES = [/^\/vandring\/[0-9a-f-]+$/, /^\/pass$/, /^\/rapport$/];

self.addEventListener('install', (event) => {
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(SHELL)).then(() => self.skipWaiting()));
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) => Promise.all(keys.filter((key) => key !== CACHE).map((key) => caches.delete(key))))
      .then(() => self.clients.claim()),
  );
});

const isShellFile = (path) => path.startsWith('/pkg/') || path.startsWith('/vendor/');
const isCapturePage = (path) => CAPTURE_PAGES.some((page) => page.test(path));

// A page tells us what it was loaded with (see outbox.js): keep the capture page itself
// and the app's own files, nothing else.
self.addEventListener('message', (event) => {
  const keep = (event.data?.keep ?? []).filter((path) => isShellFile(path) || isCapturePage(path));
  event.waitUntil(caches.open(CACHE).then((cache) => Promise.all(keep.map((path) => cache.add(path).catch(() => {})))));
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== 'GET' || url.origin !== self.location.origin) return;

  if (request.mode === 'navigate' && isCapturePage(url.pathname)) {
    // Network first, so the page is fresh when there is signal; the last copy otherwise.
    event.respondWith(
      fetch(request)
        .then((response) => {
          if (response.ok) {
            const copy = response.clone();
            caches.open(CACHE).then((cache) => cache.put(request, copy));
          }
          return response;
        })
        .catch(() => caches.match(request).then((cached) => cached ?? offlinePage())),
    );
    return;
  }

  if (isShellFile(url.pathname)) {
    // Stale while revalidate: instant from the cache, refreshed in the background.
    event.respondWith(
      caches.open(CACHE).then(async (cache) => {
        const cached = await cache.match(request);
        const fresh = fetch(request)
          .then((response) => {
            if (response.ok) cache.put(request, response.clone());
            return response;
          })
          .catch(() => cached);
        return cached ?? fresh;
      }),
    );
  }
});

function offlinePage() {
  return new Response(
    '<!DOCTYPE html><html lang="sv"><meta charset="utf-8"><meta name="viewport" content="width=device-width">' +
      '<title>Ingen uppkoppling</title><body style="font-family:system-ui;padding:1rem">' +
      '<h1>Ingen uppkoppling</h1><p>Sidan har inte öppnats på den här telefonen förut och kan inte visas utan nät. ' +
      'Det du redan sparat ligger kvar och skickas när nätet är tillbaka.</p>' +
      '<p lang="en">No connection. This page has not been opened on this phone before.</p></body></html>',
    { status: 503, headers: { 'content-type': 'text/html; charset=utf-8' } },
  );
}
