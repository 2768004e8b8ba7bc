// A resident on a safety walk cannot reach a drug-scene report: not the report page,
// not the report itself by its address, and it is not among what their phone can list.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { launchBrowser, phoneContext, startServer } from './support.mjs';

let server;
let browser;

before(async () => {
  server = await startServer();
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

test('a participant cannot open a restricted drug-scene report', async () => {
  const police = server.addUser('polis@e2e.tryggkarta.se', 'police', 'polisens-långa-lösenord');
  const coordinator = server.addUser('samordnare@e2e.tryggkarta.se', 'coordinator', 'samordnarens-lösenord');
  const staff = await browser.newContext();
  const signIn = (who) => staff.request.post(`${server.baseUrl}/api/v1/session`, { data: { email: who.email, password: who.password } });
  await signIn(police);
  const report = {
    id: crypto.randomUUID(),
    kind: 'drug_scene',
    category: 'drug.dealing',
    note: 'Försäljning bakom centrumhuset',
    lat: 59.5113,
    lng: 17.6358,
    accuracy_m: 10,
    position_source: 'gps',
    observed_at: new Date().toISOString(),
  };
  assert.equal((await staff.request.post(`${server.baseUrl}/api/v1/observations`, { data: report })).status(), 201);
  await signIn(coordinator);
  const walk = await (
    await staff.request.post(`${server.baseUrl}/api/v1/walks`, {
      data: { title: 'Dagvandring', area: 'Bro', starts_at: new Date().toISOString(), light: 'daylight' },
    })
  ).json();

  const { context, errors } = await phoneContext(browser);
  const page = await context.newPage();
  await page.goto(`${server.baseUrl}/vandring?kod=${walk.join_code}`);
  await page.getByRole('button', { name: 'Gå med' }).click();
  await page.waitForURL(`${server.baseUrl}/vandring/${walk.id}`);

  const reportPage = await page.goto(`${server.baseUrl}/rapport`);
  assert.equal(reportPage.status(), 403);
  await page.getByRole('heading', { name: 'Ingen behörighet' }).waitFor();
  assert.equal(await page.getByRole('button', { name: 'Skicka rapport' }).count(), 0);

  const direct = await page.goto(`${server.baseUrl}/api/v1/observations/${report.id}`);
  assert.equal(direct.status(), 404);
  const body = await page.locator('body').innerText();
  assert.ok(!body.includes('centrumhuset') && !body.includes('59.5113'), 'nothing of the report shows');

  const listed = await page.evaluate(async () => (await fetch('/api/v1/observations')).json());
  assert.deepEqual(listed, []);
  assert.equal(
    (await context.request.get(`${server.baseUrl}/api/v1/photos/${report.id}`)).status(),
    404,
  );
  // The 403/404 pages above are logged by Chromium as failed loads; nothing else may be.
  assert.deepEqual(errors.filter((e) => !/status of 40[34]/.test(e)), []);
  await context.close();
  await staff.close();
});
