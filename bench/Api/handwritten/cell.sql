-- cell, written by hand: the cell's newest 100 first (LIMIT in a subquery), then their media via LATERAL.
SELECT coalesce(json_agg(json_build_object('id', r.id, 'location', ST_AsGeoJSON(r.location, 15, 4)::json,
         'timestamp', r."timestamp", 'media', m.j) ORDER BY r."timestamp" DESC NULLS FIRST), '[]'::json)
FROM (SELECT id, location, "timestamp" FROM phenom_reports WHERE h3_index = :cell::text
      ORDER BY "timestamp" DESC NULLS FIRST LIMIT 100) r
CROSS JOIN LATERAL (SELECT coalesce(json_agg(json_build_object('thumbnail_url', m.thumbnail_url)), '[]'::json) AS j
                    FROM phenom_media m WHERE m.report_id = r.id) m;
