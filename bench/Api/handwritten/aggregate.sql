-- aggregate, written by hand: per category, an index-only count of its links (the categories are few;
-- one pass grouping all links would read every link row as well).
SELECT coalesce(json_agg(json_build_object('name', c.name, 'phenom_reports_aggregate',
         json_build_object('aggregate', json_build_object('count',
           (SELECT count(*) FROM phenom_report_categories rc WHERE rc.category_id = c.id))))), '[]'::json)
FROM categories c;
