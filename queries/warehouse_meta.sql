-- warehouse_meta: what a database says of itself (build/build_meta).
-- Params: none.
-- Returns: its one row: layout (databases built before the layout existed: version) and
-- persons_rollup_exact.
SELECT * FROM warehouse_meta;
