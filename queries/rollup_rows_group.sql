-- rollup_rows_group: fragment (not run alone): the rows of the rollup {rollup} under the
-- filters, summed per (cell of {dims}, employer): every measure column of a rollup is a sum.
-- Also builds the coarser rollups from finer ones (observatory/rollups.py).
-- Params: the filter parameters of the rollup macros ($year_from ... $sizes, $families).
SELECT {dims}, employer_id,
    sum(COLUMNS(lambda c: c NOT IN ('year', 'branch', 'region', 'employer_size', 'total', 'occupation', 'family',
                                     'sex', 'age_band', 'age5', 'contract', 'scheme', 'certification', 'month',
                                     'employer_id')))
FROM filtered_{rollup}($year_from, $year_to, $branches, $regions, $occupations, $families, $sexes, $age_bands, $sizes)
GROUP BY {dims}, employer_id
