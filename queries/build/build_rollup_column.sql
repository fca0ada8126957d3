-- build_rollup_column: a filter column {column} that the rollup {table} does not keep, as '*'
-- on every row, so that one filter macro serves every rollup (the chooser never filters on it).
-- Params: none.
ALTER TABLE {table} ADD COLUMN {column} VARCHAR DEFAULT '*';
