-- rollup_filter_condition: fragment of build_filters for a rollup (not run alone): as
-- filter_condition, and a row holding '*' in {column} (a column the rollup does not keep,
-- build_rollup_column) passes: the chooser filters a rollup only on the columns it keeps,
-- except occupations expanded from families, which a rollup with families but no occupations
-- filters on the family (observatory/rollups.py).
  AND (len({parameter}) = 0 OR {column} = '*' OR list_contains({parameter}, {column}))
