// axe-core on the pages people use in the field and at meetings, as the roles that use
// them: no WCAG 2.1 A/AA violation (labels, contrast, links told apart from text…).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import AxeBuilder from '@axe-core/playwright';
import { api, apiSession, launchBrowser, phoneContext, planWalk, signIn, startServer } from './support.mjs';

let server;
let browser;
let police;
let walk;
let meeting;

before(async () => {
  server = await startServer();
  browser = await launchBrowser();
  police = server.addUser('polis@axe.tryggkarta.se', 'police', 'polisens-lösenord');
  const cookie = await apiSession(server.baseUrl, police);
  const coordinator = await apiSession(
    server.baseUrl,
    server.addUser('samordnare@axe.tryggkarta.se', 'coordinator', 'samordnarens-lösenord'),
  );
  walk = await planWalk(server.baseUrl, coordinator, 'Kvällsvandring Råby');
  meeting = (
    await api(server.baseUrl, cookie, 'POST', '/api/v1/meetings', {
      held_on: new Date().toISOString().slice(0, 10),
      organisations: 'Polisen, Upplands-Bro kommun',
      query: {},
    })
  ).body;
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

async function violations(page) {
  const result = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  return result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

test('the join page, a capture page with its map, and the meeting page have no axe violations', async () => {
  const { context } = await phoneContext(browser);
  const page = await context.newPage();
  await page.goto(`${server.baseUrl}/vandring`);
  assert.deepEqual(await violations(page), [], '/vandring');

  await page.getByLabel(/Kod/).first().fill(walk.join_code);
  await page.getByRole('button', { name: 'Gå med' }).click();
  await page.waitForURL(`${server.baseUrl}/vandring/${walk.id}`);
  const attribution = page.locator('.capture-map.leaflet-container .leaflet-control-attribution a').first();
  await attribution.waitFor();
  // Told apart from the text around it by more than colour (leaflet.css removes the line).
  assert.match(await attribution.evaluate((link) => getComputedStyle(link).textDecorationLine), /underline/);
  assert.deepEqual(await violations(page), [], 'capture page with the map');
  await context.close();

  const { context: officerContext } = await phoneContext(browser, {
    viewport: { width: 1280, height: 900 }, isMobile: false, hasTouch: false,
  });
  const officer = await officerContext.newPage();
  await signIn(officer, server.baseUrl, police, `/lagesbild/mote/${meeting.id}`);
  // Checked with its map drawn: the attribution's links are part of the page.
  await officer.locator('.situation-map.leaflet-container .leaflet-control-attribution a').first().waitFor();
  assert.deepEqual(await violations(officer), [], 'meeting page');
  await officerContext.close();
});

test('the follow-up pages a coordinator keeps (grannsamverkan, a strategy area with its focus problems) have no axe violations', async () => {
  const coordinator = server.addUser('samordnare2@axe.tryggkarta.se', 'coordinator', 'samordnarens-lösenord-2');
  const { context } = await phoneContext(browser, {
    viewport: { width: 1280, height: 900 }, isMobile: false, hasTouch: false,
  });
  const page = await context.newPage();
  await signIn(page, server.baseUrl, coordinator, '/grannsamverkan');
  await page.getByRole('heading', { name: 'Grannsamverkan', level: 1 }).waitFor();
  // With no watch area yet, the form to add one is open.
  await page.getByLabel(/Kontaktpersoner, en per rad/).waitFor();
  assert.deepEqual(await violations(page), [], '/grannsamverkan');
  await page.goto(`${server.baseUrl}/strategiomraden/10`);
  await page.getByText('Nytt fokusproblem').click();
  assert.deepEqual(await violations(page), [], '/strategiomraden/10');
  await context.close();
});

test('the administration with its open forms, and the accessibility statement, have no axe violations', async () => {
  server.addUser('forare@axe.tryggkarta.se', 'volunteer', 'förarens-lösenord');
  const { context } = await phoneContext(browser, {
    viewport: { width: 1280, height: 900 }, isMobile: false, hasTouch: false,
  });
  const page = await context.newPage();
  await signIn(page, server.baseUrl, { email: 'admin@tryggkarta.local', password: 'e2e-admin-lösenord' }, '/admin');
  await page.getByRole('heading', { name: 'Administration', level: 1 }).waitFor();
  await page.getByText('Nytt konto').click();
  await page.locator('li.account-card', { hasText: 'forare@axe' }).getByText('Förarregister').click();
  assert.deepEqual(await violations(page), [], '/admin');
  await page.getByRole('link', { name: 'Tillgänglighet för Tryggkarta' }).click();
  await page.getByRole('heading', { name: 'Tillgänglighet för Tryggkarta', level: 1 }).waitFor();
  assert.deepEqual(await violations(page), [], '/tillganglighet');
  await context.close();
});

test('Karta, its details panel and its list view have no axe violations', async () => {
  const cookie = await apiSession(server.baseUrl, police);
  const stored = await api(server.baseUrl, cookie, 'POST', '/api/v1/observations', {
    id: crypto.randomUUID(), kind: 'drug_scene', category: 'drug.use', note: 'Vid gångtunneln',
    lat: 59.5113, lng: 17.6358, accuracy_m: 10, position_source: 'gps', observed_at: new Date().toISOString(),
  });
  assert.equal(stored.status, 201);
  const { context } = await phoneContext(browser);
  const page = await context.newPage();
  await signIn(page, server.baseUrl, police);
  await page.getByTitle('Användning').click();
  await page.locator('.map-details h2').waitFor();
  assert.deepEqual(await violations(page), [], '/karta with details open');
  await page.getByRole('link', { name: 'Kan du inte använda kartan? Visa som lista' }).click();
  await page.locator('.report-list .card').first().waitFor();
  assert.deepEqual(await violations(page), [], '/karta as a list');
  await context.close();
});
