// Fault proofs against the release binary (issue 11), after how ODK Central and
// KoBoToolbox promise no lost and no duplicated submissions:
//  - the server killed (SIGKILL) in the middle of a stream of reports: after a restart,
//    every report it had acknowledged is there exactly once, and the phones' resends of
//    everything they sent store each report once;
//  - two instances on one database receiving the same report at the same moment: one row,
//    one 201, and nothing but 200/201 for the rest;
// on SQLite and, when it is there (always in CI), PostgreSQL.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { api, apiSession, cleanUp, freshDatabase, onCleanUp, startServer } from '../e2e/support.mjs';

// One account stands in for many phones, so the per-user submission limit is lifted.
const MANY_PHONES = { TRYGGKARTA_SUBMISSIONS_PER_MINUTE: '100000000' };
after(cleanUp);

function report(id = randomUUID()) {
  return {
    id,
    kind: 'drug_scene',
    category: 'drug.dealing',
    note: `Rapport ${id.slice(0, 8)}`,
    lat: 59.45 + Math.random() * 0.15,
    lng: 17.4 + Math.random() * 0.5,
    accuracy_m: 10,
    position_source: 'gps',
    observed_at: new Date(Date.now() - 60_000).toISOString(),
  };
}

/** Posts `body`; resolves to the status, or 0 when the connection failed. */
async function submit(baseUrl, cookie, body) {
  try {
    return (await api(baseUrl, cookie, 'POST', '/api/v1/observations', body)).status;
  } catch {
    return 0;
  }
}

async function ownReports(baseUrl, cookie) {
  const { status, body } = await api(baseUrl, cookie, 'GET', '/api/v1/observations?kind=drug_scene');
  assert.equal(status, 200);
  return body;
}

for (const kind of ['sqlite', 'postgres']) {
  test(`${kind}: reports acknowledged before a SIGKILL are all there after the restart, once`, async () => {
    const url = freshDatabase(kind);
    if (!url) return;
    const first = await startServer({ DATABASE_URL: url, ...MANY_PHONES });
    const driver = first.addUser('forare@fel.tryggkarta.se', 'volunteer', 'förarens-långa-lösenord');
    const cookie = await apiSession(first.baseUrl, driver);

    // Sixteen phones send without pause; the server is killed once 400 are acknowledged.
    const sent = new Map();
    const acknowledged = new Set();
    let killed = false;
    const killing = (async () => {
      while (acknowledged.size < 400) await new Promise((resolve) => setTimeout(resolve, 5));
      killed = true;
      await first.kill();
    })();
    await Promise.all(
      Array.from({ length: 16 }, async () => {
        while (!killed) {
          const body = report();
          sent.set(body.id, body);
          const status = await submit(first.baseUrl, cookie, body);
          if (status === 201) acknowledged.add(body.id);
          else if (status !== 0) assert.fail(`answer ${status} before the kill`);
        }
      }),
    );
    await killing;
    assert.ok(!first.alive(), 'the first server is gone');

    const second = await startServer({ DATABASE_URL: url, ...MANY_PHONES });
    onCleanUp(() => second.stop());
    const again = await apiSession(second.baseUrl, driver);
    const stored = await ownReports(second.baseUrl, again);
    const counts = new Map();
    for (const record of stored) counts.set(record.id, (counts.get(record.id) ?? 0) + 1);
    for (const id of acknowledged) assert.equal(counts.get(id), 1, `acknowledged ${id} is stored once`);

    // The phones' outboxes send everything again: acknowledged ones are recognised (200),
    // the rest stored now or recognised, never twice and never refused.
    for (const body of sent.values()) {
      const status = await submit(second.baseUrl, again, body);
      assert.ok(status === 200 || status === 201, `resend answered ${status}`);
      if (acknowledged.has(body.id)) assert.equal(status, 200);
    }
    const afterResend = await ownReports(second.baseUrl, again);
    assert.equal(afterResend.length, sent.size, 'every report sent is stored exactly once');
    assert.equal(new Set(afterResend.map((r) => r.id)).size, sent.size);
    assert.doesNotMatch(second.log(), /panicked/);
  });

  test(`${kind}: two instances given the same report at once store it once`, async () => {
    const url = freshDatabase(kind);
    if (!url) return;
    const one = await startServer({ DATABASE_URL: url, ...MANY_PHONES });
    onCleanUp(() => one.stop());
    const two = await startServer({ DATABASE_URL: url, ...MANY_PHONES });
    onCleanUp(() => two.stop());
    const driver = one.addUser('forare2@fel.tryggkarta.se', 'volunteer', 'förarens-långa-lösenord');
    const cookie = await apiSession(one.baseUrl, driver);

    const bodies = Array.from({ length: 100 }, () => report());
    const answers = await Promise.all(
      bodies.map(async (body) => {
        const [a, b] = await Promise.all([submit(one.baseUrl, cookie, body), submit(two.baseUrl, cookie, body)]);
        return [a, b].sort();
      }),
    );
    for (const pair of answers) assert.deepEqual(pair, [200, 201], 'one instance stores it, the other recognises it');
    const stored = await ownReports(two.baseUrl, cookie);
    assert.equal(stored.length, bodies.length);
    // The same id with other content is a conflict on either instance.
    const changed = { ...bodies[0], note: 'Ändrad text' };
    assert.equal(await submit(two.baseUrl, cookie, changed), 409);
    assert.equal(await submit(one.baseUrl, cookie, changed), 409);
  });
}
