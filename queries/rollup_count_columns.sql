-- rollup_count_columns: the columns of the rollup $table holding sums of counts (HUGEINT, the
-- type of a sum of integers), which build_rollup_retype stores as INTEGER.
-- Params: $table.
SELECT column_name FROM duckdb_columns() WHERE table_name = $table AND data_type = 'HUGEINT' ORDER BY column_index;
