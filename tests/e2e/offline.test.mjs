// Field pages reopen without network however they were reached: a coordinator opens Pass
// and Karta through the menu (never by address), loses signal, reopens both cold, starts
// and ends a shift offline, and everything arrives once the signal is back. A page never
// opened says so honestly and lists those that do open.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { fromMenu, interactive, keptOffline, launchBrowser, phoneContext, signIn, startServer } from './support.mjs';

let server;
let browser;

before(async () => {
  server = await startServer();
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

test('Pass and Karta reached through the menu reopen cold offline, and a shift runs there', async () => {
  const coordinator = server.addUser('samordnare@offline.tryggkarta.se', 'coordinator', 'samordnarens-långa-lösenord');
  const { context, errors } = await phoneContext(browser, {
    geolocation: { latitude: 59.51, longitude: 17.63, accuracy: 8 },
    permissions: ['geolocation'],
  });
  const page = await context.newPage();
  await signIn(page, server.baseUrl, coordinator, '/att-gora');
  await interactive(page);
  await fromMenu(page, 'Pass');
  await page.locator('.capture-map.leaflet-container').waitFor();
  await keptOffline(page, '/pass');
  await fromMenu(page, 'Karta');
  await page.locator('.map-page .leaflet-container').waitFor();
  await keptOffline(page, '/karta');

  await context.setOffline(true);
  const map = await context.newPage();
  await map.goto(`${server.baseUrl}/karta`);
  await map.locator('.map-page .leaflet-container').waitFor();
  assert.equal(await map.getByText('Ingen uppkoppling').count(), 0, 'Karta opens from the phone');
  await map.close();

  const shift = await context.newPage();
  await shift.goto(`${server.baseUrl}/pass`);
  await interactive(shift);
  await shift.getByLabel('Bil').fill('Grannstöd 3');
  await shift.getByRole('button', { name: 'Starta passet' }).click();
  await shift.getByText('Rutten spelas in').waitFor();
  await shift.getByRole('button', { name: 'Misstänkt fordon' }).click();
  await shift.getByText('1 loggade').waitFor();
  await shift.getByRole('button', { name: 'Avsluta passet' }).click();
  await shift.getByRole('button', { name: 'Ja, avsluta' }).click();
  await shift.getByText('sparat på telefonen').waitFor();
  assert.notEqual(await shift.locator('.outbox-status').getAttribute('data-pending'), '0');

  // A page never opened on this phone says so, and points to those that open.
  const other = await context.newPage();
  await other.goto(`${server.baseUrl}/lagesbild`);
  await other.getByRole('heading', { name: 'Ingen uppkoppling' }).waitFor();
  const links = await other.getByRole('link').allInnerTexts();
  assert.ok(links.includes('Pass') && links.includes('Karta'), `the kept pages are offered: ${links}`);
  await other.close();

  await context.setOffline(false);
  await shift.evaluate(() => window.dispatchEvent(new Event('online')));
  await shift.locator('.outbox-status[data-pending="0"]').waitFor();
  const stored = await shift.evaluate(async () => (await fetch('/api/v1/observations?kind=patrol_observation')).json());
  const logged = stored.find((o) => o.category === 'patrol.suspicious_vehicle');
  assert.ok(logged?.shift_id, 'the observation reached the server with its shift');
  const sent = await shift.evaluate(async (id) => (await fetch(`/api/v1/shifts/${id}`)).json(), logged.shift_id);
  assert.equal(sent.vehicle, 'Grannstöd 3');
  assert.ok(sent.ended_at, 'the end reached the server too');
  // Requests made offline fail, and the page that was never kept answers 503: expected.
  assert.deepEqual(errors.filter((e) => !e.includes('ERR_INTERNET_DISCONNECTED') && !e.includes('503')), []);
  await context.close();
});

test('signing out forgets the pages kept for offline', async () => {
  const driver = server.addUser('forare@offline.tryggkarta.se', 'volunteer', 'förarens-långa-lösenord');
  const { context } = await phoneContext(browser);
  const page = await context.newPage();
  await signIn(page, server.baseUrl, driver, '/pass');
  await interactive(page);
  await keptOffline(page, '/pass');
  await page.getByRole('button', { name: 'Logga ut' }).click();
  await page.waitForURL(/\/logga-in/);
  const left = await page.evaluate(async () => {
    const pages = [];
    for (const name of await caches.keys()) {
      for (const request of await (await caches.open(name)).keys()) {
        const path = new URL(request.url).pathname;
        if (!path.startsWith('/pkg/') && !path.startsWith('/vendor/')) pages.push(path);
      }
    }
    return pages;
  });
  assert.deepEqual(left, [], 'no page of the signed-out user stays on the phone');
  await context.close();
});
