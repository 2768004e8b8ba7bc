// Lighthouse 12.2.3, mobile preset (simulated slow 4G and a 4× slower CPU), on the three
// pages people open in the field: joining a walk, a walk's capture page, the shift page.
// Fails when performance drops below 90, or accessibility or best practices below 95 (the
// median of three runs when the first falls short).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, startTileServer, apiSession, planWalk, joinWalk } from '../e2e/support.mjs';

const MINIMUM = { performance: 0.9, accessibility: 0.95, 'best-practices': 0.95 };

let server;
let tiles;
let dir;
const cookies = {};
let walk;

before(async () => {
  tiles = await startTileServer();
  server = await startServer({ TRYGGKARTA_TILE_URL: tiles.url });
  dir = mkdtempSync(join(tmpdir(), 'tryggkarta-lighthouse-'));
  const coordinator = await apiSession(
    server.baseUrl,
    server.addUser('samordnare@lh.tryggkarta.se', 'coordinator', 'samordnarens-lösenord'),
  );
  cookies.volunteer = await apiSession(
    server.baseUrl,
    server.addUser('forare@lh.tryggkarta.se', 'volunteer', 'förarens-lösenord-1'),
  );
  walk = await planWalk(server.baseUrl, coordinator);
  cookies.participant = await joinWalk(server.baseUrl, walk);
});

after(async () => {
  await server?.stop();
  await tiles?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** Runs Lighthouse on one page; returns the category scores (0–1). */
function lighthouse(path, cookie) {
  const output = join(dir, `${path.replaceAll('/', '_')}.json`);
  const args = [
    `${server.baseUrl}${path}`,
    '--quiet',
    '--output=json',
    `--output-path=${output}`,
    '--only-categories=performance,accessibility,best-practices',
    '--chrome-flags=--headless --no-sandbox --disable-gpu',
  ];
  if (cookie) args.push(`--extra-headers=${JSON.stringify({ Cookie: cookie })}`);
  const run = spawnSync('node_modules/.bin/lighthouse', args, {
    env: { ...process.env, CHROME_PATH: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium' },
    encoding: 'utf8',
    timeout: 180_000,
  });
  assert.equal(run.status, 0, `lighthouse failed on ${path}: ${run.stderr}`);
  const report = JSON.parse(readFileSync(output, 'utf8'));
  const scores = Object.fromEntries(Object.entries(report.categories).map(([key, value]) => [key, value.score]));
  const failing = Object.values(report.audits)
    .filter((audit) => audit.score !== null && audit.score < 0.9 && audit.scoreDisplayMode !== 'informative')
    .map((audit) => `${audit.id} (${audit.displayValue ?? audit.score})`);
  console.log(`Lighthouse ${path}: ${JSON.stringify(scores)}; LCP ${report.audits['largest-contentful-paint'].displayValue}; weak: ${failing.join(', ')}`);
  return { scores, failing };
}

for (const [name, path, role] of [
  ['the join page', () => '/vandring', null],
  ["a walk's capture page", () => `/vandring/${walk.id}`, 'participant'],
  ['the shift page', () => '/pass', 'volunteer'],
]) {
  test(`Lighthouse on ${name} meets the minimum scores`, () => {
    // One run is noisy on a shared 2-core machine (a busy moment costs a tenth of the
    // performance score); when a run falls short, two more are made and the median of the
    // three counts, as Lighthouse's own guidance on variability advises.
    const runs = [lighthouse(path(), role && cookies[role])];
    if (!meetsMinimum(runs[0].scores)) {
      runs.push(lighthouse(path(), role && cookies[role]), lighthouse(path(), role && cookies[role]));
    }
    const scores = Object.fromEntries(
      Object.keys(MINIMUM).map((category) => [category, median(runs.map((run) => run.scores[category]))]),
    );
    const failing = [...new Set(runs.flatMap((run) => run.failing))];
    for (const [category, minimum] of Object.entries(MINIMUM)) {
      assert.ok(
        scores[category] >= minimum,
        `${category} ${scores[category]} < ${minimum} (median of ${runs.length}); weak audits: ${failing.join(', ')}`,
      );
    }
  });
}

function meetsMinimum(scores) {
  return Object.entries(MINIMUM).every(([category, minimum]) => scores[category] >= minimum);
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}
