-- counts_secrecy_inputs: fragment of employees_counts and vacancies_counts (their count_inputs):
-- the aggregates of each count X of $counts over a cell's per-employer rows, with the inputs of
-- statistical secrecy: X (sum), X_employers (employers with X > 0), X_top (largest employer's X),
-- X_key (sum of the persons' record keys: the cell key). The columns are named by the $counts
-- list itself: a lambda testing every column bound slower (bench/README.md, section « Ce qui a
-- changé », « Mesuré en chemin »).
    sum(COLUMNS($counts)),
    count_if(COLUMNS($counts) > 0) AS '\0_employers',
    max(COLUMNS($counts)) AS '\0_top',
    sum(COLUMNS(list_transform($counts, lambda x: x || '_key')))
