//! A page's data: a loading line while it comes, the page when it is there, and the
//! error in the user's language when it cannot be had.

use leptos::prelude::*;
use serde::de::DeserializeOwned;
use serde::Serialize;

use crate::error::AppError;
use crate::ui::use_lang;

#[component]
pub fn Loaded<T, V, F>(resource: Resource<Result<T, AppError>>, render: F) -> impl IntoView
where
    T: Clone + Send + Sync + Serialize + DeserializeOwned + 'static,
    F: Fn(T) -> V + Clone + Send + Sync + 'static,
    V: IntoView + 'static,
{
    let lang = use_lang();
    view! {
        <Suspense fallback=move || view! { <p class="loading">{lang.pick("Laddar…", "Loading…")}</p> }>
            {move || {
                let render = render.clone();
                Suspend::new(async move {
                    match resource.await {
                        Ok(data) => render(data).into_any(),
                        Err(err) => view! { <p class="error notice" role="alert">{err.message(lang)}</p> }.into_any(),
                    }
                })
            }}
        </Suspense>
    }
}
