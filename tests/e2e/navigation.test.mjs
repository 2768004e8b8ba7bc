// The app moves between its main pages without loading them again: a coordinator goes
// from Karta to Lägesbild to Pass and back (with the menu and the browser's back button),
// each map drawing with its layers, the page never reloading, and nothing logged as an
// error. A page opened directly still arrives complete from the server.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { api, apiSession, fromMenu, interactive, launchBrowser, phoneContext, signIn, startServer } from './support.mjs';

let server;
let browser;
let coordinator;

before(async () => {
  server = await startServer();
  browser = await launchBrowser();
  coordinator = server.addUser('samordnare@nav.tryggkarta.se', 'coordinator', 'samordnarens-långa-lösenord');
  const cookie = await apiSession(server.baseUrl, coordinator);
  for (let i = 0; i < 4; i += 1) {
    const stored = await api(server.baseUrl, cookie, 'POST', '/api/v1/observations', {
      id: crypto.randomUUID(), kind: 'drug_scene', category: 'drug.dealing', note: '',
      lat: 59.5113 + i * 0.00003, lng: 17.6358, accuracy_m: 10, position_source: 'gps',
      observed_at: new Date(Date.now() - i * 3_600_000).toISOString(),
    });
    assert.equal(stored.status, 201);
  }
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

/** Marks the loaded document; a full page load would take the mark away. */
async function mark(page) {
  await page.evaluate(() => { window.tryggkartaSameDocument = true; });
}

/** Waits until the lägesbild map has drawn its hexagon cells (on a canvas, so counted). */
async function cellsDrawn(page) {
  await page.waitForFunction(() => {
    const map = document.querySelector('#situation-map');
    return map && Number(map.dataset.drawn) > 0 && map.dataset.drawn === map.dataset.cells;
  });
}

async function sameDocument(page) {
  return page.evaluate(() => window.tryggkartaSameDocument === true);
}

test('Karta, Lägesbild and Pass are reached without a page load and each map draws', async () => {
  const { context, errors } = await phoneContext(browser);
  const page = await context.newPage();
  await signIn(page, server.baseUrl, coordinator);
  await interactive(page);
  await page.locator('.map-page .leaflet-container .report-pin, .map-page .leaflet-container .marker-cluster').first().waitFor();
  await mark(page);

  await fromMenu(page, 'Lägesbild');
  await page.waitForURL(`${server.baseUrl}/lagesbild`);
  await page.locator('#situation-map[data-ready="1"] .leaflet-container').waitFor();
  await cellsDrawn(page);
  assert.ok(await sameDocument(page), 'Lägesbild came without a page load');
  // Its layers work after the navigation too: the reports as markers.
  await page.getByLabel('Rapporter', { exact: true }).check();
  await page.locator('#situation-map[data-markers="on"]').waitFor();

  // Pass is under "Mer" on a coordinator's phone; choosing it folds the list again.
  await fromMenu(page, 'Pass');
  await page.waitForURL(`${server.baseUrl}/pass`);
  assert.equal(await page.locator('.mainnav details[open]').count(), 0, '"Mer" closes after a choice');
  await page.locator('.capture-map.leaflet-container .leaflet-tile-pane').waitFor({ state: 'attached' });
  await page.getByRole('heading', { name: 'Lägesinformation från polisen' }).waitFor();
  assert.ok(await sameDocument(page), 'Pass came without a page load');

  await fromMenu(page, 'Karta');
  await page.waitForURL(`${server.baseUrl}/karta`);
  await page.locator('.map-page .leaflet-container').waitFor();
  await page.locator('.map-page .report-pin, .map-page .marker-cluster').first().waitFor();
  assert.ok(await sameDocument(page), 'Karta came back without a page load');

  await page.goBack();
  await page.waitForURL(`${server.baseUrl}/pass`);
  await page.locator('.capture-map.leaflet-container').waitFor();
  assert.ok(await sameDocument(page), 'back went without a page load');
  assert.equal(await page.locator('.leaflet-container').count(), 1, 'the maps of pages left behind are gone');

  assert.deepEqual(errors, [], 'no console errors');
  await context.close();
});

test('a lägesbild page opened directly arrives complete and draws its map', async () => {
  const { context, errors } = await phoneContext(browser);
  const page = await context.newPage();
  await signIn(page, server.baseUrl, coordinator, '/lagesbild');
  // The server sent the tables already.
  assert.match(await page.locator('.comparison').innerText(), /Jämfört med föregående period/);
  await cellsDrawn(page);
  assert.deepEqual(errors, [], 'no console errors');
  await context.close();
});

test('a menu link tapped while the page is still starting opens its page', async () => {
  const { context, errors } = await phoneContext(browser);
  const page = await context.newPage();
  await signIn(page, server.baseUrl, coordinator, '/lagesbild');
  // At once, not waiting for the page to become interactive, as an impatient thumb does.
  await page.goto(`${server.baseUrl}/lagesbild`);
  await fromMenu(page, 'Pass');
  await page.waitForURL(`${server.baseUrl}/pass`);
  await page.locator('.capture-map.leaflet-container').waitFor();
  assert.deepEqual(errors, [], 'no console errors');
  await context.close();
});
