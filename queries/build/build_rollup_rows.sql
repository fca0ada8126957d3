-- build_rollup_rows: the rows of the rollup {table} (created empty by build_rollup_table, its
-- columns retyped by build_rollup_retype: the insert casts each value to its column's type).
-- Rows are sorted by year, then the columns kept, then branch and region: a person filter reads
-- a few runs of rows, not a few rows spread over the whole table.
-- Params: the filter parameters, all open.
INSERT INTO {table}
SELECT * FROM (
    {rows}
)
ORDER BY {order};
