-- build_enum: the enum type {type} of the values of {column} in {table}, in text order: stored as
-- small integer codes, grouped and filtered without strings (the sorted values' columns, read
-- back as codes by build_sorted_values; the rollups' dimensions, by build_rollup_retype).
-- Params: none.
CREATE TYPE {type} AS ENUM (SELECT DISTINCT {column} FROM {table} WHERE {column} IS NOT NULL ORDER BY 1);
