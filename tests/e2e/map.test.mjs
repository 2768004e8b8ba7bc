// A police officer on a phone signs in, opens the map of Upplands-Bro and asks where they
// are; and the pages still work for a phone whose JavaScript has not loaded.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { launchBrowser, phoneContext, signIn, startServer } from './support.mjs';

let server;
let browser;
let officer;

before(async () => {
  server = await startServer();
  officer = server.addUser('polis@e2e.tryggkarta.se', 'police', 'polisens-långa-lösenord');
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

test('a signed-in officer sees the map with tiles and can locate themselves', async () => {
  const { context, errors } = await phoneContext(browser, {
    geolocation: { latitude: 59.5205, longitude: 17.6402, accuracy: 25 },
    permissions: ['geolocation'],
  });
  const page = await context.newPage();
  await signIn(page, server.baseUrl, officer);

  // Leaflet builds its panes only once the page has hydrated in the browser.
  await page.locator('.leaflet-container .leaflet-tile-pane').waitFor({ state: 'attached' });
  await page.locator('.leaflet-tile-loaded').first().waitFor();
  assert.match(await page.locator('.leaflet-control-attribution').innerText(), /OpenStreetMap/);
  assert.equal(await page.locator('html').getAttribute('lang'), 'sv');
  assert.deepEqual(
    await page.getByRole('navigation', { name: 'Huvudmeny' }).getByRole('link').allInnerTexts(),
    // On a phone, the four pages an officer uses most; the rest under "Mer".
    ['Att göra', 'Lägesbild', 'Karta', 'Åtgärder'],
  );

  await page.getByRole('button', { name: 'Visa var jag är' }).click();
  await page.getByRole('status').filter({ hasText: 'noggrannhet ±25 m' }).waitFor();
  // The map moves (animated) to the position: the accuracy circle ends up in the middle.
  const map = await page.locator('.leaflet-container').boundingBox();
  assert.ok(map.width > 300 && map.height > 300, 'the map fills the phone screen');
  await page.waitForFunction(() => {
    const ring = document.querySelector('path.accuracy-circle')?.getBoundingClientRect();
    const box = document.querySelector('.leaflet-container').getBoundingClientRect();
    if (!ring) return false;
    const off = Math.hypot(
      ring.x + ring.width / 2 - (box.x + box.width / 2),
      ring.y + ring.height / 2 - (box.y + box.height / 2),
    );
    // Centred, and zoomed in far enough that the 25 m circle is plainly visible.
    return off < 5 && ring.width > 20;
  });

  assert.deepEqual(errors, [], 'no console errors');
  await context.close();
});

test('a denied location request is explained in Swedish', async () => {
  const { context, errors } = await phoneContext(browser, { permissions: [] });
  const page = await context.newPage();
  await signIn(page, server.baseUrl, officer);
  await page.locator('.leaflet-container').waitFor();
  await page.getByRole('button', { name: 'Visa var jag är' }).click();
  await page.getByRole('status').filter({ hasText: 'Platsåtkomst är nekad' }).waitFor();
  assert.deepEqual(errors, []);
  await context.close();
});

test('without JavaScript an officer can still sign in and reach the pages', async () => {
  const { context } = await phoneContext(browser, { javaScriptEnabled: false });
  const page = await context.newPage();
  await signIn(page, server.baseUrl, officer, '/lagesbild');
  assert.equal(await page.getByRole('heading', { level: 1 }).innerText(), 'Lägesbild');

  await page.getByRole('link', { name: 'English' }).click();
  await page.waitForURL(`${server.baseUrl}/lagesbild`);
  assert.equal(await page.locator('html').getAttribute('lang'), 'en');
  assert.equal(await page.getByRole('heading', { level: 1 }).innerText(), 'Situation');

  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.waitForURL(/\/logga-in/);
  await context.close();
});
