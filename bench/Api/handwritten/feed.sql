-- feed, written by hand: the 20 newest rows first (LIMIT in a subquery, on the timestamp index), then
-- the media and categories of those 20 only, through LATERAL joins; JSON built once per row. The user is a
-- correlated primary-key lookup: as a LEFT JOIN LATERAL the planner hashed all users (a seq scan) instead.
SELECT coalesce(json_agg(json_build_object('id', r.id, 'description', r.description, 'timestamp', r."timestamp",
         'location', ST_AsGeoJSON(r.location, 15, 4)::json, 'h3_index', r.h3_index,
         'user', (SELECT json_build_object('id', u.id, 'profile', u.profile) FROM users u WHERE u.id = r.user_id), 'media', m.j, 'categories', c.j) ORDER BY r."timestamp" DESC NULLS FIRST), '[]'::json)
FROM (SELECT id, description, "timestamp", location, h3_index, user_id FROM phenom_reports
      ORDER BY "timestamp" DESC NULLS FIRST LIMIT 20) r
CROSS JOIN LATERAL (SELECT coalesce(json_agg(json_build_object('url', m.url, 'type', m.type, 'thumbnail_url', m.thumbnail_url)), '[]'::json) AS j
                    FROM phenom_media m WHERE m.report_id = r.id) m
CROSS JOIN LATERAL (SELECT coalesce(json_agg(json_build_object('name', c.name, 'icon', c.icon)), '[]'::json) AS j
                    FROM phenom_report_categories rc JOIN categories c ON c.id = rc.category_id WHERE rc.report_id = r.id) c;
