-- The radius scenario's obvious SQL: PostGIS alone (ST_DWithin on the spatial index), newest 50, the same
-- JSON as Peregrine's answer. pgbench -D point='{"type":"Point",...}' -D meters=10000 -f radius-obvious.sql
SELECT coalesce(json_agg(j ORDER BY o DESC NULLS FIRST), '[]'::json) FROM (
  SELECT json_build_object('id', r.id, 'description', r.description, 'timestamp', r."timestamp",
           'location', ST_AsGeoJSON(r.location, 15, 4)::json,
           'media', (SELECT coalesce(json_agg(json_build_object('thumbnail_url', m.thumbnail_url)), '[]'::json)
                     FROM phenom_media m WHERE m.report_id = r.id)) AS j,
         r."timestamp" AS o
  FROM phenom_reports r
  WHERE ST_DWithin(r.location, ST_GeomFromGeoJSON(:point)::geography, :meters::float8, true)
  ORDER BY r."timestamp" DESC NULLS FIRST LIMIT 50) s;
