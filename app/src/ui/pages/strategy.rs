//! Strategiområden: the action plan's areas at a glance, and one page per area with its
//! reports against the quarter before, its hotspots by place, and its open and overdue
//! actions — what the steering group and the chefssamråd follow up.

use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

use crate::api::strategy::{
    get_commitments, get_strategy_overview, get_strategy_page, AddCommitment, StrategyPage, StrategySummary,
    PERIOD_DAYS,
};
use crate::domain::access::Area;
use crate::domain::commitment::{Commitment, Measure};
use crate::domain::observation::{strategy_area_label, STRATEGY_AREAS};
use crate::domain::situation::class_label;
use crate::i18n::Lang;
use crate::ui::components::actions::{ActionLine, FollowUpForm};
use crate::ui::components::guard::RequireArea;
use crate::ui::components::loaded::Loaded;
use crate::ui::use_lang;

/// "12 rapporter (8 förra perioden), en säkerställd ökning" and the actions in words.
fn status_line(summary: &StrategySummary, lang: Lang) -> String {
    let reports = &summary.reports;
    let trend = if reports.significant_rise {
        lang.pick("en säkerställd ökning", "a significant rise")
    } else if reports.now < reports.previous {
        lang.pick("färre än förra perioden", "fewer than the period before")
    } else {
        lang.pick("ingen säkerställd ökning", "no significant rise")
    };
    match lang {
        Lang::Sv => format!(
            "{} rapporter ({} perioden före), {trend}. {} öppna åtgärder, varav {} försenade.",
            reports.now, reports.previous, summary.open_actions, summary.overdue_actions
        ),
        Lang::En => format!(
            "{} reports ({} the period before), {trend}. {} open actions, {} of them overdue.",
            reports.now, reports.previous, summary.open_actions, summary.overdue_actions
        ),
    }
}

#[component]
pub fn StrategyOverviewPage() -> impl IntoView {
    let lang = use_lang();
    let overview = Resource::new(|| (), |_| get_strategy_overview());
    let overview_list = move |summaries: Vec<StrategySummary>| {
        view! {
            <ul class="strategy-list">
                {summaries.into_iter().map(|summary| {
                    let attention = summary.reports.significant_rise || summary.overdue_actions > 0;
                    view! {
                    <li class:attention=attention>
                        <a href=format!("/strategiomraden/{}", summary.code) rel="external">
                            {format!("{} {}", summary.code, strategy_area_label(&summary.code, lang))}
                        </a>
                        <p>{status_line(&summary, lang)}</p>
                    </li>
                    }
                }).collect_view()}
            </ul>
        }
    };
    view! {
        <RequireArea area=Area::Strategy>
            <section class="notice strategy">
                <h1>{Area::Strategy.label(lang)}</h1>
                <p class="hint">{match lang {
                    Lang::Sv => format!("De senaste {PERIOD_DAYS} dagarna mot de {PERIOD_DAYS} dagarna före."),
                    Lang::En => format!("The last {PERIOD_DAYS} days against the {PERIOD_DAYS} days before."),
                }}</p>
                <Loaded resource=overview render=overview_list/>
                <Commitments/>
            </section>
        </RequireArea>
    }
}

#[component]
pub fn StrategyAreaPage() -> impl IntoView {
    let lang = use_lang();
    let code = use_params_map().get_untracked().get("kod").unwrap_or_default();
    let page = Resource::new(move || code.clone(), get_strategy_page);
    view! {
        <RequireArea area=Area::Strategy>
            <section class="notice strategy">
                <p><a href="/strategiomraden" rel="external">{lang.pick("← Alla strategiområden", "← All strategy areas")}</a></p>
                <Loaded resource=page render=move |data: StrategyPage| view! { <StrategyArea data page/> }/>
            </section>
        </RequireArea>
    }
}

#[component]
fn StrategyArea(
    data: StrategyPage,
    page: Resource<Result<StrategyPage, crate::error::AppError>>,
) -> impl IntoView {
    let lang = use_lang();
    let code = data.summary.code.clone();
    let refetch = Callback::new(move |_| page.refetch());
    let (open, closed): (Vec<_>, Vec<_>) = data.actions.into_iter().partition(|a| a.status.is_open());
    view! {
        <h1>{format!("{} {}", code, strategy_area_label(&code, lang))}</h1>
        <p class="status-line" role="status">{status_line(&data.summary, lang)}</p>
        <p class="hint">{format!("{} – {}", data.from, data.to)}</p>
        <h2>{lang.pick("Per område", "Per area")}</h2>
        {if data.places.is_empty() {
            view! { <p class="hint">{lang.pick("Inga rapporter under perioderna.", "No reports in the periods.")}</p> }.into_any()
        } else {
            view! {
                <table class="place-trends">
                    <thead><tr>
                        <th>{lang.pick("Område", "Area")}</th>
                        <th>{lang.pick("Nu", "Now")}</th>
                        <th>{lang.pick("Perioden före", "Period before")}</th>
                        <th>{lang.pick("Förändring", "Change")}</th>
                    </tr></thead>
                    <tbody>
                        {data.places.into_iter().map(|trend| view! {
                            <tr class:attention=trend.significant_rise>
                                <th scope="row">{if trend.place.is_empty() {
                                    lang.pick("Utanför namngivna områden", "Outside named areas").to_owned()
                                } else {
                                    trend.place.clone()
                                }}</th>
                                <td>{trend.now}</td>
                                <td>{trend.previous}</td>
                                <td>{if trend.significant_rise {
                                    lang.pick("Säkerställd ökning", "Significant rise")
                                } else {
                                    ""
                                }}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            }.into_any()
        }}
        <h2>{lang.pick("Hetpunkter", "Hot spots")}</h2>
        {if data.hotspots.is_empty() {
            view! { <p class="hint">{lang.pick("Inga signifikanta hetpunkter under perioden.", "No significant hot spots in the period.")}</p> }.into_any()
        } else {
            view! {
                <ol class="top-list">
                    {data.hotspots.into_iter().map(|cell| view! {
                        <li>
                            {cell.place.clone().map(|place| view! { <strong class="place">{place}</strong> " · " })}
                            {format!("{} {} · ", cell.count, lang.pick("rapporter", "reports"))}
                            {class_label(cell.class, lang)}
                        </li>
                    }).collect_view()}
                </ol>
            }.into_any()
        }}
        <p><a href=format!("/lagesbild?strategy_area={code}") rel="external">{lang.pick("Öppna i lägesbilden", "Open in the situation map")}</a></p>
        <h2>{format!("{} ({})", lang.pick("Öppna åtgärder", "Open actions"), open.len())}</h2>
        <ul class="action-list">
            {open.into_iter().map(|action| {
                let (id, status) = (action.id, action.status);
                view! { <li><ActionLine action/><FollowUpForm id status done=refetch/></li> }
            }).collect_view()}
        </ul>
        <h2>{format!("{} ({})", lang.pick("Klara och avslagna", "Done and rejected"), closed.len())}</h2>
        <ul class="action-list">
            {closed.into_iter().map(|action| view! { <li><ActionLine action/></li> }).collect_view()}
        </ul>
        <p><a href=format!("/atgarder?strategy_area={code}") rel="external">{lang.pick("Alla åtgärder i området", "All actions in the area")}</a></p>
    }
}

/// Medborgarlöften with their progress, and a form to add one.
#[component]
fn Commitments() -> impl IntoView {
    let lang = use_lang();
    let list = Resource::new(|| (), |_| get_commitments());
    let add = ServerAction::<AddCommitment>::new();
    Effect::new(move |_| {
        if let Some(Ok(())) = add.value().get() {
            list.refetch();
        }
    });
    let this_year = time::OffsetDateTime::now_utc().year().to_string();
    let render = move |commitments: Vec<Commitment>| {
        view! {
            <ul class="commitment-list">
                {commitments.into_iter().map(|c| {
                    let pace = if c.done >= c.target {
                        lang.pick("uppfyllt", "met")
                    } else if c.on_track {
                        lang.pick("i fas", "on track")
                    } else {
                        lang.pick("efter", "behind")
                    };
                    view! {
                        <li class:attention=!c.on_track>
                            <strong>{c.party.clone()}</strong> ": " {c.text.clone()}
                            <br/>
                            {format!("{} {} {} {} {} ({}) · {pace}", c.done, lang.pick("av", "of"), c.target, c.measure.label(lang), c.year, if c.strategy_area.is_empty() { lang.pick("alla områden", "all areas").to_owned() } else { c.strategy_area.clone() })}
                        </li>
                    }
                }).collect_view()}
            </ul>
        }
    };
    view! {
        <h2>{lang.pick("Medborgarlöften", "Commitments to residents")}</h2>
        <p class="hint">{lang.pick("Räknas från det som registrerats i appen.", "Counted from what is recorded in the app.")}</p>
        <Loaded resource=list render/>
        <details class="plan no-print">
            <summary>{lang.pick("Nytt löfte", "New commitment")}</summary>
            <ActionForm action=add attr:class="stack">
                <label>{lang.pick("Part", "Party")}<input name="party" required maxlength="100"/></label>
                <label>{lang.pick("Löftet i ord", "The promise in words")}<input name="text" required maxlength="300"/></label>
                <label>{lang.pick("Mäts som", "Measured as")}
                    <select name="measure">
                        {Measure::ALL.map(|m| view! { <option value=m.as_str()>{m.label(lang)}</option> }).collect_view()}
                    </select>
                </label>
                <label>{lang.pick("Minst antal", "At least")}<input name="target" type="number" min="1" max="10000" required/></label>
                <label>{lang.pick("År", "Year")}<input name="year" type="number" min="2020" max="2100" value=this_year required/></label>
                <label>{lang.pick("Strategiområde", "Strategy area")}
                    <select name="strategy_area">
                        <option value="">{lang.pick("Alla", "All")}</option>
                        {STRATEGY_AREAS.map(|code| view! { <option value=code>{format!("{code} {}", strategy_area_label(code, lang))}</option> }).collect_view()}
                    </select>
                </label>
                {move || add.value().get().and_then(Result::err).map(|err| view! { <p class="error" role="alert">{err.message(lang)}</p> })}
                <button type="submit" disabled=move || add.pending().get()>{lang.pick("Spara löftet", "Save the commitment")}</button>
            </ActionForm>
        </details>
    }
}
