// Tryggkarta's outbox: what a phone records is saved on the phone first (IndexedDB), then
// sent. Without network the user keeps working; sending is retried when the app starts,
// when the browser comes online, and on a timer that backs off. An entry leaves the
// outbox only after the server answered 2xx. An entry the server refuses for good
// (4xx other than 401/408/429) moves to a "refused" store, so nothing is ever lost.
//
// Written for Tryggkarta; used from Rust through wasm-bindgen (ui/outbox.rs).

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

/** Saves a note added afterwards to an observation, sent after the observation itself. */
export async function enqueueNote(observationId, note) {
  await enqueue({ type: 'note', record: observationId, method: 'POST', url: `/api/v1/observations/${observationId}/note`, body: JSON.stringify({ note }), contentType: 'application/json' });
}

/** Saves a photo for an observation and tries to send it after the observation. */
export async function enqueuePhoto(observationId, photoId, file) {
  await enqueue({ type: 'photo', record: observationId, method: 'PUT', url: `/api/v1/observations/${observationId}/photos/${photoId}`, body: file, contentType: file.type || 'application/octet-stream' });
}

/** Saves the start of a shift (JSON with the phone-made id), so a shift can begin
 *  without signal; its track and observations queue behind it. */
export async function enqueueShiftStart(json, userId) {
  const record = JSON.parse(json).id;
  localStorage.setItem(runningShiftKey(userId), json);
  await enqueue({ type: 'shift-start', record, method: 'POST', url: '/api/v1/shifts', body: json, contentType: 'application/json' });
}

/** Saves the end of a shift, sent after everything recorded during it. */
export async function enqueueShiftEnd(shiftId, json, userId) {
  localStorage.removeItem(runningShiftKey(userId));
  await moveTrackToOutbox(shiftId);
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
export function flush() {
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

// --- The GPS track of a grannstöd shift -------------------------------------------------
// Fixes are kept in localStorage (so a reload loses none), thinned out, and moved to the
// outbox in batches.

const TRACK_MIN_INTERVAL_MS = 10_000;
const TRACK_MIN_DISTANCE_M = 20;
const TRACK_BATCH_MS = 30_000;
let watchId = null;
let batchTimer = null;
let lastFixJson = '';

const trackKey = (shiftId) => `tryggkarta-track-${shiftId}`;

function metres(a, b) {
  const rad = Math.PI / 180;
  const x = (b.lng - a.lng) * rad * Math.cos(((a.lat + b.lat) / 2) * rad);
  const y = (b.lat - a.lat) * rad;
  return Math.sqrt(x * x + y * y) * 6_371_000;
}

async function moveTrackToOutbox(shiftId) {
  const points = JSON.parse(localStorage.getItem(trackKey(shiftId)) ?? '[]');
  if (points.length === 0) return;
  await run(PENDING, 'readwrite', (store) =>
    store.add({ type: 'track', record: shiftId, method: 'POST', url: `/api/v1/shifts/${shiftId}/track`, body: JSON.stringify(points), contentType: 'application/json', queuedAt: Date.now() }),
  );
  localStorage.removeItem(trackKey(shiftId));
  announce(await pendingCount());
}

// The screen stays on during a shift (Screen Wake Lock), so the track is not cut by the
// phone going to sleep; the lock is taken again when the page comes back into view.
let wakeLock = null;
async function keepScreenOn() {
  try {
    wakeLock = (await navigator.wakeLock?.request('screen')) ?? null;
  } catch {
    wakeLock = null; // refused (battery saver) or unsupported: the page says so
  }
  window.dispatchEvent(new CustomEvent('tryggkarta-wakelock', { detail: { held: wakeLock !== null } }));
}

const gapsKey = (shiftId) => `tryggkarta-gaps-${shiftId}`;

/** Times the page was hidden during the shift (no track then), as JSON `[{from, to}]`. */
export function trackGaps(shiftId) {
  return localStorage.getItem(gapsKey(shiftId)) ?? '[]';
}

let hiddenSince = null;
let visibilityHandler = null;

/** Records the track of `shiftId` while the page is open. */
export function startTracking(shiftId) {
  if (watchId !== null || !navigator.geolocation) return;
  let last = null;
  watchId = navigator.geolocation.watchPosition(
    (position) => {
      const point = {
        recorded_at: new Date(position.timestamp || Date.now()).toISOString(),
        lat: position.coords.latitude,
        lng: position.coords.longitude,
        accuracy_m: position.coords.accuracy,
      };
      lastFixJson = JSON.stringify(point);
      const now = Date.now();
      if (last && now - last.at < TRACK_MIN_INTERVAL_MS && metres(last, point) < TRACK_MIN_DISTANCE_M) return;
      last = { ...point, at: now };
      const points = JSON.parse(localStorage.getItem(trackKey(shiftId)) ?? '[]');
      points.push(point);
      localStorage.setItem(trackKey(shiftId), JSON.stringify(points));
      window.dispatchEvent(new CustomEvent('tryggkarta-fix', { detail: { fix: lastFixJson } }));
    },
    () => {},
    { enableHighAccuracy: true, maximumAge: 5_000, timeout: 30_000 },
  );
  batchTimer = setInterval(() => moveTrackToOutbox(shiftId).then(flush), TRACK_BATCH_MS);
  // Points left from before a reload go out first.
  moveTrackToOutbox(shiftId).then(flush);
  keepScreenOn();
  visibilityHandler = () => {
    if (document.visibilityState === 'hidden') {
      hiddenSince = Date.now();
      return;
    }
    if (hiddenSince !== null && Date.now() - hiddenSince > TRACK_MIN_INTERVAL_MS) {
      const gaps = JSON.parse(trackGaps(shiftId));
      gaps.push({ from: new Date(hiddenSince).toISOString(), to: new Date().toISOString() });
      localStorage.setItem(gapsKey(shiftId), JSON.stringify(gaps));
      window.dispatchEvent(new CustomEvent('tryggkarta-gap'));
    }
    hiddenSince = null;
    keepScreenOn();
  };
  document.addEventListener('visibilitychange', visibilityHandler);
}

/** The latest GPS fix as JSON (`recorded_at`, `lat`, `lng`, `accuracy_m`), or "". */
export function lastFix() {
  return lastFixJson;
}

/** Stops recording, hands every point to the outbox and tries to send everything.
 *  Resolves to the number of entries still waiting (0: all on the server). */
export async function stopTracking(shiftId) {
  if (watchId !== null) navigator.geolocation.clearWatch(watchId);
  watchId = null;
  clearInterval(batchTimer);
  if (visibilityHandler) document.removeEventListener('visibilitychange', visibilityHandler);
  visibilityHandler = null;
  await wakeLock?.release().catch(() => {});
  wakeLock = null;
  localStorage.removeItem(gapsKey(shiftId));
  await moveTrackToOutbox(shiftId);
  await flush();
  return pendingCount();
}

/** Entries the server refused, with its reason, for the user to see. */
export async function refusedCount() {
  return (await all(REFUSED)).length;
}

/** Removes the signed-in user's records from this phone: what waits, what was refused,
 *  and the route of a shift still running. */
async function forgetUser() {
  const userId = currentUserId();
  for (const storeName of [PENDING, REFUSED]) {
    const entries = await all(storeName);
    await run(storeName, 'readwrite', (store) => {
      entries.forEach((entry) => store.delete(entry.seq));
      return {};
    });
  }
  if (userId) {
    const running = runningShift(userId);
    if (running) {
      try {
        localStorage.removeItem(trackKey(JSON.parse(running).id));
      } catch {}
    }
    localStorage.removeItem(runningShiftKey(userId));
  }
  announce(0);
}

/** Signing out (the menu's form): first say what would be lost, then empty the outbox of
 *  the user's records, then sign out. Cancelling keeps both the records and the session. */
async function signOut(form) {
  await flush().catch(() => {});
  const waiting = await pendingCount();
  const refused = await refusedCount();
  const unsent = waiting + refused;
  if (unsent > 0) {
    const english = document.documentElement.lang === 'en';
    const question = english
      ? `${unsent} of your records have not reached the server. If you sign out, they are deleted from this phone. Sign out anyway?`
      : `${unsent} av dina rapporter har inte kommit fram till servern. Om du loggar ut raderas de från telefonen. Logga ut ändå?`;
    if (!window.confirm(question)) return;
  }
  await forgetUser();
  form.dataset.cleared = '1';
  form.submit();
}

if (typeof window !== 'undefined' && !window.__tryggkartaOutbox) {
  window.__tryggkartaOutbox = true;
  window.addEventListener('online', () => flush());
  document.addEventListener(
    'submit',
    (event) => {
      const form = event.target;
      if (!(form instanceof HTMLFormElement) || !form.classList.contains('logout') || form.dataset.cleared) return;
      event.preventDefault();
      signOut(form);
    },
    true,
  );
  flush();
  if ('serviceWorker' in navigator) {
    navigator.serviceWorker
      .register('/sw.js')
      .then(() => navigator.serviceWorker.ready)
      .then((registration) => {
        // This first visit was loaded before the worker ran: hand it the page and the
        // files it used, so the page opens offline next time.
        const sameSite = (entries) =>
          entries
            .map((entry) => new URL(entry.name))
            .filter((url) => url.origin === location.origin)
            .map((url) => url.pathname);
        const files = sameSite(performance.getEntriesByType('resource'));
        registration.active?.postMessage({ keep: [location.pathname, ...files] });
        // A page's own WASM chunk (a lazy route) may arrive after this: hand over
        // whatever the page loads from now on too.
        new PerformanceObserver((list) => {
          const more = sameSite(list.getEntries()).filter((path) => path.startsWith('/pkg/'));
          if (more.length > 0) registration.active?.postMessage({ keep: more });
        }).observe({ type: 'resource' });
      })
      .catch(() => {});
  }
}
