//! The accessibility statement (tillgänglighetsredogörelse) that Swedish public bodies
//! publish under the law on accessibility of digital public services (DOS-lagen): how
//! accessible the app is, what is not yet, how to report a barrier, and where to complain.
//! Open to everyone, signed in or not.

use leptos::prelude::*;

use crate::server_fns::accessibility::get_contact;
use crate::ui::components::loaded::Loaded;
use crate::ui::use_lang;

/// Where to report: the configured address, or who to turn to without one.
fn contact_line(contact: Option<String>) -> impl IntoView {
    let lang = use_lang();
    match contact {
        Some(email) => view! {
            <p>{lang.pick("E-post: ", "E-mail: ")}<a href=format!("mailto:{email}")>{email.clone()}</a></p>
        }
        .into_any(),
        None => view! {
            <p>{lang.pick(
                "Kontakta kommunens trygghetssamordnare eller kontaktcenter.",
                "Contact the municipality's safety coordinator or contact centre.",
            )}</p>
        }
        .into_any(),
    }
}

/// When the statement was last reviewed against the app.
const REVIEWED: &str = "2026-11-25";

#[component]
pub fn AccessibilityPage() -> impl IntoView {
    crate::ui::components::guard::interactive_once_hydrated();
    let lang = use_lang();
    let contact = Resource::new(|| (), |_| get_contact());
    let gaps: [(&str, &str); 6] = [
        (
            "Kartorna går inte att använda fullt ut med tangentbord eller skärmläsare. Att sätta en plats kräver att man trycker på kartan eller använder knappen för sin position. Protokoll, lägesbild och åtgärder finns också som tabeller.",
            "The maps cannot be fully used with a keyboard or a screen reader. Setting a place needs a tap on the map or the button for one's own position. Protocols, the situational picture and actions also exist as tables.",
        ),
        (
            "Startsidan Karta visar ännu inte samma uppgifter som en lista.",
            "The start page Map does not yet show the same data as a list.",
        ),
        (
            "Hotspotkartans färger förklaras i en teckenförklaring, men mönster i kartan beskrivs inte i text utöver tabellen över de största hotspotarna.",
            "The hotspot map's colours are explained in a legend, but patterns on the map are not described in text beyond the table of the top hotspots.",
        ),
        (
            "Kartbilder (bakgrundskartan) saknar textalternativ; de bär ingen information som inte också står i text.",
            "Map tiles have no text alternative; they carry no information that is not also in text.",
        ),
        (
            "Utskrivna protokoll och mötesrapporter kan sakna bakgrundskarta, eftersom kartbilder inte alltid skrivs ut.",
            "Printed protocols and meeting reports may lack the background map, since map tiles do not always print.",
        ),
        (
            "Några felmeddelanden från servern visas bara på svenska och engelska, inte på fler språk.",
            "Some messages from the server are shown in Swedish and English only, not in more languages.",
        ),
    ];
    view! {
        <section class="notice statement">
            <h1>{lang.pick("Tillgänglighet för Tryggkarta", "Accessibility of Tryggkarta")}</h1>
            <p>{lang.pick(
                "Kommunen står bakom Tryggkarta och vill att så många som möjligt ska kunna använda den. Här beskriver vi hur Tryggkarta uppfyller lagen om tillgänglighet till digital offentlig service, vilka kända brister som finns och hur du kan rapportera problem så att vi kan åtgärda dem.",
                "The municipality runs Tryggkarta and wants as many people as possible to be able to use it. Here we describe how Tryggkarta meets the Swedish law on accessibility to digital public services, the known shortcomings, and how you can report problems so that we can fix them.",
            )}</p>

            <h2>{lang.pick("Hur tillgänglig är tjänsten?", "How accessible is the service?")}</h2>
            <p>{lang.pick(
                "Tryggkarta är delvis förenlig med lagen om tillgänglighet till digital offentlig service, på grund av de brister som beskrivs nedan.",
                "Tryggkarta is partially compliant with the law on accessibility to digital public services, because of the shortcomings described below.",
            )}</p>

            <h2>{lang.pick("Innehåll som inte är tillgängligt", "Content that is not accessible")}</h2>
            <ul>
                {gaps.into_iter().map(|(sv, en)| view! { <li>{lang.pick(sv, en)}</li> }).collect_view()}
            </ul>

            <h2>{lang.pick("Rapportera brister", "Report a barrier")}</h2>
            <p>{lang.pick(
                "Om du upptäcker problem som inte beskrivs här, eller om du behöver innehåll i ett annat format, berätta det för oss. Skriv vilken sida det gäller och vad som hände.",
                "If you find problems not described here, or need content in another format, tell us. Write which page it concerns and what happened.",
            )}</p>
            <Loaded resource=contact render={move |contact: Option<String>| contact_line(contact)}/>

            <h2>{lang.pick("Tillsyn", "Enforcement")}</h2>
            <p>{lang.pick(
                "Myndigheten för digital förvaltning (Digg) har ansvar för tillsyn över lagen. Om du inte är nöjd med hur vi hanterar dina synpunkter kan du kontakta Digg och påtala det (digg.se).",
                "The Agency for Digital Government (Digg) supervises the law. If you are not satisfied with how we handle your comments, you can contact Digg and report it (digg.se).",
            )}</p>

            <h2>{lang.pick("Hur vi testat tjänsten", "How we tested the service")}</h2>
            <p>{lang.pick(
                "Varje ändring testas automatiskt med axe-core mot WCAG 2.1 nivå AA på de sidor som används mest, och med Lighthouse. Formulär, rubriker, kontraster och tangentbordsfokus har också prövats för hand på telefon och dator.",
                "Every change is tested automatically with axe-core against WCAG 2.1 level AA on the most used pages, and with Lighthouse. Forms, headings, contrast and keyboard focus have also been checked by hand on phone and computer.",
            )}</p>
            <p class="hint">{format!("{} {REVIEWED}.", lang.pick("Redogörelsen sågs senast över", "The statement was last reviewed on"))}</p>
        </section>
    }
}
