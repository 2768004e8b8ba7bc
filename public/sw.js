// Tryggkarta's service worker: keeps the app shell (the capture pages, WASM, JS, CSS and
// Leaflet) on the phone so the capture pages open without network. Data is never cached
// here: the outbox (outbox.js) keeps what the user records.
//
// Nothing is downloaded on install. The app's files have content-hashed or versioned
// names and are served as immutable, so the page hands over the names it loaded and the
// worker copies them from the browser's HTTP cache: no second download of the WASM, and
// no fixed list that a new deploy could leave pointing at old files.

const CACHE = 'tryggkarta-shell-v4';
// Pages that must open offline once visited, by address or by a link inside the app, and
// what the offline page calls them.
const CAPTURE_PAGES = [
  [/^\/vandring\/[0-9a-f-]+$/, 'Vandringen'],
  [/^\/pass$/, 'Pass'],
  [/^\/rapport$/, 'Rapport'],
  [/^\/handelser$/, 'Händelser'],
  [/^\/karta$/, 'Karta'],
];
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
const isCapturePage = (path) => CAPTURE_PAGES.some(([page]) => page.test(path));
const pageName = (path) => CAPTURE_PAGES.find(([page]) => page.test(path))?.[1] ?? path;

// A page tells us what it was loaded with (see offline.js), and each page it goes to
// inside the app: keep the capture pages and the app's own files, nothing else.
self.addEventListener('message', (event) => {
  const keep = (event.data?.keep ?? []).filter((path) => isShellFile(path) || isCapturePage(path));
  event.waitUntil(
    caches.open(CACHE).then((cache) =>
      Promise.all(
        keep.map((path) => (isCapturePage(path) ? keepPage(cache, path) : keepFile(cache, path))),
      ),
    ),
  );
});

// Files never change under their name: one copy is enough. With Leaflet come the pictures
// it loads only when a pin is first drawn.
async function keepFile(cache, path) {
  if (await cache.match(path)) return;
  await cache.add(path).catch(() => {});
  if (/\/vendor\/leaflet-[^/]+\/leaflet\.js$/.test(path)) {
    await Promise.all(LEAFLET_IMAGES.map((image) => keepFile(cache, path.replace(/leaflet\.js$/, image))));
  }
}

// A capture page is fetched afresh (a page reached by a link inside the app was never
// loaded whole), with the files it names: it must start from the cache alone.
async function keepPage(cache, path) {
  const response = await fetch(path, { credentials: 'same-origin' }).catch(() => null);
  if (!response?.ok || response.redirected) return;
  const html = await response.clone().text();
  await cache.put(path, response);
  // Every file it names: scripts, style sheets and the lazy page's own WASM (named in the
  // start script).
  const files = [...new Set([...html.matchAll(/["'](\/(?:pkg|vendor)\/[^"'?#\s]+)["']/g)].map((match) => match[1]))];
  await Promise.all(files.map((file) => keepFile(cache, file)));
}

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
        .catch(() => caches.match(request, { ignoreSearch: true }).then((cached) => cached ?? offlinePage())),
    );
    return;
  }

  if (request.mode === 'navigate') {
    // Any other page: the network, or, without it, a page that says what happened and
    // which pages do open (never the browser's own error).
    event.respondWith(fetch(request).catch(() => offlinePage()));
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

// The answer to a page that is not kept: what happened, and the pages that do open.
async function offlinePage() {
  const cache = await caches.open(CACHE);
  const kept = (await cache.keys())
    .map((request) => new URL(request.url).pathname)
    .filter(isCapturePage)
    .map((path) => `<li><a href="${path}">${pageName(path)}</a></li>`)
    .join('');
  const list = kept
    ? `<p>De här sidorna finns sparade och går att öppna utan nät:</p><ul>${kept}</ul>`
    : '';
  return new Response(
    '<!DOCTYPE html><html lang="sv"><meta charset="utf-8"><meta name="viewport" content="width=device-width">' +
      '<title>Ingen uppkoppling</title><body style="font-family:system-ui;padding:1rem;line-height:1.5">' +
      '<h1>Ingen uppkoppling</h1><p>Telefonen har inget nät just nu, och den här sidan finns inte sparad på den. ' +
      'Det du redan sparat ligger kvar och skickas när nätet är tillbaka.</p>' +
      list +
      '<p lang="en">No connection, and this page is not kept on this phone. What you saved stays and is sent when the network is back.</p></body></html>',
    { status: 503, headers: { 'content-type': 'text/html; charset=utf-8' } },
  );
}
