-- employees_per_employer: fragment of employees_counts and employees_pay (not run alone), and
-- the rows the employees' rollups are built from: for each (cell of {dims}, employer) from the
-- microdata, the counts of persons present, each with its cell key; and for the paid population
-- (apprentices and contrats de professionnalisation excluded: INSEE convention), its count,
-- those below 1.1 SMIC of the year, women and men (each count with its cell key), the sums of
-- pay (all, women, men) that means are made of with their largest pay (the scale of their
-- noise, observatory/secrecy.py), and the sum of the year's SMIC. Every measure is a sum or a
-- maximum (the *_max columns), so rollups can add them up.
-- Params: the filter parameters of filtered_employees ({filter_arguments}).
SELECT {dims}, employer_id,
    count(*) AS n,                              sum(rkey) AS n_key,
    count_if(sex = 'F') AS women,       sum(rkey * (sex = 'F')::INTEGER) AS women_key,
    count_if(fte < 1) AS part_time,     sum(rkey * (fte < 1)::INTEGER) AS part_time_key,
    count_if(age >= 55) AS aged_55,     sum(rkey * (age >= 55)::INTEGER) AS aged_55_key,
    count_if(age >= 57) AS aged_57,     sum(rkey * (age >= 57)::INTEGER) AS aged_57_key,
    count_if(age >= 52) AS aged_52,     sum(rkey * (age >= 52)::INTEGER) AS aged_52_key,
    count_if(hired) AS hired,           sum(rkey * (hired)::INTEGER) AS hired_key,
    count_if("left") AS "left",         sum(rkey * ("left")::INTEGER) AS left_key,
    sum(fte) AS fte,
    count_if(paid) AS paid,             sum(rkey * paid::INTEGER) AS paid_key,
    count_if(paid AND near_smic) AS near_smic, sum(rkey * (paid AND near_smic)::INTEGER) AS near_smic_key,
    count_if(paid AND sex = 'F') AS paid_women, sum(rkey * (paid AND sex = 'F')::INTEGER) AS paid_women_key,
    count_if(paid AND sex = 'M') AS paid_men,   sum(rkey * (paid AND sex = 'M')::INTEGER) AS paid_men_key,
    sum(gross_monthly_fte * paid::INTEGER) AS pay_sum,
    max(gross_monthly_fte) FILTER (WHERE paid) AS pay_max,
    sum(gross_monthly_fte * (paid AND sex = 'F')::INTEGER) AS pay_women,
    max(gross_monthly_fte) FILTER (WHERE paid AND sex = 'F') AS pay_women_max,
    sum(gross_monthly_fte * (paid AND sex = 'M')::INTEGER) AS pay_men,
    max(gross_monthly_fte) FILTER (WHERE paid AND sex = 'M') AS pay_men_max,
    sum(smic_monthly * paid::INTEGER) AS smic_sum
FROM (
    SELECT e.*, s.monthly_gross AS smic_monthly,
        e.contract NOT IN ('apprentissage', 'contrat_pro') AS paid,
        e.gross_monthly_fte < 1.1 * s.monthly_gross AS near_smic
    FROM filtered_employees({filter_arguments}) AS e
    LEFT JOIN smic AS s USING (year)
)
GROUP BY {dims}, employer_id
