using System.Text.Json;

namespace Peregrine.Graph.Auth.Api;

/// <summary>
/// Checks the profile fields a client writes (<c>displayName</c>, <c>locale</c>, <c>metadata</c>) before anything
/// is stored: PostgreSQL refuses NUL characters and unpaired surrogates in text and jsonb (a 500 if they got
/// that far), and metadata nested past what a response can carry would make every later answer about the
/// account fail. Each failure is a 400 <c>invalid-request</c> naming the field.
/// </summary>
internal static class ProfileInput
{
    public const int DisplayNameMaxLength = 32;
    public const int MetadataMaxDepth = 10;
    public const int MetadataMaxBytes = 16 * 1024;
    public const int MetadataKeyMaxLength = 256;

    public static string? DisplayName(string? name)
    {
        if (name is null) return null;
        if (name.Length > DisplayNameMaxLength)
            throw AuthError.InvalidRequest($"\"displayName\" must be at most {DisplayNameMaxLength} characters");
        if (!IsCleanText(name, allowControl: false)) throw AuthError.InvalidRequest("\"displayName\" must not contain control characters");
        return name;
    }

    public static string Locale(string? locale, string fallback)
    {
        var value = locale ?? fallback;
        if (value.Length != 2 || !value.All(char.IsAsciiLetter)) throw AuthError.InvalidRequest("\"locale\" must be a two-letter locale");
        return value.ToLowerInvariant();
    }

    /// <summary>The metadata's JSON text: an object, at most <see cref="MetadataMaxDepth"/> levels deep, with text jsonb can hold.</summary>
    public static string Metadata(JsonElement? metadata)
    {
        if (metadata is null or { ValueKind: JsonValueKind.Null }) return "{}";
        var root = metadata.Value;
        if (root.ValueKind != JsonValueKind.Object) throw AuthError.InvalidRequest("\"metadata\" must be an object");
        var raw = root.GetRawText();
        if (System.Text.Encoding.UTF8.GetByteCount(raw) > MetadataMaxBytes)
            throw AuthError.InvalidRequest($"\"metadata\" must be at most {MetadataMaxBytes} bytes");

        // Iterative: a document's nesting is what is being checked, so it must not also set the stack's depth.
        var pending = new Stack<(JsonElement Element, int Depth)>();
        pending.Push((root, 1));
        while (pending.Count > 0)
        {
            var (element, depth) = pending.Pop();
            switch (element.ValueKind)
            {
                case JsonValueKind.Object:
                    if (depth > MetadataMaxDepth) throw AuthError.InvalidRequest($"\"metadata\" must be nested at most {MetadataMaxDepth} levels deep");
                    foreach (var property in element.EnumerateObject())
                    {
                        if (property.Name.Length > MetadataKeyMaxLength || !IsCleanText(property.Name, allowControl: true))
                            throw AuthError.InvalidRequest("\"metadata\" keys must be at most 256 characters, without NUL characters");
                        pending.Push((property.Value, depth + 1));
                    }
                    break;
                case JsonValueKind.Array:
                    if (depth > MetadataMaxDepth) throw AuthError.InvalidRequest($"\"metadata\" must be nested at most {MetadataMaxDepth} levels deep");
                    foreach (var item in element.EnumerateArray()) pending.Push((item, depth + 1));
                    break;
                case JsonValueKind.String:
                    if (!IsCleanText(ReadString(element), allowControl: true))
                        throw AuthError.InvalidRequest("\"metadata\" strings must not contain NUL characters");
                    break;
            }
        }
        return raw;
    }

    /// <summary>No NUL (nor other control characters unless allowed), and every surrogate in a pair.</summary>
    public static bool IsCleanText(string? text, bool allowControl)
    {
        if (text is null) return false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '\0' || (!allowControl && char.IsControl(c))) return false;
            if (char.IsHighSurrogate(c))
            {
                if (i + 1 >= text.Length || !char.IsLowSurrogate(text[i + 1])) return false;
                i++;
            }
            else if (char.IsLowSurrogate(c)) return false;
        }
        return true;
    }

    private static string? ReadString(JsonElement element)
    {
        try { return element.GetString(); }
        catch (InvalidOperationException) { return null; }  // an escaped lone surrogate
    }
}
