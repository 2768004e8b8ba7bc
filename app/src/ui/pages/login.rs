//! Sign-in page. A plain form posted to the server, so it works before the WASM has
//! loaded and on the slowest phone; the server redirects back here with `?fel=` on failure.

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use crate::error::AppError;
use crate::ui::use_lang;

/// The error codes the server puts in `?fel=`.
pub fn login_error(code: &str) -> AppError {
    match code {
        "credentials" => AppError::InvalidCredentials,
        "disabled" => AppError::AccountDisabled,
        "rate_limited" => AppError::TooManyAttempts(crate::error::Guessed::SignIn),
        "invalid" => AppError::invalid(
            "form",
            "Fyll i både e-postadress och lösenord.",
            "Fill in both email address and password.",
        ),
        "code" => AppError::invalid(
            "code",
            "Skriv lösenordet och koden som appen visar nu.",
            "Type the password and the code the app shows now.",
        ),
        _ => AppError::Internal,
    }
}

#[component]
pub fn LoginPage() -> impl IntoView {
    crate::ui::components::guard::interactive_once_hydrated();
    let lang = use_lang();
    let query = use_query_map();
    let error = move || {
        query
            .read()
            .get("fel")
            .map(|code| login_error(&code).message(lang))
    };
    let next = move || query.read().get("nasta").unwrap_or_else(|| "/".into());
    view! {
        <section class="login">
            <h1>{lang.pick("Logga in", "Sign in")}</h1>
            {move || error().map(|message| view! { <p class="error" role="alert">{message}</p> })}
            <form method="post" action="/logga-in" class="stack">
                <input type="hidden" name="nasta" value=next/>
                <label>
                    {lang.pick("E-postadress", "Email address")}
                    <input type="email" name="email" autocomplete="username" required inputmode="email"/>
                </label>
                <label>
                    {lang.pick("Lösenord", "Password")}
                    <input type="password" name="password" autocomplete="current-password" required/>
                </label>
                <label>
                    {lang.pick("Kod (vid tvåstegsverifiering)", "Code (with two-step verification)")}
                    <input name="code" autocomplete="one-time-code" inputmode="numeric" maxlength="7"/>
                </label>
                <button type="submit" class="primary">{lang.pick("Logga in", "Sign in")}</button>
            </form>
            <section class="join-hint">
                <h2>{lang.pick("Ska du gå en trygghetsvandring?", "Joining a safety walk?")}</h2>
                <p>{lang.pick(
                    "Du behöver inget konto. Ange koden du fått av samordnaren.",
                    "You need no account. Enter the code the coordinator gave you.",
                )}</p>
                <a class="button secondary" href="/vandring">{lang.pick("Ange kod för vandring", "Enter a walk code")}</a>
            </section>
        </section>
    }
}
