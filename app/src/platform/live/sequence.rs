//! The client's rules, apart from the socket so they can be tested anywhere: what an incoming number means, when a
//! re-subscription calls for a refetch, and how long to wait before the next connection attempt.

/// What an event's sequence number says, given the last one this tab saw on the topic.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Arrival {
    /// Already seen (it raced the subscription's number): ignore it.
    Duplicate,
    /// The next one.
    Next,
    /// Events were missed: refetch, then carry on from this one.
    Gap,
}

pub fn arrival(last: Option<i64>, seq: i64) -> Arrival {
    match last {
        Some(last) if seq <= last => Arrival::Duplicate,
        Some(last) if seq == last + 1 => Arrival::Next,
        Some(_) => Arrival::Gap,
        // No number yet (cannot happen: `subscribed` comes first); refetching is the safe answer.
        None => Arrival::Gap,
    }
}

/// Whether a (re-)subscription that answered `seq` means events may have been missed while the tab was not
/// watching. A re-subscription: when the topic moved on meanwhile. A first subscription: the page's data was read
/// before it (rendered on the server, or fetched while the socket opened), so an event published in between would
/// be missed until the next one; unless the topic never had an event at all (number 0), refetch once.
pub fn missed_while_away(last: Option<i64>, seq: i64) -> bool {
    match last {
        Some(last) => last != seq,
        None => seq > 0,
    }
}

/// The first retry waits up to this long; each further one doubles it, up to [`BACKOFF_CAP_MS`].
pub const BACKOFF_BASE_MS: f64 = 500.0;
pub const BACKOFF_CAP_MS: f64 = 30_000.0;

/// The wait before connection attempt `attempt` (0 for the first retry), "full jitter": uniformly anywhere between
/// zero and the exponential ceiling, so tabs that dropped together (a server restart) do not return together.
/// `unit` is a random number in [0, 1).
pub fn backoff_ms(attempt: u32, unit: f64) -> f64 {
    let ceiling = (BACKOFF_BASE_MS * 2_f64.powi(attempt.min(16) as i32)).min(BACKOFF_CAP_MS);
    ceiling * unit.clamp(0.0, 1.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_tell_duplicates_and_gaps() {
        assert_eq!(arrival(Some(4), 4), Arrival::Duplicate);
        assert_eq!(arrival(Some(4), 3), Arrival::Duplicate);
        assert_eq!(arrival(Some(4), 5), Arrival::Next);
        assert_eq!(arrival(Some(4), 7), Arrival::Gap);
        assert_eq!(arrival(None, 1), Arrival::Gap);
    }

    #[test]
    fn a_resubscription_refetches_only_when_the_topic_moved_on() {
        assert!(missed_while_away(None, 9), "the page's data may predate an event published before the subscription");
        assert!(!missed_while_away(None, 0), "a topic without events has nothing to miss");
        assert!(!missed_while_away(Some(9), 9));
        assert!(missed_while_away(Some(9), 11));
    }

    #[test]
    fn backoff_grows_to_its_cap_with_full_jitter() {
        assert!((backoff_ms(0, 0.999) - 499.5).abs() < 1e-6);
        assert!((backoff_ms(3, 0.5) - 2_000.0).abs() < 1e-6);
        assert!((backoff_ms(30, 0.999_999) - BACKOFF_CAP_MS).abs() < 1.0);
        assert_eq!(backoff_ms(5, 0.0), 0.0);
    }
}
