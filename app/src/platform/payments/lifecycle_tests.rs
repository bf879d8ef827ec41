use chrono::{DateTime, Duration, TimeZone, Utc};

use super::*;

fn t(seconds: i64) -> DateTime<Utc> {
    Utc.timestamp_opt(1_790_000_000 + seconds, 0).single().expect("a valid instant")
}

/// Every status reachable from each status: the closure of the doc table, written out so a change to the direct
/// moves that widens or narrows what can happen shows up here.
const REACHABLE: &[(PaymentStatus, &[PaymentStatus])] = &[
    (
        Pending,
        &[
            Pending,
            AwaitingRiskAnalysis,
            Overdue,
            Confirmed,
            Received,
            ReceivedInCash,
            RefundRequested,
            RefundInProgress,
            Refunded,
            ChargebackRequested,
            ChargebackDispute,
            AwaitingChargebackReversal,
            DunningRequested,
            DunningReceived,
        ],
    ),
    (
        AwaitingRiskAnalysis,
        &[
            Pending,
            AwaitingRiskAnalysis,
            Overdue,
            Confirmed,
            Received,
            ReceivedInCash,
            RefundRequested,
            RefundInProgress,
            Refunded,
            ChargebackRequested,
            ChargebackDispute,
            AwaitingChargebackReversal,
            DunningRequested,
            DunningReceived,
        ],
    ),
    (
        Overdue,
        &[
            Pending,
            AwaitingRiskAnalysis,
            Overdue,
            Confirmed,
            Received,
            ReceivedInCash,
            RefundRequested,
            RefundInProgress,
            Refunded,
            ChargebackRequested,
            ChargebackDispute,
            AwaitingChargebackReversal,
            DunningRequested,
            DunningReceived,
        ],
    ),
    (
        DunningRequested,
        &[
            Pending,
            AwaitingRiskAnalysis,
            Overdue,
            Confirmed,
            Received,
            ReceivedInCash,
            RefundRequested,
            RefundInProgress,
            Refunded,
            ChargebackRequested,
            ChargebackDispute,
            AwaitingChargebackReversal,
            DunningRequested,
            DunningReceived,
        ],
    ),
    (
        ReceivedInCash,
        &[
            Pending,
            AwaitingRiskAnalysis,
            Overdue,
            Confirmed,
            Received,
            ReceivedInCash,
            RefundRequested,
            RefundInProgress,
            Refunded,
            ChargebackRequested,
            ChargebackDispute,
            AwaitingChargebackReversal,
            DunningRequested,
            DunningReceived,
        ],
    ),
    (
        Confirmed,
        &[
            Received,
            RefundRequested,
            RefundInProgress,
            Refunded,
            ChargebackRequested,
            ChargebackDispute,
            AwaitingChargebackReversal,
        ],
    ),
    (
        Received,
        &[
            Received,
            RefundRequested,
            RefundInProgress,
            Refunded,
            ChargebackRequested,
            ChargebackDispute,
            AwaitingChargebackReversal,
        ],
    ),
    (
        RefundRequested,
        &[
            Received,
            RefundRequested,
            RefundInProgress,
            Refunded,
            ChargebackRequested,
            ChargebackDispute,
            AwaitingChargebackReversal,
        ],
    ),
    (RefundInProgress, &[Refunded]),
    (
        ChargebackRequested,
        &[
            Received,
            RefundRequested,
            RefundInProgress,
            Refunded,
            ChargebackRequested,
            ChargebackDispute,
            AwaitingChargebackReversal,
        ],
    ),
    (
        ChargebackDispute,
        &[
            Received,
            RefundRequested,
            RefundInProgress,
            Refunded,
            ChargebackRequested,
            ChargebackDispute,
            AwaitingChargebackReversal,
        ],
    ),
    (
        AwaitingChargebackReversal,
        &[
            Received,
            RefundRequested,
            RefundInProgress,
            Refunded,
            ChargebackRequested,
            ChargebackDispute,
            AwaitingChargebackReversal,
        ],
    ),
    (Refunded, &[]),
    (DunningReceived, &[]),
];

#[test]
fn reachability_matches_the_table_for_every_pair() {
    assert_eq!(REACHABLE.len(), PaymentStatus::ALL.len(), "every status has a row");
    for (from, reachable) in REACHABLE {
        for to in PaymentStatus::ALL {
            assert_eq!(may_move(*from, to), reachable.contains(&to), "{from} → {to}");
        }
    }
}

#[test]
fn a_paid_payment_never_goes_back_to_pending_or_overdue() {
    for paid in [Confirmed, Received, RefundRequested, ChargebackRequested, Refunded] {
        for back in [Pending, Overdue, AwaitingRiskAnalysis, DunningRequested] {
            assert!(!may_move(paid, back), "{paid} → {back}");
            assert_eq!(decide(Some((paid, t(0))), back, t(100)), Decision::Ignore(IgnoreReason::NotAllowed));
        }
    }
}

#[test]
fn terminal_statuses_never_move() {
    for terminal in [Refunded, DunningReceived] {
        for to in PaymentStatus::ALL.into_iter().filter(|to| *to != terminal) {
            assert_eq!(decide(Some((terminal, t(0))), to, t(10)), Decision::Ignore(IgnoreReason::NotAllowed));
        }
    }
}

#[test]
fn reachability_is_transitive_so_skipped_steps_are_fine() {
    for a in PaymentStatus::ALL {
        for b in PaymentStatus::ALL {
            for c in PaymentStatus::ALL {
                if may_move(a, b) && may_move(b, c) {
                    assert!(may_move(a, c), "{a} → {b} → {c} but not {a} → {c}");
                }
            }
        }
    }
}

/// (current, incoming, incoming time relative to current, expected)
const DECISIONS: &[(PaymentStatus, PaymentStatus, i64, Decision)] = &[
    (Pending, Received, 10, Decision::Apply),
    (Pending, Confirmed, 10, Decision::Apply),
    (Pending, Overdue, 10, Decision::Apply),
    (Overdue, Received, 10, Decision::Apply),
    (Overdue, Pending, 10, Decision::Apply),
    (Confirmed, Received, 10, Decision::Apply),
    (Received, RefundRequested, 10, Decision::Apply),
    (RefundRequested, RefundInProgress, 10, Decision::Apply),
    (RefundInProgress, Refunded, 10, Decision::Apply),
    (Received, ChargebackRequested, 10, Decision::Apply),
    (ChargebackRequested, ChargebackDispute, 10, Decision::Apply),
    (ChargebackDispute, AwaitingChargebackReversal, 10, Decision::Apply),
    (AwaitingChargebackReversal, Received, 10, Decision::Apply),
    (ChargebackRequested, Received, 10, Decision::Apply),
    (Overdue, DunningRequested, 10, Decision::Apply),
    (DunningRequested, DunningReceived, 10, Decision::Apply),
    (ReceivedInCash, Pending, 10, Decision::Apply),
    // Same status: a no-op, newer or older.
    (Received, Received, 0, Decision::Ignore(IgnoreReason::SameStatus)),
    (Pending, Pending, -10, Decision::Ignore(IgnoreReason::SameStatus)),
    // ...except that a newer sighting moves the status time forward.
    (Received, Received, 10, Decision::Refresh),
    // Older than the current status: never applies, even where the move itself would be allowed.
    (Received, Overdue, -10, Decision::Ignore(IgnoreReason::Stale)),
    (Overdue, Pending, -10, Decision::Ignore(IgnoreReason::Stale)),
    (Pending, Received, -10, Decision::Ignore(IgnoreReason::Stale)),
    // Newer, but backwards in the lifecycle.
    (Received, Overdue, 10, Decision::Ignore(IgnoreReason::NotAllowed)),
    (Received, Pending, 10, Decision::Ignore(IgnoreReason::NotAllowed)),
    (Received, Confirmed, 10, Decision::Ignore(IgnoreReason::NotAllowed)),
    (Refunded, Received, 10, Decision::Ignore(IgnoreReason::NotAllowed)),
    (RefundInProgress, Received, 10, Decision::Ignore(IgnoreReason::NotAllowed)),
    // Same provider time: only a move further along the lifecycle.
    (Confirmed, Received, 0, Decision::Apply),
    (Received, Refunded, 0, Decision::Apply),
    (Overdue, Pending, 0, Decision::Ignore(IgnoreReason::Stale)),
    (ChargebackRequested, Received, 0, Decision::Ignore(IgnoreReason::Stale)),
];

#[test]
fn decisions_follow_the_table() {
    for (current, incoming, offset, expected) in DECISIONS {
        assert_eq!(
            decide(Some((*current, t(100))), *incoming, t(100 + offset)),
            *expected,
            "{current} → {incoming} at {offset:+}"
        );
    }
}

#[test]
fn an_unknown_payment_takes_any_first_status() {
    for status in PaymentStatus::ALL {
        assert_eq!(decide(None, status, t(0)), Decision::Apply);
    }
}

/// Folds events through the state machine in the given order; returns the final status and how many applied.
fn run(events: &[(PaymentStatus, DateTime<Utc>)]) -> (Option<PaymentStatus>, usize) {
    let mut state: Option<(PaymentStatus, DateTime<Utc>)> = None;
    let mut applied = 0;
    for (status, at) in events {
        match decide(state, *status, *at) {
            Decision::Apply => {
                state = Some((*status, *at));
                applied += 1;
            }
            Decision::Refresh => state = Some((*status, *at)),
            Decision::Ignore(_) => {}
        }
    }
    (state.map(|(status, _)| status), applied)
}

fn permutations<T: Clone>(items: &[T]) -> Vec<Vec<T>> {
    if items.len() <= 1 {
        return vec![items.to_vec()];
    }
    let mut all = Vec::new();
    for index in 0..items.len() {
        let mut rest = items.to_vec();
        let first = rest.remove(index);
        for mut tail in permutations(&rest) {
            tail.insert(0, first.clone());
            all.push(tail);
        }
    }
    all
}

/// Real lives of a charge, oldest event first.
const LIVES: &[&[PaymentStatus]] = &[
    &[Pending, Confirmed, Received],
    &[Pending, Overdue, Received],
    &[Pending, Overdue, Pending, Received],
    &[Pending, Received, RefundRequested, RefundInProgress, Refunded],
    &[Pending, Confirmed, Received, ChargebackRequested, ChargebackDispute, AwaitingChargebackReversal],
    &[Pending, Received, ChargebackRequested, Received],
    &[Pending, Overdue, DunningRequested, DunningReceived],
    &[Pending, ReceivedInCash, Overdue, Received],
    &[AwaitingRiskAnalysis, Pending, Confirmed, Received],
];

#[test]
fn every_order_of_a_real_life_ends_in_its_last_status() {
    for life in LIVES {
        let events: Vec<_> = life.iter().enumerate().map(|(index, status)| (*status, t(index as i64 * 60))).collect();
        let last = events.last().map(|(status, _)| *status);
        let in_order = run(&events);
        assert_eq!(in_order, (last, events.len()), "in order, every event of {life:?} applies");
        for order in permutations(&events) {
            // Each delivered three times, duplicates right after each other and again at the end.
            let mut delivered: Vec<_> = order.iter().flat_map(|event| [*event, *event]).collect();
            delivered.extend(order.iter().rev().copied());
            assert_eq!(run(&delivered).0, last, "{life:?} delivered as {order:?}");
        }
    }
}

#[test]
fn random_lives_shuffled_converge() {
    // A small deterministic generator: no dependency, the same cases on every run.
    let mut seed: u64 = 0x2545_f491_4f6c_dd1d;
    let mut next = move |bound: usize| {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        usize::try_from(seed % bound as u64).unwrap_or(0)
    };
    for _ in 0..2_000 {
        let mut status = PaymentStatus::ALL[next(PaymentStatus::ALL.len())];
        let mut at = t(0);
        let mut life = vec![(status, at)];
        for _ in 0..next(8) {
            let moves = direct_moves(status);
            if moves.is_empty() {
                break;
            }
            status = moves[next(moves.len())];
            at += Duration::seconds(1 + next(3600) as i64);
            life.push((status, at));
        }
        let last = life.last().map(|(status, _)| *status);
        let mut shuffled = life.clone();
        shuffled.extend(life.iter().copied());
        for index in (1..shuffled.len()).rev() {
            shuffled.swap(index, next(index + 1));
        }
        assert_eq!(run(&shuffled).0, last, "{life:?} shuffled as {shuffled:?}");
    }
}
