-- pay_sorted: one year of the sorted pay table (build_pay_sorted), in its stored order: pay
-- ascending (observatory/sorted_pay.py checks it and sorts again if a scan ever reorders).
-- Params: $year. Returns: year, pay, then the filter and dimension columns as enums.
SELECT * FROM pay_sorted WHERE year = $year;
