// Browser-test support: start the real `tryggkarta` binary on a fresh SQLite database
// and a random port, and launch Debian's Chromium with a phone profile.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { chromium } from 'playwright-core';

const BIN = process.env.TRYGGKARTA_BIN ?? 'target/debug/tryggkarta';

/** Where map tiles are requested from in tests; the browser context answers them. */
export const TILE_HOST = 'http://tiles.tryggkarta.test';

// A 1×1 transparent PNG, served for every tile: the network has no tile server.
const EMPTY_TILE = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=',
  'base64',
);

/** Pixel 7, as Playwright's device list describes it. */
export const PIXEL_7 = {
  viewport: { width: 412, height: 839 },
  screen: { width: 412, height: 915 },
  deviceScaleFactor: 2.625,
  isMobile: true,
  hasTouch: true,
  userAgent:
    'Mozilla/5.0 (Linux; Android 14; Pixel 7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36',
};

/** Starts the server; resolves once it has logged the address it listens on. */
export async function startServer(extraEnv = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'tryggkarta-e2e-'));
  const env = {
    ...process.env,
    DATABASE_URL: `sqlite://${join(dir, 'e2e.db')}?mode=rwc`,
    TRYGGKARTA_LISTEN: '127.0.0.1:0',
    TRYGGKARTA_ADMIN_PASSWORD: 'e2e-admin-lösenord',
    TRYGGKARTA_TILE_URL: `${TILE_HOST}/{z}/{x}/{y}.png`,
    RUST_LOG: 'info',
    ...extraEnv,
  };
  const child = spawn(BIN, ['serve'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  const baseUrl = await new Promise((resolve, reject) => {
    const onData = (chunk) => {
      log += chunk;
      const found = log.match(/lyssnar.*?address=(127\.0\.0\.1:\d+)/);
      if (found) resolve(`http://${found[1]}`);
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('exit', (code) => reject(new Error(`server exited with ${code} before listening:\n${log}`)));
  });
  return {
    baseUrl,
    env,
    /** Everything the server has logged so far. */
    log: () => log,
    /** The server's process id (for its memory in /proc). */
    pid: child.pid,
    /** Whether the process is still running. */
    alive: () => child.exitCode === null && child.signalCode === null,
    /** Adds a user through the CLI, as an administrator would (a reporter with the name
     *  of their organisation). */
    addUser(email, role, password, organisation) {
      const args = ['user', 'add', '--email', email, '--role', role];
      if (organisation) args.push('--organisation', organisation);
      const result = spawnSync(BIN, args, {
        env,
        input: `${password}\n`,
        encoding: 'utf8',
      });
      if (result.status !== 0) throw new Error(`user add failed: ${result.stderr}`);
      return { email, password };
    },
    /** Kills the process at once (SIGKILL), as a power cut or the OOM killer would; the
     *  database stays for the next server. */
    async kill() {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGKILL');
      await exited;
    },
    async stop() {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Signs in through the JSON API; returns the `Cookie` header value of the session. */
export async function apiSession(baseUrl, { email, password }) {
  const response = await fetch(`${baseUrl}/api/v1/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });
  if (!response.ok) throw new Error(`sign-in of ${email} failed: ${response.status} ${await response.text()}`);
  return cookieOf(response);
}

/** The `Cookie` header value for the cookies a response set. */
export function cookieOf(response) {
  return response.headers
    .getSetCookie()
    .map((cookie) => cookie.split(';')[0])
    .join('; ');
}

/** A JSON request with a session cookie; resolves to `{ status, body }`. */
export async function api(baseUrl, cookie, method, path, body) {
  const response = await fetch(`${baseUrl}${path}`, {
    method,
    headers: { cookie, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  let parsed;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = text;
  }
  return { status: response.status, body: parsed, response };
}

/** Plans a walk through the API as `coordinatorCookie`; resolves to the walk. */
export async function planWalk(baseUrl, coordinatorCookie, title = 'Kvällsvandring Bro centrum') {
  const planned = await api(baseUrl, coordinatorCookie, 'POST', '/api/v1/walks', {
    title,
    area: 'Bro centrum',
    starts_at: new Date(Date.now() + 3_600_000).toISOString(),
    light: 'dark',
  });
  if (planned.status !== 201) throw new Error(`planning a walk failed: ${planned.status} ${JSON.stringify(planned.body)}`);
  return planned.body;
}

/** Joins a walk by its code through the API; resolves to the participant's cookie. */
export async function joinWalk(baseUrl, walk) {
  const joined = await fetch(`${baseUrl}/api/v1/walks/join`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ code: walk.join_code }),
  });
  if (!joined.ok) throw new Error(`joining failed: ${joined.status}`);
  return cookieOf(joined);
}

export async function launchBrowser() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** A tiny tile server on a random local port, answering every tile with an empty PNG,
 *  for tools that cannot route requests themselves (Lighthouse). */
export async function startTileServer() {
  const { createServer } = await import('node:http');
  const tiles = createServer((_, response) => {
    response.writeHead(200, { 'content-type': 'image/png', 'cache-control': 'max-age=3600' });
    response.end(EMPTY_TILE);
  });
  await new Promise((resolve) => tiles.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${tiles.address().port}/{z}/{x}/{y}.png`,
    stop: () => new Promise((resolve) => tiles.close(resolve)),
  };
}

/** A phone context whose tiles come from memory and whose errors are collected. */
export async function phoneContext(browser, options = {}) {
  const context = await browser.newContext({ ...PIXEL_7, locale: 'sv-SE', ...options });
  await context.route(`${TILE_HOST}/**`, (route) =>
    route.fulfill({ status: 200, contentType: 'image/png', body: EMPTY_TILE }),
  );
  const errors = [];
  context.on('weberror', (error) => errors.push(`uncaught: ${error.error().message}`));
  context.on('console', (message) => {
    if (message.type() === 'error') errors.push(`console: ${message.text()}`);
  });
  return { context, errors };
}

export async function signIn(page, baseUrl, { email, password }, path = '/karta') {
  await page.goto(`${baseUrl}${path}`);
  await page.waitForURL(/\/logga-in/);
  await page.getByLabel('E-postadress').fill(email);
  await page.getByLabel('Lösenord').fill(password);
  await page.getByRole('button', { name: 'Logga in' }).click();
  await page.waitForURL(`${baseUrl}${path}`);
}

/** Opens a page from the main menu by its name, through "Mer" when a phone folds it
 *  there, as a user would. */
export async function fromMenu(page, name) {
  const menu = page.getByRole('navigation', { name: 'Huvudmeny' });
  const link = menu.getByRole('link', { name, exact: true });
  if ((await link.count()) === 0) await menu.getByText('Mer', { exact: true }).click();
  await link.click();
}

/** Waits until the page's WASM has hydrated it (`RequireArea` marks `<html>`). */
export async function interactive(page) {
  await page.locator('html[data-interactive]').waitFor({ state: 'attached' });
}

/** Waits until the service worker keeps `path` (a page or a file) for offline use. */
export async function keptOffline(page, path) {
  await page.waitForFunction(async (wanted) => {
    for (const name of await caches.keys()) {
      if (await (await caches.open(name)).match(wanted)) return true;
    }
    return false;
  }, path);
}

const cleanups = [];

/** Runs `cleanup` at `cleanUp()`, after the file's tests (servers to stop and the like). */
export function onCleanUp(cleanup) {
  cleanups.push(cleanup);
}

/** Drops the databases and folders `freshDatabase` made, and runs what `onCleanUp` was
 *  given; call it in `after`. */
export async function cleanUp() {
  for (const cleanup of cleanups.reverse()) await cleanup();
  cleanups.length = 0;
}

/** A fresh SQLite file, or a fresh PostgreSQL database (null when none answers and
 *  REQUIRE_POSTGRES is not set). */
export function freshDatabase(kind) {
  if (kind === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'tryggkarta-db-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    return `sqlite://${join(dir, 'test.db')}?mode=rwc`;
  }
  const admin = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@localhost/test';
  const name = `tk_node_${randomUUID().replaceAll('-', '')}`;
  const created = spawnSync('psql', ['-q', admin, '-c', `create database ${name}`], { encoding: 'utf8' });
  if (created.status !== 0) {
    if (process.env.REQUIRE_POSTGRES === '1') throw new Error(`PostgreSQL is required: ${created.stderr}`);
    console.log(`!!!!! SKIPPED: PostgreSQL does not answer (${created.stderr.trim()}) !!!!!`);
    return null;
  }
  cleanups.push(() => spawnSync('psql', ['-q', admin, '-c', `drop database if exists ${name} with (force)`]));
  return `${admin.slice(0, admin.lastIndexOf('/'))}/${name}`;
}
