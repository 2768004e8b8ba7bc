// A resident joins a safety walk with its code on their own phone and pins findings;
// the connection drops, they pin one more and even reload the page; when the network
// comes back, the server has all three, once each.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { launchBrowser, phoneContext, startServer } from './support.mjs';

let server;
let browser;
let coordinator;

before(async () => {
  server = await startServer();
  coordinator = server.addUser('samordnare@e2e.tryggkarta.se', 'coordinator', 'samordnarens-lösenord');
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

/** The coordinator's side, through the REST API. */
async function api() {
  const context = await browser.newContext();
  const request = context.request;
  const signIn = await request.post(`${server.baseUrl}/api/v1/session`, {
    data: { email: coordinator.email, password: coordinator.password },
  });
  assert.equal(signIn.status(), 200);
  return { request, close: () => context.close() };
}

async function pinFinding(page, { category, rating, note }) {
  await page.getByLabel('Vad gäller det?').selectOption({ label: category });
  await page.getByRole('button', { name: String(rating), exact: true }).click();
  await page.getByLabel('Anteckning').fill(note);
  await page.getByRole('button', { name: 'Spara fynd' }).click();
  await page.getByRole('listitem').filter({ hasText: note }).waitFor();
}

test('findings pinned offline reach the server exactly once after reconnecting', async () => {
  const coordinatorApi = await api();
  const created = await coordinatorApi.request.post(`${server.baseUrl}/api/v1/walks`, {
    data: { title: 'Kvällsvandring Bro centrum', area: 'Bro centrum', starts_at: new Date().toISOString(), light: 'dark' },
  });
  assert.equal(created.status(), 201);
  const walk = await created.json();
  const findingsOnServer = async () => {
    const response = await coordinatorApi.request.get(`${server.baseUrl}/api/v1/observations?walk_id=${walk.id}`);
    return (await response.json()).length;
  };
  // The pending count can read 0 a moment before a new finding is queued, so the test
  // waits for the server itself to hold the findings (or gives up after 10 s).
  const serverReaches = async (expected) => {
    const deadline = Date.now() + 10_000;
    let found = await findingsOnServer();
    while (found !== expected && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      found = await findingsOnServer();
    }
    return found;
  };

  const { context, errors } = await phoneContext(browser, {
    geolocation: { latitude: 59.5113, longitude: 17.6358, accuracy: 9 },
    permissions: ['geolocation'],
  });
  const page = await context.newPage();
  await page.goto(`${server.baseUrl}/vandring?kod=${walk.join_code.toLowerCase()}`);
  await page.getByRole('button', { name: 'Gå med' }).click();
  await page.waitForURL(`${server.baseUrl}/vandring/${walk.id}`);
  await page.locator('.capture-map.leaflet-container').waitFor();
  await page.evaluate(() => navigator.serviceWorker.ready);

  // One pinned by GPS, one by tapping the map.
  await page.getByRole('button', { name: 'Använd min position' }).click();
  await page.locator('.leaflet-marker-icon').waitFor();
  await pinFinding(page, { category: 'Belysning', rating: 0, note: 'Mörk gångtunnel' });
  await page.locator('.capture-map').click({ position: { x: 120, y: 90 } });
  await page.locator('.leaflet-marker-icon').waitFor();
  await pinFinding(page, { category: 'Gömställen', rating: 1, note: 'Tät buskage vid parkeringen' });
  assert.equal(await serverReaches(2), 2);

  await context.setOffline(true);
  await page.locator('.capture-map').click({ position: { x: 200, y: 140 } });
  await pinFinding(page, { category: 'Skadegörelse och klotter', rating: 2, note: 'Klotter på busskuren' });
  await page.locator('.outbox-status[data-pending="1"]').waitFor();
  assert.match(await page.locator('.outbox-status').innerText(), /1 osända/);

  await page.reload();
  await page.locator('.capture-map.leaflet-container').waitFor();
  await page.locator('.outbox-status[data-pending="1"]').waitFor();
  await page.getByRole('listitem').filter({ hasText: 'Klotter på busskuren' }).filter({ hasText: 'osänt' }).waitFor();
  assert.equal(await findingsOnServer(), 2, 'nothing arrives while offline');

  await context.setOffline(false);
  await page.locator('.outbox-status[data-pending="0"]').waitFor();
  assert.equal(await serverReaches(3), 3);

  // Chromium logs failed requests made while offline as console errors; those are expected.
  const unexpected = errors.filter((error) => !/ERR_INTERNET_DISCONNECTED|Failed to fetch|Failed to load resource/.test(error));
  assert.deepEqual(unexpected, []);
  await context.close();
  await coordinatorApi.close();
});
