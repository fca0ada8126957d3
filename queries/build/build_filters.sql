-- build_filters: the table macro filtered_{table} that applies the global filters to the table
-- {table} (a dataset, or a rollup), so that every named query filters the same way: its
-- parameters are the period and one list of codes per filter of observatory/filters.py
-- (FILTERS), each an empty list for "no filter on this column"; the conditions hold one
-- build/filter_condition per filter (build/rollup_filter_condition for a rollup).
-- Params: none (called with {filter_arguments}).
CREATE MACRO filtered_{table}(year_from, year_to, {filter_parameters}) AS TABLE
SELECT * FROM {table}
WHERE year BETWEEN year_from AND year_to
{conditions};
