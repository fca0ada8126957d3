-- rollup_rows_group: fragment (not run alone): the rows of the rollup {rollup} under the
-- filters, summed per (cell of {dims}, employer): every measure column of a rollup is a sum,
-- except the largest single values (*_max) that the {largest} placeholder keeps as the largest
-- (rollup_largest; rollup_nothing for a dataset without them: COLUMNS may not match nothing).
-- Also builds the coarser rollups from finer ones (observatory/rollups.py).
-- Params: the filter parameters of the rollup macros ($year_from ... $sizes, $families).
SELECT {dims}, employer_id,
    {largest}
    sum(COLUMNS(lambda c: c NOT IN ('year', 'branch', 'region', 'employer_size', 'total', 'occupation', 'family',
                                     'sex', 'age_band', 'age5', 'contract', 'scheme', 'certification', 'month',
                                     'employer_id') AND NOT suffix(c, '_max')))
FROM filtered_{rollup}($year_from, $year_to, $branches, $regions, $occupations, $families, $sexes, $age_bands, $sizes)
GROUP BY {dims}, employer_id
