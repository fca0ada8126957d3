-- rollup_rows_group: fragment (not run alone): the rows of the rollup {rollup} under the
-- filters, summed per (cell of {dims}, employer): every measure column of a rollup is a sum,
-- except the largest single values (*_max) that the {largest} placeholder keeps as the largest
-- (rollup_largest; rollup_nothing for a dataset without them: COLUMNS may not match nothing).
-- Also builds the coarser rollups from finer ones (observatory/rollups.py).
-- Params: the filter parameters ({filter_arguments}: $year_from, $year_to and one per filter).
SELECT {dims}, employer_id,
    {largest}
    sum(COLUMNS(lambda c: c NOT IN ('year', 'branch', 'region', 'employer_size', 'total', 'occupation', 'family',
                                     'sex', 'age_band', 'age5', 'contract', 'scheme', 'certification', 'month',
                                     'employer_id') AND NOT suffix(c, '_max')))
FROM filtered_{rollup}({filter_arguments})
GROUP BY {dims}, employer_id
