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
  // The confirmation shows above the bottom bar, and the next finding starts afresh.
  const toast = page.locator('.toast.visible');
  // Online, the finding is sent at once, and the message says so (offline, it says it
  // waits on the phone: offline.test.mjs).
  assert.match(await toast.innerText(), /Skickas nu|skickat till servern/);
  const toastBottom = await toast.evaluate((el) => el.getBoundingClientRect().bottom);
  const barTop = await page.locator('.mainnav').evaluate((el) => el.getBoundingClientRect().top);
  assert.ok(toastBottom <= barTop, 'the confirmation is not hidden behind the bottom bar');
  assert.equal(await page.getByLabel('Vad gäller det?').inputValue(), '', 'no category carried over');
  // A pin says what it is when tapped.
  await page.locator('.finding-pin').first().click({ force: true });
  assert.match(await page.locator('.leaflet-popup-content').innerText(), /Belysning|Gömställen/);
  // Zoomed in, the map stays there after a reload.
  const viewKey = `tryggkarta-map-view:/vandring/${walk.id}`;
  const storedZoom = () => page.evaluate((key) => Number((sessionStorage.getItem(key) ?? ',,0').split(',')[2]), viewKey);
  const zoomBefore = (await storedZoom()) + 1;
  await page.locator('.leaflet-control-zoom-in').click();
  await page.waitForFunction(
    ([key, zoom]) => Number((sessionStorage.getItem(key) ?? ',,0').split(',')[2]) === zoom,
    [viewKey, zoomBefore],
  );

  await context.setOffline(true);
  await page.locator('.capture-map').click({ position: { x: 200, y: 140 } });
  await pinFinding(page, { category: 'Skadegörelse och klotter', rating: 2, note: 'Klotter på busskuren' });
  await page.locator('.outbox-status[data-pending="1"]').waitFor();
  assert.match(await page.locator('.outbox-status').innerText(), /1 osända/);
  // A photo belongs to its finding: still one record unsent, not two.
  await page.locator('.capture-map').click({ position: { x: 240, y: 120 } });
  await page.getByLabel('Foto (valfritt)').setInputFiles({
    name: 'lampa.png',
    mimeType: 'image/png',
    buffer: Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=', 'base64'),
  });
  await pinFinding(page, { category: 'Belysning', rating: 1, note: 'Trasig lampa med foto' });
  await page.locator('.outbox-status[data-pending="2"]').waitFor();
  assert.match(await page.locator('.outbox-status').innerText(), /2 osända/);

  await page.reload();
  await page.locator('.capture-map.leaflet-container').waitFor();
  await page.locator('.outbox-status[data-pending="2"]').waitFor();
  const tile = page.locator('.leaflet-tile').first();
  await tile.waitFor({ state: 'attached' });
  assert.match(await tile.getAttribute('src'), new RegExp(`/${zoomBefore}/\\d+/\\d+\\.png$`), 'the zoom survived the reload');
  // Offline, a new pin is a real picture, not a broken image: Leaflet's pin is cached.
  await page.locator('.capture-map').click({ position: { x: 160, y: 160 } });
  const pin = page.locator('.leaflet-marker-icon');
  await pin.waitFor();
  await page.waitForFunction(() => {
    const img = document.querySelector('.leaflet-marker-icon');
    return img && img.complete;
  });
  assert.ok(await pin.evaluate((img) => img.naturalWidth > 0), 'the pin picture loads offline');
  await page.getByRole('listitem').filter({ hasText: 'Klotter på busskuren' }).filter({ hasText: 'osänt' }).waitFor();
  assert.equal(await findingsOnServer(), 2, 'nothing arrives while offline');

  await context.setOffline(false);
  await page.locator('.outbox-status[data-pending="0"]').waitFor();
  assert.equal(await serverReaches(4), 4);

  // Chromium logs failed requests made while offline as console errors; those are expected.
  const unexpected = errors.filter((error) => !/ERR_INTERNET_DISCONNECTED|Failed to fetch|Failed to load resource/.test(error));
  assert.deepEqual(unexpected, []);
  await context.close();
  await coordinatorApi.close();
});

test('a finding the server refuses stays on the phone with the reason, to correct and send again', async () => {
  const coordinatorApi = await api();
  const created = await coordinatorApi.request.post(`${server.baseUrl}/api/v1/walks`, {
    data: { title: 'Dagvandring Brunna', area: 'Brunna', starts_at: new Date().toISOString(), light: 'daylight' },
  });
  const walk = await created.json();
  const { context, errors } = await phoneContext(browser);
  const page = await context.newPage();
  await page.goto(`${server.baseUrl}/vandring?kod=${walk.join_code}`);
  await page.getByRole('button', { name: 'Gå med' }).click();
  await page.waitForURL(`${server.baseUrl}/vandring/${walk.id}`);
  await page.locator('.capture-map.leaflet-container').waitFor();

  // The server refuses the note, as it would one with a name and personal identity number.
  const refusal = {
    error: 'invalid_input',
    field: 'note',
    message: 'Anteckningen får inte innehålla personnummer.',
    message_en: 'The note may not contain a personal identity number.',
  };
  await page.route('**/api/v1/observations', (route) =>
    route.request().method() === 'POST'
      ? route.fulfill({ status: 422, contentType: 'application/json', body: JSON.stringify(refusal) })
      : route.continue(),
  );
  await page.locator('.capture-map').click({ position: { x: 150, y: 120 } });
  await pinFinding(page, { category: 'Belysning', rating: 1, note: 'Anna 19800101-1234 klagade på lampan' });
  const refused = page.locator('.refused');
  await refused.getByText('Anteckningen får inte innehålla personnummer.').waitFor();
  assert.equal(await page.locator('.outbox-status').getAttribute('data-pending'), '0', 'nothing is waiting');

  // Corrected and sent again, it reaches the server and leaves the list.
  await page.unroute('**/api/v1/observations');
  await refused.getByLabel('Rätta anteckningen').fill('Trasig lampa vid gångvägen');
  await refused.getByRole('button', { name: 'Skicka igen' }).click();
  await refused.waitFor({ state: 'detached' });
  const stored = await (await coordinatorApi.request.get(`${server.baseUrl}/api/v1/observations?walk_id=${walk.id}`)).json();
  assert.deepEqual(stored.map((o) => o.note), ['Trasig lampa vid gångvägen']);
  assert.deepEqual(errors.filter((e) => !/status of 422/.test(e)), []);
  await context.close();
  await coordinatorApi.close();
});
