-- sorted_delays: one year (of posting) of the sorted recruitment delays (build_sorted_values), in
-- its stored order: days from posting to filling ascending, filled openings only.
-- Params: $year. Returns: year, value (days), then the columns as enums.
SELECT * FROM sorted_delays WHERE year = $year;
