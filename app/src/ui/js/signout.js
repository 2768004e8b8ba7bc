// Signing out on a phone that may be shared (two drivers of one grannstödsbil, a family
// tablet on a walk): first say what would be lost, then empty the outbox of the user's
// records, forget the track of a shift still running and the pages kept for offline, then
// sign out. Cancelling keeps both the records and the session. The question is the
// page's own, in its language (`data-unsent` on the menu's form, `{n}` for the number).
//
// Written for Tryggkarta; used from Rust through wasm-bindgen (ui/outbox.rs), which hands
// in the outbox (`queue()` of outbox.js) and the track (`tracker()` of track.js): the
// release build's snippets have content-hashed names and cannot import each other.

async function signOut(form, queue, tracker) {
  await queue.flush().catch(() => {});
  const unsent = (await queue.pendingCount()) + (await queue.refusedCount());
  if (unsent > 0) {
    const question = (form.dataset.unsent ?? '').replace('{n}', String(unsent));
    if (!window.confirm(question)) return;
  }
  const runningShiftId = await queue.forgetUser();
  if (runningShiftId) tracker.forgetTrack(runningShiftId);
  await forgetPages().catch(() => {});
  form.dataset.cleared = '1';
  form.submit();
}

// The pages the service worker kept show the user's name and what they may read: the
// next person on the phone must not open them offline. The app's files stay.
async function forgetPages() {
  // The findings a walk page remembers having sent (ui/pages/walk.rs).
  for (const key of Object.keys(localStorage)) {
    if (key.startsWith('tryggkarta-sent-')) localStorage.removeItem(key);
  }
  if (!('caches' in window)) return;
  for (const name of await caches.keys()) {
    const cache = await caches.open(name);
    for (const request of await cache.keys()) {
      const path = new URL(request.url).pathname;
      if (!path.startsWith('/pkg/') && !path.startsWith('/vendor/')) await cache.delete(request);
    }
  }
}

let guarded = false;

/** Makes every sign-out form (`form.logout`) go through `signOut` first. Once. */
export function guardSignOut(queue, tracker) {
  if (guarded) return;
  guarded = true;
  document.addEventListener(
    'submit',
    (event) => {
      const form = event.target;
      if (!(form instanceof HTMLFormElement) || !form.classList.contains('logout') || form.dataset.cleared) return;
      event.preventDefault();
      signOut(form, queue, tracker);
    },
    true,
  );
}
