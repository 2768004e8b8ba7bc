// The GPS track of a grannstöd shift, while the shift page is open: fixes are kept in
// localStorage (so a reload loses none), thinned out, and handed to the outbox
// (outbox.js) in batches. The screen is kept on meanwhile, and the times the page was
// hidden (no track then) are noted as gaps the driver sees.
//
// Written for Tryggkarta; used from Rust through wasm-bindgen (ui/track.rs). The outbox
// comes in as an argument (`queue`, from outbox.js's `queue()`), handed over by Rust: the
// release build gives every snippet a content-hashed name, so one snippet cannot import
// another by its file name.

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

/** Hands the points recorded so far to the outbox, behind what already waits there. */
export async function handOverTrack(shiftId, queue) {
  const points = localStorage.getItem(trackKey(shiftId)) ?? '[]';
  if (JSON.parse(points).length === 0) return;
  await queue.enqueueTrack(shiftId, points);
  localStorage.removeItem(trackKey(shiftId));
}

/** What the sign-out guard needs of the track (signout.js). */
export function tracker() {
  return { forgetTrack };
}

/** Forgets the points of a shift not yet handed over (signing out on a shared phone). */
function forgetTrack(shiftId) {
  localStorage.removeItem(trackKey(shiftId));
  localStorage.removeItem(gapsKey(shiftId));
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
export function startTracking(shiftId, queue) {
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
    },
    () => {},
    { enableHighAccuracy: true, maximumAge: 5_000, timeout: 30_000 },
  );
  batchTimer = setInterval(() => handOverTrack(shiftId, queue).then(queue.flush), TRACK_BATCH_MS);
  // Points left from before a reload go out first.
  handOverTrack(shiftId, queue).then(queue.flush);
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
export async function stopTracking(shiftId, queue) {
  if (watchId !== null) navigator.geolocation.clearWatch(watchId);
  watchId = null;
  clearInterval(batchTimer);
  if (visibilityHandler) document.removeEventListener('visibilitychange', visibilityHandler);
  visibilityHandler = null;
  await wakeLock?.release().catch(() => {});
  wakeLock = null;
  localStorage.removeItem(gapsKey(shiftId));
  await handOverTrack(shiftId, queue);
  await queue.flush();
  return queue.pendingCount();
}
