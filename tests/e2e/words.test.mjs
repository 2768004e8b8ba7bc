// Every page in every role's menu, opened as that role: plain Swedish (no file names, no
// bare statistics, no codes of categories or roles), and on a phone every control large
// enough for a thumb (44 × 44 px, WCAG 2.5.5).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { api, apiSession, joinWalk, launchBrowser, phoneContext, planWalk, signIn, startServer } from './support.mjs';

let server;
let browser;
const users = {};
const LAPTOP = { viewport: { width: 1280, height: 900 }, isMobile: false, hasTouch: false };

before(async () => {
  server = await startServer();
  browser = await launchBrowser();
  users.admin = { email: 'admin@tryggkarta.local', password: 'e2e-admin-lösenord' };
  users.coordinator = server.addUser('samordnare@ord.tryggkarta.se', 'coordinator', 'samordnarens-långa-lösenord');
  users.police = server.addUser('polis@ord.tryggkarta.se', 'police', 'polisens-långa-lösenord');
  users.volunteer = server.addUser('forare@ord.tryggkarta.se', 'volunteer', 'förarens-långa-lösenord');
  // Reports of every kind near the map's centre, so lists, hot spots and logs have rows.
  const cookie = await apiSession(server.baseUrl, users.coordinator);
  const walk = await planWalk(server.baseUrl, cookie, 'Vandring för orden');
  users.walk = walk;
  for (let i = 0; i < 12; i += 1) {
    // (A patrol observation belongs to a shift; the drivers' pages are read without one.)
    for (const [kind, category] of [['drug_scene', 'drug.dealing'], ['walk_finding', 'walk.lighting']]) {
      const stored = await api(server.baseUrl, cookie, 'POST', '/api/v1/observations', {
        id: crypto.randomUUID(), kind, category, note: '', rating: kind === 'walk_finding' ? 1 : undefined,
        walk_id: kind === 'walk_finding' ? walk.id : undefined,
        lat: 59.5 + (i % 4) * 0.0002, lng: 17.69 + Math.floor(i / 4) * 0.0002, accuracy_m: 10, position_source: 'gps',
        observed_at: new Date(Date.now() - i * 3_600_000).toISOString(),
      });
      assert.equal(stored.status, 201, JSON.stringify(stored.body));
    }
  }
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

/** Signs `role` in; a participant joins the walk by its code instead. */
async function signedIn(context, role) {
  const page = await context.newPage();
  if (role === 'participant') {
    await page.goto(`${server.baseUrl}/vandring?kod=${users.walk.join_code}`);
    await page.getByRole('button', { name: 'Gå med' }).click();
    await page.waitForURL(/\/vandring\/[0-9a-f-]+$/);
  } else {
    await signIn(page, server.baseUrl, users[role], '/konto');
  }
  return page;
}

/** Every page in the user's menu, folded under "Mer" or not. */
async function menuPages(page) {
  const hrefs = await page.locator('.mainnav a').evaluateAll((links) => links.map((a) => a.getAttribute('href')));
  return [...new Set(hrefs)];
}

const CODES = [
  [/docs\//, 'a file name'],
  [/ z = /, 'a bare z value'],
  [/p = 0[.,]0000/, 'a bare p value'],
  [/\b(?:walk|patrol|drug)\.[a-z_]+\b/, 'a category code'],
  [/\b(?:admin|coordinator|police|volunteer|participant)\b/, 'a role code'],
];

for (const role of ['admin', 'coordinator', 'police', 'volunteer', 'participant']) {
  test(`every page ${role} reaches reads in words, not codes`, async () => {
    const { context, errors } = await phoneContext(browser, LAPTOP);
    const page = await signedIn(context, role);
    const pages = await menuPages(page);
    assert.ok(pages.length >= 2, `${role} has a menu: ${pages}`);
    for (const path of pages) {
      const response = await page.goto(`${server.baseUrl}${path}`);
      assert.equal(response.status(), 200, `${role} may open ${path}`);
      await page.locator('.loading').first().waitFor({ state: 'detached' }).catch(() => {});
      // E-mail addresses are names people chose (admin@…), not codes.
      const text = (await page.locator('body').innerText()).replace(/\S+@\S+/g, '');
      for (const [pattern, what] of CODES) {
        const found = text.match(pattern);
        assert.equal(found, null, `${role} on ${path} reads ${what}: "${found?.[0]}"`);
      }
    }
    assert.deepEqual(errors, []);
    await context.close();
  });
}

test('on a phone, every control of the field pages is at least 44 × 44 px', async () => {
  for (const role of ['volunteer', 'participant']) {
    const { context } = await phoneContext(browser);
    const page = await signedIn(context, role);
    for (const path of await menuPages(page)) {
      await page.goto(`${server.baseUrl}${path}`);
      await page.locator('html[data-interactive]').waitFor({ state: 'attached' });
      const small = await page.evaluate(() => {
        const controls = document.querySelectorAll(
          'button, select, input:not([type="hidden"]), textarea, summary, nav a, a.button, .leaflet-bar a, .topbar a, .site-footer a',
        );
        return [...controls]
          .map((control) => {
            // A check box is tapped through its label.
            const target = ['checkbox', 'radio'].includes(control.type) ? control.closest('label') ?? control : control;
            const box = target.getBoundingClientRect();
            const style = getComputedStyle(target);
            // Visually hidden until focused (the skip link): 1 px, not a target.
            const shown = box.width > 1 && box.height > 1 && style.visibility !== 'hidden';
            return { shown, width: Math.round(box.width), height: Math.round(box.height), what: target.outerHTML.slice(0, 80) };
          })
          .filter((control) => control.shown && (control.width < 44 || control.height < 44));
      });
      assert.deepEqual(small, [], `${role} on ${path}: controls under 44 px`);
      // A page wider than the screen pushes the fixed bottom bar out of view.
      const [wide, screen] = await page.evaluate(() => [document.documentElement.scrollWidth, window.visualViewport.width]);
      assert.ok(wide <= Math.ceil(screen), `${role} on ${path} is ${wide} px wide on a ${screen} px screen`);
    }
    await context.close();
  }
});
