-- employees_years: the years the employees dataset of the snapshot covers, in order.
-- Params: none. Returns: year.
SELECT DISTINCT year FROM employees ORDER BY year;
