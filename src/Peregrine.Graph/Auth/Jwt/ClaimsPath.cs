using System.Text.Json;
using System.Text.Json.Nodes;

namespace Peregrine.Graph.Auth.Jwt;

/// <summary>
/// The JSON path subset Hasura accepts in <c>claims_namespace_path</c>: <c>$</c> followed by
/// <c>.name</c>, <c>['name']</c> / <c>["name"]</c> and <c>[index]</c> steps.
/// </summary>
public sealed class ClaimsPath
{
    private readonly IReadOnlyList<object> _steps; // string = property, int = array index

    private ClaimsPath(string text, IReadOnlyList<object> steps) { Text = text; _steps = steps; }

    public string Text { get; }

    public static ClaimsPath Parse(string text)
    {
        if (!text.StartsWith('$')) throw Bad(text);
        var steps = new List<object>();
        var i = 1;
        while (i < text.Length)
        {
            if (text[i] == '.')
            {
                var start = ++i;
                while (i < text.Length && text[i] != '.' && text[i] != '[') i++;
                if (i == start) throw Bad(text);
                steps.Add(text[start..i]);
            }
            else if (text[i] == '[' && i + 1 < text.Length && text[i + 1] is '\'' or '"')
            {
                var quote = text[i + 1];
                var end = text.IndexOf(quote, i + 2);
                if (end < 0 || end + 1 >= text.Length || text[end + 1] != ']') throw Bad(text);
                steps.Add(text[(i + 2)..end]);
                i = end + 2;
            }
            else if (text[i] == '[')
            {
                var end = text.IndexOf(']', i);
                if (end < 0 || !int.TryParse(text.AsSpan(i + 1, end - i - 1), out var index) || index < 0) throw Bad(text);
                steps.Add(index);
                i = end + 1;
            }
            else throw Bad(text);
        }
        return new ClaimsPath(text, steps);
    }

    public bool TryEvaluate(JsonElement root, out JsonElement value)
    {
        value = root;
        foreach (var step in _steps)
        {
            if (step is string name)
            {
                if (value.ValueKind != JsonValueKind.Object || !value.TryGetProperty(name, out value)) return false;
            }
            else
            {
                var index = (int)step;
                if (value.ValueKind != JsonValueKind.Array || index >= value.GetArrayLength()) return false;
                value = value[index];
            }
        }
        return true;
    }

    /// <summary>Places <paramref name="value"/> at this path inside <paramref name="root"/> (property steps only).</summary>
    public void Assign(JsonObject root, JsonNode value)
    {
        if (_steps.Count == 0 || _steps.Any(s => s is not string))
            throw new InvalidOperationException($"cannot issue claims at claims_namespace_path {Text}");
        var node = root;
        for (var i = 0; i < _steps.Count - 1; i++)
        {
            var name = (string)_steps[i];
            if (node[name] is not JsonObject child) node[name] = child = new JsonObject();
            node = child;
        }
        node[(string)_steps[^1]] = value;
    }

    private static InvalidOperationException Bad(string text) =>
        JwtSettings.Invalid($"invalid JSON path claims_namespace_path: {text}");

    public override string ToString() => Text;
}
