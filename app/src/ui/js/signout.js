// Signing out on a phone that may be shared (two drivers of one grannstödsbil, a family
// tablet on a walk): first say what would be lost, then empty the outbox of the user's
// records and forget the track of a shift still running, then sign out. Cancelling keeps
// both the records and the session. The question is the page's own, in its language
// (`data-unsent` on the menu's form, `{n}` standing for the number).
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
  form.dataset.cleared = '1';
  form.submit();
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
