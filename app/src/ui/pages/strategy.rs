//! Strategiområden: the action plan's areas at a glance, and one page per area with its
//! reports against the quarter before, its hotspots by place, its focus problems with
//! their cause analysis and goal, its open and overdue actions and its interventions —
//! what the steering group and the chefssamråd follow up.

use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

use crate::domain::access::pages::Page;
use crate::domain::commitment::{Commitment, Measure};
use crate::domain::focus::FocusProblem;
use crate::domain::ids::FocusProblemId;
use crate::domain::observation::{strategy_area_label, STRATEGY_AREAS};
use crate::i18n::Lang;
use crate::server_fns::strategy::{
    get_commitments, get_strategy_overview, get_strategy_page, AddCommitment, AddFocusProblem, LinkActivity,
    StrategyPage, StrategySummary, PERIOD_DAYS,
};
use crate::ui::components::actions::{ActionLine, FollowedAction};
use crate::ui::components::guard::RequirePage;
use crate::ui::components::loaded::Loaded;
use crate::ui::components::map::hotspots::class_words;
use crate::ui::format;
use crate::ui::use_lang;

/// "12 rapporter (8 perioden före), en tydlig ökning, sannolikt inte slumpen. 3 öppna
/// åtgärder, varav 1 försenad.": the reports and the actions in words.
fn status_line(summary: &StrategySummary, lang: Lang) -> String {
    let reports = &summary.reports;
    let trend = if reports.significant_rise {
        lang.pick(
            "en tydlig ökning, sannolikt inte slumpen",
            "a clear rise, probably not chance",
        )
    } else if reports.now < reports.previous {
        lang.pick("färre än förra perioden", "fewer than the period before")
    } else {
        lang.pick("ingen tydlig ökning", "no clear rise")
    };
    let now = format::count(
        u64::from(reports.now),
        ["rapport", "rapporter"],
        ["report", "reports"],
        lang,
    );
    let previous = format::integer(i64::from(reports.previous), lang);
    let open = format::count(
        summary.open_actions as u64,
        ["öppen åtgärd", "öppna åtgärder"],
        ["open action", "open actions"],
        lang,
    );
    let overdue = format::integer(summary.overdue_actions as i64, lang);
    let actions = match (summary.open_actions, summary.overdue_actions, lang) {
        (0, _, _) => lang.pick("Inga öppna åtgärder.", "No open actions.").to_owned(),
        (_, 0, Lang::Sv) => format!("{open}, ingen försenad."),
        (_, 0, Lang::En) => format!("{open}, none overdue."),
        (_, 1, Lang::Sv) => format!("{open}, varav {overdue} försenad."),
        (_, _, Lang::Sv) => format!("{open}, varav {overdue} försenade."),
        (_, _, Lang::En) => format!("{open}, {overdue} of them overdue."),
    };
    match lang {
        Lang::Sv => format!("{now} ({previous} perioden före), {trend}. {actions}"),
        Lang::En => format!("{now} ({previous} the period before), {trend}. {actions}"),
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
                        <a href=format!("/strategiomraden/{}", summary.code)>
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
        <RequirePage page=Page::Strategy>
            <section class="notice strategy">
                <h1>{Page::Strategy.label(lang)}</h1>
                <p class="hint">{match lang {
                    Lang::Sv => format!("De senaste {PERIOD_DAYS} dagarna mot de {PERIOD_DAYS} dagarna före."),
                    Lang::En => format!("The last {PERIOD_DAYS} days against the {PERIOD_DAYS} days before."),
                }}</p>
                <Loaded resource=overview render=overview_list/>
                <Commitments/>
            </section>
        </RequirePage>
    }
}

#[component]
pub fn StrategyAreaPage() -> impl IntoView {
    let lang = use_lang();
    let code = use_params_map().get_untracked().get("kod").unwrap_or_default();
    let page = Resource::new(move || code.clone(), get_strategy_page);
    view! {
        <RequirePage page=Page::Strategy>
            <section class="notice strategy">
                <p><a href="/strategiomraden">{lang.pick("← Alla strategiområden", "← All strategy areas")}</a></p>
                <Loaded resource=page render=move |data: StrategyPage| view! { <StrategyArea data page/> }/>
            </section>
        </RequirePage>
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
    // What a focus problem may be served by: the area's actions and interventions.
    let choices: Vec<(String, String)> = data
        .actions
        .iter()
        .map(|a| {
            (
                format!("action:{}", a.id),
                format!("{} {}", lang.pick("Åtgärd:", "Action:"), a.title),
            )
        })
        .chain(data.interventions.iter().map(|i| {
            (
                format!("intervention:{}", i.id),
                format!("{} {}", lang.pick("Insats:", "Intervention:"), i.title),
            )
        }))
        .collect();
    let focus_problems = data.focus_problems.clone();
    let interventions = data.interventions.clone();
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
                                    lang.pick("Tydlig ökning, sannolikt inte slumpen", "Clear rise, probably not chance")
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
            view! { <p class="hint">{lang.pick(
                "Inga platser med tydligt fler rapporter än runt omkring under perioden.",
                "No places with clearly more reports than around them in the period.",
            )}</p> }.into_any()
        } else {
            view! {
                <ol class="top-list">
                    {data.hotspots.into_iter().map(|cell| view! {
                        <li>
                            {cell.place.clone().map(|place| view! { <strong class="place">{place}</strong> " · " })}
                            {format!(
                                "{} · ",
                                format::count(u64::from(cell.count), ["rapport", "rapporter"], ["report", "reports"], lang)
                            )}
                            {class_words(cell.class, lang)}
                        </li>
                    }).collect_view()}
                </ol>
            }.into_any()
        }}
        <p><a href=format!("/lagesbild?strategy_area={code}")>{lang.pick("Öppna i lägesbilden", "Open in the situation map")}</a></p>
        <h2>{format!("{} ({})", lang.pick("Fokusproblem", "Focus problems"), focus_problems.len())}</h2>
        <ul class="focus-problems">
            {focus_problems.into_iter().map(|problem| view! {
                <li><FocusProblemCard problem choices=choices.clone() done=refetch/></li>
            }).collect_view()}
        </ul>
        <NewFocusProblemForm code=code.clone() done=refetch/>
        <h2>{format!("{} ({})", lang.pick("Insatser", "Interventions"), interventions.len())}</h2>
        <ul class="intervention-list">
            {interventions.into_iter().map(|i| view! {
                <li><a href=format!("/insatser/{}", i.id)>{i.title.clone()}</a>
                    " · " {match &i.ends_on {
                        Some(end) => format!("{} – {end}", i.starts_on),
                        None => format!("{} {}", lang.pick("från", "from"), i.starts_on),
                    }}</li>
            }).collect_view()}
        </ul>
        <h2>{format!("{} ({})", lang.pick("Öppna åtgärder", "Open actions"), open.len())}</h2>
        <ul class="action-list">
            {open.into_iter().map(|action| view! { <li><FollowedAction action/></li> }).collect_view()}
        </ul>
        <h2>{format!("{} ({})", lang.pick("Klara och avslagna", "Done and rejected"), closed.len())}</h2>
        <ul class="action-list">
            {closed.into_iter().map(|action| view! { <li><ActionLine action/></li> }).collect_view()}
        </ul>
        <p><a href=format!("/atgarder?strategy_area={code}")>{lang.pick("Alla åtgärder i området", "All actions in the area")}</a></p>
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
    let this_year = crate::domain::clock::today().format("%Y").to_string();
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
                            {format!(
                                "{} {} {} {} {} ({}) · {pace}",
                                format::integer(i64::from(c.done), lang),
                                lang.pick("av", "of"),
                                format::integer(i64::from(c.target), lang),
                                c.measure.label(lang),
                                c.year,
                                if c.strategy_area.is_empty() {
                                    lang.pick("alla områden", "all areas").to_owned()
                                } else {
                                    format!("{} {}", c.strategy_area, strategy_area_label(&c.strategy_area, lang))
                                }
                            )}
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

/// One focus problem: the problem, the crime triangle, the goal, and what serves it.
#[component]
fn FocusProblemCard(
    problem: FocusProblem,
    choices: Vec<(String, String)>,
    done: Callback<()>,
) -> impl IntoView {
    let lang = use_lang();
    let link = ServerAction::<LinkActivity>::new();
    Effect::new(move |_| {
        if matches!(link.value().get(), Some(Ok(_))) {
            done.run(());
        }
    });
    let causes = &problem.causes;
    let triangle = [
        (lang.pick("Plats", "Place"), causes.place.clone()),
        (lang.pick("Gärningsperson", "Offender"), causes.offender.clone()),
        (
            lang.pick("Offer eller mål", "Victim or target"),
            causes.target.clone(),
        ),
        (lang.pick("Platsansvariga", "Managers"), causes.managers.clone()),
        (
            lang.pick("Påverkar gärningspersonen", "Handlers"),
            causes.handlers.clone(),
        ),
        (lang.pick("Skyddar målet", "Guardians"), causes.guardians.clone()),
    ];
    let linked: Vec<String> = problem
        .activities
        .iter()
        .map(|a| format!("{}:{}", a.kind, a.id))
        .collect();
    let choices: Vec<(String, String)> = choices
        .into_iter()
        .filter(|(key, _)| !linked.contains(key))
        .collect();
    let id = problem.id;
    view! {
        <article class="focus-problem">
            <h3>{problem.title.clone()}</h3>
            <p>{problem.problem.clone()}</p>
            <dl class="triangle">
                {triangle.into_iter().filter(|(_, text)| !text.is_empty()).map(|(label, text)| view! {
                    <dt>{label}</dt><dd>{text}</dd>
                }).collect_view()}
            </dl>
            <p><strong>{lang.pick("Mål: ", "Goal: ")}</strong>{problem.goal.clone()}
                " · " <strong>{lang.pick("Mäts: ", "Measured: ")}</strong>{problem.measure.clone()}
                " · " {format!("{} {}", lang.pick("senast", "by"), problem.goal_on)}</p>
            <ul>
                {problem.activities.iter().map(|activity| view! {
                    <li>
                        {if activity.kind == "action" { lang.pick("Åtgärd: ", "Action: ") } else { lang.pick("Insats: ", "Intervention: ") }}
                        {activity.title.clone()} " · " {activity.when.clone()}
                        {activity.status.map(|status| format!(" · {}", status.label(lang)))}
                    </li>
                }).collect_view()}
            </ul>
            {(!choices.is_empty()).then(|| view! {
                <ActionForm action=link attr:class="inline no-print">
                    <input type="hidden" name="focus_problem" value=id.to_string()/>
                    <label>{lang.pick("Koppla en åtgärd eller insats", "Link an action or intervention")}
                        <select name="activity">
                            {choices.into_iter().map(|(key, label)| view! { <option value=key>{label}</option> }).collect_view()}
                        </select>
                    </label>
                    <button type="submit" class="secondary" disabled=move || link.pending().get()>{lang.pick("Koppla", "Link")}</button>
                </ActionForm>
            })}
            {move || link.value().get().and_then(Result::err).map(|err| view! { <p class="error" role="alert">{err.message(lang)}</p> })}
        </article>
    }
}

/// A new focus problem for the area: problem, crime triangle, goal.
#[component]
fn NewFocusProblemForm(code: String, done: Callback<()>) -> impl IntoView {
    let lang = use_lang();
    let add = ServerAction::<AddFocusProblem>::new();
    let id = RwSignal::new(FocusProblemId::new());
    Effect::new(move |_| {
        if matches!(add.value().get(), Some(Ok(_))) {
            id.set(FocusProblemId::new());
            done.run(());
        }
    });
    let field = move |name: &'static str, sv: &'static str, en: &'static str| {
        view! { <label>{lang.pick(sv, en)}<textarea name=name rows="2" maxlength="4000"></textarea></label> }
    };
    view! {
        <details class="plan no-print">
            <summary>{lang.pick("Nytt fokusproblem", "New focus problem")}</summary>
            <ActionForm action=add attr:class="stack">
                <input type="hidden" name="id" prop:value=move || id.get().to_string()/>
                <input type="hidden" name="strategy_area" value=code/>
                <label>{lang.pick("Rubrik", "Title")}<input type="text" name="title" required maxlength="200"/></label>
                <label>{lang.pick("Problemet", "The problem")}<textarea name="problem" rows="3" required maxlength="4000"></textarea></label>
                <fieldset>
                    <legend>{lang.pick("Orsaksanalys (problemtriangeln)", "Cause analysis (the crime triangle)")}</legend>
                    {field("cause_place", "Plats: vad gör att det sker just där?", "Place: what makes it happen there?")}
                    {field("cause_offender", "Gärningsperson: vem, och varför?", "Offender: who, and why?")}
                    {field("cause_target", "Offer eller mål: vem eller vad drabbas?", "Victim or target: who or what is hit?")}
                    {field("managers", "Platsansvariga som kan påverka platsen", "Managers who can change the place")}
                    {field("handlers", "Personer som kan påverka gärningspersonen", "Handlers who can influence the offender")}
                    {field("guardians", "Personer som kan skydda målet", "Guardians who can protect the target")}
                </fieldset>
                <label>{lang.pick("Mål", "Goal")}<textarea name="goal" rows="2" required maxlength="4000"></textarea></label>
                <label>{lang.pick("Hur målet mäts", "How the goal is measured")}<input type="text" name="measure" required maxlength="4000"/></label>
                <label>{lang.pick("Måldatum", "Goal date")}<input type="date" name="goal_on" required/></label>
                {move || add.value().get().and_then(Result::err).map(|err| view! { <p class="error" role="alert">{err.message(lang)}</p> })}
                <button type="submit" disabled=move || add.pending().get()>{lang.pick("Spara fokusproblemet", "Save the focus problem")}</button>
            </ActionForm>
        </details>
    }
}
