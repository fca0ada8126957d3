-- build_rollup_table: the rollup {table}, empty, with the columns of a fragment's rows (per
-- employer, per employer and group of persons, per employer and group of trainees) grouped by
-- {dims} (observatory/rollups.py says which rollup serves which request); build_filters then
-- makes its filter macro.
-- build_rollup_retype then sets the columns' storage types and build_rollup_rows fills it. A
-- person is one row of one group, so any cell over these columns, under any filter on them, is
-- an exact union of rows. Filter columns the rollup does not keep are added by
-- build_rollup_column ('*'; build/rollup_filter_condition says how the macro treats them).
-- Params: the filter parameters, all open. Needs the datasets and build_filters.
CREATE TABLE {table} AS
SELECT * FROM (
    {rows}
)
LIMIT 0;
