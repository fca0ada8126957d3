-- vacancies_years: the years (of posting) the vacancies dataset of the snapshot covers, in order.
-- Params: none. Returns: year.
SELECT DISTINCT year FROM vacancies ORDER BY year;
