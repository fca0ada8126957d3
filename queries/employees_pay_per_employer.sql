-- employees_pay_per_employer: fragment of employees_pay (not run alone): the paid population's
-- columns of the employees' per-employer rows ({rows}: employees_per_employer from the
-- microdata, or a rollup's rows), beside the count of every person present (the population
-- whose secrecy pay inherits: a cell dominated by one employer publishes no pay, even when its
-- apprentices are what makes it dominated).
-- Params: those of the rows' fragment.
SELECT {dims}, employer_id, n AS persons, n_key AS persons_key,
    paid AS n, paid_key AS n_key, near_smic, near_smic_key,
    paid_women AS women, paid_women_key AS women_key, paid_men AS men, paid_men_key AS men_key,
    pay_sum, pay_max, pay_women, pay_women_max, pay_men, pay_men_max, smic_sum
FROM (
    {rows}
)
