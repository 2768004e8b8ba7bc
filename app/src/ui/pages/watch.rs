//! Grannsamverkan: the alerts raised for neighbourhood-watch areas, with their ready text
//! and the buttons to pass them on, and — for coordinators — the watch areas with the
//! categories that count and the contact persons who get the notices.

use leptos::prelude::*;

use crate::domain::access::pages::Page;
use crate::domain::ids::AreaId;
use crate::domain::watch::{Alert, Notice, WatchArea, DEFAULT_WINDOW_DAYS, MAX_WINDOW_DAYS, MIN_WINDOW_DAYS};
use crate::error::AppError;
use crate::i18n::Lang;
use crate::server_fns::watch::{
    contact_text, get_watch_page, PassAlertOn, SaveWatchArea, ScanAlerts, WatchPage,
};
use crate::ui::components::guard::RequirePage;
use crate::ui::components::loaded::Loaded;
use crate::ui::format::{self, stockholm_time};
use crate::ui::use_lang;

#[component]
pub fn WatchPageView() -> impl IntoView {
    let lang = use_lang();
    let page = Resource::new(|| (), |_| get_watch_page());
    // Held here, above the list that a new alert reloads: the scan's answer stays in view.
    let scan = ServerAction::<ScanAlerts>::new();
    Effect::new(move |_| {
        if matches!(scan.value().get(), Some(Ok(n)) if n > 0) {
            page.refetch();
        }
    });
    view! {
        <RequirePage page=Page::Watch>
            <section class="notice watch">
                <h1>{Page::Watch.label(lang)}</h1>
                <p class="hint">{lang.pick(
                    "Ett larm uppstår när det de senaste dagarna har kommit tydligt fler inbrottsrelaterade iakttagelser i ett grannsamverkansområde än områdets senaste halvår ger anledning att vänta – så många fler att det sannolikt inte är slumpen. Texten nämner området och antalet, aldrig adresser eller personer.",
                    "An alert is raised when a watch area has had clearly more burglary-related observations over the last days than its last half-year leads one to expect – so many more that it is probably not chance. The text names the area and the counts, never addresses or people.",
                )}</p>
                <details class="method">
                    <summary>{lang.pick("Så räknas det", "How it is calculated")}</summary>
                    <p>{lang.pick(
                        "Antalet iakttagelser de senaste dagarna jämförs med antalet under tiden före, omräknat till lika många dagar. Ett larm ges när sannolikheten att få så många bara av slumpen är under 1 % och minst tre iakttagelser har kommit in (ett exakt test för två antal).",
                        "The number of observations over the last days is compared with the number in the time before, scaled to as many days. An alert is raised when the probability of getting so many by chance alone is under 1% and at least three observations have come in (an exact test for two counts).",
                    )}</p>
                </details>
                <Loaded resource=page render=move |data: WatchPage| view! { <Watch data scan/> }/>
            </section>
        </RequirePage>
    }
}

#[component]
fn Watch(data: WatchPage, scan: ServerAction<ScanAlerts>) -> impl IntoView {
    let lang = use_lang();
    let scanned = move || {
        match scan.value().get() {
        Some(Ok(0)) => {
            Some(view! { <p role="status">{lang.pick("Inga nya ökningar.", "No new rises.")}</p> }.into_any())
        }
        Some(Ok(n)) => Some(
            view! { <p role="status">{format!("{}.", format::count(n as u64, ["nytt larm", "nya larm"], ["new alert", "new alerts"], lang))}</p> }
                .into_any(),
        ),
        Some(Err(err)) => Some(view! { <p class="error" role="alert">{err.message(lang)}</p> }.into_any()),
        None => None,
    }
    };
    let mail = data.mail;
    let alerts = data.alerts.clone();
    view! {
        <ActionForm action=scan attr:class="no-print">
            <button type="submit" class="secondary" disabled=move || scan.pending().get()>
                {move || if scan.pending().get() { lang.pick("Söker…", "Looking…") } else { lang.pick("Sök efter ökningar nu", "Look for rises now") }}
            </button>
        </ActionForm>
        <div aria-live="polite">{scanned}</div>
        <h2>{lang.pick("Larm", "Alerts")}</h2>
        {alerts.is_empty().then(|| view! { <p>{lang.pick("Inga larm ännu.", "No alerts yet.")}</p> })}
        <ul class="alert-list">
            {alerts.into_iter().map(|alert| view! { <AlertCard alert mail/> }).collect_view()}
        </ul>
        {data.keeps_contacts.then(|| view! { <WatchAreas data=data.clone()/> })}
    }
}

/// "9 iakttagelser 2026-11-01 – 2026-11-14; under lika lång tid brukar det vara omkring 2."
fn counts(alert: &Alert, lang: Lang) -> String {
    let recent = format::count(
        u64::from(alert.recent),
        ["iakttagelse", "iakttagelser"],
        ["observation", "observations"],
        lang,
    );
    let usual = alert.expected.round().max(0.0) as i64;
    let usually = match (usual, lang) {
        (0, Lang::Sv) => "under lika lång tid brukar det inte vara några".to_owned(),
        (0, Lang::En) => "over as long a time there are usually none".to_owned(),
        (_, Lang::Sv) => format!(
            "under lika lång tid brukar det vara omkring {}",
            format::integer(usual, lang)
        ),
        (_, Lang::En) => format!(
            "over as long a time there are usually about {}",
            format::integer(usual, lang)
        ),
    };
    format!("{recent} {} – {}; {usually}.", alert.window_from, alert.window_to)
}

/// The numbers behind an alert: the baseline, the expected count and the chance.
fn alert_numbers(alert: &Alert, lang: Lang) -> String {
    let baseline = format::count(
        u64::from(alert.baseline),
        ["iakttagelse", "iakttagelser"],
        ["observation", "observations"],
        lang,
    );
    let days = format::integer(i64::from(alert.baseline_days), lang);
    let expected = format::decimal(alert.expected, 1, lang);
    let chance = format::percent(alert.p, lang);
    match lang {
        Lang::Sv => format!(
            "Under de {days} dagarna före kom {baseline}, vilket ger omkring {expected} under lika lång tid som nu. Sannolikheten att så många nu bara är slumpen är {chance}."
        ),
        Lang::En => format!(
            "In the {days} days before there were {baseline}, which gives about {expected} over as long a time as now. The probability that so many now are only chance is {chance}."
        ),
    }
}

/// One logged attempt in words: what happened, to whom, and why it failed or was dismissed.
fn notice_text(notice: &Notice, lang: Lang) -> String {
    let to = |text: &str| format!("{text} {}", notice.recipient);
    match notice.outcome.as_str() {
        "sent" => to(lang.pick("E-post skickad till", "E-mailed to")),
        "failed" => format!(
            "{}: {}",
            to(lang.pick("E-post misslyckades till", "E-mail failed to")),
            notice.detail
        ),
        "manual" => lang.pick("Skickat manuellt", "Sent by hand").to_owned(),
        "dismissed" => format!("{}: {}", lang.pick("Avfärdat", "Dismissed"), notice.detail),
        other => other.to_owned(),
    }
}

#[component]
fn AlertCard(alert: Alert, mail: bool) -> impl IntoView {
    let lang = use_lang();
    let current = RwSignal::new(alert);
    let pass = ServerAction::<PassAlertOn>::new();
    let error = RwSignal::new(None::<AppError>);
    Effect::new(move |_| match pass.value().get() {
        Some(Ok(updated)) => {
            error.set(None);
            current.set(updated);
        }
        Some(Err(err)) => error.set(Some(err)),
        None => {}
    });
    let id = move || current.with(|alert| alert.id.to_string());
    view! {
        <li class="alert-card">
            <h3>{move || current.with(|a| a.area_name.clone())}</h3>
            <p>{move || current.with(|a| counts(a, lang))}</p>
            <details class="method">
                <summary>{lang.pick("Så räknas det", "How it is calculated")}</summary>
                <p>{move || current.with(|a| alert_numbers(a, lang))}</p>
            </details>
            <p><strong>{move || current.with(|a| a.status.label(lang))}</strong>
                " · " {move || current.with(|a| stockholm_time(a.created_at))}</p>
            {move || current.with(|a| a.last_error.clone()).map(|why| view! { <p class="error" role="alert">{why}</p> })}
            <label>{lang.pick("Meddelande att skicka", "Message to send")}
                <textarea readonly rows="8">{move || current.with(|a| a.message.clone())}</textarea>
            </label>
            <ul class="notices">
                {move || current.with(|a| a.notices.clone()).into_iter().map(|notice| view! {
                    <li>{stockholm_time(notice.at)} " · " {notice_text(&notice, lang)} " · " {notice.by.clone()}</li>
                }).collect_view()}
            </ul>
            {move || current.with(|a| a.status.is_open()).then(|| view! {
                <div class="alert-actions no-print">
                    {mail.then(|| view! {
                        <ActionForm action=pass>
                            <input type="hidden" name="id" prop:value=id/>
                            <input type="hidden" name="how" value="email"/>
                            <input type="hidden" name="reason" value=""/>
                            <button type="submit" disabled=move || pass.pending().get()>
                                {lang.pick("Skicka med e-post till kontaktpersonerna", "E-mail to the contact persons")}
                            </button>
                        </ActionForm>
                    })}
                    <ActionForm action=pass>
                        <input type="hidden" name="id" prop:value=id/>
                        <input type="hidden" name="how" value="manual"/>
                        <input type="hidden" name="reason" value=""/>
                        <button type="submit" class="secondary" disabled=move || pass.pending().get()>
                            {lang.pick("Markera som skickat manuellt", "Mark as sent by hand")}
                        </button>
                    </ActionForm>
                    <ActionForm action=pass attr:class="stack">
                        <input type="hidden" name="id" prop:value=id/>
                        <input type="hidden" name="how" value="dismiss"/>
                        <label>{lang.pick("Varför behövs inget utskick?", "Why is no notice needed?")}
                            <input type="text" name="reason" maxlength="500" required/></label>
                        <button type="submit" class="secondary" disabled=move || pass.pending().get()>
                            {lang.pick("Avfärda larmet", "Dismiss the alert")}
                        </button>
                    </ActionForm>
                </div>
            })}
            {move || error.get().map(|err| view! { <p class="error" role="alert">{err.message(lang)}</p> })}
        </li>
    }
}

#[component]
fn WatchAreas(data: WatchPage) -> impl IntoView {
    let lang = use_lang();
    let kept = RwSignal::new(data.watch_areas.clone());
    let save = ServerAction::<SaveWatchArea>::new();
    let error = RwSignal::new(None::<AppError>);
    let chosen_area = RwSignal::new(data.named_areas.first().map(|(id, _)| *id));
    let categories = RwSignal::new(vec![String::from("patrol.burglary_signs")]);
    let window_days = RwSignal::new(DEFAULT_WINDOW_DAYS);
    let contacts = RwSignal::new(String::new());
    // Choosing an area that is already watched fills the form with its settings.
    let fill = move |area: Option<AreaId>| {
        let existing: Option<WatchArea> =
            kept.with_untracked(|kept| kept.iter().find(|w| Some(w.area_id) == area).cloned());
        match existing {
            Some(watch) => {
                categories.set(watch.categories);
                window_days.set(watch.window_days);
                contacts.set(contact_text(&watch.contacts));
            }
            None => {
                categories.set(vec![String::from("patrol.burglary_signs")]);
                window_days.set(DEFAULT_WINDOW_DAYS);
                contacts.set(String::new());
            }
        }
    };
    fill(chosen_area.get_untracked());
    Effect::new(move |_| match save.value().get() {
        Some(Ok(saved)) => {
            error.set(None);
            kept.update(|kept| {
                kept.retain(|w| w.area_id != saved.area_id);
                kept.push(saved);
                kept.sort_by(|a, b| a.name.cmp(&b.name));
            });
        }
        Some(Err(err)) => error.set(Some(err)),
        None => {}
    });
    let named_areas = data.named_areas.clone();
    let all_categories = data.categories.clone();
    view! {
        <h2>{lang.pick("Grannsamverkansområden", "Watch areas")}</h2>
        <ul>
            {move || kept.get().into_iter().map(|watch| view! {
                <li>{watch.name.clone()} " · "
                    {format::count(u64::from(watch.window_days), ["dag", "dagar"], ["day", "days"], lang)} " · "
                    {format::count(watch.contacts.len() as u64, ["kontaktperson", "kontaktpersoner"], ["contact person", "contact persons"], lang)}</li>
            }).collect_view()}
        </ul>
        {named_areas.is_empty().then(|| view! {
            <p>{lang.pick("Rita först området under Områden.", "First draw the area under Areas.")}
                " " <a href=Page::Places.path()>{Page::Places.label(lang)}</a></p>
        })}
        <details class="plan" open=data.watch_areas.is_empty()>
            <summary>{lang.pick("Lägg till eller ändra ett område", "Add or change an area")}</summary>
            <ActionForm action=save attr:class="stack">
                <label>{lang.pick("Område", "Area")}
                    <select name="area_id" on:change=move |ev| {
                        let area = event_target_value(&ev).parse().ok();
                        chosen_area.set(area);
                        fill(area);
                    }>
                        {named_areas.iter().map(|(id, name)| view! {
                            <option value=id.to_string()>{name.clone()}</option>
                        }).collect_view()}
                    </select>
                </label>
                <fieldset>
                    <legend>{lang.pick("Kategorier som räknas som inbrottsrelaterade", "Categories that count as burglary-related")}</legend>
                    {all_categories.into_iter().map(|(id, sv, en)| {
                        let value = id.clone();
                        let checked = {
                            let id = id.clone();
                            move || categories.with(|chosen| chosen.contains(&id))
                        };
                        view! {
                            <label class="check">
                                <input type="checkbox" prop:checked=checked on:change=move |ev| {
                                    let on = event_target_checked(&ev);
                                    categories.update(|chosen| {
                                        chosen.retain(|c| *c != value);
                                        if on {
                                            chosen.push(value.clone());
                                        }
                                    });
                                }/>
                                {lang.pick(&sv, &en).to_owned()}
                            </label>
                        }
                    }).collect_view()}
                </fieldset>
                <input type="hidden" name="categories" prop:value=move || categories.get().join(",")/>
                <label>{lang.pick("Antal dagar ett larm ser tillbaka", "Days an alert looks back")}
                    <input type="number" name="window_days" min=MIN_WINDOW_DAYS max=MAX_WINDOW_DAYS
                        prop:value=move || window_days.get().to_string() required/>
                </label>
                <label>{lang.pick("Kontaktpersoner, en per rad: namn; telefon; e-post; datum för samtycke", "Contact persons, one per line: name; phone; e-mail; date of consent")}
                    <textarea name="contacts" rows="5" placeholder="Anna Andersson; 070-123 45 67; anna@example.se; 2026-11-01"
                        prop:value=move || contacts.get()></textarea>
                </label>
                <p class="hint">{lang.pick(
                    "Kontaktpersoner är personuppgifter: lägg bara in den som har samtyckt, och ta bort den som slutar.",
                    "Contact persons are personal data: add only those who have consented, and remove those who stop.",
                )}</p>
                {move || error.get().map(|err| view! { <p class="error" role="alert">{err.message(lang)}</p> })}
                <button type="submit" disabled=move || save.pending().get() || chosen_area.get().is_none()>
                    {lang.pick("Spara", "Save")}
                </button>
            </ActionForm>
        </details>
    }
}
