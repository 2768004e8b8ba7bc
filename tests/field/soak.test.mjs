// The server never falls over while rendering pages: every page, as every role that may
// open it, loaded many at a time against the release binary. Any answer that is not
// 2xx/3xx, any dropped connection and any panic in the server's log fails the test.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, apiSession, api, planWalk, joinWalk } from '../e2e/support.mjs';

const CONCURRENCY = 8;
const LOADS = 560;

let server;
const sessions = {};
let walk;
let meeting;

before(async () => {
  server = await startServer();
  const users = {
    admin: { email: 'admin@tryggkarta.local', password: 'e2e-admin-lösenord' },
    coordinator: server.addUser('samordnare@soak.tryggkarta.se', 'coordinator', 'samordnarens-lösenord'),
    police: server.addUser('polis@soak.tryggkarta.se', 'police', 'polisens-långa-lösenord'),
    volunteer: server.addUser('forare@soak.tryggkarta.se', 'volunteer', 'förarens-lösenord-1'),
  };
  for (const [role, user] of Object.entries(users)) sessions[role] = await apiSession(server.baseUrl, user);

  walk = await planWalk(server.baseUrl, sessions.coordinator);
  sessions.participant = await joinWalk(server.baseUrl, walk);

  const saved = await api(server.baseUrl, sessions.police, 'POST', '/api/v1/meetings', {
    held_on: new Date().toISOString().slice(0, 10),
    organisations: 'Polisen, Upplands-Bro kommun',
    query: {},
  });
  assert.equal(saved.status, 201, JSON.stringify(saved.body));
  meeting = saved.body;
});

after(async () => {
  await server?.stop();
});

/** Every page each role may open (app/src/domain/access.rs). */
function pagesOf(role) {
  const open = ['/logga-in', '/vandring', '/karta'];
  const walks = ['/vandringar', `/vandringar/${walk.id}/protokoll`, `/vandring/${walk.id}`];
  const situation = ['/lagesbild', `/lagesbild/mote/${meeting.id}`, `/lagesbild/mote/${meeting.id}/utskrift`];
  const followUp = ['/atgarder', '/strategiomraden', '/strategiomraden/4.2', '/insatser', '/grannsamverkan'];
  switch (role) {
    case 'participant':
      return [...open, `/vandring/${walk.id}`];
    case 'volunteer':
      return [...open, '/konto', ...walks, '/pass', '/rapport'];
    case 'admin':
      return [...open, '/konto', ...walks, '/lagesbild', '/admin', '/omraden'];
    case 'police':
      return [...open, '/konto', ...walks, '/pass', '/rapport', ...situation, ...followUp];
    default:
      return [...open, '/konto', ...walks, '/pass', '/rapport', ...situation, ...followUp, '/omraden', '/admin'];
  }
}

test('every page as every role, eight at a time, never fails and never panics', async () => {
  const loads = [];
  for (const role of Object.keys(sessions)) for (const path of pagesOf(role)) loads.push({ role, path });
  const queue = Array.from({ length: LOADS }, (_, i) => loads[i % loads.length]);
  const failures = [];
  let done = 0;
  const worker = async () => {
    while (queue.length > 0) {
      const { role, path } = queue.shift();
      try {
        const response = await fetch(`${server.baseUrl}${path}`, {
          headers: { cookie: sessions[role] },
          redirect: 'manual',
        });
        const body = await response.text();
        if (response.status >= 400) failures.push(`${role} ${path}: ${response.status} ${body.slice(0, 200)}`);
        else if (response.status < 300 && !body.includes('</html>')) failures.push(`${role} ${path}: page cut off`);
      } catch (error) {
        failures.push(`${role} ${path}: connection failed: ${error.cause?.code ?? error.message}`);
      }
      done += 1;
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  assert.equal(done, LOADS);
  assert.deepEqual(failures, [], `${failures.length} of ${LOADS} loads failed`);
  assert.ok(server.alive(), 'the server is still running');
  const panics = server
    .log()
    .split('\n')
    .filter((line) => /panicked|SendWrapper|Accessing map from a different thread/.test(line));
  assert.deepEqual(panics, [], 'no panic in the server log');
});
