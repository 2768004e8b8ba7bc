//! "Att göra": what is due for those who follow up, gathered from the loop's lists. Each
//! item is something the user can act on, and the page links each to where that is done.

use chrono::{DateTime, Duration, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use super::action::Action;
use super::commitment::Commitment;
use super::meeting::MeetingSummary;
use super::walk::Walk;
use super::watch::Alert;

/// How far ahead planned walks are listed.
pub const WALKS_AHEAD_DAYS: i64 = 30;
/// How far back new, unhandled reports are counted.
pub const NEW_REPORTS_DAYS: i64 = 7;

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Todo {
    /// Open actions past their due date, the oldest due first.
    pub overdue_actions: Vec<Action>,
    /// Grannsamverkan alerts not yet sent or dismissed (as read, open ones only).
    pub open_alerts: Vec<Alert>,
    /// Walks whose time has passed and that are not closed: their protocol is waiting.
    pub walks_to_close: Vec<Walk>,
    /// Walks coming within [`WALKS_AHEAD_DAYS`]: invitations to send.
    pub walks_coming: Vec<Walk>,
    /// The next lägesbild meeting, today or later.
    pub next_meeting: Option<MeetingSummary>,
    /// This year's commitments behind what the part of the year gone asks for.
    pub commitments_behind: Vec<Commitment>,
    /// Reports of the last [`NEW_REPORTS_DAYS`] days no one has handled yet, that the user
    /// may read.
    pub new_reports: usize,
    /// Partners' reports and residents' tips waiting for review, for those who review.
    #[serde(default)]
    pub waiting_reviews: usize,
}

/// The lists as read for the user.
pub struct Lists {
    pub overdue_actions: Vec<Action>,
    pub alerts: Vec<Alert>,
    pub walks: Vec<Walk>,
    pub meetings: Vec<MeetingSummary>,
    pub commitments: Vec<Commitment>,
    pub new_reports: usize,
    pub waiting_reviews: usize,
}

impl Todo {
    pub fn from_lists(lists: Lists, now: DateTime<Utc>, today: NaiveDate) -> Todo {
        let ahead = now + Duration::days(WALKS_AHEAD_DAYS);
        let open_walks = || lists.walks.iter().filter(|walk| !walk.closed);
        let mut walks_to_close: Vec<Walk> = open_walks()
            .filter(|walk| walk.starts_at <= now)
            .cloned()
            .collect();
        walks_to_close.sort_by_key(|walk| walk.starts_at);
        let mut walks_coming: Vec<Walk> = open_walks()
            .filter(|walk| walk.starts_at > now && walk.starts_at <= ahead)
            .cloned()
            .collect();
        walks_coming.sort_by_key(|walk| walk.starts_at);
        let today = today.to_string();
        let next_meeting = lists
            .meetings
            .into_iter()
            .filter(|meeting| meeting.held_on >= today)
            .min_by(|a, b| a.held_on.cmp(&b.held_on));
        Todo {
            overdue_actions: lists.overdue_actions,
            open_alerts: lists.alerts,
            walks_to_close,
            walks_coming,
            next_meeting,
            commitments_behind: lists.commitments.into_iter().filter(|c| !c.on_track).collect(),
            new_reports: lists.new_reports,
            waiting_reviews: lists.waiting_reviews,
        }
    }

    /// Nothing is due.
    pub fn is_empty(&self) -> bool {
        self.overdue_actions.is_empty()
            && self.open_alerts.is_empty()
            && self.walks_to_close.is_empty()
            && self.walks_coming.is_empty()
            && self.commitments_behind.is_empty()
            && self.new_reports == 0
            && self.waiting_reviews == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::ids::{MeetingId, WalkId};
    use crate::domain::walk::Light;

    fn walk(title: &str, starts_at: DateTime<Utc>, closed: bool) -> Walk {
        Walk {
            id: WalkId::new(),
            title: title.into(),
            area: String::new(),
            starts_at,
            light: Light::Dark,
            route: String::new(),
            route_path: Vec::new(),
            invited: String::new(),
            join_code: String::new(),
            closed,
            previous_walk_id: None,
        }
    }

    fn meeting(held_on: &str) -> MeetingSummary {
        MeetingSummary {
            id: MeetingId::new(),
            held_on: held_on.into(),
            organisations: String::new(),
        }
    }

    #[test]
    fn walks_gone_by_wait_to_be_closed_and_the_next_meeting_is_the_nearest_ahead() {
        let now = "2026-12-07T12:00:00Z".parse::<DateTime<Utc>>().unwrap();
        let today = now.date_naive();
        let todo = Todo::from_lists(
            Lists {
                overdue_actions: Vec::new(),
                alerts: Vec::new(),
                walks: vec![
                    walk("Gått, inte stängd", now - Duration::days(2), false),
                    walk("Gått och stängd", now - Duration::days(3), true),
                    walk("Nästa vecka", now + Duration::days(7), false),
                    walk("Om ett halvår", now + Duration::days(180), false),
                ],
                meetings: vec![
                    meeting("2026-11-30"),
                    meeting("2027-01-12"),
                    meeting("2026-12-15"),
                ],
                commitments: Vec::new(),
                new_reports: 0,
                waiting_reviews: 0,
            },
            now,
            today,
        );
        let titles = |walks: &[Walk]| walks.iter().map(|w| w.title.clone()).collect::<Vec<_>>();
        assert_eq!(titles(&todo.walks_to_close), ["Gått, inte stängd"]);
        assert_eq!(titles(&todo.walks_coming), ["Nästa vecka"]);
        assert_eq!(
            todo.next_meeting.as_ref().map(|m| m.held_on.as_str()),
            Some("2026-12-15")
        );
        assert!(!todo.is_empty());
    }
}
