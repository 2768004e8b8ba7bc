// Tryggkarta's outbox: what a phone records is saved on the phone first (IndexedDB), then
// sent. Without network the user keeps working; sending is retried when the app starts,
// when the browser comes online, and on a timer that backs off. An entry leaves the
// outbox only after the server answered 2xx. An entry the server refuses for good
// (4xx other than 401/408/429) moves to a "refused" store, so nothing is ever lost.
//
// Written for Tryggkarta; used from Rust through wasm-bindgen (ui/outbox.rs), and by the
// shift's track (track.js) and the sign-out guard (signout.js) through `queue()`, which
// Rust hands them. The queue knows nothing of either.

const DB_NAME = 'tryggkarta';
const DB_VERSION = 1;
const PENDING = 'outbox';
const REFUSED = 'refused';
const FIRST_RETRY_MS = 5_000;
const MAX_RETRY_MS = 5 * 60_000;

let database;
let flushing = null;
let again = false;
let retryTimer = null;
let retryDelay = FIRST_RETRY_MS;

function open() {
  database ??= new Promise((resolve, reject) => {
    const request = indexedDB.open(DB_NAME, DB_VERSION);
    request.onupgradeneeded = () => {
      const db = request.result;
      db.createObjectStore(PENDING, { keyPath: 'seq', autoIncrement: true });
      db.createObjectStore(REFUSED, { keyPath: 'seq', autoIncrement: true });
    };
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
  return database;
}

async function run(storeName, mode, work) {
  const db = await open();
  return new Promise((resolve, reject) => {
    const tx = db.transaction(storeName, mode);
    const result = work(tx.objectStore(storeName));
    tx.oncomplete = () => resolve(result.result ?? result);
    tx.onerror = () => reject(tx.error);
    tx.onabort = () => reject(tx.error);
  });
}

// Whose records are whose: a phone may be shared (two drivers of one grannstödsbil, a
// family tablet on a walk). Every entry carries the id of the user who made it; only that
// user's session sends it, and only that user sees it waiting. Signing out empties the
// outbox of the user's records, after saying what has not been sent.
const USER_SCRIPT_ID = 'tryggkarta-user';

/** The signed-in user's id on this page, from the data the server put in it, or null. */
function currentUserId() {
  try {
    return JSON.parse(document.getElementById(USER_SCRIPT_ID)?.textContent ?? 'null')?.id ?? null;
  } catch {
    return null;
  }
}

/** Entries queued before owners were recorded belong to whoever is signed in. */
const mine = (entry) => !entry.owner || entry.owner === currentUserId();

const all = async (storeName) =>
  (await run(storeName, 'readonly', (store) => store.getAll())).filter(mine);

function announce(count) {
  window.dispatchEvent(new CustomEvent('tryggkarta-outbox', { detail: { pending: count } }));
}

/** How many of the user's records (an observation with its photo and note, a shift with
 *  its track) still have something waiting: what the user made, not how it is sent. */
export async function pendingCount() {
  const entries = await all(PENDING);
  return new Set(entries.map((entry) => entry.record ?? `entry-${entry.seq}`)).size;
}

async function enqueue(entry) {
  await run(PENDING, 'readwrite', (store) => store.add({ ...entry, owner: entry.owner ?? currentUserId(), queuedAt: Date.now() }));
  announce(await pendingCount());
  flush();
}

/** Observations (parsed JSON) still waiting to be sent, for showing them on the map. */
export async function pendingObservations() {
  const entries = await all(PENDING);
  return JSON.stringify(
    entries.filter((entry) => entry.type === 'observation').map((entry) => JSON.parse(entry.body)),
  );
}

/** Saves an observation (JSON text with its own id) and tries to send it. */
export async function enqueueObservation(json) {
  const record = JSON.parse(json).id;
  await enqueue({ type: 'observation', record, method: 'POST', url: '/api/v1/observations', body: json, contentType: 'application/json' });
}

/** Saves a partner's incident report (JSON text with its own id) and tries to send it. */
export async function enqueueIncident(json) {
  const record = JSON.parse(json).id;
  await enqueue({ type: 'incident', record, method: 'POST', url: '/api/v1/incident-reports', body: json, contentType: 'application/json' });
}

/** Saves a note added afterwards to an observation, sent after the observation itself. */
export async function enqueueNote(observationId, note) {
  await enqueue({ type: 'note', record: observationId, method: 'POST', url: `/api/v1/observations/${observationId}/note`, body: JSON.stringify({ note }), contentType: 'application/json' });
}

/** Saves a photo for an observation and tries to send it after the observation. */
export async function enqueuePhoto(observationId, photoId, file) {
  await enqueue({ type: 'photo', record: observationId, method: 'PUT', url: `/api/v1/observations/${observationId}/photos/${photoId}`, body: file, contentType: file.type || 'application/octet-stream' });
}

/** Saves a batch of a shift's track points (JSON array) behind what is already waiting. */
async function enqueueTrack(shiftId, pointsJson) {
  await run(PENDING, 'readwrite', (store) =>
    store.add({ type: 'track', record: shiftId, owner: currentUserId(), method: 'POST', url: `/api/v1/shifts/${shiftId}/track`, body: pointsJson, contentType: 'application/json', queuedAt: Date.now() }),
  );
  announce(await pendingCount());
}

/** Saves the start of a shift (JSON with the phone-made id), so a shift can begin
 *  without signal; its track and observations queue behind it. */
export async function enqueueShiftStart(json, userId) {
  const record = JSON.parse(json).id;
  localStorage.setItem(runningShiftKey(userId), json);
  await enqueue({ type: 'shift-start', record, method: 'POST', url: '/api/v1/shifts', body: json, contentType: 'application/json' });
}

/** Saves the end of a shift, sent after everything recorded during it (the caller hands
 *  over the track first: `track.js` `handOverTrack`). */
export async function enqueueShiftEnd(shiftId, json, userId) {
  localStorage.removeItem(runningShiftKey(userId));
  await enqueue({ type: 'shift-end', record: shiftId, method: 'POST', url: `/api/v1/shifts/${shiftId}/end`, body: json, contentType: 'application/json' });
  return flush().then(() => pendingFor(shiftId));
}

// Per user: a phone shared by two drivers shows each only their own shift.
const runningShiftKey = (userId) => `tryggkarta-running-shift:${userId}`;

/** The shift this user started on this phone and has not ended, as the JSON of its
 *  start, or "": a page opened from the offline cache still knows a shift is running. */
export function runningShift(userId) {
  return localStorage.getItem(runningShiftKey(userId)) ?? '';
}

/** How many entries of one record are still waiting (0: the server has all of it). */
export async function pendingFor(record) {
  const entries = await all(PENDING);
  return entries.filter((entry) => entry.record === record).length;
}

/** What the server refused, newest first, as JSON: `[{ seq, type, reason, status, body }]`
 *  with the body as text when it is text. */
export async function refusedEntries() {
  const entries = await all(REFUSED);
  return JSON.stringify(
    entries
      .reverse()
      .map(({ seq, type, reason, status, body, refusedAt }) => ({
        seq,
        type,
        status,
        reason,
        refused_at: refusedAt,
        body: typeof body === 'string' ? body : null,
      })),
  );
}

/** Puts a refused entry back in the outbox, with a corrected body when one is given. */
export async function retryRefused(seq, correctedBody) {
  const entry = await run(REFUSED, 'readonly', (store) => store.get(seq));
  if (!entry || !mine(entry)) return;
  const { status: _status, reason: _reason, refusedAt: _at, seq: _seq, ...again } = entry;
  if (correctedBody) again.body = correctedBody;
  await run(REFUSED, 'readwrite', (store) => store.delete(seq));
  await enqueue(again);
  window.dispatchEvent(new CustomEvent('tryggkarta-refused'));
}

/** Drops a refused entry for good, at the user's request. */
export async function discardRefused(seq) {
  const entry = await run(REFUSED, 'readonly', (store) => store.get(seq));
  if (!entry || !mine(entry)) return;
  await run(REFUSED, 'readwrite', (store) => store.delete(seq));
  window.dispatchEvent(new CustomEvent('tryggkarta-refused'));
}

function scheduleRetry() {
  clearTimeout(retryTimer);
  retryTimer = setTimeout(flush, retryDelay);
  retryDelay = Math.min(retryDelay * 2, MAX_RETRY_MS);
}

/** Sends what is waiting, oldest first; stops at the first network failure. A call
 *  while a run is under way makes that run go round once more, so whatever was queued
 *  just before the call is included in the promise it returns. */
function flush() {
  if (flushing) {
    again = true;
    return flushing;
  }
  flushing = (async () => {
    let reachable = true;
    do {
      again = false;
      reachable = await sendAll();
    } while (again && reachable);
  })().finally(() => {
    flushing = null;
  });
  return flushing;
}

async function sendAll() {
  // Loop until empty: entries added while sending go out in the same run.
  for (;;) {
    const entries = await all(PENDING);
    if (entries.length === 0) break;
    for (const entry of entries) {
      let response;
      try {
        response = await fetch(entry.url, {
          method: entry.method,
          headers: { 'content-type': entry.contentType },
          body: entry.body,
          credentials: 'same-origin',
        });
      } catch {
        scheduleRetry(); // offline or unreachable: keep everything, try later
        return false;
      }
      const permanent = response.status >= 400 && response.status < 500 && ![401, 408, 429].includes(response.status);
      if (!response.ok && !permanent) {
        scheduleRetry(); // server trouble or signed out: keep it and try again later
        return false;
      }
      if (permanent) {
        const reason = await response.text().catch(() => '');
        await run(REFUSED, 'readwrite', (store) => store.add({ ...entry, status: response.status, reason, refusedAt: Date.now() }));
        window.dispatchEvent(new CustomEvent('tryggkarta-refused'));
      }
      await run(PENDING, 'readwrite', (store) => store.delete(entry.seq));
      announce(await pendingCount());
    }
  }
  retryDelay = FIRST_RETRY_MS;
  announce(await pendingCount());
  return true;
}

/** How many of the user's entries the server refused and the phone still keeps. */
async function refusedCount() {
  return (await all(REFUSED)).length;
}

/** Removes the signed-in user's records from this phone: what waits, what was refused,
 *  and the note of a shift still running. Resolves to that shift's id, or null, so the
 *  caller can forget its track too. */
async function forgetUser() {
  const userId = currentUserId();
  for (const storeName of [PENDING, REFUSED]) {
    const entries = await all(storeName);
    await run(storeName, 'readwrite', (store) => {
      entries.forEach((entry) => store.delete(entry.seq));
      return {};
    });
  }
  let runningShiftId = null;
  if (userId) {
    try {
      runningShiftId = JSON.parse(runningShift(userId) || 'null')?.id ?? null;
    } catch {}
    localStorage.removeItem(runningShiftKey(userId));
  }
  announce(0);
  return runningShiftId;
}

/** What the track and the sign-out guard may do with the queue. */
export function queue() {
  return { enqueueTrack, flush, pendingCount, refusedCount, forgetUser };
}

let started = false;

/** Sends what waits now, and again whenever the browser comes back online (once), and
 *  answers with the queue as `queue` does. */
export function startOutbox() {
  if (!started) {
    started = true;
    window.addEventListener('online', () => flush());
    flush();
  }
  return queue();
}
