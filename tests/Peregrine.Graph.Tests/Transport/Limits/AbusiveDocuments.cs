using System.Text;

namespace Peregrine.Graph.Tests.Transport.Limits;

/// <summary>
/// The document shapes of issue 13 §1, each about a megabyte (the ones built to be small — a fragment bomb —
/// say so): what an anonymous client can send to make parsing or validation costly.
/// </summary>
internal static class AbusiveDocuments
{
    public const int Megabyte = 1 << 20;

    /// <summary>Repeats <paramref name="unit"/> (given its index) until the text reaches <paramref name="bytes"/>.</summary>
    private static string Repeat(string head, Func<int, string> unit, string tail, int bytes = Megabyte)
    {
        var sb = new StringBuilder(bytes + 256).Append(head);
        for (var i = 0; sb.Length < bytes; i++) sb.Append(unit(i));
        return sb.Append(tail).ToString();
    }

    public static string RepeatedField(int bytes) => Repeat("query { categories(limit: 1) { ", _ => "name ", "} }", bytes);
    public static string RepeatedTypename(int bytes) => Repeat("{ ", _ => "__typename ", "}", bytes);
    public static string DistinctAliases(int bytes) => Repeat("{ ", i => $"a{i}: __typename ", "}", bytes);
    public static string DeepSelection(int bytes) => Repeat("{ ", _ => "categories { ", "", bytes);
    public static string DeepListValue(int bytes) => "{ categories(where: {name: {_in: " + new string('[', bytes / 2) + new string(']', bytes / 2) + "}}) { name } }";
    public static string DeepObjectValue(int bytes) => Repeat("{ categories(where: ", _ => "{_not: ", "", bytes);

    /// <summary><c>query { ...F0 } fragment F0 on query_root { ...F1 __typename } ...</c>: the chain that overflowed GraphQL.NET's stack.</summary>
    public static string FragmentChain(int bytes)
    {
        var sb = new StringBuilder(bytes + 256).Append("query { ...F0 }");
        var i = 0;
        for (; sb.Length < bytes; i++) sb.Append($" fragment F{i} on query_root {{ ...F{i + 1} __typename }}");
        return sb.Append($" fragment F{i} on query_root {{ __typename }}").ToString();
    }

    /// <summary>The chain with its last link back to the first.</summary>
    public static string FragmentCycle(int bytes)
    {
        var sb = new StringBuilder(bytes + 256).Append("query { ...F0 }");
        var i = 0;
        for (; sb.Length < bytes; i++) sb.Append($" fragment F{i} on query_root {{ ...F{i + 1} __typename }}");
        return sb.Append($" fragment F{i} on query_root {{ ...F0 }}").ToString();
    }

    public static string ManyFragments(int bytes)
    {
        var spreads = new StringBuilder();
        var definitions = new StringBuilder();
        for (var i = 0; spreads.Length + definitions.Length < bytes; i++)
        {
            spreads.Append($"...F{i} ");
            definitions.Append($" fragment F{i} on categories {{ name }}");
        }
        return "{ categories(limit: 1) { " + spreads + "} }" + definitions;
    }

    /// <summary>Small text, 2^levels fields once expanded: F(n) spreads F(n-1) twice.</summary>
    public static string FragmentBomb(int levels)
    {
        var sb = new StringBuilder($"{{ categories(limit: 1) {{ ...F{levels} }} }} fragment F0 on categories {{ name }}");
        for (var i = 1; i <= levels; i++) sb.Append($" fragment F{i} on categories {{ ...F{i - 1} ...F{i - 1} }}");
        return sb.ToString();
    }

    public static string HugeString(int bytes) => "{ categories(where: {name: {_eq: \"" + new string('x', bytes) + "\"}}) { name } }";

    /// <summary>Variable definitions on one operation (100,000 make 1.3 MB).</summary>
    public static string ManyVariables(int bytes) => Repeat("query(", i => $"$v{i}: String ", ") { __typename }", bytes);

    public static string RepeatedArguments(int bytes) => Repeat("{ categories(", _ => "limit: 1, ", "limit: 1) { name } }", bytes);
    public static string RepeatedDirectives(int bytes) => Repeat("{ __typename ", _ => "@include(if: true) ", "}", bytes);
    public static string ManyOperations(int bytes) => Repeat("", i => $"query Q{i} {{ __typename }} ", "", bytes);

    /// <summary>Each shape by name, of about the size asked (the fragment bomb is small whatever the size).</summary>
    public static readonly IReadOnlyDictionary<string, Func<int, string>> All = new Dictionary<string, Func<int, string>>
    {
        ["repeated-field"] = RepeatedField,
        ["repeated-typename"] = RepeatedTypename,
        ["distinct-aliases"] = DistinctAliases,
        ["deep-selection"] = DeepSelection,
        ["deep-list-value"] = DeepListValue,
        ["deep-object-value"] = DeepObjectValue,
        ["fragment-chain"] = FragmentChain,
        ["fragment-cycle"] = FragmentCycle,
        ["many-fragments"] = ManyFragments,
        ["fragment-bomb"] = _ => FragmentBomb(14),
        ["huge-string"] = HugeString,
        ["many-variables"] = ManyVariables,
        ["repeated-arguments"] = RepeatedArguments,
        ["repeated-directives"] = RepeatedDirectives,
        ["many-operations"] = ManyOperations,
    };
}
