//! The command line of the `tryggkarta` binary.

use std::io::{IsTerminal, Read};

use anyhow::Context;
use app::domain::role::Role;
use app::ssr::accounts::{self, NewAccount};
use app::ssr::config::Config;
use app::ssr::db::Db;
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
        Command::User {
            command: UserCommand::Add { email, role, name },
        } => {
            let db = Db::connect(&config.database_url)
                .await
                .context("kunde inte ansluta till databasen")?;
            db.migrate().await.context("migreringen misslyckades")?;
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
                },
            )
            .await
            .map_err(|err| anyhow::anyhow!(err.message(app::i18n::Lang::Sv)))?;
            println!("Skapade {} ({}) med id {}.", user.email, user.role, user.id);
            if generated {
                println!("Engångslösenord (visas bara nu): {password}");
            }
        }
    }
    Ok(())
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
