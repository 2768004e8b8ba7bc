// Tryggkarta's service worker: keeps the app shell (the capture pages, WASM, JS, CSS and
// Leaflet) on the phone so the capture pages open without network. Data is never cached
// here: the outbox (outbox.js) keeps what the user records.
//
// Nothing is downloaded on install. The app's files have content-hashed or versioned
// names and are served as immutable, so the page hands over the names it loaded and the
// worker copies them from the browser's HTTP cache: no second download of the WASM, and
// no fixed list that a new deploy could leave pointing at old files.

const CACHE = 'tryggkarta-shell-v2';
// Pages that must open offline once visited.
const CAPTURE_PAGES = [/^\/vandring\/[0-9a-f-]+$/, /^\/pass$/, /^\/rapport$/];
// Pictures Leaflet loads only when a pin is first drawn: kept with leaflet.js, so a pin
// placed offline is not a broken image.
const LEAFLET_IMAGES = ['images/marker-icon.png', 'images/marker-icon-2x.png', 'images/marker-shadow.png'];

self.addEventListener('install', () => self.skipWaiting());

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

// A page tells us what it was loaded with (see offline.js): keep the capture page itself
// and the app's own files, nothing else.
self.addEventListener('message', (event) => {
  const keep = (event.data?.keep ?? []).filter((path) => isShellFile(path) || isCapturePage(path));
  for (const path of [...keep]) {
    if (/\/vendor\/leaflet-[^/]+\/leaflet\.js$/.test(path)) {
      keep.push(...LEAFLET_IMAGES.map((image) => path.replace(/leaflet\.js$/, image)));
    }
  }
  event.waitUntil(
    caches.open(CACHE).then((cache) =>
      Promise.all(
        keep.map(async (path) => {
          // Capture pages are refreshed; files never change under their name.
          if (isShellFile(path) && (await cache.match(path))) return;
          await cache.add(path).catch(() => {});
        }),
      ),
    ),
  );
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
    // Cache first: a name never changes content, so a cached copy is always right.
    event.respondWith(
      caches.open(CACHE).then(async (cache) => {
        const cached = await cache.match(request);
        if (cached) return cached;
        const response = await fetch(request);
        if (response.ok) cache.put(request, response.clone());
        return response;
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
