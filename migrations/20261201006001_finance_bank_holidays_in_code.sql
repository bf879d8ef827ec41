-- National bank holidays are computed in code for any year (`finance::holidays`: the fixed dates and the
-- Easter-based Carnaval, Sexta-feira Santa and Corpus Christi), so a recurring rule's shift to the next business day
-- never stops when a hand-kept list runs out. Nothing else read this table (it listed 2026–2028 only).
drop table finance_bank_holidays;
