//! Administration without a shell: accounts with the driver register, the categories, and
//! (for admins) the map's settings and the change log. Coordinators see the volunteers and the categories.
//! Every form is a server function, so each change is checked and logged on the server.

mod shown_once;

use leptos::prelude::*;

use crate::domain::access::pages::Page;
use crate::domain::access::{self, Capability};
use crate::domain::admin::{in_names, Account, AuditAction, AuditEvent, WithPassword};
use crate::domain::category::Category;
use crate::domain::code::Code;
use crate::domain::observation::{strategy_area_label, Kind, STRATEGY_AREAS};
use crate::domain::retention::Retention;
use crate::domain::role::Role;
use crate::error::AppError;
use crate::server_fns::admin::{
    get_admin_page, AddCategory, AdminPage, ChangeCategory, ChangeUser, CreateUser, EndUserSessions,
    RegisterDriver, ResetUserPassword, SaveMapSettings, SaveRetention,
};
use crate::settings::MapSettings;
use crate::ui::components::guard::RequirePage;
use crate::ui::components::loaded::Loaded;
use crate::ui::{use_lang, use_user, user_may};
use shown_once::ShownOnce;

#[component]
pub fn AdminPageView() -> impl IntoView {
    let lang = use_lang();
    let page = Resource::new(|| (), |_| get_admin_page());
    view! {
        <RequirePage page=Page::Admin>
            <section class="notice admin">
                <h1>{Page::Admin.label(lang)}</h1>
                <Loaded resource=page render=move |data: AdminPage| view! { <Admin data/> }/>
            </section>
        </RequirePage>
    }
}

/// What the last submission of a settings form came to: saved, or the error to show. Both
/// follow from the action's own value; nothing to keep in step.
fn outcome<S>(action: ServerAction<S>) -> (Signal<bool>, Signal<Option<AppError>>)
where
    S: leptos::server_fn::ServerFn<Error = AppError> + Clone + Send + Sync + 'static,
    S::Output: Clone + Send + Sync + 'static,
{
    let saved = Signal::derive(move || matches!(action.value().get(), Some(Ok(_))));
    let error = Signal::derive(move || action.value().get().and_then(Result::err));
    (saved, error)
}

/// A failed server call in the user's language, where the form is.
fn error_line(error: impl Into<Signal<Option<AppError>>>) -> impl IntoView {
    let error: Signal<Option<AppError>> = error.into();
    let lang = use_lang();
    move || {
        error
            .get()
            .map(|err| view! { <p class="error" role="alert">{err.message(lang)}</p> })
    }
}

#[component]
fn Admin(data: AdminPage) -> impl IntoView {
    let lang = use_lang();
    let categories = RwSignal::new(data.categories.clone());
    let known = data.categories.clone();
    let audit = data.audit.clone();
    let map = data.map.clone();
    let retention = data.retention;
    let reads_log = user_may(Capability::ReadAuditLog);
    view! {
        <nav class="admin-sections" aria-label=lang.pick("Delar av administrationen", "Parts of the administration")>
            <a href="#konton">{lang.pick("Konton och förare", "Accounts and drivers")}</a>
            " · " <a href="#kategorier">{lang.pick("Kategorier", "Categories")}</a>
            " · " <a href=Page::Places.path()>{Page::Places.label(lang)}</a>
            {map.is_some().then(|| view! { " · " <a href="#kartan">{lang.pick("Kartan", "The map")}</a> })}
            {retention.is_some().then(|| view! { " · " <a href="#gallring">{lang.pick("Gallring", "Retention")}</a> })}
            {reads_log.then(|| view! { " · " <a href="#logg">{lang.pick("Logg", "Audit log")}</a> })}
        </nav>
        <Accounts data/>
        <Categories categories/>
        {map.map(|settings| view! { <MapSettingsForm settings/> })}
        {retention.map(|periods| view! { <RetentionForm periods/> })}
        {reads_log.then(|| view! { <AuditLog events=audit categories=known/> })}
    }
}

#[component]
fn Accounts(data: AdminPage) -> impl IntoView {
    let lang = use_lang();
    let create = ServerAction::<CreateUser>::new();
    let error = RwSignal::new(None::<AppError>);
    let created = RwSignal::new(None::<WithPassword>);
    let form = NodeRef::<leptos::html::Form>::new();
    // A new account joins the list in place: the page is not read again, so its one-time
    // password stays in view until the admin hides it.
    let accounts = RwSignal::new(data.accounts.clone());
    Effect::new(move |_| match create.value().get() {
        Some(Ok(new)) => {
            error.set(None);
            accounts.update(|list| list.insert(0, new.account.clone()));
            created.set(Some(new));
            if let Some(form) = form.get_untracked() {
                form.reset();
            }
        }
        Some(Err(err)) => error.set(Some(err)),
        None => {}
    });
    let roles = data.roles.clone();
    let usual = use_user().and_then(|user| access::usual_new_role(user.role));
    let chosen_role = RwSignal::new(usual);
    let organisations = data.organisations.clone();
    let card_roles = data.roles.clone();
    let viewer = data.viewer;
    view! {
        <h2 id="konton">{lang.pick("Konton och förarregister", "Accounts and driver register")}</h2>
        <ShownOnce shown=created/>
        <details class="plan" open={data.accounts.len() <= 1}>
            <summary>{lang.pick("Nytt konto", "New account")}</summary>
            <ActionForm action=create node_ref=form attr:class="stack">
                <label>{lang.pick("E-postadress", "E-mail address")}
                    <input type="email" name="email" required maxlength="254" autocomplete="off"/></label>
                <label>{lang.pick("Namn", "Name")}
                    <input type="text" name="display_name" maxlength="120" autocomplete="off"/></label>
                <label>{lang.pick("Roll", "Role")}
                    <select name="role" on:change=move |ev| chosen_role.set(Role::from_code(&event_target_value(&ev)))>
                        {roles.iter().map(|role| view! {
                            <option value=role.as_str() selected=Some(*role) == usual>{role.label(lang)}</option>
                        }).collect_view()}
                    </select>
                </label>
                {move || chosen_role.get().filter(|&role| access::has_organisation(role)).map(|_| {
                    let organisations = organisations.clone();
                    view! {
                        <label>{lang.pick("Organisation", "Organisation")}
                            <select name="organisation" required>
                                <option value="">{lang.pick("Välj…", "Choose…")}</option>
                                {organisations.into_iter().map(|organisation| view! {
                                    <option value=organisation.id.to_string()>{organisation.name}</option>
                                }).collect_view()}
                            </select>
                        </label>
                        <p class="hint">
                            {lang.pick("Saknas organisationen? Registrera den under ", "Organisation missing? Register it under ")}
                            <a href=Page::Organisations.path()>{Page::Organisations.label(lang)}</a>"."
                        </p>
                    }
                })}
                {error_line(error)}
                <button type="submit" disabled=move || create.pending().get()>{lang.pick("Skapa konto", "Create account")}</button>
            </ActionForm>
        </details>
        <ul class="accounts">
            <For each=move || accounts.get() key=|account| account.id let:account>
                {
                    let own = account.id == viewer;
                    view! { <AccountCard account own roles=card_roles.clone()/> }
                }
            </For>
        </ul>
    }
}

#[component]
fn AccountCard(account: Account, own: bool, roles: Vec<Role>) -> impl IntoView {
    let lang = use_lang();
    let current = RwSignal::new(account);
    let error = RwSignal::new(None::<AppError>);
    let change = ServerAction::<ChangeUser>::new();
    let reset = ServerAction::<ResetUserPassword>::new();
    let end = ServerAction::<EndUserSessions>::new();
    let register = ServerAction::<RegisterDriver>::new();
    let password = RwSignal::new(None::<WithPassword>);
    let ended = RwSignal::new(false);
    let confirming = RwSignal::new(false);
    let take = move |result: Option<Result<Account, AppError>>| match result {
        Some(Ok(updated)) => {
            error.set(None);
            confirming.set(false);
            current.set(updated);
        }
        Some(Err(err)) => error.set(Some(err)),
        None => {}
    };
    Effect::new(move |_| take(change.value().get()));
    Effect::new(move |_| take(register.value().get()));
    Effect::new(move |_| match reset.value().get() {
        Some(Ok(new)) => {
            error.set(None);
            password.set(Some(new));
        }
        Some(Err(err)) => error.set(Some(err)),
        None => {}
    });
    Effect::new(move |_| match end.value().get() {
        Some(Ok(_)) => ended.set(true),
        Some(Err(err)) => error.set(Some(err)),
        None => {}
    });
    let id = move || current.with(|a| a.id.to_string());
    let busy = move || {
        change.pending().get() || reset.pending().get() || end.pending().get() || register.pending().get()
    };
    view! {
        <li class="account-card" class:disabled=move || current.with(|a| a.disabled)>
            <h3>{move || current.with(|a| a.display_name.clone())}</h3>
            <p>{move || current.with(|a| a.email.clone())} " · "
                <strong>{move || current.with(|a| a.role.label(lang))}</strong>
                {move || current.with(|a| a.disabled).then(|| format!(" · {}", lang.pick("Avstängt", "Disabled")))}
                {own.then(|| format!(" · {}", lang.pick("du själv", "yourself")))}
            </p>
            {move || current.with(|a| a.driver.clone()).map(|driver| view! {
                <p class="hint">
                    {format!("{} {}", lang.pick("Utbildad:", "Trained:"), driver.trained_on.clone().unwrap_or_else(|| "–".into()))}
                    " · "
                    {match &driver.confidentiality_signed_on {
                        Some(day) => format!("{} {day}", lang.pick("Tystnadslöfte:", "Confidentiality agreement:")),
                        None => lang.pick("Inget tystnadslöfte", "No confidentiality agreement").to_owned(),
                    }}
                    {(!driver.vehicles.is_empty()).then(|| format!(" · {} {}", lang.pick("Fordon:", "Vehicles:"), driver.vehicles.join(", ")))}
                </p>
            })}
            <div class="account-actions">
                {(!own).then(|| view! {
                    <ActionForm action=change attr:class="inline">
                        <input type="hidden" name="id" prop:value=id/>
                        <input type="hidden" name="what" value="role"/>
                        <input type="hidden" name="display_name" value=""/>
                        <label>{lang.pick("Roll", "Role")}
                            <select name="role">
                                {roles.iter().map(|role| {
                                    let role = *role;
                                    view! {
                                        <option value=role.as_str() selected=move || current.with(|a| a.role == role)>{role.label(lang)}</option>
                                    }
                                }).collect_view()}
                            </select>
                        </label>
                        <button type="submit" class="secondary" disabled=busy>{lang.pick("Byt roll", "Change role")}</button>
                    </ActionForm>
                    <ActionForm action=change attr:class="inline">
                        <input type="hidden" name="id" prop:value=id/>
                        <input type="hidden" name="what" prop:value=move || if current.with(|a| a.disabled) { "enable" } else { "disable" }/>
                        <input type="hidden" name="role" value=""/>
                        <input type="hidden" name="display_name" value=""/>
                        <Show
                            when=move || confirming.get() && !current.with(|a| a.disabled)
                            fallback=move || view! {
                                {move || if current.with(|a| a.disabled) {
                                    view! { <button type="submit" class="secondary" disabled=busy>{lang.pick("Aktivera", "Enable")}</button> }.into_any()
                                } else {
                                    view! { <button type="button" class="secondary" disabled=busy on:click=move |_| confirming.set(true)>{lang.pick("Stäng av", "Disable")}</button> }.into_any()
                                }}
                            }
                        >
                            <div class="confirm" role="alertdialog" aria-labelledby=format!("stang-av-{}", id())>
                                <p id=format!("stang-av-{}", id())><strong>{move || format!("{} {}?", lang.pick("Stänga av kontot för", "Disable the account of"), current.with(|a| a.display_name.clone()))}</strong>
                                    " " {lang.pick(
                                        "Personen loggas ut överallt och kan inte logga in förrän kontot aktiveras igen. Det som personen har rapporterat ligger kvar.",
                                        "The person is signed out everywhere and cannot sign in until the account is enabled again. What they reported stays.",
                                    )}</p>
                                <div class="row">
                                    <button type="submit" class="danger" disabled=busy>{lang.pick("Ja, stäng av", "Yes, disable")}</button>
                                    <button type="button" class="secondary" on:click=move |_| confirming.set(false)>{lang.pick("Avbryt", "Cancel")}</button>
                                </div>
                            </div>
                        </Show>
                    </ActionForm>
                })}
                <ActionForm action=reset attr:class="inline">
                    <input type="hidden" name="id" prop:value=id/>
                    <button type="submit" class="secondary" disabled=busy>{lang.pick("Nytt lösenord", "New password")}</button>
                </ActionForm>
                <ActionForm action=end attr:class="inline">
                    <input type="hidden" name="id" prop:value=id/>
                    <button type="submit" class="secondary" disabled=busy>{lang.pick("Logga ut överallt", "Sign out everywhere")}</button>
                </ActionForm>
            </div>
            {move || ended.get().then(|| view! { <p role="status">{lang.pick("Alla inloggningar är avslutade.", "All sessions have ended.")}</p> })}
            <ShownOnce shown=password/>
            {move || current.with(|a| access::in_driver_register(a.role)).then(|| view! { <DriverForm current register/> })}
            {error_line(error)}
        </li>
    }
}

#[component]
fn DriverForm(current: RwSignal<Account>, register: ServerAction<RegisterDriver>) -> impl IntoView {
    let lang = use_lang();
    let driver = current.get_untracked().driver.unwrap_or_default();
    let id = move || current.with(|a| a.id.to_string());
    view! {
        <details class="plan">
            <summary>{lang.pick("Förarregister", "Driver register")}</summary>
            <ActionForm action=register attr:class="stack">
                <input type="hidden" name="id" prop:value=id/>
                <label>{lang.pick("Utbildad (datum)", "Trained (date)")}
                    <input type="date" name="trained_on" value=driver.trained_on.clone().unwrap_or_default()/></label>
                <label>{lang.pick("Tystnadslöfte undertecknat (datum)", "Confidentiality agreement signed (date)")}
                    <input type="date" name="confidentiality_signed_on" value=driver.confidentiality_signed_on.clone().unwrap_or_default()/></label>
                <p class="hint">{lang.pick(
                    "Först när tystnadslöftet är undertecknat ser föraren polisens fokusplatser exakt.",
                    "Only once the confidentiality agreement is signed does the driver see the police's focus places exactly.",
                )}</p>
                <label>{lang.pick("Fordon föraren får köra, ett per rad", "Vehicles the driver may take, one per line")}
                    <textarea name="vehicles" rows="2">{driver.vehicles.join("\n")}</textarea></label>
                <label>{lang.pick("Anteckning", "Note")}
                    <textarea name="note" rows="2" maxlength="2000">{driver.note.clone()}</textarea></label>
                <button type="submit" disabled=move || register.pending().get()>{lang.pick("Spara i registret", "Save in the register")}</button>
            </ActionForm>
        </details>
    }
}

#[component]
fn Categories(categories: RwSignal<Vec<Category>>) -> impl IntoView {
    let lang = use_lang();
    let add = ServerAction::<AddCategory>::new();
    let change = ServerAction::<ChangeCategory>::new();
    let error = RwSignal::new(None::<AppError>);
    let take = move |result: Option<Result<Vec<Category>, AppError>>| match result {
        Some(Ok(all)) => {
            error.set(None);
            categories.set(all);
        }
        Some(Err(err)) => error.set(Some(err)),
        None => {}
    };
    Effect::new(move |_| take(add.value().get()));
    Effect::new(move |_| take(change.value().get()));
    let busy = move || add.pending().get() || change.pending().get();
    view! {
        <h2 id="kategorier">{lang.pick("Kategorier", "Categories")}</h2>
        <p class="hint">{lang.pick(
            "Kategorierna som formulären erbjuder, i den ordning de visas. En avvecklad kategori finns kvar på gamla iakttagelser men erbjuds inte längre.",
            "The categories the forms offer, in the order shown. A retired category stays on old observations but is no longer offered.",
        )}</p>
        {error_line(error)}
        {Kind::ALL.into_iter().map(|kind| view! {
            <h3>{kind.label(lang)}</h3>
            <ul class="categories">
                <For
                    each=move || categories.get().into_iter().filter(move |c| c.kind == kind)
                    key=|c| (c.id.clone(), c.label_sv.clone(), c.label_en.clone(), c.retired)
                    let:category
                >
                    <CategoryRow category change busy/>
                </For>
            </ul>
        }).collect_view()}
        <details class="plan">
            <summary>{lang.pick("Ny kategori", "New category")}</summary>
            <ActionForm action=add attr:class="stack">
                <label>{lang.pick("Slag", "Kind")}
                    <select name="kind">
                        {Kind::ALL.into_iter().map(|kind| view! { <option value=kind.as_str()>{kind.label(lang)}</option> }).collect_view()}
                    </select>
                </label>
                <label>{lang.pick(
                    "Id (små bokstäver, siffror, punkt eller understreck; används bara internt)",
                    "Id (lowercase letters, digits, dot or underscore; used internally only)")}
                    <input type="text" name="id" required maxlength="60" pattern="[a-z0-9._]+"/></label>
                <label>{lang.pick("Namn på svenska", "Name in Swedish")}
                    <input type="text" name="label_sv" required maxlength="100"/></label>
                <label>{lang.pick("Namn på engelska", "Name in English")}
                    <input type="text" name="label_en" required maxlength="100"/></label>
                <label>{lang.pick("Strategiområde", "Strategy area")}
                    <select name="strategy_area">
                        {STRATEGY_AREAS.into_iter().map(|code| view! {
                            <option value=code>{format!("{code} {}", strategy_area_label(code, lang))}</option>
                        }).collect_view()}
                    </select>
                </label>
                <button type="submit" disabled=busy>{lang.pick("Lägg till", "Add")}</button>
            </ActionForm>
        </details>
    }
}

/// The category and the change a category form asks for.
fn hidden_fields(id: &str, what: &'static str) -> impl IntoView {
    view! {
        <input type="hidden" name="id" value=id.to_owned()/>
        <input type="hidden" name="what" value=what/>
    }
}

#[component]
fn CategoryRow(
    category: Category,
    change: ServerAction<ChangeCategory>,
    busy: impl Fn() -> bool + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let lang = use_lang();
    let move_button = |what: &'static str, label: &'static str, name: &'static str| {
        let fields = hidden_fields(&category.id, what);
        view! {
            <ActionForm action=change attr:class="inline">
                {fields}
                <input type="hidden" name="label_sv" value=""/>
                <input type="hidden" name="label_en" value=""/>
                <button type="submit" class="secondary" aria-label=name title=name disabled=busy>{label}</button>
            </ActionForm>
        }
    };
    let up = move_button("up", "↑", lang.pick("Flytta upp", "Move up"));
    let down = move_button("down", "↓", lang.pick("Flytta ned", "Move down"));
    let (retire, retire_label) = if category.retired {
        ("restore", lang.pick("Ta i bruk igen", "Restore"))
    } else {
        ("retire", lang.pick("Avveckla", "Retire"))
    };
    let rename_fields = hidden_fields(&category.id, "rename");
    let retire_fields = hidden_fields(&category.id, retire);
    let name = lang.pick(&category.label_sv, &category.label_en).to_owned();
    let about = format!(
        "{} {}{}",
        category.strategy_area,
        strategy_area_label(&category.strategy_area, lang),
        if category.retired {
            lang.pick(" · avvecklad", " · retired")
        } else {
            ""
        }
    );
    let (id, label_sv, label_en, retired) = (
        category.id,
        category.label_sv,
        category.label_en,
        category.retired,
    );
    view! {
        <li class="category-row" class:retired=retired data-id=id>
            <strong class="category-name">{name}</strong>
            <ActionForm action=change attr:class="inline">
                {rename_fields}
                <label>{lang.pick("Svenska", "Swedish")}
                    <input type="text" name="label_sv" value=label_sv required maxlength="100"/></label>
                <label>{lang.pick("Engelska", "English")}
                    <input type="text" name="label_en" value=label_en required maxlength="100"/></label>
                <button type="submit" class="secondary" disabled=busy>{lang.pick("Byt namn", "Rename")}</button>
            </ActionForm>
            <span class="hint">{about}</span>
            {up}
            {down}
            <ActionForm action=change attr:class="inline">
                {retire_fields}
                <input type="hidden" name="label_sv" value=""/>
                <input type="hidden" name="label_en" value=""/>
                <button type="submit" class="secondary" disabled=busy>{retire_label}</button>
            </ActionForm>
        </li>
    }
}

/// The map's tiles and starting view, changed while the app runs (admins only).
#[component]
fn MapSettingsForm(settings: MapSettings) -> impl IntoView {
    let lang = use_lang();
    let save = ServerAction::<SaveMapSettings>::new();
    let (saved, error) = outcome(save);
    view! {
        <h2 id="kartan">{lang.pick("Kartan", "The map")}</h2>
        <p class="hint">{lang.pick(
            "Kartbakgrund och startvy för alla kartor. Ändringen gäller från nästa sida som öppnas.",
            "Map background and starting view for every map. The change applies from the next page opened.",
        )}</p>
        <ActionForm action=save attr:class="stack map-settings">
            <label>{lang.pick("Adress till kartbilder ({z}, {x}, {y})", "Tile address ({z}, {x}, {y})")}
                <input type="url" name="tile_url" required maxlength="500" value=settings.tile_url/></label>
            <label>{lang.pick("Upphovsrättsrad", "Attribution")}
                <input type="text" name="tile_attribution" required maxlength="500" value=settings.tile_attribution/></label>
            <label>{lang.pick("Mittpunkt, latitud", "Centre, latitude")}
                <input type="text" inputmode="decimal" name="center_lat" required value=settings.center_lat.to_string()/></label>
            <label>{lang.pick("Mittpunkt, longitud", "Centre, longitude")}
                <input type="text" inputmode="decimal" name="center_lng" required value=settings.center_lng.to_string()/></label>
            <label>{lang.pick("Zoomnivå (5–18)", "Zoom level (5–18)")}
                <input type="number" name="zoom" min="5" max="18" step="1" required value=settings.zoom.to_string()/></label>
            {error_line(error)}
            <p role="status">{move || saved.get().then(|| lang.pick("Sparat.", "Saved."))}</p>
            <button type="submit" disabled=move || save.pending().get()>{lang.pick("Spara kartans inställningar", "Save the map settings")}</button>
        </ActionForm>
    }
}

/// How long each kind of record is kept (admins only); docs/operations.md has the reasons.
#[component]
fn RetentionForm(periods: Retention) -> impl IntoView {
    let lang = use_lang();
    let save = ServerAction::<SaveRetention>::new();
    let (saved, error) = outcome(save);
    let field = move |name: &'static str, sv: &'static str, en: &'static str, months: u32| {
        view! {
            <label>{lang.pick(sv, en)}
                <input type="number" name=name min="1" max="120" step="1" required value=months.to_string()/></label>
        }
    };
    view! {
        <h2 id="gallring">{lang.pick("Gallring", "Retention")}</h2>
        <p class="hint">{lang.pick(
            "Hur många månader rådata sparas. Äldre rapporter raderas med sina foton varje natt; kvar blir bara antal per område och månad där minst tre rapporter ingår.",
            "How many months raw data is kept. Older reports are deleted with their photos every night; only counts per area and month of at least three reports remain.",
        )}</p>
        <ActionForm action=save attr:class="stack retention-settings">
            {field("drug_scene_months", "Öppna drogscener (månader)", "Open drug scenes (months)", periods.drug_scene_months)}
            {field("patrol_months", "Grannstödsobservationer (månader)", "Patrol observations (months)", periods.patrol_months)}
            {field("walk_months", "Trygghetsvandringar med deltagare (månader)", "Safety walks with participants (months)", periods.walk_months)}
            {field("track_months", "Körda rutter (månader)", "Routes driven (months)", periods.track_months)}
            {field("incident_months", "Händelserapporter och tips (månader)", "Incident reports and tips (months)", periods.incident_months)}
            {field("audit_months", "Loggen (månader)", "The audit log (months)", periods.audit_months)}
            {error_line(error)}
            <p role="status">{move || saved.get().then(|| lang.pick("Sparat.", "Saved."))}</p>
            <button type="submit" disabled=move || save.pending().get()>{lang.pick("Spara gallringen", "Save the retention periods")}</button>
        </ActionForm>
    }
}

fn at(ms: i64) -> String {
    crate::ui::format::stockholm_time_ms(ms)
}

#[component]
fn AuditLog(events: Vec<AuditEvent>, categories: Vec<Category>) -> impl IntoView {
    let lang = use_lang();
    view! {
        <h2 id="logg">{lang.pick("Logg", "Audit log")}</h2>
        <p>{lang.pick(
            "Ändringar, inloggningar, exporter och läsningar av skyddade rapporter. De senaste 200 visas här; ",
            "Changes, sign-ins, exports and reads of restricted reports. The latest 200 are shown here; ",
        )}<a href="/api/v1/audit.csv" rel="external" download="logg.csv">{lang.pick("hämta loggen som CSV", "download the log as CSV")}</a>"."</p>
        {events.is_empty().then(|| view! { <p>{lang.pick("Inga händelser ännu.", "Nothing yet.")}</p> })}
        <table class="audit">
            <thead><tr>
                <th scope="col">{lang.pick("När", "When")}</th>
                <th scope="col">{lang.pick("Vem", "Who")}</th>
                <th scope="col">{lang.pick("Vad", "What")}</th>
                <th scope="col">{lang.pick("Gäller", "Concerns")}</th>
                <th scope="col">{lang.pick("Detaljer", "Details")}</th>
            </tr></thead>
            <tbody>
                {events.into_iter().map(|event| view! {
                    <tr>
                        <td>{at(event.at)}</td>
                        <td>{event.actor.clone().unwrap_or_else(|| lang.pick("systemet", "the system").to_owned())}</td>
                        <td>{AuditAction::from_code(&event.action).map_or_else(|| event.action.clone(), |action| action.label(lang).to_owned())}</td>
                        <td>{in_names(&event.subject, &categories, lang)}</td>
                        <td>{in_names(&event.detail, &categories, lang)}</td>
                    </tr>
                }).collect_view()}
            </tbody>
        </table>
    }
}
