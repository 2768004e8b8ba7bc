// Lägesbild at a meeting: police open the hotspot map, switch layers, change the period,
// save the picture as a meeting snapshot with a running note and print it on A4. A
// picture of the printed page is kept in test-results/ for people to look at.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { api, apiSession, launchBrowser, phoneContext, signIn, startServer } from './support.mjs';

let server;
let browser;
let police;
let admin;

before(async () => {
  server = await startServer();
  police = server.addUser('polis@e2e.tryggkarta.se', 'police', 'polisens-lösenord');
  admin = server.addUser('systemagare@e2e.tryggkarta.se', 'admin', 'adminens-lösenord');
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

const DAY = 24 * 3600 * 1000;

/** Drug-scene reports through the API, as the police's phones would send them. */
async function report(page, count, { lat, lng, daysAgo }) {
  for (let i = 0; i < count; i += 1) {
    const stored = await page.request.post(`${server.baseUrl}/api/v1/observations`, {
      data: {
        id: crypto.randomUUID(), kind: 'drug_scene', category: 'drug.dealing', note: '',
        lat: lat + (i % 4) * 0.00003, lng: lng + (i % 3) * 0.00005, accuracy_m: 10, position_source: 'gps',
        observed_at: new Date(Date.now() - daysAgo * DAY - i * 60_000).toISOString(),
      },
    });
    assert.equal(stored.status(), 201);
  }
}

function isoDate(msAgo) {
  return new Date(Date.now() - msAgo).toLocaleDateString('sv-SE', { timeZone: 'Europe/Stockholm' });
}

test('police review hotspots, save a meeting snapshot and print it', async () => {
  const { context, errors } = await phoneContext(browser, {
    viewport: { width: 1280, height: 1000 }, isMobile: false, hasTouch: false,
  });
  const page = await context.newPage();
  await signIn(page, server.baseUrl, police, '/lagesbild');
  await report(page, 12, { lat: 59.5113, lng: 17.6358, daysAgo: 1 });
  await report(page, 2, { lat: 59.4786, lng: 17.75, daysAgo: 2 });
  await report(page, 5, { lat: 59.52, lng: 17.7, daysAgo: 40 });

  await page.goto(`${server.baseUrl}/lagesbild?kind=drug_scene`);
  const map = page.locator('#situation-map[data-ready="1"]');
  await map.waitFor();
  assert.ok(Number(await map.getAttribute('data-cells')) > 0, 'the analysis has cells');
  // Every cell is on the map (a canvas: counted by the layer, not as elements).
  await page.waitForFunction(() => {
    const element = document.querySelector('#situation-map');
    return element.dataset.drawn === element.dataset.cells;
  });
  assert.match(await page.getByRole('status').first().innerText(), /14 rapporter/);
  await page.getByText('Hetpunkt, mycket tydlig').first().waitFor();

  // Layers: heat on, markers on (clustered), hexagons off and on, colour by trend.
  await page.getByLabel('Täthet (värmekarta)').check();
  await page.locator('#situation-map[data-heat="on"] canvas.leaflet-heatmap-layer').waitFor();
  await page.getByLabel('Rapporter', { exact: true }).check();
  await page.locator('#situation-map[data-markers="on"]').waitFor();
  await page.locator('#situation-map .marker-cluster').first().waitFor();
  await page.getByLabel('Hetpunkter (Gi*)').uncheck();
  await page.locator('#situation-map[data-hex="off"]').waitFor();
  await page.getByLabel('Hetpunkter (Gi*)').check();
  await page.getByLabel('Färga efter trend').check();
  await page.locator('#situation-map[data-colouring="trend"]').waitFor();

  mkdirSync('test-results', { recursive: true });
  await page.screenshot({ path: 'test-results/lagesbild.png', fullPage: true });

  // The strongest hotspot's reports.
  await page.getByRole('button', { name: 'Visa rapporter' }).first().click();
  await page.locator('#drilldown').getByText('12 rapporter i cellen').waitFor();
  // In words, not codes: the category and the plan's strategy area by name.
  const drilled = await page.locator('#drilldown').innerText();
  assert.match(drilled, /Försäljning · 10 Droghandel och öppna drogscener/);
  assert.doesNotMatch(drilled, /drug\.dealing/);

  // A longer period takes in the older reports, and the comparison follows.
  await page.getByLabel('Från', { exact: true }).fill(isoDate(60 * DAY));
  await page.getByRole('button', { name: 'Visa', exact: true }).click();
  await page.waitForURL(/from=/);
  await page.locator('#situation-map[data-ready="1"]').waitFor();
  assert.match(await page.getByRole('status').first().innerText(), /19 rapporter/);
  const total = page.locator('.comparison tr.total');
  assert.match(await total.innerText(), /19\s+0\s+\+19/);

  // Save the picture for the meeting; it opens with the same numbers.
  await page.getByLabel('Deltagande organisationer').fill('Polisen, Upplands-Bro kommun, Upplands-Brohus');
  await page.getByRole('button', { name: 'Spara mötesunderlag' }).click();
  await page.waitForURL(/\/lagesbild\/mote\/[0-9a-f-]+$/);
  await page.getByRole('heading', { name: /Lägesbildsmöte/ }).waitFor();
  await page.locator('#situation-map[data-ready="1"]').waitFor();
  assert.match(await page.locator('.comparison tr.total').innerText(), /19\s+0\s+\+19/);

  await page.getByLabel('Ny anteckning').fill('Fler kvällspatruller vid Bro centrum, fredag–lördag.');
  await page.getByRole('button', { name: 'Lägg till' }).click();
  await page.locator('.note-list').getByText('Fler kvällspatruller vid Bro centrum').waitFor();

  // A named area around Bro centrum, drawn on the printout for orientation.
  const square = [[17.630, 59.508], [17.642, 59.508], [17.642, 59.515], [17.630, 59.515], [17.630, 59.508]];
  const area = await api(server.baseUrl, await apiSession(server.baseUrl, admin), 'POST', '/api/v1/areas', {
    name: 'Bro centrum', kind: 'named', geometry: { type: 'Polygon', coordinates: [square] },
  });
  assert.equal(area.status, 201, JSON.stringify(area.body));

  await page.getByRole('link', { name: 'Utskrift (A4)' }).click();
  await page.waitForURL(/\/utskrift$/);
  await page.locator('svg.print-map').waitFor();
  assert.ok(await page.locator('svg.print-map polygon').count() > 0, 'the map prints as SVG');
  assert.equal(await page.locator('svg.print-map polygon.named').count(), 1, 'the named area is outlined');
  assert.equal(await page.locator('svg.print-map text.outline-label').textContent(), 'Bro centrum');
  await page.locator('.note-list').getByText('Fler kvällspatruller vid Bro centrum').waitFor();
  await page.emulateMedia({ media: 'print' });
  assert.equal(await page.locator('.mainnav').isVisible(), false, 'navigation is not printed');
  await page.screenshot({ path: 'test-results/lagesbild-print.png', fullPage: true });
  const pdf = await page.pdf({ preferCSSPageSize: true, printBackground: true });
  writeFileSync('test-results/lagesbild-meeting.pdf', pdf);
  const box = pdf.toString('latin1').match(/\/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]/);
  assert.ok(box && Math.abs(Number(box[1]) - 595.28) < 1 && Math.abs(Number(box[2]) - 841.89) < 1, 'A4');
  assert.deepEqual(errors, []);
  await context.close();
});

test('an administrator sees only aggregated cells of the last whole month, without reports or meetings', async () => {
  // Three more reports in Brunna, ten days before this month began: last month, where
  // the aggregated layer looks. The police's exact picture of that month says which
  // cells have three reports or more.
  const { context: policeContext } = await phoneContext(browser);
  const officer = await policeContext.newPage();
  await signIn(officer, server.baseUrl, police, '/lagesbild');
  const firstOfMonth = new Date(`${isoDate(0).slice(0, 8)}01T12:00:00Z`);
  const daysAgo = (Date.now() - firstOfMonth.getTime()) / DAY + 10;
  await report(officer, 3, { lat: 59.45, lng: 17.85, daysAgo });
  const lastDay = new Date(firstOfMonth.getTime() - DAY).toISOString().slice(0, 10);
  const exact = await (
    await officer.request.get(`${server.baseUrl}/api/v1/hotspots?from=${lastDay.slice(0, 8)}01&to=${lastDay}`)
  ).json();
  const expected = exact.cells.filter((cell) => cell.count >= 3);
  const reports = expected.reduce((sum, cell) => sum + cell.count, 0);
  assert.ok(expected.length >= 1, 'the Brunna cell at least');
  await policeContext.close();

  const { context, errors } = await phoneContext(browser);
  const page = await context.newPage();
  await signIn(page, server.baseUrl, admin, '/lagesbild');
  await page.goto(`${server.baseUrl}/lagesbild?kind=drug_scene`);
  await page.locator('#situation-map[data-ready="1"]').waitFor();
  assert.equal(
    await page.locator('#situation-map').getAttribute('data-cells'),
    String(expected.length),
    'only the cells with three or more',
  );
  assert.match(
    await page.locator('.situation p[role="status"]').innerText(),
    new RegExp(`${reports} rapporter.*minst tre rapporter`, 's'),
  );
  assert.equal(await page.getByLabel('Rapporter', { exact: true }).count(), 0, 'no markers to switch on');
  assert.equal(await page.getByLabel('Täthet (värmekarta)').count(), 0, 'no heat layer');
  assert.equal(await page.getByRole('button', { name: 'Spara mötesunderlag' }).count(), 0);
  assert.equal(await page.getByText('Starkaste hetpunkterna').count(), 0);
  const points = await page.request.get(`${server.baseUrl}/api/v1/hotspots/points`);
  assert.equal(points.status(), 403);
  assert.deepEqual(errors, []);
  await context.close();
});
