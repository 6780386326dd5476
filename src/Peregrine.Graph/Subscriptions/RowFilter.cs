using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Peregrine.Domain.Geo;
using Peregrine.Graph.Ir;
using Peregrine.Graph.Ir.H3;

namespace Peregrine.Graph.Subscriptions;

/// <summary>
/// Evaluates a <c>where</c> (<see cref="BoolExp"/>) against a row image from a change event, with SQL's
/// semantics: true, false, or null when it cannot be decided here (a relationship, an operator with no
/// exact C# equivalent such as <c>_ilike</c> or collation-dependent text ordering, a column the image
/// lacks). Only a definite false lets a live query skip an event, so every doubt must answer null.
/// </summary>
public static class RowFilter
{
    public static bool? Evaluate(BoolExp? exp, Func<string, (bool Present, JsonNode? Value)> column) => exp switch
    {
        null => true,
        ConstantExp c => c.Value,
        AndExp and => All(and.Items, column),
        OrExp or => Any(or.Items, column),
        NotExp not => Evaluate(not.Inner, column) is { } b ? !b : null,
        ColumnCompareExp cmp => Compare(cmp, column),
        _ => null
    };

    private static bool? All(IReadOnlyList<BoolExp> items, Func<string, (bool, JsonNode?)> column)
    {
        bool? result = true;
        foreach (var item in items)
        {
            var v = Evaluate(item, column);
            if (v == false) return false;
            if (v is null) result = null;
        }
        return result;
    }

    private static bool? Any(IReadOnlyList<BoolExp> items, Func<string, (bool, JsonNode?)> column)
    {
        bool? result = false;
        foreach (var item in items)
        {
            var v = Evaluate(item, column);
            if (v == true) return true;
            if (v is null) result = null;
        }
        return result;
    }

    private static bool? Compare(ColumnCompareExp cmp, Func<string, (bool Present, JsonNode? Value)> column)
    {
        var (present, value) = column(cmp.Column.Name);
        if (!present) return null;
        var scalar = cmp.Column.Scalar;
        if (cmp.Operator == "_is_null")
            return cmp.Operand is JsonValue b && b.TryGetValue<bool>(out var isNull) ? (value is null) == isNull : null;
        if (cmp.Operator is "_h3_in_cell" or "_h3_grid_disk") return H3Contains(cmp.Operator, cmp.Operand, value);
        if (cmp.Operator is not ("_eq" or "_neq" or "_in" or "_nin" or "_gt" or "_gte" or "_lt" or "_lte")) return null;
        // In SQL any comparison with NULL is unknown, which a WHERE treats as false.
        if (value is null) return false;
        switch (cmp.Operator)
        {
            case "_in":
            case "_nin":
                if (cmp.Operand is not JsonArray list) return null;
                bool? found = false;
                foreach (var item in list)
                {
                    var c = Order(scalar, value, item, equalityOnly: true);
                    if (c == 0) { found = true; break; }
                    if (c is null) found = null;
                }
                return cmp.Operator == "_in" ? found : found is { } f ? !f : null;
            default:
                var order = Order(scalar, value, cmp.Operand, equalityOnly: cmp.Operator is "_eq" or "_neq");
                if (order is not { } o) return null;
                return cmp.Operator switch
                {
                    "_eq" => o == 0,
                    "_neq" => o != 0,
                    "_gt" => o > 0,
                    "_gte" => o >= 0,
                    "_lt" => o < 0,
                    _ => o <= 0,
                };
        }
    }

    /// <summary>
    /// The H3 operators reach the IR applied to the resolution-15 cell column (BoolExpBuilder): a report lies in
    /// a cell when its resolution-15 cell falls in that cell's range of resolution-15 indexes.
    /// </summary>
    private static bool? H3Contains(string op, JsonNode? operand, JsonNode? value)
    {
        if (value is null) return false;
        if (value is not JsonValue v || !v.TryGetValue<long>(out var cell15)) return null;
        try
        {
            IEnumerable<ulong> cells = op == "_h3_in_cell"
                ? [ReportCellValues.ParseCell(operand!.GetValue<string>(), "$")]
                : Peregrine.Domain.Geo.H3.GridDisk(ReportCellValues.ParseCell(operand!["cell"]!.GetValue<string>(), "$"), operand["k"]!.GetValue<int>());
            foreach (var cell in cells)
            {
                var (min, max) = H3Ranges.Res15Range(cell);
                if (cell15 >= min && cell15 <= max) return true;
            }
            return false;
        }
        catch (Exception) { return null; }
    }

    /// <summary>Compares a column value with an operand as PostgreSQL would for that scalar; null when unsure.</summary>
    private static int? Order(string scalar, JsonNode value, JsonNode? operand, bool equalityOnly)
    {
        if (operand is not JsonValue op || value is not JsonValue v) return null;
        switch (scalar)
        {
            case "Int" or "bigint" or "smallint" or "numeric" or "Float" or "float4":
                return Number(v) is { } a && Number(op) is { } b ? a.CompareTo(b) : null;
            case "Boolean":
                return v.TryGetValue<bool>(out var x) && op.TryGetValue<bool>(out var y) ? x.CompareTo(y) : null;
            case "uuid":
                return equalityOnly && v.TryGetValue<string>(out var gs) && op.TryGetValue<string>(out var os)
                    && Guid.TryParse(gs, out var g1) && Guid.TryParse(os, out var g2) ? (g1 == g2 ? 0 : 1) : null;
            case "timestamptz":
                return Timestamp(v) is { } t1 && Timestamp(op) is { } t2 ? t1.CompareTo(t2) : null;
            case "String":
                // Equality is byte equality under deterministic collations; ordering depends on the collation.
                return equalityOnly && v.TryGetValue<string>(out var s1) && op.TryGetValue<string>(out var s2)
                    ? string.CompareOrdinal(s1, s2) == 0 ? 0 : 1 : null;
            default:
                return null;
        }
    }

    private static decimal? Number(JsonValue v)
    {
        if (v.GetValueKind() == JsonValueKind.Number && v.TryGetValue<decimal>(out var d)) return d;
        return v.TryGetValue<string>(out var s) && decimal.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out d) ? d : null;
    }

    // Only timestamps that carry their offset: without one PostgreSQL reads them in the session's time zone.
    private static DateTimeOffset? Timestamp(JsonValue v)
    {
        if (!v.TryGetValue<string>(out var s) || s.Length < 11) return null;
        var tail = s.AsSpan(10);
        var hasOffset = s.EndsWith('Z') || s.EndsWith('z') || tail.LastIndexOfAny('+', '-') > 0;
        if (!hasOffset) return null;
        return DateTimeOffset.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.None, out var t) ? t : null;
    }
}
