// Photos cannot exhaust the server: four of the worst pictures it accepts (48 megapixels,
// which decode to 144 MB each), uploaded at once, queue for the photo workers instead of
// adding up; the release server's peak memory stays under 400 MB. A picture claiming more
// pixels than any phone takes is refused at once.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { deflateSync, crc32 } from 'node:zlib';
import { randomUUID } from 'node:crypto';
import { startServer, apiSession, api } from '../e2e/support.mjs';

const PEAK_BUDGET_MB = 400;

let server;
let volunteer;

before(async () => {
  server = await startServer();
  volunteer = await apiSession(
    server.baseUrl,
    server.addUser('forare@foto.tryggkarta.se', 'volunteer', 'förarens-lösenord-1'),
  );
});

after(async () => {
  await server?.stop();
});

/** A real, decodable RGB PNG of `width` × `height` pixels, all black: tiny on the wire. */
function blackPng(width, height) {
  const chunk = (kind, data) => {
    const head = Buffer.alloc(4);
    head.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(kind, 'latin1'), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([head, body, crc]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8); // 8-bit RGB
  // One filter byte (0) before each row of zeros.
  const pixels = deflateSync(Buffer.alloc((width * 3 + 1) * height), { level: 9 });
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', pixels),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

async function newReport() {
  const id = randomUUID();
  const stored = await api(server.baseUrl, volunteer, 'POST', '/api/v1/observations', {
    id,
    kind: 'drug_scene',
    category: 'drug.dealing',
    note: 'Samling vid gångtunneln',
    lat: 59.5113,
    lng: 17.6358,
    accuracy_m: 10,
    position_source: 'gps',
    observed_at: new Date().toISOString(),
    time_of_day: 'evening',
  });
  assert.equal(stored.status, 201, JSON.stringify(stored.body));
  return id;
}

function upload(observation, png) {
  return fetch(`${server.baseUrl}/api/v1/observations/${observation}/photos/${randomUUID()}`, {
    method: 'PUT',
    headers: { cookie: volunteer, 'content-type': 'image/png' },
    body: png,
  });
}

function peakMegabytes() {
  const status = readFileSync(`/proc/${server.pid}/status`, 'utf8');
  return Number(status.match(/VmHWM:\s+(\d+) kB/)[1]) / 1024;
}

test('a picture claiming more pixels than a phone takes is refused at once', async () => {
  const observation = await newReport();
  const started = Date.now();
  const response = await upload(observation, blackPng(12_000, 12_000));
  const body = await response.json();
  assert.equal(response.status, 422, JSON.stringify(body));
  assert.equal(body.field, 'photo');
  assert.match(body.message, /megapixel/);
  assert.ok(Date.now() - started < 5_000, 'refused without decoding');
});

test('four of the largest accepted pictures at once stay under 400 MB', async () => {
  const png = blackPng(8_000, 6_000);
  const observations = await Promise.all([1, 2, 3, 4].map(() => newReport()));
  const started = Date.now();
  const answers = await Promise.all(observations.map((observation) => upload(observation, png)));
  for (const answer of answers) assert.ok(answer.status < 300, `${answer.status}: ${await answer.text()}`);
  const peak = peakMegabytes();
  console.log(
    `Four 48-megapixel uploads at once: ${((Date.now() - started) / 1000).toFixed(1)} s, server peak ${peak.toFixed(0)} MB (VmHWM)`,
  );
  assert.ok(peak <= PEAK_BUDGET_MB, `peak ${peak.toFixed(0)} MB > ${PEAK_BUDGET_MB} MB`);
});
