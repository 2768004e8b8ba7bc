//! Pages and components, and what every page reads from its context: who is signed in
//! and in which language. The HTML document and the routes inside it are in [`app`].

pub mod app;
pub mod assets;
pub mod components;
pub mod format;
pub mod outbox;
pub mod pages;
pub mod track;

use leptos::prelude::*;

use crate::domain::user::CurrentUser;
use crate::i18n::Lang;

/// The signed-in user of this page view, known before anything renders: the server
/// takes it from the request (`RequestUser`, set by the server's page middleware) and
/// writes it into the page head; the browser reads it back from there. No Resource, no
/// Suspense: the nav bar and the access guard render at once, on both sides the same.
#[derive(Clone, Debug, Default)]
pub struct PageUser(pub Option<CurrentUser>);

/// Request extension carrying the signed-in user into the Leptos render.
#[derive(Clone, Debug, Default)]
pub struct RequestUser(pub Option<CurrentUser>);

pub fn use_user() -> Option<CurrentUser> {
    use_context::<PageUser>().and_then(|page_user| page_user.0)
}

/// Whether the signed-in user may do `capability` (`domain::access`): for what a page
/// offers; the server checks again.
pub fn user_may(capability: crate::domain::access::Capability) -> bool {
    use_user().is_some_and(|user| crate::domain::access::may(&user, capability))
}

/// A value as JSON that is safe inside a `<script>` element (no `</script>` can end it).
pub fn script_json<T: serde::Serialize>(value: &T) -> String {
    serde_json::to_string(value)
        .unwrap_or_else(|_| "null".into())
        .replace('<', "\\u003c")
}

pub fn use_lang() -> Lang {
    use_context::<Lang>().unwrap_or_default()
}
