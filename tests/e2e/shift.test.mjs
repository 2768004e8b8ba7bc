// A grannstöd volunteer starts a shift, drives (the phone's position moves), logs an
// open window with one tap, and ends the shift: the summary shows the distance driven
// and the one observation.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { api, apiSession, interactive, launchBrowser, phoneContext, signIn, startServer } from './support.mjs';

let server;
let browser;
let driver;

before(async () => {
  server = await startServer();
  driver = server.addUser('forare@e2e.tryggkarta.se', 'volunteer', 'förarens-långa-lösenord');
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

test('police publish a briefing and mark a focus place that the driver reads once bound to confidentiality', async () => {
  const officer = server.addUser('polis@e2e.tryggkarta.se', 'police', 'polisens-långa-lösenord');
  const { context: policeContext } = await phoneContext(browser);
  const police = await policeContext.newPage();
  await signIn(police, server.baseUrl, officer, '/pass');
  // The confirmation is shown in place, by the hydrated page.
  await interactive(police);
  await police.getByText('Skriv lägesinformation till förarna').click();
  await police.getByLabel('Lägesinformation').fill('Inbrott i Tibble senaste veckan: håll extra koll på Tibblevägen.');
  await police.getByRole('button', { name: 'Publicera' }).click();
  await police.getByText('Publicerad.').waitFor();
  // A focus place where the map is tapped.
  await police.getByText('Markera en fokusplats för förarna').click();
  const map = police.locator('.capture-map.leaflet-container');
  await map.scrollIntoViewIfNeeded();
  const box = await map.boundingBox();
  await police.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
  await police.getByText('Vald plats:').waitFor();
  await police.getByLabel('Rubrik').fill('Förråden vid Tibblevägen');
  await police.getByRole('button', { name: 'Markera', exact: true }).click();
  await police.getByText('Markerad: Förråden vid Tibblevägen').waitFor();
  await policeContext.close();

  const { context, errors } = await phoneContext(browser);
  const page = await context.newPage();
  await signIn(page, server.baseUrl, driver, '/pass');
  const briefing = page.locator('article.briefing');
  assert.match(await briefing.innerText(), /håll extra koll på Tibblevägen/);
  assert.equal(await page.getByText('Skriv lägesinformation till förarna').count(), 0, 'drivers do not write briefings');
  // Not yet bound by the confidentiality agreement: where roughly, not what or exactly.
  const tasking = page.locator('article.tasking');
  assert.match(await tasking.innerText(), /Fokusplats \(ungefärligt läge\)/);
  assert.doesNotMatch(await tasking.innerText(), /Tibblevägen/);
  assert.equal(await page.getByText('Markera en fokusplats för förarna').count(), 0, 'drivers do not mark focus places');

  // The coordinator's register records the signed agreement (the admin test does it
  // through the page); the next load shows the place as the police marked it.
  const admin = await apiSession(server.baseUrl, { email: 'admin@tryggkarta.local', password: 'e2e-admin-lösenord' });
  const accounts = await api(server.baseUrl, admin, 'GET', '/api/v1/users');
  const id = accounts.body.find((account) => account.email === driver.email).id;
  const registered = await api(server.baseUrl, admin, 'PUT', `/api/v1/users/${id}/driver`, {
    confidentiality_signed_on: '2026-01-10',
    vehicles: ['Grannstödsbil Bro'],
    note: '',
  });
  assert.equal(registered.status, 200);
  await page.reload();
  assert.match(await page.locator('article.tasking').innerText(), /Förråden vid Tibblevägen/);
  assert.deepEqual(errors, []);
  await context.close();
});

test('a shift records the route, a one-tap observation and sums them up at the end', async () => {
  const { context, errors } = await phoneContext(browser, {
    geolocation: { latitude: 59.52, longitude: 17.64, accuracy: 6 },
    permissions: ['geolocation'],
  });
  const page = await context.newPage();
  await signIn(page, server.baseUrl, driver, '/pass');
  await page.getByRole('heading', { name: 'Lägesinformation från polisen' }).waitFor();
  await page.locator('.capture-map.leaflet-container').waitFor();

  await page.getByLabel('Bil').fill('Grannstöd 1');
  await page.getByLabel('Medförare').fill('Lena');
  await page.getByRole('button', { name: 'Starta passet' }).click();
  await page.getByRole('button', { name: 'Avsluta passet' }).waitFor();

  // Drive north about 270 m, in steps of about 33 m (the track drops larger jumps in a
  // second as GPS noise).
  for (let step = 1; step <= 8; step += 1) {
    const latitude = 59.52 + step * 0.0003;
    await context.setGeolocation({ latitude, longitude: 17.64, accuracy: 6 });
    await page.waitForFunction(
      (lat) => JSON.parse(localStorage.getItem(Object.keys(localStorage).find((k) => k.startsWith('tryggkarta-track-'))) ?? '[]')
        .some((p) => Math.abs(p.lat - lat) < 1e-9),
      latitude,
    );
  }
  await page.getByRole('button', { name: 'Öppet fönster eller dörr i tomt hus' }).click();
  await page.getByText('1 loggade').waitFor();
  await page.getByLabel('Anteckning till det du loggade (valfritt)').fill('Altandörren står på glänt, ingen hemma');
  await page.getByRole('button', { name: 'Spara anteckning' }).click();
  await page.locator('.outbox-status[data-pending="0"]').waitFor();

  await page.getByRole('button', { name: 'Avsluta passet' }).click();
  // One tap too many must not end a patrol: the shift ends only when confirmed.
  await page.getByRole('button', { name: 'Fortsätt köra' }).click();
  await page.getByRole('button', { name: 'Avsluta passet' }).click();
  await page.getByRole('button', { name: 'Ja, avsluta' }).click();
  const summary = page.getByRole('region', { name: 'Sammanfattning' });
  await summary.waitFor();
  const metres = Number(await summary.locator('.distance').getAttribute('data-metres'));
  assert.ok(metres > 200 && metres < 400, `distance driven: ${metres} m`);
  assert.equal(await summary.locator('.observations').innerText(), '1');
  const stored = await page.evaluate(async () => (await fetch('/api/v1/observations?kind=patrol_observation')).json());
  assert.equal(stored.length, 1);
  assert.equal(stored[0].category, 'patrol.open_window');
  assert.equal(stored[0].note, 'Altandörren står på glänt, ingen hemma');
  assert.deepEqual(errors, []);
  await context.close();
});

test('a whole shift in a dead zone is kept on the phone and reaches the server afterwards', async () => {
  const { context, errors } = await phoneContext(browser, {
    geolocation: { latitude: 59.51, longitude: 17.63, accuracy: 8 },
    permissions: ['geolocation'],
  });
  const page = await context.newPage();
  await signIn(page, server.baseUrl, driver, '/pass');
  await page.locator('.capture-map.leaflet-container').waitFor();
  await context.setOffline(true);

  await page.getByLabel('Bil').fill('Grannstöd 2');
  await page.getByRole('button', { name: 'Starta passet' }).click();
  await page.getByText('Rutten spelas in').waitFor();
  await page.waitForFunction(() => Object.keys(localStorage).some((k) => k.startsWith('tryggkarta-track-')));
  await page.getByRole('button', { name: 'Misstänkt fordon' }).click();
  await page.getByText('1 loggade').waitFor();
  await page.getByRole('button', { name: 'Avsluta passet' }).click();
  await page.getByRole('button', { name: 'Ja, avsluta' }).click();
  await page.getByText('sparat på telefonen').waitFor();
  // Shift, track, observation and end: two records the driver made.
  assert.equal(await page.locator('.outbox-status').getAttribute('data-pending'), '2');

  await context.setOffline(false);
  await page.evaluate(() => window.dispatchEvent(new Event('online')));
  await page.locator('.outbox-status[data-pending="0"]').waitFor();
  const stored = await page.evaluate(async () =>
    (await fetch('/api/v1/observations?kind=patrol_observation')).json(),
  );
  const logged = stored.find((o) => o.category === 'patrol.suspicious_vehicle');
  assert.ok(logged?.shift_id, 'the observation belongs to the shift');
  const shift = await page.evaluate(async (id) => (await fetch(`/api/v1/shifts/${id}`)).json(), logged.shift_id);
  assert.equal(shift.vehicle, 'Grannstöd 2');
  assert.ok(shift.ended_at, 'the end reached the server too');
  assert.deepEqual(errors.filter((e) => !e.includes('ERR_INTERNET_DISCONNECTED')), []);
  await context.close();
});
