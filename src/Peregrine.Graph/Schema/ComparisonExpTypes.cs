using GraphQL.Types;
using static Peregrine.Graph.Schema.TypeRefs;

namespace Peregrine.Graph.Schema;

/// <summary><c>&lt;scalar&gt;_comparison_exp</c>: the operators a column of each scalar accepts.</summary>
internal static class ComparisonExpTypes
{
    private static readonly string[] TextScalars = ["String"];

    /// <summary>The text comparisons plus the H3 operators, for a table's H3 index column.</summary>
    public const string H3Comparison = "h3_comparison_exp";

    public static IEnumerable<IGraphType> Build(IEnumerable<string> scalars)
    {
        foreach (var scalar in scalars.Append("String").Distinct())
            yield return Build(scalar);
        yield return StDWithinGeographyInput();
        yield return JsonbCast();
        yield return H3ComparisonExp();
        yield return H3GridDiskInput();
        yield return StDWithinInput();
    }

    private static InputObjectGraphType Build(string scalar)
    {
        var t = new InputObjectGraphType
        {
            Name = TypeNames.Comparison(scalar),
            Description = $"Boolean expression to compare columns of type \"{scalar}\". All fields are combined with logical 'AND'."
        };
        foreach (var op in new[] { "_eq", "_neq", "_gt", "_gte", "_lt", "_lte" })
            t.AddField(Field(op, Named(scalar)));
        t.AddField(Field("_in", ListOfNonNull(scalar)));
        t.AddField(Field("_nin", ListOfNonNull(scalar)));
        t.AddField(Field("_is_null", Named("Boolean")));

        if (TextScalars.Contains(scalar))
        {
            foreach (var op in new[] { "_like", "_nlike", "_ilike", "_nilike", "_similar", "_nsimilar", "_regex", "_nregex", "_iregex", "_niregex" })
                t.AddField(Field(op, Named("String")));
        }
        if (scalar == "jsonb")
        {
            t.AddField(Field("_contains", Named("jsonb"), "does the column contain the given json value at the top level"));
            t.AddField(Field("_contained_in", Named("jsonb"), "is the column contained in the given json value"));
            t.AddField(Field("_has_key", Named("String"), "does the string exist as a top-level key in the column"));
            t.AddField(Field("_has_keys_any", ListOfNonNull("String"), "do any of these strings exist as top-level keys in the column"));
            t.AddField(Field("_has_keys_all", ListOfNonNull("String"), "do all of these strings exist as top-level keys in the column"));
            t.AddField(Field("_cast", Named("jsonb_cast_exp"), "compare the column cast to another type"));
        }
        if (scalar == "geography")
        {
            t.AddField(Field("_st_d_within", Named("st_d_within_geography_input")));
            t.AddField(Field("_st_intersects", Named("geography")));
        }
        if (scalar == "geometry")
        {
            foreach (var op in new[] { "_st_contains", "_st_crosses", "_st_equals", "_st_intersects", "_st_overlaps", "_st_touches", "_st_within" })
                t.AddField(Field(op, Named("geometry")));
            t.AddField(Field("_st_d_within", Named("st_d_within_input")));
        }
        return t;
    }

    private static InputObjectGraphType H3ComparisonExp()
    {
        var t = Build("String");
        t.Name = H3Comparison;
        t.Description = "Boolean expression on an H3 cell column: text comparisons, and containment in a cell or a k-ring of cells, at any resolution.";
        t.AddField(Field("_h3_in_cell", Named("String"), "the row lies inside this H3 cell (any resolution)"));
        t.AddField(Field("_h3_grid_disk", Named("h3_grid_disk_input"), "the row lies inside the k-ring around this H3 cell"));
        return t;
    }

    private static InputObjectGraphType H3GridDiskInput()
    {
        var t = new InputObjectGraphType { Name = "h3_grid_disk_input" };
        t.AddField(Field("cell", NonNull("String"), "the centre cell"));
        t.AddField(Field("k", NonNull("Int"), "grid distance (0 is the cell alone)"));
        return t;
    }

    private static InputObjectGraphType JsonbCast()
    {
        var t = new InputObjectGraphType { Name = "jsonb_cast_exp" };
        t.AddField(Field("String", Named(TypeNames.Comparison("String"))));
        return t;
    }

    private static InputObjectGraphType StDWithinGeographyInput()
    {
        var t = new InputObjectGraphType { Name = "st_d_within_geography_input" };
        t.AddField(Field("distance", NonNull("Float")));
        t.AddField(Field("from", NonNull("geography")));
        t.AddField(new FieldType { Name = "use_spheroid", ResolvedType = Named("Boolean"), DefaultValue = true });
        return t;
    }

    private static InputObjectGraphType StDWithinInput()
    {
        var t = new InputObjectGraphType { Name = "st_d_within_input" };
        t.AddField(Field("distance", NonNull("Float")));
        t.AddField(Field("from", NonNull("geometry")));
        return t;
    }
}
