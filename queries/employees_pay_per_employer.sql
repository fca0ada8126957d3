-- employees_pay_per_employer: fragment of employees_pay (not run alone): the paid population's
-- columns of the employees' per-employer rows ({rows}: employees_per_employer from the
-- microdata, or a rollup's rows), named after the count of their population (X, X_key, X_pay,
-- X_pay_max), beside the count of every person present (the population whose secrecy pay
-- inherits: a cell dominated by one employer publishes no pay, even when its apprentices are
-- what makes it dominated).
-- Params: those of the rows' fragment.
SELECT {dims}, employer_id, n AS persons,
    paid AS n, paid_key AS n_key, pay_sum AS n_pay, pay_max AS n_pay_max,
    near_smic, near_smic_key,
    paid_women AS women, paid_women_key AS women_key, pay_women AS women_pay, pay_women_max AS women_pay_max,
    paid_men AS men, paid_men_key AS men_key, pay_men AS men_pay, pay_men_max AS men_pay_max,
    smic_sum
FROM (
    {rows}
)
