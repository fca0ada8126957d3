-- bmo_by: France Travail BMO 2024 for the sector's occupations (those of occupation_family),
-- grouped by {dim} (occupation or region). Regional rows are summed over $regions (all regions
-- when empty); by occupation with no region chosen, the producer's national rows are read.
-- Masked areas are counted (projects_masked), never summed as 0: a total with masked areas is a
-- lower bound. Shares use the sums over the areas where both counts are known.
-- Params: $regions, $occupations (lists of codes; empty = all), $national (boolean).
SELECT
    {dim} AS code,
    sum(projects) AS projects,
    sum(projects_masked) AS projects_masked,
    sum(areas) AS areas,
    sum(difficult_both_known) AS difficult_known,
    sum(projects_both_known) AS projects_difficult_known,
    sum(seasonal_both_known) AS seasonal_known,
    sum(projects_seasonal_known) AS projects_seasonal_known
FROM bmo
WHERE occupation IN (SELECT occupation FROM occupation_family)
  AND level = CASE WHEN $national THEN 'nat' ELSE 'reg' END
  AND (len($regions) = 0 OR list_contains($regions, region))
  AND (len($occupations) = 0 OR list_contains($occupations, occupation))
GROUP BY {dim}
ORDER BY code;
