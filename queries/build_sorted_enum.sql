-- build_sorted_enum: the enum type {type} of the values of {column} in {table}, for a column of
-- the sorted values (build_sorted_values): stored as small integer codes, read without strings.
-- Params: none.
CREATE TYPE {type} AS ENUM (SELECT DISTINCT {column} FROM {table} WHERE {column} IS NOT NULL ORDER BY 1);
