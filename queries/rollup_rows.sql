-- rollup_rows: fragment (not run alone): the rows of the rollup {rollup} under the filters, as
-- they are: they are a request's (cell, employer) rows when each column the rollup keeps is one
-- of the request's dimensions or fixed to one value by a filter (observatory/rollups.py).
-- Params: the filter parameters ({filter_arguments}: $year_from, $year_to and one per filter).
SELECT *
FROM filtered_{rollup}({filter_arguments})
