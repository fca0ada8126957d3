-- build_rollup_retype: the column {column} of the rollup {table}, still empty, stored as {type}:
-- a dimension as its enum (build_enum), a count summed to HUGEINT as INTEGER (a cell of one
-- employer holds at most its staff). Grouping on enum codes and summing 32-bit integers makes the
-- counts queries much faster (bench/README.md, section « Ce qui a changé », « Agrégats stockés en
-- codes »).
-- Params: none.
ALTER TABLE {table} ALTER {column} TYPE {type};
