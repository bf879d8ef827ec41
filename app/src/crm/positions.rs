//! Where a card sits in its column: a bigint with wide gaps. A move takes a number strictly between its new
//! neighbours, so it writes only the moved lead; when two neighbours have no number left between them (after
//! about twenty moves into the same spot) the service renumbers that one column and tries again.

/// The distance between neighbours after a renumbering, and between a new card and the one it lands beside.
pub const GAP: i64 = 1 << 20;

/// A position strictly between `above` and `below` (either may be absent: the top or the end of the column, or an
/// empty column); `None` when they are adjacent numbers and the column must be renumbered first.
pub fn between(above: Option<i64>, below: Option<i64>) -> Option<i64> {
    match (above, below) {
        (None, None) => Some(GAP),
        (Some(above), None) => above.checked_add(GAP),
        (None, Some(below)) => below.checked_sub(GAP),
        (Some(above), Some(below)) => {
            let middle = above + (below - above) / 2;
            (middle > above && middle < below).then_some(middle)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_position_lands_strictly_between_its_neighbours() {
        assert_eq!(between(None, None), Some(GAP));
        assert_eq!(between(Some(GAP), None), Some(2 * GAP));
        assert_eq!(between(None, Some(GAP)), Some(0));
        assert_eq!(between(Some(GAP), Some(2 * GAP)), Some(GAP + GAP / 2));
        assert_eq!(between(Some(-5), Some(-3)), Some(-4));
    }

    #[test]
    fn adjacent_neighbours_ask_for_a_renumbering() {
        assert_eq!(between(Some(7), Some(8)), None);
        assert_eq!(between(Some(7), Some(7)), None);
        assert_eq!(between(Some(i64::MAX), None), None);
    }

    #[test]
    fn the_same_spot_takes_about_twenty_moves_before_a_renumbering() {
        let (above, mut below) = (GAP, 2 * GAP);
        let mut moves = 0;
        while let Some(position) = between(Some(above), Some(below)) {
            below = position;
            moves += 1;
        }
        assert_eq!(moves, 20);
    }
}
