-- build_bmo: France Travail BMO recruitment projects by region x occupation and France x occupation,
-- as parsed by observatory.sources.bmo (masked areas counted, never summed as 0). Only built when
-- the snapshot holds bmo.parquet (after `python -m observatory sources pull`).
-- Params: $file (path of bmo.parquet).
CREATE TABLE bmo AS
SELECT * FROM read_parquet($file)
ORDER BY level, region, occupation;
