//! The fields the pages' filter forms share (Karta, Lägesbild): plain GET-form fields, so
//! the filters work before the WASM has loaded and end up in the address.

use leptos::prelude::*;

use crate::domain::category::Category;
use crate::domain::observation::Kind;
use crate::ui::use_lang;

/// One `<option>`, chosen when it is the current value.
pub fn choice(value: String, label: String, current: &str) -> impl IntoView {
    let selected = value == current;
    view! { <option value=value selected=selected>{label}</option> }
}

/// "Sort" and "Kategori": the kind of report and its category, both optional.
#[component]
pub fn KindAndCategory(
    kind: Option<Kind>,
    category: Option<String>,
    categories: Vec<Category>,
) -> impl IntoView {
    let lang = use_lang();
    let kind = kind.map(Kind::as_str).unwrap_or("");
    let category = category.unwrap_or_default();
    view! {
        <label>{lang.pick("Sort", "Kind")}
            <select name="kind">
                {choice(String::new(), lang.pick("Alla sorter", "All kinds").into(), kind)}
                {Kind::ALL.into_iter().map(|k| choice(k.as_str().into(), k.label(lang).into(), kind)).collect_view()}
            </select>
        </label>
        <label>{lang.pick("Kategori", "Category")}
            <select name="category">
                {choice(String::new(), lang.pick("Alla kategorier", "All categories").into(), &category)}
                {categories.iter().map(|c| choice(c.id.clone(), lang.pick(&c.label_sv, &c.label_en).to_owned(), &category)).collect_view()}
            </select>
        </label>
    }
}
