-- sorted_pay: one year of the sorted pay (build_sorted_values), in its stored order: pay
-- ascending (observatory/sorted_values.py checks it and sorts again if a scan ever reorders).
-- Params: $year. Returns: year, value (gross monthly pay in FTE), then the columns as enums.
SELECT * FROM sorted_pay WHERE year = $year;
