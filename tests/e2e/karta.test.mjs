// Karta, the start page, as each role sees it on a phone: a police officer sees every
// report as a marker, filters to a longer period, opens a marker's details and reads the
// same reports as a list; a volunteer sees their own report exactly and the others' only
// as an aggregated cell, whose details say so.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { api, apiSession, interactive, launchBrowser, phoneContext, signIn, startServer } from './support.mjs';

let server;
let browser;
let police;
let anna;
let bertil;

const DAY = 24 * 3600 * 1000;
const KUNGSANGEN = { lat: 59.4778, lng: 17.7502 };
const BRO = { lat: 59.5113, lng: 17.6358 };

/** Days back to a moment in last calendar month (Stockholm), which the cells count. */
function daysIntoLastMonth() {
  const day = Number(new Date().toLocaleDateString('sv-SE', { timeZone: 'Europe/Stockholm', day: 'numeric' }));
  return day + 2;
}

async function report(cookie, { lat, lng, daysAgo, category = 'drug.dealing', note = '' }) {
  const stored = await api(server.baseUrl, cookie, 'POST', '/api/v1/observations', {
    id: crypto.randomUUID(), kind: 'drug_scene', category, note,
    lat, lng, accuracy_m: 10, position_source: 'gps',
    observed_at: new Date(Date.now() - daysAgo * DAY).toISOString(),
  });
  assert.equal(stored.status, 201, JSON.stringify(stored.body));
}

before(async () => {
  server = await startServer();
  police = server.addUser('polis@karta.tryggkarta.se', 'police', 'polisens-långa-lösenord');
  anna = server.addUser('anna@karta.tryggkarta.se', 'volunteer', 'annas-långa-lösenord');
  bertil = server.addUser('bertil@karta.tryggkarta.se', 'volunteer', 'bertils-långa-lösenord');
  browser = await launchBrowser();
  // Bertil: three reports in one Kungsängen cell last month. Anna: one in Bro today.
  const bertilCookie = await apiSession(server.baseUrl, bertil);
  const back = daysIntoLastMonth();
  for (let i = 0; i < 3; i += 1) {
    await report(bertilCookie, { lat: KUNGSANGEN.lat + i * 0.00003, lng: KUNGSANGEN.lng, daysAgo: back });
  }
  await report(await apiSession(server.baseUrl, anna), {
    ...BRO, daysAgo: 0, category: 'drug.paraphernalia', note: 'Sprutor vid busshållplatsen',
  });
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

test('a police officer lands on Karta, filters, opens a marker and reads the list', async () => {
  const { context, errors } = await phoneContext(browser);
  const page = await context.newPage();
  await signIn(page, server.baseUrl, police);
  await interactive(page);

  // The last 30 days by default, which reach into last month only late in a month.
  await page.locator('.report-pin').first().waitFor();
  const inDefault = daysIntoLastMonth() <= 29 ? 4 : 1;
  assert.match(await page.locator('.map-summary').innerText(), new RegExp(`^${inDefault} rapport(er)? de senaste 30 dagarna`));

  // Only one category.
  await page.getByText('Filter', { exact: true }).click();
  await page.getByLabel('Kategori').selectOption({ label: 'Sprutor och tillbehör' });
  await page.getByRole('button', { name: 'Visa', exact: true }).click();
  await page.waitForURL(/category=drug.paraphernalia/);
  await interactive(page);
  assert.match(await page.locator('.map-summary').innerText(), /^1 rapport de senaste 30 dagarna/);
  assert.equal(await page.locator('.report-pin').count(), 1);

  // A longer period and every category: Bertil's three too (near each other: one cluster
  // or three pins).
  await page.getByLabel('Kategori').selectOption('');
  await page.getByLabel('Period').selectOption('90');
  await page.getByRole('button', { name: 'Visa', exact: true }).click();
  await page.waitForURL(/days=90/);
  await interactive(page);
  assert.match(await page.locator('.map-summary').innerText(), /^4 rapporter de senaste 90 dagarna/);
  await page.locator('.report-pin, .marker-cluster').first().waitFor();
  const shown = await page.evaluate(() => {
    const pins = document.querySelectorAll('.report-pin').length;
    const clustered = [...document.querySelectorAll('.marker-cluster')].reduce((sum, c) => sum + Number(c.innerText), 0);
    return pins + clustered;
  });
  assert.equal(shown, 4, 'every report is on the map, alone or in a cluster');

  // Tapping Anna's marker tells what, where, when and how far it has come.
  await page.getByTitle('Sprutor och tillbehör').click();
  const details = page.locator('.map-details');
  await details.getByRole('heading', { name: 'Sprutor och tillbehör' }).waitFor();
  const text = await details.innerText();
  assert.match(text, /Öppen drogscen/);
  assert.match(text, /Utanför namngivna områden/);
  assert.match(text, /\d{4}-\d{2}-\d{2} \d{2}:\d{2}/);
  assert.match(text, /Ny/);
  assert.match(text, /Sprutor vid busshållplatsen/);
  await details.getByRole('button', { name: 'Stäng' }).click();
  await details.getByRole('heading').waitFor({ state: 'detached' });

  // The same reports as a list, with the filter kept.
  await page.getByRole('link', { name: 'Kan du inte använda kartan? Visa som lista' }).click();
  await page.waitForURL(/visa=lista/);
  assert.match(page.url(), /days=90/);
  const cards = page.locator('.report-list .card');
  await cards.first().waitFor();
  assert.equal(await page.locator('.leaflet-container').count(), 0, 'no map in the list view');
  assert.equal(await cards.count(), 4);
  assert.match(await cards.first().innerText(), /Sprutor och tillbehör[\s\S]*Sprutor vid busshållplatsen/);
  await page.getByRole('link', { name: 'Visa kartan' }).click();
  await page.locator('.leaflet-container').waitFor();

  assert.deepEqual(errors, [], 'no console errors');
  await context.close();
});

test('a volunteer sees their own report exactly and the rest only aggregated', async () => {
  const { context, errors } = await phoneContext(browser);
  const page = await context.newPage();
  await signIn(page, server.baseUrl, anna);
  await page.goto(`${server.baseUrl}/karta?days=90`);
  await interactive(page);

  await page.locator('.report-pin').first().waitFor();
  assert.equal(await page.locator('.report-pin').count(), 1, 'only her own report is a marker');
  assert.equal(await page.locator('.marker-cluster').count(), 0);
  assert.match(await page.locator('.map-summary').innerText(), /Exakta platser ser bara polis och samordnare/);
  const cell = page.locator('path.map-cell');
  await cell.first().waitFor();
  assert.equal(await cell.count(), 1, "Bertil's three reports are one cell");

  await cell.first().click({ force: true });
  const details = page.locator('.map-details');
  await details.getByText('3 rapporter av alla slag den månaden.').waitFor();
  assert.match(await details.innerText(), /Rutan är sammanställd/);

  // The page never carried Bertil's positions: not in the HTML, not in the data.
  const html = await page.content();
  assert.ok(!html.includes(String(KUNGSANGEN.lat)), 'no exact position of another volunteer');

  await page.getByRole('link', { name: 'Kan du inte använda kartan? Visa som lista' }).click();
  await page.waitForURL(/visa=lista/);
  await page.locator('.report-list .card').first().waitFor();
  assert.equal(await page.locator('.report-list .card').count(), 1);
  const table = await page.locator('.cell-table').innerText();
  assert.match(table, /Utanför namngivna områden\s+3/);

  assert.deepEqual(errors, [], 'no console errors');
  await context.close();
});
