-- rollup_count_columns: the columns of the rollup $table holding counts or sums of counts
-- (BIGINT, HUGEINT: the types of count and of a sum of integers), which build_rollup_retype
-- stores as INTEGER.
-- Params: $table.
SELECT column_name FROM duckdb_columns()
WHERE table_name = $table AND data_type IN ('BIGINT', 'HUGEINT')
ORDER BY column_index;
