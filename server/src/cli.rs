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
