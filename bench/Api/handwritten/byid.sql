-- byid, written by hand: one primary-key lookup, nested data as plain correlated subqueries (one row:
-- nothing to gain from LATERAL), no wrapping SELECT.
SELECT json_build_object('id', r.id, 'description', r.description, 'timestamp', r."timestamp",
         'location', ST_AsGeoJSON(r.location, 15, 4)::json, 'coordinates', r.coordinates, 'h3_index', r.h3_index,
         'user', (SELECT json_build_object('id', u.id, 'profile', u.profile) FROM users u WHERE u.id = r.user_id),
         'media', (SELECT coalesce(json_agg(json_build_object('id', m.id, 'url', m.url, 'type', m.type,
                     'thumbnail_url', m.thumbnail_url, 'metadata', m.metadata)), '[]'::json)
                   FROM phenom_media m WHERE m.report_id = r.id),
         'categories', (SELECT coalesce(json_agg(json_build_object('id', c.id, 'name', c.name, 'icon', c.icon)), '[]'::json)
                        FROM phenom_report_categories rc JOIN categories c ON c.id = rc.category_id WHERE rc.report_id = r.id))
FROM phenom_reports r WHERE r.id = :id::uuid;
