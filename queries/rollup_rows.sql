-- rollup_rows: fragment (not run alone): the rows of the rollup {rollup} under the filters, as
-- they are: they are a request's (cell, employer) rows when each column the rollup keeps is one
-- of the request's dimensions or fixed to one value by a filter (observatory/rollups.py).
-- Params: the filter parameters of the rollup macros ($year_from ... $sizes, $families).
SELECT *
FROM filtered_{rollup}($year_from, $year_to, $branches, $regions, $occupations, $families, $sexes, $age_bands, $sizes)
