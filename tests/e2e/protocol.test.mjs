// The coordinator closes a walk and prints its protocol on A4: the map, every finding
// with its rating and note, and photo thumbnails. A picture of the printed page is kept
// in test-results/ for people to look at.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { launchBrowser, phoneContext, signIn, startServer } from './support.mjs';

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

// A 2×2 red PNG, standing in for a phone photo.
const PHOTO = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAIAAAD91JpzAAAAFklEQVR4nGP8z8DAwMDAxMDAwMDAAAANHQEDasKb6QAAAABJRU5ErkJggg==',
  'base64',
);

test('the walk protocol prints on A4 with every finding', async () => {
  const { context, errors } = await phoneContext(browser, { viewport: { width: 1024, height: 1200 }, isMobile: false, hasTouch: false });
  const page = await context.newPage();
  await signIn(page, server.baseUrl, coordinator, '/vandringar');

  await page.getByText('Planera en vandring').click();
  await page.getByLabel('Titel').fill('Kvällsvandring Kungsängen');
  await page.getByLabel('Område').fill('Kungsängens centrum');
  await page.getByLabel('Datum och tid').fill('2026-11-20T18:30');
  // A second, impatient tap must not plan the walk twice. Both taps land before the
  // page can react to the first: once the walk is planned the list redraws and the
  // form is gone, so a second tap sent later could find nothing to press.
  const plan = page.getByRole('button', { name: 'Planera', exact: true });
  await plan.waitFor();
  await plan.evaluate((button) => { button.click(); button.click(); });
  await page.getByRole('heading', { name: 'Kvällsvandring Kungsängen' }).waitFor();
  assert.equal(await page.getByLabel('Titel').inputValue(), '', 'the form is empty once the walk is planned');
  const planned = await page.evaluate(async () => (await fetch('/api/v1/walks')).json());
  assert.equal(planned.filter((w) => w.title === 'Kvällsvandring Kungsängen').length, 1, 'planned once');

  const walks = await (await page.request.get(`${server.baseUrl}/api/v1/walks`)).json();
  const walk = walks.find((w) => w.title === 'Kvällsvandring Kungsängen');
  assert.equal(walk.closed, false);
  const findings = [
    { category: 'walk.lighting', rating: 0, note: 'Gångtunneln under järnvägen är helt mörk' },
    { category: 'walk.hiding', rating: 1, note: 'Höga buskar vid cykelparkeringen' },
  ];
  for (const [i, finding] of findings.entries()) {
    const id = crypto.randomUUID();
    const stored = await page.request.post(`${server.baseUrl}/api/v1/observations`, {
      data: {
        id, kind: 'walk_finding', ...finding, lat: 59.4786 + i * 0.001, lng: 17.75, accuracy_m: 8,
        position_source: 'gps', observed_at: new Date().toISOString(), walk_id: walk.id,
      },
    });
    assert.equal(stored.status(), 201);
    if (i === 0) {
      const photo = await page.request.put(`${server.baseUrl}/api/v1/observations/${id}/photos/${crypto.randomUUID()}`, {
        headers: { 'content-type': 'image/png' },
        data: PHOTO,
      });
      assert.equal(photo.status(), 201);
    }
  }
  await page.getByRole('button', { name: 'Avsluta vandringen' }).click();
  await page.getByText('avslutad').waitFor();

  await page.getByRole('link', { name: 'Protokoll' }).click();
  await page.waitForURL(`${server.baseUrl}/vandringar/${walk.id}/protokoll`);
  await page.locator('.protocol .leaflet-container').waitFor();
  // The table comes with the findings' actions, a request of its own after the map.
  const rows = page.locator('table.findings tbody tr');
  await rows.first().waitFor();
  assert.equal(await rows.count(), 2);
  assert.match(await rows.nth(0).innerText(), /Belysning[\s\S]*0\/3[\s\S]*Gångtunneln/);
  await page.locator('table.findings img').first().evaluate((img) => img.decode());

  await page.emulateMedia({ media: 'print' });
  assert.equal(await page.locator('.mainnav').isVisible(), false, 'navigation is not printed');
  assert.equal(await page.getByRole('button', { name: 'Skriv ut' }).isVisible(), false);
  mkdirSync('test-results', { recursive: true });
  await page.screenshot({ path: 'test-results/walk-protocol-print.png', fullPage: true });
  const pdf = await page.pdf({ preferCSSPageSize: true, printBackground: true });
  writeFileSync('test-results/walk-protocol.pdf', pdf);
  // A4 is 595.28 × 841.89 points.
  const box = pdf.toString('latin1').match(/\/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]/);
  assert.ok(box, 'the PDF has a page size');
  assert.ok(Math.abs(Number(box[1]) - 595.28) < 1 && Math.abs(Number(box[2]) - 841.89) < 1, `page is A4: ${box[0]}`);
  assert.deepEqual(errors, []);
  await context.close();
});
