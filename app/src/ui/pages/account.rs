//! "Mitt konto": who you are signed in as, and changing your own password. A plain form
//! posted to the server (`POST /konto/losenord`), so it works before any WASM; the server
//! redirects back with `?klart=1` or `?fel=<code>`.

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use crate::domain::access::Area;
use crate::ui::components::guard::RequireArea;
use crate::ui::{use_lang, use_user};

/// The codes the server puts in `?fel=`, and what they say.
pub fn password_error(code: &str) -> (&'static str, &'static str) {
    match code {
        "current_password" => ("Det nuvarande lösenordet stämmer inte.", "The current password is not right."),
        "password" => (
            "Det nya lösenordet godtogs inte: det måste ha 12–128 tecken och inte vara lätt att gissa (inte ett vanligt lösenord, ett enkelt mönster eller din e-postadress).",
            "The new password was not accepted: it needs 12–128 characters and must not be easy to guess (not a common password, a simple pattern or your email address).",
        ),
        "repeat" => ("De två nya lösenorden är inte lika.", "The two new passwords differ."),
        "rate_limited" => (
            "För många felaktiga försök. Vänta en kvart och försök igen.",
            "Too many wrong attempts. Wait a quarter of an hour and try again.",
        ),
        _ => ("Något gick fel. Försök igen.", "Something went wrong. Try again."),
    }
}

#[component]
pub fn AccountPage() -> impl IntoView {
    let lang = use_lang();
    let query = use_query_map();
    let error = move || {
        query.read().get("fel").map(|code| {
            let (sv, en) = password_error(&code);
            lang.pick(sv, en)
        })
    };
    let done = move || query.read().get("klart").is_some();
    view! {
        <RequireArea area=Area::Account>
        <section class="account">
            <h1>{lang.pick("Mitt konto", "My account")}</h1>
            {use_user().map(|user| view! {
                <dl class="facts">
                    <dt>{lang.pick("Namn", "Name")}</dt><dd>{user.display_name.clone()}</dd>
                    <dt>{lang.pick("E-postadress", "Email address")}</dt><dd>{user.email.clone()}</dd>
                    <dt>{lang.pick("Roll", "Role")}</dt><dd>{user.role.label(lang)}</dd>
                </dl>
            })}
            <h2>{lang.pick("Byt lösenord", "Change password")}</h2>
            {move || done().then(|| view! {
                <p class="notice" role="status">{lang.pick(
                    "Lösenordet är bytt. Du har loggats ut på dina andra enheter.",
                    "Your password is changed. You have been signed out on your other devices.",
                )}</p>
            })}
            {move || error().map(|message| view! { <p class="error" role="alert">{message}</p> })}
            <form method="post" action="/konto/losenord" class="stack">
                <label>
                    {lang.pick("Nuvarande lösenord", "Current password")}
                    <input type="password" name="current_password" autocomplete="current-password" required/>
                </label>
                <label>
                    {lang.pick("Nytt lösenord", "New password")}
                    <span class="hint">{lang.pick(
                        "Minst 12 tecken. Några ord som inte hör ihop är lätta att minnas och svåra att gissa.",
                        "At least 12 characters. A few unrelated words are easy to remember and hard to guess.",
                    )}</span>
                    <input type="password" name="new_password" autocomplete="new-password" required minlength="12" maxlength="128"/>
                </label>
                <label>
                    {lang.pick("Nytt lösenord igen", "New password again")}
                    <input type="password" name="repeat_password" autocomplete="new-password" required minlength="12" maxlength="128"/>
                </label>
                <button type="submit" class="primary">{lang.pick("Byt lösenord", "Change password")}</button>
            </form>
        </section>
        </RequireArea>
    }
}
