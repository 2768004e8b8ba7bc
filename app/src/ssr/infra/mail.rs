//! E-mail through the municipality's SMTP server (`TRYGGKARTA_SMTP_URL`), for alerts to
//! neighbourhood-watch contacts. Without it, alerts stay in the app to be passed on by
//! hand.
//!
//! The URL says how to connect: `smtps://user:password@smtp.kommun.se:465` (TLS from the
//! start), `smtp://user:password@smtp.kommun.se:587?tls=required` (STARTTLS), or
//! `smtp://127.0.0.1:25` (no TLS, only for a relay on the same machine).

use std::time::Duration;

use lettre::message::header::ContentType;
use lettre::message::Mailbox;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

/// How long one message may take, connection included, before it counts as failed.
const SEND_TIMEOUT: Duration = Duration::from_secs(15);

#[derive(Clone)]
pub struct Mailer {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
}

impl std::fmt::Debug for Mailer {
    // The transport holds the SMTP password: never print it.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Mailer")
            .field("from", &self.from)
            .finish_non_exhaustive()
    }
}

impl Mailer {
    /// A mailer for `url`, sending as `from`; the error says which of the two is wrong.
    pub fn new(url: &str, from: &str) -> Result<Mailer, &'static str> {
        let from: Mailbox = from.parse().map_err(|_| {
            "TRYGGKARTA_SMTP_FROM är ingen giltig avsändare, t.ex. Tryggkarta <noreply@kommun.se>"
        })?;
        let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
            .map_err(|_| "TRYGGKARTA_SMTP_URL ska vara smtp://… eller smtps://…")?
            .timeout(Some(SEND_TIMEOUT))
            .build();
        Ok(Mailer { transport, from })
    }

    /// Sends one plain-text message to one address. The error is for people: why it
    /// failed, without the server's password.
    pub async fn send(&self, to: &str, subject: &str, body: &str) -> Result<(), String> {
        let to: Mailbox = to
            .parse()
            .map_err(|_| String::from("ogiltig mottagaradress (invalid recipient address)"))?;
        let message = Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(subject)
            .header(ContentType::TEXT_PLAIN)
            .body(body.to_owned())
            .map_err(|err| format!("meddelandet kunde inte byggas (message could not be built): {err}"))?;
        match tokio::time::timeout(SEND_TIMEOUT * 2, self.transport.send(message)).await {
            Ok(Ok(_)) => Ok(()),
            Ok(Err(err)) => Err(describe(&err)),
            Err(_) => Err("e-postservern svarade inte i tid (the mail server did not answer in time)".into()),
        }
    }
}

fn describe(err: &lettre::transport::smtp::Error) -> String {
    if err.is_permanent() {
        format!("e-postservern tog inte emot meddelandet (the mail server refused the message): {err}")
    } else if err.is_transient() {
        format!("e-postservern bad oss försöka senare (the mail server asked to try later): {err}")
    } else {
        format!("kunde inte nå e-postservern (could not reach the mail server): {err}")
    }
}
