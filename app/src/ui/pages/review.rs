//! Granskning: the coordinator's queue of incident reports and residents' tips. Each is
//! accepted (with the category and strategy area corrected if need be), rejected with a
//! word to the reporter, or merged into a report of the same thing nearby. Only accepted
//! ones count in the lägesbild.

use leptos::prelude::*;

use crate::domain::access::pages::Page;
use crate::domain::category::Category;
use crate::domain::incident::{Source, Waiting};
use crate::domain::observation::{strategy_area_label, STRATEGY_AREAS};
use crate::domain::partner::{WeekLine, Weekly};
use crate::error::AppError;
use crate::server_fns::incidents::{get_review_page, DecideReport, ReviewPage};
use crate::ui::components::guard::RequirePage;
use crate::ui::components::loaded::Loaded;
use crate::ui::format::{distance_in, position, stockholm_time};
use crate::ui::use_lang;

#[component]
pub fn ReviewPageView() -> impl IntoView {
    let lang = use_lang();
    let page = Resource::new(|| (), |_| get_review_page());
    view! {
        <RequirePage page=Page::Review>
            <section class="notice review">
                <h1>{lang.pick("Granskning av rapporter och tips", "Review of reports and tips")}</h1>
                <p class="hint">{lang.pick(
                    "Händelserapporter från samverkansorganisationer och tips från invånare räknas i lägesbilden först när du har godkänt dem. Namn och e-post som invånare lämnat visas aldrig.",
                    "Incident reports from partner organisations and residents' tips count in the picture only once you have accepted them. Names and e-mails residents left are never shown.",
                )}</p>
                <Loaded resource=page render=move |data: ReviewPage| view! {
                    <WeeklyPicture weekly=data.weekly.clone()/>
                    <Queue data/>
                }/>
            </section>
        </RequirePage>
    }
}

#[component]
fn Queue(data: ReviewPage) -> impl IntoView {
    let lang = use_lang();
    let waiting = RwSignal::new(data.waiting);
    let categories = data.categories;
    view! {
        {move || waiting.with(Vec::is_empty).then(|| view! {
            <p class="hint" role="status">{lang.pick("Inget väntar på granskning.", "Nothing is waiting for review.")}</p>
        })}
        <ul class="review-queue">
            <For each=move || waiting.get() key=|item| item.report.id let:item>
                <WaitingReport item categories=categories.clone() done=Callback::new(move |id| {
                    waiting.update(|list| list.retain(|item| item.report.id != id));
                })/>
            </For>
        </ul>
    }
}

#[component]
fn WaitingReport(
    item: Waiting,
    categories: Vec<Category>,
    done: Callback<crate::domain::ids::IncidentId>,
) -> impl IntoView {
    let lang = use_lang();
    let decide = ServerAction::<DecideReport>::new();
    let report = item.report;
    let id = report.id;
    let error = Signal::derive(move || decide.value().get().and_then(Result::err));
    Effect::new(move |_| {
        if let Some(Ok(_)) = decide.value().get() {
            done.run(id);
        }
    });
    let from = match (report.source, report.organisation.clone()) {
        (Source::Resident, _) => lang.pick("Tips från invånare", "Tip from a resident").to_owned(),
        (Source::Reporter, Some(organisation)) => organisation,
        (Source::Reporter, None) => Source::Reporter.label(lang).to_owned(),
    };
    let when = match report.observed_until {
        Some(until) => format!(
            "{} – {}",
            stockholm_time(report.observed_at),
            stockholm_time(until)
        ),
        None => stockholm_time(report.observed_at),
    };
    let current_category = report.category.clone();
    let current_area = report.strategy_area.clone();
    view! {
        <li class="card waiting-report">
            <h2>{report.category_label.clone()}</h2>
            <p>
                <strong>{from}</strong>", " {when}<br/>
                {report.place.clone().unwrap_or_else(|| position(report.lat, report.lng, lang))}
            </p>
            {(!report.note.is_empty()).then(|| view! { <blockquote>{report.note.clone()}</blockquote> })}
            {(!item.maybe_same.is_empty()).then(|| view! {
                <div class="maybe-same">
                    <p><strong>{lang.pick("Kanske samma sak som:", "Perhaps the same as:")}</strong></p>
                    <ul>
                        {item.maybe_same.into_iter().map(|nearby| view! {
                            <li>
                                <ActionForm action=decide attr:class="row">
                                    <input type="hidden" name="id" value=id.to_string()/>
                                    <input type="hidden" name="decision" value="merge"/>
                                    <input type="hidden" name="into" value=nearby.id.to_string()/>
                                    <span>{format!("{}, {} bort, {}", nearby.category_label, distance_in(nearby.distance_m, lang), stockholm_time(nearby.observed_at))}
                                        " (" {nearby.status.label(lang)} ")"</span>
                                    <button type="submit" class="secondary">{lang.pick("Slå samman med denna", "Merge with this one")}</button>
                                </ActionForm>
                            </li>
                        }).collect_view()}
                    </ul>
                </div>
            })}
            <ActionForm action=decide attr:class="stack">
                <input type="hidden" name="id" value=id.to_string()/>
                <input type="hidden" name="decision" value="accept"/>
                <label>{lang.pick("Kategori", "Category")}
                    <select name="category">
                        {categories.iter().map(|c| view! {
                            <option value=c.id.clone() selected=c.id == current_category>{lang.pick(&c.label_sv, &c.label_en).to_owned()}</option>
                        }).collect_view()}
                    </select>
                </label>
                <label>{lang.pick("Strategiområde", "Strategy area")}
                    <select name="strategy_area">
                        {STRATEGY_AREAS.map(|code| view! {
                            <option value=code selected=code == current_area>{format!("{code} {}", strategy_area_label(code, lang))}</option>
                        }).collect_view()}
                    </select>
                </label>
                <label>{lang.pick("Meddelande till rapportören (frivilligt)", "Message to the reporter (optional)")}
                    <input type="text" name="note" maxlength="500"/></label>
                <button type="submit" class="primary" disabled=move || decide.pending().get()>{lang.pick("Godkänn", "Accept")}</button>
            </ActionForm>
            <ActionForm action=decide attr:class="row">
                <input type="hidden" name="id" value=id.to_string()/>
                <input type="hidden" name="decision" value="reject"/>
                <label>{lang.pick("Varför avvisas den?", "Why is it rejected?")}
                    <input type="text" name="note" maxlength="500"/></label>
                <button type="submit" class="secondary" disabled=move || decide.pending().get()>{lang.pick("Avvisa", "Reject")}</button>
            </ActionForm>
            {move || error.get().map(|err: AppError| view! { <p class="error" role="alert">{err.message(lang)}</p> })}
        </li>
    }
}

/// The weekly picture: accepted reports this week against the four before, by category,
/// organisation and named area; a line growing this week is marked.
#[component]
fn WeeklyPicture(weekly: Weekly) -> impl IntoView {
    let lang = use_lang();
    let heads: Vec<String> = weekly
        .weeks
        .iter()
        .map(|&monday| crate::ui::pages::incidents::week_label(monday, lang))
        .collect();
    let table = move |caption: &'static str, lines: Vec<WeekLine>| {
        let heads = heads.clone();
        (!lines.is_empty()).then(|| view! {
            <table class="weekly">
                <caption>{caption}</caption>
                <thead><tr><th scope="col">{lang.pick("Namn", "Name")}</th>
                    {heads.into_iter().map(|head| view! { <th scope="col">{head}</th> }).collect_view()}</tr></thead>
                <tbody>
                    {lines.into_iter().map(|line| {
                        let growing = line.growing();
                        view! {
                            <tr class:growing=growing>
                                <th scope="row">{line.label}{growing.then(|| lang.pick(" (ökar)", " (growing)"))}</th>
                                {line.counts.into_iter().map(|n| view! { <td>{n}</td> }).collect_view()}
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        })
    };
    let empty = weekly.by_category.is_empty();
    view! {
        <h2>{lang.pick("Veckobilden", "The weekly picture")}</h2>
        {empty.then(|| view! { <p class="hint">{lang.pick(
            "Inga godkända rapporter de senaste fem veckorna.",
            "No accepted reports in the last five weeks.",
        )}</p> })}
        {table(lang.pick("Per kategori", "By category"), weekly.by_category)}
        {table(lang.pick("Per organisation", "By organisation"), weekly.by_organisation)}
        {table(lang.pick("Per område", "By area"), weekly.by_area)}
        <p><a href="/api/v1/incident-reports/weekly.csv" download>{lang.pick("Ladda ner veckobilden (CSV)", "Download the weekly picture (CSV)")}</a></p>
        <h2>{lang.pick("Väntar på granskning", "Waiting for review")}</h2>
    }
}
