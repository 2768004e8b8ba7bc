// A light first visit on a phone, against the release build: the join page within its
// byte budget, every file compressed and cached for good under a content-hashed name, and
// the service worker keeping what the page loaded without downloading it again.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { startServer, startTileServer, launchBrowser, apiSession, planWalk, PIXEL_7 } from '../e2e/support.mjs';

/** The budgets of issue 8: the release WASM ≤ 250 KB brotli, and everything the first
 *  visit to the join page transfers ≤ 400 KB. The main module holds sign-in and joining a
 *  walk; every other page is in one of three lazy groups (capture, field, office; see
 *  app::ui), whose files the page asks for as it starts the main module. */
const WASM_LIMIT = 250 * 1024;
const FIRST_VISIT_BUDGET = 400 * 1024;

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

test('the main release WASM, brotli-compressed, stays within its limit', () => {
  const pkg = join(SITE, 'pkg');
  // The main module; the pages' chunks (split_*, chunk_*) load when their page opens.
  const wasm = readdirSync(pkg).filter((name) => /^tryggkarta\.[A-Za-z0-9_-]+\.wasm\.br$/.test(name));
  assert.equal(wasm.length, 1, `one precompressed main WASM in ${pkg}: ${wasm}`);
  const size = statSync(join(pkg, wasm[0])).size;
  console.log(`Main WASM (brotli): ${kb(size)}; limit ${kb(WASM_LIMIT)}`);
  assert.ok(size <= WASM_LIMIT, `${kb(size)} > ${kb(WASM_LIMIT)}`);
});

test('the first visit to the join page stays within 400 KB, compressed and cached for good', async () => {
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
  console.log(`First visit to /vandring: ${kb(total)}\n  ${rows.join('\n  ')}`);
  assert.ok(total <= FIRST_VISIT_BUDGET, `${kb(total)} > ${kb(FIRST_VISIT_BUDGET)}`);
  assert.ok(!rows.some((row) => row.includes('leaflet')), 'the join page does not load Leaflet');
  assert.deepEqual(errors, []);
  await context.close();
});

test('the service worker keeps the capture page without downloading any WASM again', async () => {
  const { context, errors } = await phone();
  const page = await context.newPage();
  /** How often each WASM file (main module and the page's chunks) was served. */
  const wasmDownloads = () => {
    const counts = new Map();
    for (const line of server.log().split('\n')) {
      const served = line.includes('started processing request') && line.match(/uri=(\/pkg\/[^ ]+\.wasm)/);
      if (served) counts.set(served[1], (counts.get(served[1]) ?? 0) + 1);
    }
    return counts;
  };
  const earlier = wasmDownloads();
  await page.goto(`${server.baseUrl}/vandring`);
  await page.getByLabel(/Kod/).first().fill(walk.join_code);
  await page.getByRole('button', { name: /Gå med/ }).click();
  await page.waitForURL(`${server.baseUrl}/vandring/${walk.id}`);
  await page.locator('.capture-map.leaflet-container').waitFor();
  // The worker holds every WASM file the page loaded, and Leaflet's pin, once the page
  // has handed them over.
  const loaded = await page.evaluate(() =>
    performance
      .getEntriesByType('resource')
      .map((entry) => new URL(entry.name).pathname)
      .filter((path) => path.endsWith('.wasm')),
  );
  assert.ok(loaded.length >= 1, `the page loaded its WASM: ${loaded}`);
  await page.waitForFunction(async (wanted) => {
    const cache = await caches.open('tryggkarta-shell-v2');
    const paths = (await cache.keys()).map((request) => new URL(request.url).pathname);
    return wanted.every((path) => paths.includes(path)) && paths.some((path) => path.endsWith('marker-icon.png'));
  }, loaded);
  const twice = [...wasmDownloads()].filter(([path, count]) => count - (earlier.get(path) ?? 0) > 1);
  assert.deepEqual(twice, [], 'every WASM file crossed the network once');
  assert.deepEqual(errors, []);
  await context.close();
});
