//! The lägesbild's legend: the words and colours of the hotspot classes (Gi_Bin, as ArcGIS
//! names them) and of the emerging-hotspot trends, for the map, the lists and the print.

use crate::i18n::Lang;

/// The legend text of a Gi_Bin class.
pub fn class_label(bin: i8, lang: Lang) -> &'static str {
    match bin {
        3 => lang.pick("Hetpunkt, mycket tydlig", "Hot spot, very clear"),
        2 => lang.pick("Hetpunkt, tydlig", "Hot spot, clear"),
        1 => lang.pick("Hetpunkt, svag", "Hot spot, weak"),
        -1 => lang.pick("Färre än runt omkring, svagt", "Fewer than around, weak"),
        -2 => lang.pick("Färre än runt omkring, tydligt", "Fewer than around, clear"),
        -3 => lang.pick(
            "Färre än runt omkring, mycket tydligt",
            "Fewer than around, very clear",
        ),
        _ => lang.pick("Inget tydligt mönster", "No clear pattern"),
    }
}

/// The colour of a Gi_Bin class, the usual red–white–blue of hotspot maps.
pub fn class_colour(bin: i8) -> &'static str {
    match bin {
        3 => "#b2182b",
        2 => "#ef8a62",
        1 => "#fddbc7",
        -1 => "#d1e5f0",
        -2 => "#67a9cf",
        -3 => "#2166ac",
        _ => "#bdbdbd",
    }
}

/// The colour of an emerging-hotspot trend; grey for a cell without one.
pub fn trend_colour(trend: Option<&str>) -> &'static str {
    match trend {
        Some("new") => "#6a3d9a",
        Some("intensifying") => "#e31a1c",
        Some("persistent") => "#ff7f00",
        Some("diminishing") => "#33a02c",
        Some("sporadic") => "#fb9a99",
        _ => "#eeeeee",
    }
}

pub fn trend_label(trend: &str, lang: Lang) -> &'static str {
    match trend {
        "new" => lang.pick("Ny", "New"),
        "intensifying" => lang.pick("Intensifierande", "Intensifying"),
        "persistent" => lang.pick("Ihållande", "Persistent"),
        "diminishing" => lang.pick("Avtagande", "Diminishing"),
        "sporadic" => lang.pick("Sporadisk", "Sporadic"),
        _ => lang.pick("Ingen trend", "No pattern"),
    }
}
