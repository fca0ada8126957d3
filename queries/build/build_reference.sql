-- build_reference: reference objects of the snapshot database, created before the datasets:
-- the occupation -> family table, the SMIC of each year and the age band macros.
-- Params: $occupations, $families (VARCHAR[] of equal length), $years (INTEGER[]),
-- $smic (DOUBLE[] of the same length as $years).
CREATE TABLE occupation_family AS
SELECT unnest($occupations) AS occupation, unnest($families) AS family;

CREATE TABLE smic AS
SELECT unnest($years)::SMALLINT AS year, unnest($smic)::DOUBLE AS monthly_gross;

CREATE MACRO age_band_of(age) AS
    CASE WHEN age < 25 THEN 'moins_25'
         WHEN age < 35 THEN '25_34'
         WHEN age < 45 THEN '35_44'
         WHEN age < 55 THEN '45_54'
         ELSE '55_plus' END;

-- Five-year bands for the age pyramid (reference.AGE5_BANDS), from "under 20" to "65 or over".
CREATE MACRO age5_of(age) AS
    CASE WHEN age < 20 THEN 'moins_20'
         WHEN age >= 65 THEN '65_plus'
         ELSE (age // 5 * 5)::VARCHAR || '_' || (age // 5 * 5 + 4)::VARCHAR END;
