-- rollup_largest: fragment of rollup_rows_group (not run alone): the largest single values of
-- the rows (columns *_max: a pay, a trainee's hours or cost, an FTE), kept as the largest when
-- rows are summed.
max(COLUMNS(lambda c: suffix(c, '_max'))),
