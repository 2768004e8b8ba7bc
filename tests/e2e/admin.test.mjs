// The municipality's back office in the browser, no shell: an admin records that a driver
// signed the confidentiality agreement, disables a user whose open session then ends,
// and renames a category that the forms then offer under its new name; each change is in
// the change log on the same page; and changes the map's background for everyone.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { api, apiSession, interactive, launchBrowser, phoneContext, signIn, startServer } from './support.mjs';

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

const LAPTOP = { viewport: { width: 1280, height: 900 }, isMobile: false, hasTouch: false };
const ADMIN = { email: 'admin@tryggkarta.local', password: 'e2e-admin-lösenord' };

test('an admin registers a driver, disables a user whose session ends, and renames a category', async () => {
  const driver = server.addUser('bertil@e2e.tryggkarta.se', 'volunteer', 'bertils-långa-lösenord');
  const leaving = server.addUser('cecilia@e2e.tryggkarta.se', 'police', 'cecilias-långa-lösenord');

  // Cecilia is signed in on her own phone.
  const { context: hers } = await phoneContext(browser);
  const herPage = await hers.newPage();
  await signIn(herPage, server.baseUrl, leaving, '/lagesbild');

  const { context, errors } = await phoneContext(browser, LAPTOP);
  const page = await context.newPage();
  await signIn(page, server.baseUrl, ADMIN, '/admin');
  await interactive(page);

  // The driver register: training and the signed confidentiality agreement.
  const bertil = page.locator('li.account-card', { hasText: driver.email });
  await bertil.getByText('Förarregister').click();
  await bertil.getByLabel('Utbildad (datum)').fill('2026-03-14');
  await bertil.getByLabel('Tystnadslöfte undertecknat (datum)').fill('2026-03-20');
  await bertil.getByLabel('Fordon föraren får köra, ett per rad').fill('Grannstödsbil Bro');
  await bertil.getByRole('button', { name: 'Spara i registret' }).click();
  await bertil.getByText('Tystnadslöfte: 2026-03-20').waitFor();
  const cookie = await apiSession(server.baseUrl, ADMIN);
  const { body: accounts } = await api(server.baseUrl, cookie, 'GET', '/api/v1/users');
  const stored = accounts.find((account) => account.email === driver.email);
  assert.deepEqual(stored.driver, {
    trained_on: '2026-03-14',
    vehicles: ['Grannstödsbil Bro'],
    confidentiality_signed_on: '2026-03-20',
    note: '',
  });

  // Disabling Cecilia ends the session on her phone at its next request.
  const cecilia = page.locator('li.account-card', { hasText: leaving.email });
  await cecilia.getByRole('button', { name: 'Stäng av' }).click();
  // Asked first: one tap too many must not lock someone out.
  await cecilia.getByRole('button', { name: 'Ja, stäng av' }).click();
  await cecilia.getByText('Avstängt').waitFor();
  await herPage.goto(`${server.baseUrl}/lagesbild`);
  await herPage.waitForURL(/\/logga-in/);
  await hers.close();

  // A category renamed here is what the forms offer.
  const lighting = page.locator('li.category-row[data-id="walk.lighting"]');
  await lighting.getByLabel('Svenska').fill('Belysning och mörker');
  await lighting.getByRole('button', { name: 'Byt namn' }).click();
  await page.locator('li.category-row input[value="Belysning och mörker"]').waitFor();
  const { body: categories } = await api(server.baseUrl, cookie, 'GET', '/api/v1/categories');
  assert.equal(categories.find((category) => category.id === 'walk.lighting').label_sv, 'Belysning och mörker');

  // All three in the change log, with who did them.
  await page.reload();
  const log = await page.locator('table.audit').innerText();
  for (const line of [/Förarregistret ändrat\s+bertil@e2e/, /Konto avstängt\s+cecilia@e2e/, /Kategori ändrad\s+Belysning och mörker/]) {
    assert.match(log, line);
  }
  assert.deepEqual(errors, []);
  await context.close();
});

test('an admin changes the map background and every map then uses it', async () => {
  const { context, errors } = await phoneContext(browser, LAPTOP);
  const page = await context.newPage();
  await signIn(page, server.baseUrl, ADMIN, '/admin');
  await interactive(page);

  const form = page.locator('form.map-settings');
  await form.getByLabel('Upphovsrättsrad').fill('<b>Lantmäteriet</b>');
  await form.getByRole('button', { name: 'Spara kartans inställningar' }).click();
  await form.getByRole('alert').filter({ hasText: 'utan < och >' }).waitFor();

  await form.getByLabel('Upphovsrättsrad').fill('© Upplands-Bro kommun, Lantmäteriet');
  await form.getByLabel('Zoomnivå (5–18)').fill('14');
  await form.getByRole('button', { name: 'Spara kartans inställningar' }).click();
  await form.getByRole('status').filter({ hasText: 'Sparat.' }).waitFor();

  await page.goto(`${server.baseUrl}/karta`);
  await page.locator('.leaflet-control-attribution').filter({ hasText: 'Upplands-Bro kommun, Lantmäteriet' }).waitFor();
  await page.goto(`${server.baseUrl}/admin`);
  assert.match(await page.locator('table.audit').innerText(), /Kartans inställningar ändrade/);
  // The refused attribution is the one failed request, answered 422 on purpose.
  const unexpected = errors.filter((error) => !/status of 422/.test(error));
  assert.deepEqual(unexpected, []);
  assert.equal(errors.length, 1, 'exactly the one refused save');
  await context.close();
});

test('an admin shortens how long routes driven are kept, and the change is logged', async () => {
  const { context, errors } = await phoneContext(browser, LAPTOP);
  const page = await context.newPage();
  await signIn(page, server.baseUrl, ADMIN, '/admin');
  await interactive(page);
  const form = page.locator('form.retention-settings');
  assert.equal(await form.getByLabel('Körda rutter (månader)').inputValue(), '6');
  await form.getByLabel('Körda rutter (månader)').fill('3');
  await form.getByRole('button', { name: 'Spara gallringen' }).click();
  await form.getByRole('status').filter({ hasText: 'Sparat.' }).waitFor();
  await page.reload();
  assert.equal(await page.locator('form.retention-settings').getByLabel('Körda rutter (månader)').inputValue(), '3');
  assert.match(await page.locator('table.audit').innerText(), /Gallring/);
  assert.deepEqual(errors, []);
  await context.close();
});

test('a coordinator sees only the volunteers and reporters and cannot make one an admin', async () => {
  const coordinator = server.addUser('dora@e2e.tryggkarta.se', 'coordinator', 'doras-långa-lösenord');
  server.addUser('erik@e2e.tryggkarta.se', 'volunteer', 'eriks-långa-lösenord');
  const { context, errors } = await phoneContext(browser, LAPTOP);
  const page = await context.newPage();
  await signIn(page, server.baseUrl, coordinator, '/admin');
  await interactive(page);
  const cards = page.locator('li.account-card');
  const texts = await cards.allInnerTexts();
  assert.ok(texts.length > 0);
  for (const text of texts) assert.match(text, /Grannstödsförare|Rapportör/);
  const roles = await page.locator('li.account-card select[name="role"] option').allInnerTexts();
  assert.ok(roles.includes('Grannstödsförare'), roles.join(', '));
  assert.ok(roles.every((role) => ['Grannstödsförare', 'Rapportör'].includes(role)), roles.join(', '));
  assert.equal(await page.locator('table.audit').count(), 0, 'the change log is for admins');
  assert.deepEqual(errors, []);
  await context.close();
});
