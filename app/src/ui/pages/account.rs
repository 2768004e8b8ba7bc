//! "Mitt konto": who you are signed in as, changing your own password and the second
//! factor. Plain forms posted to the server (`POST /konto/losenord`, `/konto/tvasteg/…`),
//! so they work before any WASM; the server redirects back with `?klart=1`,
//! `?tvasteg=<state>` or `?fel=<code>`.

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use crate::domain::access::pages::Page;
use crate::server_fns::session::{get_second_factor, SecondFactor};
use crate::ui::components::guard::RequirePage;
use crate::ui::components::loaded::Loaded;
use crate::ui::{use_lang, use_user};

/// The codes the server puts in `?fel=`, and what they say.
pub fn password_error(code: &str) -> (&'static str, &'static str) {
    match code {
        "current_password" => ("Det nuvarande lösenordet stämmer inte.", "The current password is not right."),
        "password" => (
            "Det nya lösenordet godtogs inte: det måste ha 12–128 tecken och inte vara lätt att gissa (inte ett vanligt lösenord, inte ett ord, en årstid eller ett ortnamn med siffror efter som Sommar2026!!, inte ett enkelt mönster eller din e-postadress).",
            "The new password was not accepted: it needs 12–128 characters and must not be easy to guess (not a common password, not a word, season or place name with digits after it like Sommar2026!!, not a simple pattern or your email address).",
        ),
        "repeat" => ("De två nya lösenorden är inte lika.", "The two new passwords differ."),
        "code" => (
            "Koden stämmer inte. Skriv den som appen visar just nu.",
            "The code is not right. Type the one the app shows right now.",
        ),
        "second_factor_conflict" => (
            "Det gick inte: tvåstegsverifiering krävs för din roll, eller inställningen hann gå ut. Börja om.",
            "That did not work: two-step verification is required for your role, or the setup expired. Start again.",
        ),
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
    let must_change = move || {
        query.read().get("losenord").as_deref() == Some("krav")
            || use_user().is_some_and(|user| user.must_change_password)
    };
    view! {
        <RequirePage page=Page::Account>
        <section class="account">
            <h1>{lang.pick("Mitt konto", "My account")}</h1>
            {use_user().map(|user| view! {
                <dl class="facts">
                    <dt>{lang.pick("Namn", "Name")}</dt><dd>{user.display_name.clone()}</dd>
                    <dt>{lang.pick("E-postadress", "Email address")}</dt><dd>{user.email.clone()}</dd>
                    <dt>{lang.pick("Roll", "Role")}</dt><dd>{user.role.label(lang)}</dd>
                </dl>
            })}
            <h2 id="losenord">{lang.pick("Byt lösenord", "Change password")}</h2>
            {move || (must_change() && !done()).then(|| view! {
                <p class="notice" role="status">{lang.pick(
                    "Du loggade in med ett engångslösenord. Välj ett eget lösenord innan du fortsätter: skriv engångslösenordet som nuvarande lösenord.",
                    "You signed in with a one-time password. Choose your own password before you go on: type the one-time password as the current password.",
                )}</p>
            })}
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
            <SecondFactorSection/>
        </section>
        </RequirePage>
    }
}

/// Tvåstegsverifiering: a code from an authenticator app besides the password.
#[component]
fn SecondFactorSection() -> impl IntoView {
    let lang = use_lang();
    let query = use_query_map();
    let state = move || query.read().get("tvasteg");
    let status = Resource::new(state, |_| get_second_factor());
    view! {
        <h2 id="tvasteg">{lang.pick("Tvåstegsverifiering", "Two-step verification")}</h2>
        {move || (state().as_deref() == Some("krav")).then(|| view! {
            <p class="notice" role="status">{lang.pick(
                "Din roll kräver tvåstegsverifiering. Slå på den här innan du fortsätter.",
                "Your role requires two-step verification. Turn it on here before you go on.",
            )}</p>
        })}
        {move || (state().as_deref() == Some("pa")).then(|| view! {
            <p class="notice" role="status">{lang.pick(
                "Tvåstegsverifiering är på. Du har loggats ut på dina andra enheter.",
                "Two-step verification is on. You have been signed out on your other devices.",
            )}</p>
        })}
        <Loaded resource=status render=move |factor: SecondFactor| view! { <SecondFactorForms factor/> }/>
    }
}

#[component]
fn SecondFactorForms(factor: SecondFactor) -> impl IntoView {
    let lang = use_lang();
    let code_field = move || {
        view! {
            <label>
                {lang.pick("Kod från appen", "Code from the app")}
                <input type="text" name="code" autocomplete="one-time-code" inputmode="numeric"
                    pattern="[0-9 ]{6,7}" maxlength="7" required/>
            </label>
        }
    };
    match (factor.enabled, factor.pending) {
        (false, Some(pending)) => view! {
            <ol class="stack">
                <li>{lang.pick(
                    "Öppna en autentiseringsapp (till exempel Microsoft Authenticator, Google Authenticator eller FreeOTP) och skanna koden, eller tryck på länken på telefonen som har appen.",
                    "Open an authenticator app (for example Microsoft Authenticator, Google Authenticator or FreeOTP) and scan the code, or tap the link on the phone that has the app.",
                )}</li>
            </ol>
            <div class="qr" role="img" aria-label=lang.pick("QR-kod för autentiseringsappen", "QR code for the authenticator app")
                inner_html=pending.qr_svg></div>
            <p><a href=pending.url>{lang.pick("Öppna i appen", "Open in the app")}</a></p>
            <p>{lang.pick("Eller skriv in nyckeln för hand: ", "Or type the key by hand: ")}<code>{pending.secret}</code></p>
            <form method="post" action="/konto/tvasteg/bekrafta" class="stack">
                {code_field()}
                <button type="submit" class="primary">{lang.pick("Slå på", "Turn on")}</button>
            </form>
        }
        .into_any(),
        (false, None) => view! {
            <p>{lang.pick(
                "Med tvåstegsverifiering behövs också en kod från en app i din telefon när du loggar in, så att ett lösenord på villovägar inte räcker.",
                "With two-step verification, signing in also needs a code from an app on your phone, so a password gone astray is not enough.",
            )}</p>
            <form method="post" action="/konto/tvasteg/borja">
                <button type="submit" class="primary">{lang.pick("Slå på tvåstegsverifiering", "Turn on two-step verification")}</button>
            </form>
        }
        .into_any(),
        (true, _) if factor.required => view! {
            <p>{lang.pick(
                "Tvåstegsverifiering är på. Din roll kräver den, så den kan inte stängas av. Har du tappat telefonen? Be en administratör om ett nytt lösenord; då ställer du in appen på nytt.",
                "Two-step verification is on. Your role requires it, so it cannot be turned off. Lost your phone? Ask an administrator for a new password; then you set up the app again.",
            )}</p>
        }
        .into_any(),
        (true, _) => view! {
            <p>{lang.pick("Tvåstegsverifiering är på.", "Two-step verification is on.")}</p>
            <form method="post" action="/konto/tvasteg/av" class="stack">
                <label>
                    {lang.pick("Lösenord", "Password")}
                    <input type="password" name="password" autocomplete="current-password" required/>
                </label>
                {code_field()}
                <button type="submit">{lang.pick("Stäng av", "Turn off")}</button>
            </form>
        }
        .into_any(),
    }
}
