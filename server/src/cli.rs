//! The command line of the `tryggkarta` binary.

use std::io::{IsTerminal, Read};

use anyhow::Context;
use app::domain::role::Role;
use app::ssr::accounts::{self, NewAccount};
use app::ssr::infra::backup;
use app::ssr::infra::config::Config;
use app::ssr::infra::db::Db;
use clap::{Parser, Subcommand};

use crate::startup::Application;

#[derive(Debug, Parser)]
#[command(
    name = "tryggkarta",
    version,
    about = "Tryggkarta – trygghetskarta för kommun och polis"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Starta webbservern (standard).
    Serve,
    /// Kör databasmigreringar och avsluta.
    Migrate,
    /// Gi*-hotspots (H3) för en CSV med lat,lng[,time][,category]; skriver varje cell i studieområdet.
    Hotspots {
        #[arg(long)]
        input: std::path::PathBuf,
        /// Studieområde som GeoJSON (Polygon/MultiPolygon); standard: punkternas utbredning.
        #[arg(long)]
        area: Option<std::path::PathBuf>,
        #[arg(long, default_value_t = hotspot::grid::DEFAULT_RESOLUTION)]
        resolution: u8,
        /// Grannskapets storlek i ringar runt cellen.
        #[arg(long, default_value_t = 1)]
        k: u32,
        #[arg(long, value_enum, default_value_t = crate::hotspots::Format::Geojson)]
        format: crate::hotspots::Format,
        /// Avbryt vid första felaktiga rad i stället för att hoppa över den.
        #[arg(long)]
        strict: bool,
    },
    /// Säkerhetskopiera SQLite-databasen (med foton) till en ny fil, medan servern kör.
    Backup {
        /// Filen att skriva; den får inte finnas.
        #[arg(long)]
        to: std::path::PathBuf,
    },
    /// Återställ en säkerhetskopia. Stoppa servern först; den gamla databasen sparas bredvid.
    Restore {
        #[arg(long)]
        from: std::path::PathBuf,
    },
    /// Gallra nu: radera det som passerat sin lagringstid (servern gör det varje dygn).
    Retention,
    /// Hela loggen som CSV (till stdout eller --to FILE), med läsningarna av skyddade
    /// rapporter som ingen roll i appen ser: för polisens granskning av vem som läst vad.
    Audit {
        #[arg(long)]
        to: Option<std::path::PathBuf>,
    },
    /// Den registrerades rättigheter (GDPR): export eller radering av en användares data.
    Gdpr {
        #[command(subcommand)]
        command: GdprCommand,
    },
    /// Hantera användare.
    User {
        #[command(subcommand)]
        command: UserCommand,
    },
}

#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// Lägg till en användare. Lösenordet läses från stdin, eller skapas och skrivs ut en gång.
    Add {
        #[arg(long)]
        email: String,
        #[arg(long, value_parser = parse_role)]
        role: Role,
        /// Namn som visas i appen (standard: delen före @).
        #[arg(long, default_value = "")]
        name: String,
        /// Organisationen en rapportör rapporterar för (namn eller id), som registrerats på
        /// sidan Organisationer.
        #[arg(long)]
        organisation: Option<String>,
    },
    /// Nytt engångslösenord för en användare (skrivs ut en gång); tar också bort
    /// tvåstegsverifieringen och avslutar alla inloggningar. För en tappad telefon när
    /// ingen administratör kan logga in.
    Reset {
        #[arg(long)]
        email: String,
    },
}

#[derive(Debug, Subcommand)]
pub enum GdprCommand {
    /// Allt som finns om användaren, som JSON (till stdout eller --to FILE).
    Export {
        #[arg(long)]
        user: String,
        #[arg(long)]
        to: Option<std::path::PathBuf>,
    },
    /// Radera användarens personuppgifter; rapporterna blir anonyma.
    Erase {
        #[arg(long)]
        user: String,
    },
}

fn parse_role(value: &str) -> Result<Role, String> {
    value
        .parse()
        .map_err(|err: app::domain::role::UnknownRole| err.to_string())
}

pub async fn run(cli: Cli) -> anyhow::Result<()> {
    if let Some(Command::Hotspots {
        input,
        area,
        resolution,
        k,
        format,
        strict,
    }) = &cli.command
    {
        let options = crate::hotspots::Options {
            input,
            area: area.as_deref(),
            resolution: *resolution,
            k: *k,
            format: *format,
            strict: *strict,
        };
        let mut out = std::io::BufWriter::new(std::io::stdout().lock());
        return crate::hotspots::run(&options, &mut out, &mut std::io::stderr());
    }
    let config = Config::from_env()?;
    match cli.command.unwrap_or(Command::Serve) {
        Command::Serve => {
            let app = Application::build(config).await?;
            app.run_until_stopped().await?;
        }
        Command::Migrate => {
            let db = Db::connect(&config.database_url)
                .await
                .context("kunde inte ansluta till databasen")?;
            db.migrate().await.context("migreringen misslyckades")?;
            println!("Databasen är uppdaterad.");
        }
        Command::Hotspots { .. } => unreachable!("handled above, without configuration"),
        Command::Retention => {
            let db = connect_migrated(&config).await?;
            let report = app::ssr::settings::retention::run(&db, chrono::Utc::now())
                .await
                .map_err(|err| anyhow::anyhow!(err.message(app::i18n::Lang::Sv)))?;
            println!(
                "Gallrat: {} rapporter, {} foton, {} spårpunkter, {} deltagarkonton, {} loggposter; {} antal sparade.",
                report.observations,
                report.photos,
                report.track_points,
                report.participants,
                report.audit_entries,
                report.counts_kept
            );
        }
        Command::Gdpr { command } => {
            let db = connect_migrated(&config).await?;
            let sv = |err: app::error::AppError| anyhow::anyhow!(err.message(app::i18n::Lang::Sv));
            match command {
                GdprCommand::Export { user, to } => {
                    let export = app::ssr::accounts::gdpr::export(&db, &user).await.map_err(sv)?;
                    write_out(to.as_deref(), &(serde_json::to_string_pretty(&export)? + "\n"))?;
                }
                GdprCommand::Erase { user } => {
                    let erased = app::ssr::accounts::gdpr::erase(&db, &user).await.map_err(sv)?;
                    println!(
                        "Raderade personuppgifterna för {user}: {} rapporter anonymiserade, {} foton och {} pass med {} spårpunkter raderade.",
                        erased.reports_anonymised, erased.photos, erased.shifts, erased.track_points
                    );
                }
            }
        }
        Command::Audit { to } => {
            let db = connect_migrated(&config).await?;
            let events = app::ssr::infra::audit::everything(&db, i64::MAX)
                .await
                .map_err(|err| anyhow::anyhow!(err.message(app::i18n::Lang::Sv)))?;
            let categories = app::ssr::reports::categories::all_categories(&db)
                .await
                .map_err(|err| anyhow::anyhow!(err.message(app::i18n::Lang::Sv)))?;
            write_out(
                to.as_deref(),
                &app::domain::admin::audit_csv(&events, &categories, app::i18n::Lang::Sv),
            )?;
        }
        Command::Backup { to } => {
            let db = Db::connect(&config.database_url)
                .await
                .context("kunde inte ansluta till databasen")?;
            let bytes = backup::backup(&db, &to).await?;
            let contents = backup::inspect(&to).await?;
            println!(
                "Säkerhetskopian {} är klar: {} MB, {} konton, {} rapporter, {} foton.",
                to.display(),
                bytes / 1_000_000,
                contents.accounts,
                contents.observations,
                contents.photos
            );
        }
        Command::Restore { from } => {
            let (contents, kept) = backup::restore(&config.database_url, &from).await?;
            println!(
                "Återställde {}: {} konton, {} rapporter, {} foton.",
                from.display(),
                contents.accounts,
                contents.observations,
                contents.photos
            );
            if let Some(kept) = kept {
                println!("Den tidigare databasen finns kvar som {}.", kept.display());
            }
            println!("Starta servern; den uppdaterar databasen om säkerhetskopian är äldre än programmet.");
        }
        Command::User {
            command:
                UserCommand::Add {
                    email,
                    role,
                    name,
                    organisation,
                },
        } => {
            let db = Db::connect(&config.database_url)
                .await
                .context("kunde inte ansluta till databasen")?;
            db.migrate().await.context("migreringen misslyckades")?;
            let organisation = match (app::domain::access::has_organisation(role), organisation) {
                (true, Some(named)) => Some(
                    app::ssr::incidents::organisations::named(&db, &named)
                        .await
                        .map_err(|err| anyhow::anyhow!(err.message(app::i18n::Lang::Sv)))?,
                ),
                (true, None) => {
                    anyhow::bail!("En rapportör rapporterar för en organisation: ange --organisation.")
                }
                (false, Some(_)) => {
                    anyhow::bail!("Bara rapportörer hör till en organisation; ta bort --organisation.")
                }
                (false, None) => None,
            };
            let (password, generated) = match password_from_stdin()? {
                Some(password) => (password, false),
                None => (accounts::generate_password(), true),
            };
            let user = accounts::create(
                &db,
                NewAccount {
                    email: &email,
                    display_name: &name,
                    role,
                    password: &password,
                    one_time: generated,
                    organisation,
                },
            )
            .await
            .map_err(|err| anyhow::anyhow!(err.message(app::i18n::Lang::Sv)))?;
            println!("Skapade {} ({}) med id {}.", user.email, user.role, user.id);
            if generated {
                println!("Engångslösenord (visas bara nu): {password}");
            }
        }
        Command::User {
            command: UserCommand::Reset { email },
        } => {
            let db = connect_migrated(&config).await?;
            let password = accounts::reset_from_server(&db, &email)
                .await
                .map_err(|err| anyhow::anyhow!(err.message(app::i18n::Lang::Sv)))?;
            println!("Nytt engångslösenord för {email} (visas bara nu): {password}");
            println!("Tvåstegsverifieringen är borttagen och alla inloggningar avslutade.");
        }
    }
    Ok(())
}

/// Writes `text` to `file` and says so, or to stdout.
fn write_out(file: Option<&std::path::Path>, text: &str) -> anyhow::Result<()> {
    match file {
        Some(file) => {
            std::fs::write(file, text).with_context(|| format!("kunde inte skriva {}", file.display()))?;
            println!("Skrev {}.", file.display());
        }
        None => print!("{text}"),
    }
    Ok(())
}

async fn connect_migrated(config: &Config) -> anyhow::Result<Db> {
    let db = Db::connect(&config.database_url)
        .await
        .context("kunde inte ansluta till databasen")?;
    db.migrate().await.context("migreringen misslyckades")?;
    Ok(db)
}

/// A password piped in (`echo … | tryggkarta user add …`); `None` at an interactive
/// terminal or for empty input, when one is generated instead.
fn password_from_stdin() -> anyhow::Result<Option<String>> {
    let stdin = std::io::stdin();
    if stdin.is_terminal() {
        return Ok(None);
    }
    let mut input = String::new();
    stdin
        .lock()
        .read_to_string(&mut input)
        .context("kunde inte läsa lösenordet från stdin")?;
    let password = input.trim_end_matches(['\r', '\n']).to_owned();
    Ok((!password.is_empty()).then_some(password))
}
