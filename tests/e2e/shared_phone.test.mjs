// A phone shared by two grannstöd drivers: what one records is sent only under their own
// session, never under the other's, and signing out empties the outbox of the user's
// records after saying what has not been sent.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { apiSession, api, launchBrowser, phoneContext, signIn, startServer } from './support.mjs';

let server;
let browser;
let anna;
let bertil;
let cecilia;
let police;

before(async () => {
  server = await startServer();
  anna = server.addUser('anna@delad.tryggkarta.se', 'volunteer', 'annas-långa-lösenord');
  bertil = server.addUser('bertil@delad.tryggkarta.se', 'volunteer', 'bertils-långa-lösenord');
  cecilia = server.addUser('cecilia@delad.tryggkarta.se', 'volunteer', 'cecilias-långa-lösenord');
  police = await apiSession(
    server.baseUrl,
    server.addUser('polis@delad.tryggkarta.se', 'police', 'polisens-långa-lösenord'),
  );
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

/** The API is unreachable (a dead zone for data), while pages still load. */
async function blockApi(context) {
  await context.route('**/api/v1/**', (route) => route.abort('internetdisconnected'));
}

/** Starts a shift and logs one observation while the API is blocked: two records wait. */
async function recordWhileBlocked(page, vehicle) {
  await page.locator('.capture-map.leaflet-container').waitFor();
  await page.getByLabel('Bil').fill(vehicle);
  await page.getByRole('button', { name: 'Starta passet' }).click();
  await page.getByText('Rutten spelas in').waitFor();
  await page.getByRole('button', { name: 'Misstänkt fordon' }).click();
  await page.locator('.outbox-status[data-pending="2"]').waitFor();
}

async function patrolObservations() {
  return (await api(server.baseUrl, police, 'GET', '/api/v1/observations?kind=patrol_observation')).body;
}

/** Waits until the server holds `count` patrol observations; resolves to them. */
async function untilStored(count) {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const stored = await patrolObservations();
    if (stored.length === count) return stored;
    if (Date.now() > deadline) throw new Error(`expected ${count} observations, the server has ${stored.length}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function userId(page) {
  return (await page.evaluate(async () => (await fetch('/api/v1/session')).json())).id;
}

test("one driver's records are never sent under the other's session, and reach the server under their own", async () => {
  const { context } = await phoneContext(browser, {
    geolocation: { latitude: 59.51, longitude: 17.63, accuracy: 8 },
    permissions: ['geolocation'],
  });
  const page = await context.newPage();
  await signIn(page, server.baseUrl, anna, '/pass');
  const annaId = await userId(page);
  await blockApi(context);
  await recordWhileBlocked(page, 'Grannstöd Anna');

  // Anna's session ends without her signing out (the phone is handed over); Bertil signs
  // in on the same phone with the API reachable, and records something himself. His
  // records go out; Anna's, queued before his, stay on the phone.
  await context.clearCookies();
  await context.unroute('**/api/v1/**');
  await signIn(page, server.baseUrl, bertil, '/pass');
  const bertilId = await userId(page);
  await page.locator('.capture-map.leaflet-container').waitFor();
  await page.getByLabel('Bil').fill('Grannstöd Bertil');
  await page.getByRole('button', { name: 'Starta passet' }).click();
  await page.getByRole('button', { name: 'Misstänkt fordon' }).click();
  const afterBertil = await untilStored(1);
  assert.equal(afterBertil[0].reporter_id, bertilId, 'only his own record was sent as Bertil');
  const waiting = await page.evaluate(
    () =>
      new Promise((resolve) => {
        const open = indexedDB.open('tryggkarta');
        open.onsuccess = () => {
          const request = open.result.transaction('outbox').objectStore('outbox').getAll();
          request.onsuccess = () => resolve(request.result.map((entry) => entry.owner));
        };
      }),
  );
  assert.ok(waiting.length >= 2 && waiting.every((owner) => owner === annaId), `Anna's records wait: ${waiting}`);
  assert.equal(await page.locator('.outbox-status').getAttribute('data-pending'), '0', 'Bertil is not shown them');

  // Anna signs in again: her records go out, as hers.
  await context.clearCookies();
  await signIn(page, server.baseUrl, anna, '/pass');
  const stored = await untilStored(2);
  assert.deepEqual(stored.map((o) => o.reporter_id).sort(), [annaId, bertilId].sort());
  await context.close();
});

test('signing out says what has not been sent, and empties the outbox only when the user agrees', async () => {
  const { context } = await phoneContext(browser, {
    geolocation: { latitude: 59.51, longitude: 17.63, accuracy: 8 },
    permissions: ['geolocation'],
  });
  const page = await context.newPage();
  await signIn(page, server.baseUrl, cecilia, '/pass');
  await blockApi(context);
  await recordWhileBlocked(page, 'Grannstöd Cecilia');

  // "No": nothing is deleted and Cecilia stays signed in.
  const question = page.waitForEvent('dialog');
  await page.getByRole('button', { name: 'Logga ut' }).click();
  const dialog = await question;
  assert.match(dialog.message(), /2 av dina rapporter har inte kommit fram till servern/);
  await dialog.dismiss();
  assert.equal(await page.locator('.outbox-status').getAttribute('data-pending'), '2');
  assert.equal(new URL(page.url()).pathname, '/pass');

  // "Yes": the records and the running shift's route leave the phone, then she is signed out.
  page.once('dialog', (dialog) => dialog.accept());
  await page.getByRole('button', { name: 'Logga ut' }).click();
  await page.waitForURL(/\/logga-in/);
  const left = await page.evaluate(
    () =>
      new Promise((resolve) => {
        const open = indexedDB.open('tryggkarta');
        open.onsuccess = () => {
          const request = open.result.transaction('outbox').objectStore('outbox').count();
          request.onsuccess = () => resolve(request.result);
        };
      }),
  );
  assert.equal(left, 0);
  assert.deepEqual(
    await page.evaluate(() => Object.keys(localStorage).filter((key) => key.startsWith('tryggkarta-'))),
    [],
  );
  // Signed in again with the API reachable: nothing of hers is left to reach the server.
  await context.unroute('**/api/v1/**');
  await signIn(page, server.baseUrl, cecilia, '/pass');
  await page.evaluate(() => window.dispatchEvent(new Event('online')));
  await page.locator('.outbox-status[data-pending="0"]').waitFor();
  const ceciliaId = await userId(page);
  assert.equal((await patrolObservations()).filter((o) => o.reporter_id === ceciliaId).length, 0);
  await context.close();
});
