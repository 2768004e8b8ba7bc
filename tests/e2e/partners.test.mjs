// Many eyes: a housing company's reporter logs an incident on a phone without signal and
// sees it sent; the coordinator reviews the queue from the start page by clicks, merges a
// duplicate and accepts the other; a resident reports an unsafe place without an account.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { api, apiSession, interactive, keptOffline, launchBrowser, phoneContext, signIn, startServer } from './support.mjs';

let server;
let browser;
let coordinator;
let coordinatorCookie;
let organisation;

before(async () => {
  server = await startServer();
  browser = await launchBrowser();
  coordinator = server.addUser('samordnare@partner.tryggkarta.se', 'coordinator', 'samordnarens-långa-lösenord');
  coordinatorCookie = await apiSession(server.baseUrl, coordinator);
  const created = await api(server.baseUrl, coordinatorCookie, 'POST', '/api/v1/organisations', {
    name: 'Bro Bostäder',
    kind: 'housing',
  });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  organisation = created.body;
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

/** Kungsängen, by the station. */
const PLACE = { latitude: 59.478, longitude: 17.75, accuracy: 10 };

test('a reporter starts at next week\'s focus places, logs an incident offline and sees it sent', async () => {
  const reporter = server.addUser('rapportor@brobostader.se', 'reporter', 'rapportörens-långa-lösenord', 'Bro Bostäder');
  const focus = await api(server.baseUrl, coordinatorCookie, 'POST', `/api/v1/organisations/${organisation.id}/focus-places`, {
    place: 'Bro centrum',
    note: 'Trapphusen kvällstid',
  });
  assert.equal(focus.status, 201, JSON.stringify(focus.body));
  const { context, errors } = await phoneContext(browser, { geolocation: PLACE, permissions: ['geolocation'] });
  const page = await context.newPage();
  // Händelser is the reporter's start page.
  await signIn(page, server.baseUrl, reporter, '/handelser');
  await interactive(page);
  await page.getByRole('heading', { name: 'Rapportera en händelse' }).waitFor();
  const focusPlaces = page.locator('.focus-places');
  await focusPlaces.getByText('Bro centrum').waitFor();
  assert.match(await focusPlaces.innerText(), /Vecka \d+: Bro centrum – Trapphusen kvällstid/);
  await page.locator('.capture-map.leaflet-container').waitFor();
  await keptOffline(page, '/handelser');

  // Out of signal, the page reopens cold from the phone and the report is logged there.
  await context.setOffline(true);
  await page.close();
  const cold = await context.newPage();
  await cold.goto(`${server.baseUrl}/handelser`);
  await interactive(cold);
  assert.equal(await cold.getByText('Ingen uppkoppling').count(), 0, 'Händelser opens from the phone');
  await cold.getByRole('button', { name: 'Använd min position' }).click();
  await cold.getByText('Plats vald').waitFor();
  await cold.getByLabel('Kategori').selectOption({ label: 'Skadegörelse och klotter' });
  await cold.getByLabel('Vad hände?').fill('Klotter på gaveln vid cykelstället');
  await cold.getByRole('button', { name: 'Skicka rapport' }).click();
  await cold.getByText('Rapporten är sparad och skickas så snart det går').waitFor();
  assert.notEqual(await cold.locator('.outbox-status').getAttribute('data-pending'), '0', 'kept on the phone');

  await context.setOffline(false);
  await cold.evaluate(() => window.dispatchEvent(new Event('online')));
  await cold.locator('.outbox-status[data-pending="0"]').waitFor();
  const sent = await cold.evaluate(async () => (await fetch('/api/v1/incident-reports')).json());
  assert.equal(sent.length, 1, JSON.stringify(sent));
  assert.equal(sent[0].category, 'incident.vandalism');
  assert.equal(sent[0].status, 'pending');
  assert.equal(sent[0].organisation, 'Bro Bostäder');
  // Requests tried while the signal was gone (the outbox's, the duplicate suggestion's)
  // fail as they must, or the service worker answers 503 for them; nothing else may.
  const offline = (e) => e.includes('ERR_INTERNET_DISCONNECTED') || e.includes('ERR_FAILED') || e.includes('503');
  assert.deepEqual(errors.filter((e) => !offline(e)), []);
  await context.close();
});

test('the coordinator reviews from the start page: merges a duplicate, accepts the other', async () => {
  const reporter = server.addUser('vaktmastare@brobostader.se', 'reporter', 'vaktmästarens-långa-lösenord', 'Bro Bostäder');
  const reporterCookie = await apiSession(server.baseUrl, reporter);
  const sent = [];
  for (const [metres, note] of [[0, 'Brand i soprummet'], [15, 'Brandlarm, sot på dörren']]) {
    const answer = await api(server.baseUrl, reporterCookie, 'POST', '/api/v1/incident-reports', {
      id: crypto.randomUUID(),
      category: 'incident.fire',
      lat: 59.49 + metres / 111000,
      lng: 17.7,
      position_source: 'manual',
      observed_at: new Date(Date.now() - 3_600_000).toISOString(),
      note,
    });
    assert.equal(answer.status, 201, JSON.stringify(answer.body));
    sent.push(answer.body);
  }
  const { context, errors } = await phoneContext(browser, { viewport: { width: 1280, height: 900 }, isMobile: false });
  const page = await context.newPage();
  await signIn(page, server.baseUrl, coordinator, '/att-gora');
  await interactive(page);
  // Att göra says how many wait (these two, and any the tests before left), and leads there.
  const waiting = await api(server.baseUrl, coordinatorCookie, 'GET', '/api/v1/review');
  assert.ok(waiting.body.length >= 2, JSON.stringify(waiting.body));
  await page.getByRole('link', { name: `${waiting.body.length} rapporter väntar på granskning` }).click();
  await page.getByRole('heading', { name: 'Granskning av rapporter och tips' }).waitFor();
  await interactive(page);
  const second = page.locator('.waiting-report', { hasText: 'Brandlarm, sot på dörren' });
  await second.getByText('Kanske samma sak som').waitFor();
  await second.getByRole('button', { name: 'Slå samman med denna' }).first().click();
  await second.waitFor({ state: 'detached' });
  const first = page.locator('.waiting-report', { hasText: 'Brand i soprummet' });
  await first.getByRole('button', { name: 'Godkänn' }).click();
  await first.waitFor({ state: 'detached' });

  const accepted = await api(server.baseUrl, coordinatorCookie, 'GET', `/api/v1/incident-reports/${sent[0].id}`);
  assert.equal(accepted.body.status, 'accepted');
  assert.deepEqual(accepted.body.duplicates, [sent[1].id], 'the link goes both ways');
  const merged = await api(server.baseUrl, coordinatorCookie, 'GET', `/api/v1/incident-reports/${sent[1].id}`);
  assert.equal(merged.body.status, 'merged');
  assert.equal(merged.body.duplicate_of, sent[0].id);
  const counted = await api(server.baseUrl, coordinatorCookie, 'GET', '/api/v1/hotspots?kind=incident_report');
  assert.equal(counted.body.total, 1, 'only the accepted report counts');
  assert.deepEqual(errors, []);
  await context.close();
});

test('a resident reports an unsafe place without an account', async () => {
  const { context, errors } = await phoneContext(browser, { geolocation: PLACE, permissions: ['geolocation'] });
  const page = await context.newPage();
  await page.goto(`${server.baseUrl}/tipsa`);
  await interactive(page);
  await page.getByRole('heading', { name: 'Tipsa om en otrygg plats' }).waitFor();
  await page.getByRole('button', { name: 'Använd min position' }).click();
  await page.getByText('Plats vald').waitFor();
  await page.getByLabel('Vad gör platsen otrygg?').fill('Mörk gångtunnel under järnvägen, trasig belysning');
  await page.getByLabel(/Din e-post/).fill('granne@example.se');
  await page.getByRole('button', { name: 'Skicka tipset' }).click();
  await page.getByText('Tack! Tipset är mottaget').waitFor();

  const queue = await api(server.baseUrl, coordinatorCookie, 'GET', '/api/v1/review');
  const tip = queue.body.find((waiting) => waiting.report.source === 'resident');
  assert.ok(tip, JSON.stringify(queue.body));
  assert.equal(tip.report.category, 'incident.unsafe_place');
  assert.ok(!JSON.stringify(queue.body).includes('granne@'), 'the e-mail is never shown');
  assert.deepEqual(errors, []);
  await context.close();
});
