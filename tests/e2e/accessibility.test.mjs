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
  await page.locator('.capture-map.leaflet-container .leaflet-control-attribution a').first().waitFor();
  assert.deepEqual(await violations(page), [], 'capture page with the map');
  await context.close();

  const { context: officerContext } = await phoneContext(browser, {
    viewport: { width: 1280, height: 900 }, isMobile: false, hasTouch: false,
  });
  const officer = await officerContext.newPage();
  await signIn(officer, server.baseUrl, police, `/lagesbild/mote/${meeting.id}`);
  assert.deepEqual(await violations(officer), [], 'meeting page');
  await officerContext.close();
});
