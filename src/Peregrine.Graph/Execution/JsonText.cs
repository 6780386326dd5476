using System.Text;
using System.Text.Json;

namespace Peregrine.Graph.Execution;

/// <summary>
/// One root field's JSON: the UTF-8 bytes PostgreSQL sent, or text built here (<c>__typename</c>, introspection).
/// Bytes go to the response as they came: no decoding to UTF-16 and encoding back.
/// </summary>
public readonly struct JsonText
{
    private readonly byte[]? _utf8;
    private readonly string? _text;

    public JsonText(byte[] utf8) => _utf8 = utf8;
    private JsonText(string text) => _text = text;

    public static implicit operator JsonText(string text) => new(text);

    /// <summary>About the bytes this takes in a response (exact for PostgreSQL's bytes, chars for text built here).</summary>
    public long Length => _utf8?.Length ?? _text?.Length ?? 4;

    public void WriteTo(Utf8JsonWriter writer)
    {
        if (_utf8 is not null) writer.WriteRawValue(_utf8, skipInputValidation: true);
        else writer.WriteRawValue(_text ?? "null", skipInputValidation: true);
    }

    public override string ToString() => _text ?? (_utf8 is null ? "null" : Encoding.UTF8.GetString(_utf8));
}
