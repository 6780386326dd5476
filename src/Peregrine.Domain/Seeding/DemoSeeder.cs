using System.Buffers.Binary;
using Npgsql;
using NpgsqlTypes;

namespace Peregrine.Domain.Seeding;

/// <summary>What <see cref="DemoSeeder.SeedAsync"/> wrote.</summary>
public sealed record SeedResult(int Users, int Categories, int Reports, int Media);

/// <summary>
/// Fills the database with deterministic, realistic demo data: 200 users, 12 categories, N reports
/// clustered around ~50 cities over the last two years, 0–3 media and 1–2 categories per report, and
/// some favorites. It replaces what is in those tables (one transaction), so seeding the same N twice
/// gives identical rows, uuids included. Rows go in with binary COPY: 100k reports take seconds.
/// </summary>
public static class DemoSeeder
{
    private const string TruncateSql =
        "TRUNCATE user_favorites, phenom_report_categories, phenom_media, phenom_reports, categories, users CASCADE";

    /// <summary>True when there is no report yet (a fresh database, or one never seeded).</summary>
    public static async Task<bool> IsEmptyAsync(NpgsqlDataSource ds)
    {
        await using var cmd = ds.CreateCommand("SELECT NOT EXISTS (SELECT 1 FROM phenom_reports)");
        return (bool)(await cmd.ExecuteScalarAsync())!;
    }

    public static async Task<SeedResult> SeedAsync(NpgsqlDataSource dataSource, int reports, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        ArgumentOutOfRangeException.ThrowIfNegative(reports);
        var gen = new DemoDataGenerator();

        await using var conn = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        await using (var truncate = new NpgsqlCommand(TruncateSql, conn, tx))
            await truncate.ExecuteNonQueryAsync(ct);

        var users = await CopyUsersAsync(conn, gen, ct);
        var categories = await CopyCategoriesAsync(conn, gen, ct);
        await CopyReportsAsync(conn, gen, reports, ct);
        var media = await CopyMediaAsync(conn, gen, reports, ct);
        await CopyReportCategoriesAsync(conn, gen, reports, ct);
        await CopyFavoritesAsync(conn, gen, reports, ct);
        await DemoSensors.SeedAsync(conn, tx, gen, ct);
        await tx.CommitAsync(ct);

        // Fresh statistics, so the first queries against the new data get sensible plans.
        await using (var analyze = new NpgsqlCommand(
            "ANALYZE users, categories, phenom_reports, phenom_media, phenom_report_categories, user_favorites", conn))
            await analyze.ExecuteNonQueryAsync(ct);

        return new SeedResult(users, categories, reports, media);
    }

    private static async Task<int> CopyUsersAsync(NpgsqlConnection conn, DemoDataGenerator gen, CancellationToken ct)
    {
        var count = 0;
        await using var w = await conn.BeginBinaryImportAsync(
            "COPY users (id, email, password_hash, profile, created_at, updated_at) FROM STDIN (FORMAT BINARY)", ct);
        foreach (var u in gen.Users())
        {
            await w.StartRowAsync(ct);
            await w.WriteAsync(u.Id, NpgsqlDbType.Uuid, ct);
            await w.WriteAsync(u.Email, NpgsqlDbType.Text, ct);
            await w.WriteNullAsync(ct);
            await w.WriteAsync(u.ProfileJson, NpgsqlDbType.Jsonb, ct);
            await w.WriteAsync(u.CreatedAt, NpgsqlDbType.TimestampTz, ct);
            await w.WriteAsync(u.UpdatedAt, NpgsqlDbType.TimestampTz, ct);
            count++;
        }
        await w.CompleteAsync(ct);
        return count;
    }

    private static async Task<int> CopyCategoriesAsync(NpgsqlConnection conn, DemoDataGenerator gen, CancellationToken ct)
    {
        var count = 0;
        await using var w = await conn.BeginBinaryImportAsync(
            "COPY categories (id, name, description, icon) FROM STDIN (FORMAT BINARY)", ct);
        foreach (var c in gen.Categories())
        {
            await w.StartRowAsync(ct);
            await w.WriteAsync(c.Id, NpgsqlDbType.Uuid, ct);
            await w.WriteAsync(c.Name, NpgsqlDbType.Text, ct);
            await w.WriteAsync(c.Description, NpgsqlDbType.Text, ct);
            await w.WriteAsync(c.Icon, NpgsqlDbType.Text, ct);
            count++;
        }
        await w.CompleteAsync(ct);
        return count;
    }

    private static async Task CopyReportsAsync(NpgsqlConnection conn, DemoDataGenerator gen, int reports, CancellationToken ct)
    {
        await using var w = await conn.BeginBinaryImportAsync(
            "COPY phenom_reports (id, user_id, location, coordinates, \"timestamp\", h3_index, h3_resolution, h3_cell_r15, description) " +
            "FROM STDIN (FORMAT BINARY)", ct);
        var ewkb = new byte[PointEwkbLength];
        for (var i = 0; i < reports; i++)
        {
            var r = gen.Report(i);
            await w.StartRowAsync(ct);
            await w.WriteAsync(r.Id, NpgsqlDbType.Uuid, ct);
            if (r.UserId is { } userId) await w.WriteAsync(userId, NpgsqlDbType.Uuid, ct);
            else await w.WriteNullAsync(ct);
            // geography's binary input is EWKB, so the point goes in as raw bytes: no staging table.
            WritePointEwkb(ewkb, r.Lng, r.Lat);
            await w.WriteAsync(ewkb, NpgsqlDbType.Bytea, ct);
            await w.WriteAsync(r.CoordinatesJson, NpgsqlDbType.Jsonb, ct);
            await w.WriteAsync(r.Timestamp, NpgsqlDbType.TimestampTz, ct);
            if (r.Cell.H3Index is { } h3) await w.WriteAsync(h3, NpgsqlDbType.Text, ct);
            else await w.WriteNullAsync(ct);
            if (r.Cell.H3Resolution is { } res) await w.WriteAsync(res, NpgsqlDbType.Integer, ct);
            else await w.WriteNullAsync(ct);
            if (r.Cell.H3CellR15 is { } r15) await w.WriteAsync(r15, NpgsqlDbType.Bigint, ct);
            else await w.WriteNullAsync(ct);
            await w.WriteAsync(r.Description, NpgsqlDbType.Text, ct);
        }
        await w.CompleteAsync(ct);
    }

    private static async Task<int> CopyMediaAsync(NpgsqlConnection conn, DemoDataGenerator gen, int reports, CancellationToken ct)
    {
        var count = 0;
        await using var w = await conn.BeginBinaryImportAsync(
            "COPY phenom_media (id, report_id, url, type, metadata, thumbnail_url) FROM STDIN (FORMAT BINARY)", ct);
        for (var i = 0; i < reports; i++)
        {
            foreach (var m in gen.Media(i))
            {
                await w.StartRowAsync(ct);
                await w.WriteAsync(m.Id, NpgsqlDbType.Uuid, ct);
                await w.WriteAsync(m.ReportId, NpgsqlDbType.Uuid, ct);
                await w.WriteAsync(m.Url, NpgsqlDbType.Text, ct);
                await w.WriteAsync(m.Type, NpgsqlDbType.Text, ct);
                await w.WriteAsync(m.MetadataJson, NpgsqlDbType.Jsonb, ct);
                await w.WriteAsync(m.ThumbnailUrl, NpgsqlDbType.Text, ct);
                count++;
            }
        }
        await w.CompleteAsync(ct);
        return count;
    }

    private static async Task CopyReportCategoriesAsync(NpgsqlConnection conn, DemoDataGenerator gen, int reports, CancellationToken ct)
    {
        await using var w = await conn.BeginBinaryImportAsync(
            "COPY phenom_report_categories (report_id, category_id) FROM STDIN (FORMAT BINARY)", ct);
        for (var i = 0; i < reports; i++)
        {
            foreach (var rc in gen.ReportCategories(i))
            {
                await w.StartRowAsync(ct);
                await w.WriteAsync(rc.ReportId, NpgsqlDbType.Uuid, ct);
                await w.WriteAsync(rc.CategoryId, NpgsqlDbType.Uuid, ct);
            }
        }
        await w.CompleteAsync(ct);
    }

    private static async Task CopyFavoritesAsync(NpgsqlConnection conn, DemoDataGenerator gen, int reports, CancellationToken ct)
    {
        await using var w = await conn.BeginBinaryImportAsync(
            "COPY user_favorites (user_id, report_id, created_at) FROM STDIN (FORMAT BINARY)", ct);
        foreach (var f in gen.Favorites(reports))
        {
            await w.StartRowAsync(ct);
            await w.WriteAsync(f.UserId, NpgsqlDbType.Uuid, ct);
            await w.WriteAsync(f.ReportId, NpgsqlDbType.Uuid, ct);
            await w.WriteAsync(f.CreatedAt, NpgsqlDbType.TimestampTz, ct);
        }
        await w.CompleteAsync(ct);
    }

    // EWKB point: byte order (1 = little endian), type with the SRID flag, SRID, x (lng), y (lat).
    private const int PointEwkbLength = 1 + 4 + 4 + 8 + 8;
    private const uint EwkbPointWithSrid = 1 | 0x20000000;

    internal static void WritePointEwkb(Span<byte> buffer, double lng, double lat)
    {
        buffer[0] = 1;
        BinaryPrimitives.WriteUInt32LittleEndian(buffer[1..], EwkbPointWithSrid);
        BinaryPrimitives.WriteUInt32LittleEndian(buffer[5..], 4326);
        BinaryPrimitives.WriteDoubleLittleEndian(buffer[9..], lng);
        BinaryPrimitives.WriteDoubleLittleEndian(buffer[17..], lat);
    }
}
