using System.Globalization;

namespace Peregrine.Graph.Media.Storage;

/// <summary>Final storage keys, organised by type and month: <c>images/2026/12/&lt;id&gt;.jpg</c>, <c>videos/…</c>, <c>thumbnails/…</c>.</summary>
public static class StorageKeys
{
    public static string Final(Guid id, Validation.MediaType type, DateTimeOffset at) =>
        $"{(type.IsVideo ? "videos" : "images")}/{Month(at)}/{id:D}.{type.Extension}";

    public static string Thumbnail(Guid id, DateTimeOffset at, string extension) => $"thumbnails/{Month(at)}/{id:D}.{extension}";

    private static string Month(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy'/'MM", CultureInfo.InvariantCulture);
}
