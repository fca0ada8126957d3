-- build_meta: what the database says of itself, written last by the build.
-- Params: $layout (warehouse.database_layout: version and digest of the build's queries and
-- declarations), $exact (whether a trainee's attributes are constant at an employer in a year,
-- build/training_persons_check: the trainees' rollups are then exact).
-- Returns: nothing; creates warehouse_meta (layout, persons_rollup_exact).
CREATE TABLE warehouse_meta AS SELECT $layout AS layout, $exact AS persons_rollup_exact;
