-- employees_pay_per_employer: fragment of employees_pay (not run alone): the paid population's
-- columns of the employees' per-employer rows ({rows}: employees_per_employer from the
-- microdata, or a rollup's rows), for the employers that pay someone in the cell.
-- Params: those of the rows' fragment.
SELECT {dims}, employer_id, paid AS n, paid_key AS n_key, near_smic, near_smic_key,
    paid_women AS women, paid_men AS men, pay_sum, pay_women, pay_men, smic_sum
FROM (
    {rows}
)
WHERE paid > 0
