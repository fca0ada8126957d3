-- filter_condition: fragment of build_filters (not run alone): a dataset's row passes the
-- filter {parameter} when the list is empty or holds the row's {column}.
  AND (len({parameter}) = 0 OR list_contains({parameter}, {column}))
