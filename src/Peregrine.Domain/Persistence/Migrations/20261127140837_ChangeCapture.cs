using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Peregrine.Domain.Persistence.Migrations
{
    /// <summary>
    /// Change capture for live queries: every committed row write NOTIFYs <c>peregrine_changes</c> with
    /// <c>{"t": table, "op": "i"|"u"|"d"|"t", "pk": {...}, "cols": [written columns], "row": {...}, "old": {...}, "at": epoch}</c>.
    /// PostgreSQL delivers notifications only at commit, and not at all on rollback, so listeners see
    /// committed writes only, whether they came through the API or straight from SQL. <c>row</c>/<c>old</c>
    /// (the row image and an update's previous values) are dropped when the payload would pass NOTIFY's
    /// 8000-byte limit; columns listed as hidden never leave the database. A table added later gets
    /// capture with <c>SELECT peregrine_enable_change_capture('table', ARRAY['secret_column'])</c>.
    /// </summary>
    public partial class ChangeCapture : Migration
    {
        internal static readonly (string Table, string Hidden)[] CapturedTables =
        [
            ("categories", ""),
            ("users", "password_hash"),
            ("phenom_reports", ""),
            ("phenom_media", ""),
            ("phenom_report_categories", ""),
            ("user_favorites", ""),
        ];

        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                CREATE OR REPLACE FUNCTION peregrine_capture_change() RETURNS trigger LANGUAGE plpgsql AS $$
                DECLARE
                  pk text[] := coalesce(string_to_array(nullif(TG_ARGV[0], ''), ','), '{}');
                  hidden text[] := coalesce(string_to_array(nullif(TG_ARGV[1], ''), ','), '{}');
                  full_row jsonb;
                  full_old jsonb;
                  cols text[];
                  old_vals jsonb;
                  base jsonb;
                  payload text;
                BEGIN
                  IF TG_OP = 'DELETE' THEN full_row := to_jsonb(OLD); ELSE full_row := to_jsonb(NEW); END IF;
                  IF TG_OP = 'UPDATE' THEN
                    full_old := to_jsonb(OLD);
                    SELECT coalesce(array_agg(n.key ORDER BY n.key), '{}') INTO cols
                      FROM jsonb_each(full_row) n WHERE n.value IS DISTINCT FROM full_old -> n.key;
                    IF cardinality(cols) = 0 THEN RETURN NULL; END IF;  -- an update that wrote nothing new
                    SELECT jsonb_object_agg(c, full_old -> c) INTO old_vals FROM unnest(cols) c WHERE c <> ALL (hidden);
                  ELSE
                    SELECT coalesce(array_agg(k ORDER BY k), '{}') INTO cols FROM jsonb_object_keys(full_row) k;
                  END IF;
                  base := jsonb_build_object(
                    't', TG_TABLE_NAME,
                    'op', CASE TG_OP WHEN 'INSERT' THEN 'i' WHEN 'UPDATE' THEN 'u' ELSE 'd' END,
                    'pk', (SELECT jsonb_object_agg(c, full_row -> c) FROM unnest(pk) c),
                    'cols', to_jsonb(cols),
                    'at', extract(epoch FROM clock_timestamp()));
                  payload := (base || jsonb_build_object('row', full_row - hidden, 'old', old_vals))::text;
                  IF octet_length(payload) > 7900 THEN payload := base::text; END IF;
                  PERFORM pg_notify('peregrine_changes', payload);
                  RETURN NULL;
                END $$;

                CREATE OR REPLACE FUNCTION peregrine_capture_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                  PERFORM pg_notify('peregrine_changes', jsonb_build_object(
                    't', TG_TABLE_NAME, 'op', 't', 'cols', '[]'::jsonb, 'at', extract(epoch FROM clock_timestamp()))::text);
                  RETURN NULL;
                END $$;

                CREATE OR REPLACE FUNCTION peregrine_enable_change_capture(tbl regclass, hidden text[] DEFAULT '{}') RETURNS void
                LANGUAGE plpgsql AS $$
                DECLARE pk text;
                BEGIN
                  SELECT string_agg(a.attname, ',' ORDER BY array_position(i.indkey::int2[], a.attnum)) INTO pk
                    FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY (i.indkey::int2[])
                   WHERE i.indrelid = tbl AND i.indisprimary;
                  EXECUTE format('DROP TRIGGER IF EXISTS peregrine_change_capture ON %s', tbl);
                  EXECUTE format('DROP TRIGGER IF EXISTS peregrine_change_capture_truncate ON %s', tbl);
                  EXECUTE format('CREATE TRIGGER peregrine_change_capture AFTER INSERT OR UPDATE OR DELETE ON %s '
                    'FOR EACH ROW EXECUTE FUNCTION peregrine_capture_change(%L, %L)', tbl, coalesce(pk, ''), array_to_string(hidden, ','));
                  EXECUTE format('CREATE TRIGGER peregrine_change_capture_truncate AFTER TRUNCATE ON %s '
                    'FOR EACH STATEMENT EXECUTE FUNCTION peregrine_capture_truncate()', tbl);
                END $$;
                """);
            foreach (var (table, hidden) in CapturedTables)
                migrationBuilder.Sql($"SELECT peregrine_enable_change_capture('{table}', '{{{hidden}}}'::text[]);");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            foreach (var (table, _) in CapturedTables)
            {
                migrationBuilder.Sql($"DROP TRIGGER IF EXISTS peregrine_change_capture ON {table};");
                migrationBuilder.Sql($"DROP TRIGGER IF EXISTS peregrine_change_capture_truncate ON {table};");
            }
            migrationBuilder.Sql("""
                DROP FUNCTION IF EXISTS peregrine_enable_change_capture(regclass, text[]);
                DROP FUNCTION IF EXISTS peregrine_capture_truncate();
                DROP FUNCTION IF EXISTS peregrine_capture_change();
                """);
        }
    }
}
