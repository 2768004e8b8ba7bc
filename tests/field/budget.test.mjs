// A light first visit on a phone, against the release build: the join page within its
// byte limit, every file compressed and cached for good under a content-hashed name, and
// the service worker keeping what the page loaded without downloading it again.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { startServer, startTileServer, launchBrowser, apiSession, planWalk, PIXEL_7 } from '../e2e/support.mjs';

/** The targets of issue 8: release WASM ≤ 250 KB brotli, first visit ≤ 400 KB. Not met
 *  yet: the one WASM holds every page of the app (docs/performance.md, "What is left").
 *  Until the pages are split out of the first download, the limits below hold what was
 *  reached, so the size can only go down; each run prints how far from the target it is. */
const WASM_TARGET = 250 * 1024;
const FIRST_VISIT_TARGET = 400 * 1024;
const WASM_LIMIT = 560 * 1024;
const FIRST_VISIT_LIMIT = 580 * 1024;

const kb = (bytes) => `${(bytes / 1024).toFixed(1)} KB`;

const SITE = process.env.LEPTOS_SITE_ROOT ?? 'target/site';

let server;
let tiles;
let browser;
let walk;

/** A phone with the browser's HTTP cache on: Playwright turns the cache off in a context
 *  that routes requests, so tiles come from a local tile server instead. */
async function phone() {
  const context = await browser.newContext({ ...PIXEL_7, locale: 'sv-SE' });
  const errors = [];
  context.on('weberror', (error) => errors.push(`uncaught: ${error.error().message}`));
  return { context, errors };
}

before(async () => {
  // tower_http at debug logs every request the server answers, so downloads can be counted.
  tiles = await startTileServer();
  server = await startServer({ RUST_LOG: 'info,tower_http=debug', TRYGGKARTA_TILE_URL: tiles.url });
  browser = await launchBrowser();
  const coordinator = await apiSession(
    server.baseUrl,
    server.addUser('samordnare@budget.tryggkarta.se', 'coordinator', 'samordnarens-lösenord'),
  );
  walk = await planWalk(server.baseUrl, coordinator, 'Kvällsvandring Kungsängen');
});

after(async () => {
  await browser?.close();
  await server?.stop();
  await tiles?.stop();
});

test('the release WASM, brotli-compressed, stays within its limit', () => {
  const pkg = join(SITE, 'pkg');
  const wasm = readdirSync(pkg).filter((name) => name.endsWith('.wasm.br'));
  assert.equal(wasm.length, 1, `one precompressed WASM in ${pkg}: ${wasm}`);
  const size = statSync(join(pkg, wasm[0])).size;
  console.log(`WASM (brotli): ${kb(size)}; target ${kb(WASM_TARGET)}, ${kb(Math.max(0, size - WASM_TARGET))} to go`);
  assert.ok(size <= WASM_LIMIT, `${kb(size)} > ${kb(WASM_LIMIT)}`);
});

test('the first visit to the join page stays within its limit, compressed and cached for good', async () => {
  const { context, errors } = await phone();
  const page = await context.newPage();
  const responses = [];
  page.on('response', (response) => responses.push(response));
  await page.goto(`${server.baseUrl}/vandring`, { waitUntil: 'networkidle' });
  await page.getByLabel(/Kod/).first().waitFor();

  let total = 0;
  const rows = [];
  for (const response of responses) {
    const url = new URL(response.url());
    if (url.origin !== server.baseUrl) continue; // map tiles come from elsewhere
    const sizes = await response.request().sizes();
    const bytes = sizes.responseBodySize + sizes.responseHeadersSize;
    total += bytes;
    rows.push(`${url.pathname} ${bytes} B ${response.headers()['content-encoding'] ?? 'identity'}`);
    const type = response.headers()['content-type'] ?? '';
    if (url.pathname.startsWith('/pkg/')) {
      assert.match(url.pathname, /\.[A-Za-z0-9_-]{16,}\.(js|wasm|css)$/, `${url.pathname} has a content hash`);
      assert.match(response.headers()['cache-control'] ?? '', /immutable/, `${url.pathname} is cached for good`);
    }
    if (/text|javascript|wasm|json|svg|css/.test(type) && sizes.responseBodySize > 1024) {
      assert.match(response.headers()['content-encoding'] ?? '', /^(br|gzip)$/, `${url.pathname} is compressed`);
    }
  }
  console.log(
    `First visit to /vandring: ${kb(total)}; target ${kb(FIRST_VISIT_TARGET)}, ${kb(Math.max(0, total - FIRST_VISIT_TARGET))} to go\n  ${rows.join('\n  ')}`,
  );
  assert.ok(total <= FIRST_VISIT_LIMIT, `${kb(total)} > ${kb(FIRST_VISIT_LIMIT)}`);
  assert.ok(!rows.some((row) => row.includes('leaflet')), 'the join page does not load Leaflet');
  assert.deepEqual(errors, []);
  await context.close();
});

test('the service worker keeps the capture page without downloading the WASM again', async () => {
  const { context, errors } = await phone();
  const page = await context.newPage();
  const wasmDownloads = () =>
    server
      .log()
      .split('\n')
      .filter((line) => /uri=\/pkg\/[^ ]+\.wasm/.test(line) && line.includes('started processing request')).length;
  const before = wasmDownloads();
  await page.goto(`${server.baseUrl}/vandring`);
  await page.getByLabel(/Kod/).first().fill(walk.join_code);
  await page.getByRole('button', { name: /Gå med/ }).click();
  await page.waitForURL(`${server.baseUrl}/vandring/${walk.id}`);
  // The worker has the WASM and Leaflet's pin once the page has handed them over.
  await page.waitForFunction(async () => {
    const cache = await caches.open('tryggkarta-shell-v2');
    const paths = (await cache.keys()).map((request) => new URL(request.url).pathname);
    return paths.some((path) => path.endsWith('.wasm')) && paths.some((path) => path.endsWith('marker-icon.png'));
  });
  assert.equal(wasmDownloads() - before, 1, 'the WASM crossed the network once');
  assert.deepEqual(errors, []);
  await context.close();
});
