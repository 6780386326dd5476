using Npgsql;
using NpgsqlTypes;
using Peregrine.Domain.Model.Media;

namespace Peregrine.Graph.Media.Files;

/// <summary>The <c>files</c> table, through parameterised SQL on the API's data source.</summary>
public sealed class FileRecords(NpgsqlDataSource db)
{
    private const string Columns = """
        id, bucket_id, name, size, mime_type, etag, is_uploaded, status, rejection_reason, uploaded_by_user_id,
        storage_key, thumbnail_key, url, thumbnail_url, created_at, updated_at
        """;

    public NpgsqlDataSource DataSource => db;

    public async Task<StoredFile> InsertStagedAsync(Guid id, string bucketId, string name, string mimeType, long size, Guid? userId, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand($"""
            INSERT INTO files (id, bucket_id, name, mime_type, size, uploaded_by_user_id)
            VALUES ($1, $2, $3, $4, $5, $6) RETURNING {Columns}
            """);
        cmd.Parameters.Add(new NpgsqlParameter { Value = id });
        cmd.Parameters.Add(new NpgsqlParameter { Value = bucketId });
        cmd.Parameters.Add(new NpgsqlParameter { Value = name });
        cmd.Parameters.Add(new NpgsqlParameter { Value = mimeType });
        cmd.Parameters.Add(new NpgsqlParameter { Value = size });
        cmd.Parameters.Add(new NpgsqlParameter { Value = (object?)userId ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Uuid });
        try
        {
            await using var reader = await cmd.ExecuteReaderAsync(ct);
            await reader.ReadAsync(ct);
            return Read(reader);
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UniqueViolation)
        {
            // The id can come from the client (multipart metadata[]): taking another file's id is refused, not a 500.
            throw new Api.FileApiError(409, "file-already-exists", $"a file with id {id} already exists");
        }
    }

    public async Task<StoredFile?> FindAsync(Guid id, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand($"SELECT {Columns} FROM files WHERE id = $1");
        cmd.Parameters.Add(new NpgsqlParameter { Value = id });
        return await ReadOneAsync(cmd, ct);
    }

    /// <summary>The row, locked until <paramref name="tx"/> ends: concurrent <c>complete</c> calls for one file run one after the other.</summary>
    public static async Task<StoredFile?> LockAsync(NpgsqlConnection conn, NpgsqlTransaction tx, Guid id, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand($"SELECT {Columns} FROM files WHERE id = $1 FOR UPDATE", conn, tx);
        cmd.Parameters.Add(new NpgsqlParameter { Value = id });
        return await ReadOneAsync(cmd, ct);
    }

    public static async Task<StoredFile> MarkValidAsync(NpgsqlConnection conn, NpgsqlTransaction tx, Guid id, string mimeType, long size,
        string etag, string storageKey, string? thumbnailKey, string url, string? thumbnailUrl, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand($"""
            UPDATE files SET status = 'valid', is_uploaded = true, mime_type = $2, size = $3, etag = $4, storage_key = $5,
                   thumbnail_key = $6, url = $7, thumbnail_url = $8, rejection_reason = NULL, updated_at = now()
             WHERE id = $1 RETURNING {Columns}
            """, conn, tx);
        cmd.Parameters.Add(new NpgsqlParameter { Value = id });
        cmd.Parameters.Add(new NpgsqlParameter { Value = mimeType });
        cmd.Parameters.Add(new NpgsqlParameter { Value = size });
        cmd.Parameters.Add(new NpgsqlParameter { Value = etag });
        cmd.Parameters.Add(new NpgsqlParameter { Value = storageKey });
        cmd.Parameters.Add(new NpgsqlParameter { Value = (object?)thumbnailKey ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        cmd.Parameters.Add(new NpgsqlParameter { Value = url });
        cmd.Parameters.Add(new NpgsqlParameter { Value = (object?)thumbnailUrl ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        return (await ReadOneAsync(cmd, ct))!;
    }

    public static async Task<StoredFile> MarkRejectedAsync(NpgsqlConnection conn, NpgsqlTransaction tx, Guid id, string reason, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand($"""
            UPDATE files SET status = 'rejected', is_uploaded = false, rejection_reason = $2, updated_at = now()
             WHERE id = $1 RETURNING {Columns}
            """, conn, tx);
        cmd.Parameters.Add(new NpgsqlParameter { Value = id });
        cmd.Parameters.Add(new NpgsqlParameter { Value = reason });
        return (await ReadOneAsync(cmd, ct))!;
    }

    public async Task DeleteAsync(Guid id, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand("DELETE FROM files WHERE id = $1");
        cmd.Parameters.Add(new NpgsqlParameter { Value = id });
        await cmd.ExecuteNonQueryAsync(ct);
    }

    /// <summary>Deletes staged rows created before <paramref name="before"/> and returns their ids (their objects go next).</summary>
    public async Task<List<Guid>> DeleteStagedBeforeAsync(DateTimeOffset before, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand("DELETE FROM files WHERE status = 'staged' AND created_at < $1 RETURNING id");
        cmd.Parameters.Add(new NpgsqlParameter { Value = before });
        var ids = new List<Guid>();
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct)) ids.Add(reader.GetGuid(0));
        return ids;
    }

    /// <summary>Whether a staged row exists for <paramref name="id"/> (the purge keeps objects of fresh rows).</summary>
    public async Task<bool> IsStagedAsync(Guid id, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand("SELECT EXISTS (SELECT 1 FROM files WHERE id = $1 AND status = 'staged')");
        cmd.Parameters.Add(new NpgsqlParameter { Value = id });
        return (bool)(await cmd.ExecuteScalarAsync(ct))!;
    }

    private static async Task<StoredFile?> ReadOneAsync(NpgsqlCommand cmd, CancellationToken ct)
    {
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        return await reader.ReadAsync(ct) ? Read(reader) : null;
    }

    private static StoredFile Read(NpgsqlDataReader r) => new()
    {
        Id = r.GetGuid(0),
        BucketId = r.GetString(1),
        Name = r.GetString(2),
        Size = r.GetInt64(3),
        MimeType = r.GetString(4),
        Etag = r.IsDBNull(5) ? null : r.GetString(5),
        IsUploaded = r.GetBoolean(6),
        Status = r.GetString(7),
        RejectionReason = r.IsDBNull(8) ? null : r.GetString(8),
        UploadedByUserId = r.IsDBNull(9) ? null : r.GetGuid(9),
        StorageKey = r.IsDBNull(10) ? null : r.GetString(10),
        ThumbnailKey = r.IsDBNull(11) ? null : r.GetString(11),
        Url = r.IsDBNull(12) ? null : r.GetString(12),
        ThumbnailUrl = r.IsDBNull(13) ? null : r.GetString(13),
        CreatedAt = r.GetFieldValue<DateTimeOffset>(14),
        UpdatedAt = r.GetFieldValue<DateTimeOffset>(15),
    };
}
