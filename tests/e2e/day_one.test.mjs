// Day one in a municipality, each role by clicks from the start page, never typing an
// address: the admin hands out an account, its holder must choose a password first, then
// draws an area, plans a walk in it, prints the invitation, turns a finding into an action
// and follows it up twice (the status stays); police open Att göra, Lägesbild, an
// intervention's effect and Grannsamverkan; a volunteer reaches Pass and Rapport; a
// participant finds the way back to their walk.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  api,
  apiSession,
  fromMenu,
  interactive,
  joinWalk,
  launchBrowser,
  phoneContext,
  planWalk,
  startServer,
} from './support.mjs';

let server;
let browser;
const ADMIN = { email: 'admin@tryggkarta.local', password: 'e2e-admin-lösenord' };
const LAPTOP = { viewport: { width: 1280, height: 900 }, isMobile: false, hasTouch: false };

before(async () => {
  server = await startServer();
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

/** Signs in from the site's own address, as someone handed only the address would, and
 *  waits for the start page the server chose. */
async function signInAtStart(page, { email, password }) {
  await page.goto(server.baseUrl);
  await page.waitForURL(/\/logga-in/);
  await page.getByLabel('E-postadress').fill(email);
  await page.getByLabel('Lösenord').fill(password);
  await page.getByRole('button', { name: 'Logga in' }).click();
  await page.waitForURL((url) => !url.pathname.startsWith('/logga-in'));
}

/** A date `days` from today, as an `<input type="date">` takes it. */
function inDays(days) {
  return new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
}

test('an admin hands out an account whose holder chooses a password, then closes the loop by clicks', async () => {
  const { context: adminContext, errors: adminErrors } = await phoneContext(browser, LAPTOP);
  const admin = await adminContext.newPage();
  await signInAtStart(admin, ADMIN);
  await fromMenu(admin, 'Administration');
  await interactive(admin);
  const email = 'ny.samordnare@day-one.tryggkarta.se';
  const newAccount = admin.locator('details.plan').filter({ hasText: 'Nytt konto' });
  if ((await newAccount.getAttribute('open')) === null) await newAccount.getByText('Nytt konto').click();
  await newAccount.getByLabel('E-postadress').fill(email);
  await newAccount.getByLabel('Namn').fill('Nora Samordnare');
  await newAccount.getByLabel('Roll').selectOption({ label: 'Samordnare' });
  await newAccount.getByRole('button', { name: 'Skapa konto' }).click();
  const shown = admin.locator('.shown-once').filter({ hasText: email });
  await shown.waitFor();
  // The new account is listed, and the password is still there to be read.
  await admin.locator('.account-card').filter({ hasText: email }).waitFor();
  assert.ok(await shown.isVisible(), 'the one-time password stays until dismissed');
  const oneTime = (await shown.locator('code.password').innerText()).trim();
  assert.match(oneTime, /^\S{20}$/);
  assert.ok(await shown.getByRole('button', { name: 'Skriv ut lapp' }).isVisible());
  await shown.getByRole('button', { name: 'Klar, dölj lösenordet' }).click();
  await shown.waitFor({ state: 'detached' });

  // Disabling asks first; cancelling keeps the account as it was.
  const card = admin.locator('.account-card').filter({ hasText: email });
  await card.getByRole('button', { name: 'Stäng av' }).click();
  await card.getByRole('alertdialog').getByText('Stänga av kontot för Nora Samordnare?').waitFor();
  await card.getByRole('button', { name: 'Avbryt' }).click();
  assert.doesNotMatch(await card.innerText(), /Avstängt/);
  assert.deepEqual(adminErrors, []);
  await adminContext.close();

  // The first sign-in leads to "Mitt konto" and nowhere else until a password is chosen.
  const { context, errors } = await phoneContext(browser, LAPTOP);
  const page = await context.newPage();
  await signInAtStart(page, { email, password: oneTime });
  await page.waitForURL(/\/konto\?losenord=krav/);
  await page.getByText('Du loggade in med ett engångslösenord.').waitFor();
  assert.equal(await page.getByRole('navigation', { name: 'Huvudmeny' }).count(), 0, 'no menu before a password is chosen');
  const choose = async (password) => {
    await page.locator('input[name="current_password"]').fill(oneTime);
    await page.locator('input[name="new_password"]').fill(password);
    await page.locator('input[name="repeat_password"]').fill(password);
    await page.getByRole('button', { name: 'Byt lösenord' }).click();
  };
  await choose('Sommar2026!!');
  await page.getByRole('alert').filter({ hasText: 'Sommar2026!!' }).waitFor();
  await choose('kaffe utan mjölk vid Ekhammars gamla kvarn');
  await page.waitForURL(/\/konto\?klart=1/);

  // Now the whole app: Att göra first, then the areas, the walks and the actions.
  await fromMenu(page, 'Att göra');
  await page.getByRole('heading', { name: 'Att göra' }).waitFor();
  await page.getByText('Ingen vandring är planerad den närmaste månaden').waitFor();

  await fromMenu(page, 'Områden');
  const map = page.locator('.areas-map.leaflet-container');
  await map.waitFor();
  await map.scrollIntoViewIfNeeded();
  const box = await map.boundingBox();
  for (const [dx, dy] of [[-120, -120], [120, -120], [120, 120], [-120, 120]]) {
    await page.mouse.click(box.x + box.width / 2 + dx, box.y + box.height / 2 + dy);
  }
  await page.getByText('4 hörn utsatta.').waitFor();
  await page.getByLabel('Namn', { exact: true }).fill('Ekhammar');
  await page.getByRole('button', { name: 'Spara området' }).click();
  await page.getByText('Sparat: Ekhammar').waitFor();

  await fromMenu(page, 'Vandringar');
  await page.getByText('Planera en vandring').click();
  await page.getByLabel('Titel').fill('Kvällsvandring Ekhammar');
  await page.getByLabel('Område').selectOption('Ekhammar');
  // The route is drawn on the map, among the drawn areas.
  const routeMap = page.locator('.route-draw .areas-map.leaflet-container');
  await routeMap.waitFor();
  await routeMap.scrollIntoViewIfNeeded();
  const routeBox = await routeMap.boundingBox();
  for (const [dx, dy] of [[-60, 40], [0, -20], [60, 30]]) {
    await page.mouse.click(routeBox.x + routeBox.width / 2 + dx, routeBox.y + routeBox.height / 2 + dy);
  }
  await page.getByText('3 punkter utsatta').waitFor();
  const tomorrow = new Date(Date.now() + 86_400_000);
  await page.getByLabel('Datum och tid').fill(`${tomorrow.toISOString().slice(0, 10)}T19:00`);
  await page.getByRole('button', { name: 'Planera', exact: true }).click();
  const walkItem = page.locator('.walk-item').filter({ hasText: 'Kvällsvandring Ekhammar' });
  await walkItem.waitFor();
  await walkItem.getByRole('link', { name: 'Inbjudan' }).click();
  await page.waitForURL(/\/vandringar\/[0-9a-f-]+\/inbjudan$/);
  await page.getByRole('heading', { name: 'Kvällsvandring Ekhammar' }).waitFor();
  await page.getByRole('button', { name: /Skriv ut/ }).waitFor();

  // A finding on the walk (pinned by a participant), turned into an action.
  const walkId = page.url().match(/vandringar\/([0-9a-f-]+)\//)[1];
  const coordinator = await apiSession(server.baseUrl, { email, password: 'kaffe utan mjölk vid Ekhammars gamla kvarn' });
  const walk = (await api(server.baseUrl, coordinator, 'GET', `/api/v1/walks/${walkId}`)).body;
  assert.equal(walk.route_path.length, 3, 'the drawn route is kept with the walk');
  const participant = await joinWalk(server.baseUrl, walk);
  const pinned = await api(server.baseUrl, participant, 'POST', '/api/v1/observations', {
    id: crypto.randomUUID(), kind: 'walk_finding', category: 'walk.lighting', rating: 1,
    note: 'Mörkt vid gångtunneln', lat: 59.5, lng: 17.69, accuracy_m: 8, position_source: 'gps',
    observed_at: new Date().toISOString(), walk_id: walkId,
  });
  assert.equal(pinned.status, 201, JSON.stringify(pinned.body));
  await fromMenu(page, 'Vandringar');
  await walkItem.getByRole('link', { name: 'Protokoll' }).click();
  const finding = page.locator('table.findings tbody tr').first();
  await finding.getByText('Ny åtgärd').click();
  await finding.getByLabel('Vad ska göras?').fill('Belysning i gångtunneln');
  await finding.getByLabel('Ansvarig part').fill('Upplands-Bro kommun');
  await finding.getByLabel('Ägare hos parten').fill('Gatu- och parkavdelningen');
  await finding.getByLabel('Sista dag').fill(inDays(14));
  await finding.getByRole('button', { name: 'Spara åtgärden' }).click();
  await finding.getByText('Sparad åtgärd: Belysning i gångtunneln').waitFor();
  await finding.locator('.action-line').filter({ hasText: 'Belysning i gångtunneln' }).waitFor();

  // Two follow-ups: the first moves the status on, the second is a note and keeps it.
  await fromMenu(page, 'Åtgärder');
  const item = page.locator('.action-list li').filter({ hasText: 'Belysning i gångtunneln' });
  await item.getByText('Följ upp').click();
  await item.getByLabel('Status', { exact: true }).selectOption('in_progress');
  await item.getByLabel('Uppföljning').fill('Beställd hos elfirman.');
  await item.getByRole('button', { name: 'Spara' }).click();
  await item.getByText('Uppföljningen är sparad.').waitFor();
  await item.locator('.action-line .status').filter({ hasText: 'Pågår' }).waitFor();
  assert.equal(await item.getByLabel('Status', { exact: true }).inputValue(), 'in_progress', 'the form starts at the new status');
  await item.getByLabel('Uppföljning').fill('Elfirman kommer på torsdag.');
  // Typing clears the last confirmation; the next one is this save's.
  await item.getByText('Uppföljningen är sparad.').waitFor({ state: 'hidden' });
  await item.getByRole('button', { name: 'Spara' }).click();
  await item.getByText('Uppföljningen är sparad.').waitFor();
  const [action] = (await api(server.baseUrl, coordinator, 'GET', '/api/v1/actions')).body;
  const stored = (await api(server.baseUrl, coordinator, 'GET', `/api/v1/actions/${action.id}`)).body;
  assert.deepEqual(
    stored.log.map((entry) => entry.note).filter((note) => note.startsWith('Elfirman') || note.startsWith('Beställd')),
    ['Beställd hos elfirman.', 'Elfirman kommer på torsdag.'],
  );
  assert.equal(stored.status, 'in_progress', 'a note alone keeps the status');
  assert.ok(await item.locator('.action-line .status').filter({ hasText: 'Pågår' }).isVisible());
  assert.deepEqual(errors, []);
  await context.close();
});

test('police find their work from Att göra and the menu', async () => {
  const officer = server.addUser('polis@day-one.tryggkarta.se', 'police', 'polisens-långa-lösenord');
  const planner = server.addUser('planerare@day-one.tryggkarta.se', 'coordinator', 'planerarens-långa-lösenord');
  const cookie = await apiSession(server.baseUrl, planner);
  const intervention = await api(server.baseUrl, cookie, 'POST', '/api/v1/interventions', {
    id: crypto.randomUUID(), title: 'Ökad närvaro vid stationen', strategy_area: '4.1',
    starts_on: inDays(-30), ends_on: inDays(-1), zone: { shape: 'circle', lat: 59.5, lng: 17.69, radius_m: 300 },
  });
  assert.equal(intervention.status, 201, JSON.stringify(intervention.body));
  const report = await api(server.baseUrl, cookie, 'POST', '/api/v1/observations', {
    id: crypto.randomUUID(), kind: 'drug_scene', category: 'drug.dealing', note: '',
    lat: 59.5, lng: 17.69, accuracy_m: 10, position_source: 'gps', observed_at: new Date().toISOString(),
  });
  assert.equal(report.status, 201, JSON.stringify(report.body));

  const { context, errors } = await phoneContext(browser);
  const page = await context.newPage();
  await signInAtStart(page, officer);
  assert.equal(new URL(page.url()).pathname, '/att-gora', 'police start at Att göra');
  await page.getByRole('heading', { name: 'Att göra' }).waitFor();
  // The drug-scene report made above waits for someone to handle it.
  await page.getByRole('link', { name: /^\d+ nya? rapport(er)?$/ }).waitFor();
  await fromMenu(page, 'Lägesbild');
  await page.locator('#situation-map').waitFor();
  await fromMenu(page, 'Insatser');
  await page.getByRole('link', { name: 'Ökad närvaro vid stationen' }).click();
  await page.waitForURL(/\/insatser\/[0-9a-f-]+$/);
  await page.locator('.verdict').waitFor();
  await fromMenu(page, 'Grannsamverkan');
  await page.getByRole('heading', { name: 'Grannsamverkan' }).waitFor();
  assert.deepEqual(errors, []);
  await context.close();
});

test('a volunteer reaches Pass and Rapport, and a participant finds the way back to their walk', async () => {
  const driver = server.addUser('forare@day-one.tryggkarta.se', 'volunteer', 'förarens-långa-lösenord');
  const { context, errors } = await phoneContext(browser);
  const page = await context.newPage();
  await signInAtStart(page, driver);
  assert.equal(new URL(page.url()).pathname, '/karta');
  await fromMenu(page, 'Pass');
  await page.getByRole('button', { name: 'Starta passet' }).waitFor();
  await fromMenu(page, 'Rapport');
  await page.waitForURL(`${server.baseUrl}/rapport`);
  await context.close();

  const planner = await apiSession(server.baseUrl, server.addUser('vandring@day-one.tryggkarta.se', 'coordinator', 'vandringens-långa-lösenord'));
  const walk = await planWalk(server.baseUrl, planner, 'Vandring i Brunna');
  const { context: phone, errors: phoneErrors } = await phoneContext(browser);
  const participant = await phone.newPage();
  await participant.goto(`${server.baseUrl}/vandring?kod=${walk.join_code}`);
  await participant.getByRole('button', { name: 'Gå med' }).click();
  await participant.waitForURL(`${server.baseUrl}/vandring/${walk.id}`);
  await fromMenu(participant, 'Karta');
  await participant.waitForURL(`${server.baseUrl}/karta`);
  await fromMenu(participant, 'Min vandring');
  await participant.waitForURL(`${server.baseUrl}/vandring/${walk.id}`);
  await participant.getByRole('heading', { name: 'Vandring i Brunna' }).waitFor();
  assert.equal(await participant.locator('.join-code').count(), 0, 'a participant is not shown the join code');
  assert.deepEqual([...errors, ...phoneErrors], []);
  await phone.close();
});

test('a disabled account hears that it is disabled, but only with the right password', async () => {
  const user = server.addUser('avstangd@day-one.tryggkarta.se', 'volunteer', 'den-avstängdas-lösenord');
  const admin = await apiSession(server.baseUrl, ADMIN);
  const accounts = await api(server.baseUrl, admin, 'GET', '/api/v1/users');
  const id = accounts.body.find((account) => account.email === user.email).id;
  const disabled = await api(server.baseUrl, admin, 'PATCH', `/api/v1/users/${id}`, { disabled: true });
  assert.equal(disabled.status, 200, JSON.stringify(disabled.body));

  const { context } = await phoneContext(browser);
  const page = await context.newPage();
  const tryToSignIn = async (password) => {
    await page.goto(server.baseUrl);
    await page.waitForURL(/\/logga-in/);
    await page.getByLabel('E-postadress').fill(user.email);
    await page.getByLabel('Lösenord').fill(password);
    await page.getByRole('button', { name: 'Logga in' }).click();
  };
  await tryToSignIn('fel-lösenord-helt-och-hållet');
  await page.getByRole('alert').filter({ hasText: 'Fel e-postadress eller lösenord' }).waitFor();
  await tryToSignIn(user.password);
  await page.getByRole('alert').filter({ hasText: 'Kontot är avstängt' }).waitFor();
  assert.match(new URL(page.url()).pathname, /^\/logga-in/, 'a disabled account stays outside');
  await context.close();
});
