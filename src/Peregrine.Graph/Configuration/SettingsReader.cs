using System.Globalization;
using System.Numerics;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Configuration;

namespace Peregrine.Graph.Configuration;

/// <summary>
/// Reads settings from configuration (the environment) and refuses bad ones: a value that is present but
/// malformed or out of range throws <see cref="InvalidSettingException"/> naming the variable, the value and
/// what is allowed, instead of quietly falling back to the default. Absent or blank means the default.
/// Each reader takes an optional Hasura name, read when Peregrine's is not set.
/// <code>
/// var s = new SettingsReader(config);
/// MaxFields = s.Int("PEREGRINE_MAX_FIELDS", 2000, min: 1),
/// </code>
/// </summary>
public sealed partial class SettingsReader(IConfiguration config)
{
    /// <summary>The raw value (Peregrine's name first, then Hasura's), or null when unset or blank.</summary>
    public string? String(string name, string? hasura = null) =>
        NonEmpty(config[name]) ?? (hasura is null ? null : NonEmpty(config[hasura]));

    /// <summary>An integer in [<paramref name="min"/>, <paramref name="max"/>].</summary>
    public int Int(string name, int @default, int min = int.MinValue, int max = int.MaxValue, string? hasura = null) =>
        (int)Parse(name, hasura, (long)@default, Range(min, max, "an integer"),
            v => int.TryParse(v, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n) && n >= min && n <= max ? n : (long?)null);

    /// <summary>A 64-bit integer in [<paramref name="min"/>, <paramref name="max"/>].</summary>
    public long Long(string name, long @default, long min = long.MinValue, long max = long.MaxValue, string? hasura = null) =>
        Parse(name, hasura, @default, Range(min, max, "an integer"),
            v => long.TryParse(v, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n) && n >= min && n <= max ? n : null);

    /// <summary>A decimal number in [<paramref name="min"/>, <paramref name="max"/>] (e.g. seconds).</summary>
    public double Double(string name, double @default, double min = double.MinValue, double max = double.MaxValue, string? hasura = null) =>
        Parse(name, hasura, @default, Range(min, max, "a number"),
            v => double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out var n) && double.IsFinite(n) && n >= min && n <= max
                ? n : (double?)null);

    /// <summary>An absolute URL whose scheme is one of <paramref name="schemes"/>; null when unset.</summary>
    public string? Url(string name, params string[] schemes)
    {
        var value = String(name);
        if (value is null) return null;
        if (Uri.TryCreate(value, UriKind.Absolute, out var uri) && schemes.Contains(uri.Scheme, StringComparer.OrdinalIgnoreCase) && uri.Host.Length > 0)
            return value;
        throw new InvalidSettingException(name, Show(value, secret: false),
            $"expected an absolute URL starting with {string.Join(" or ", schemes.Select(s => s + "://"))}");
    }

    /// <summary>
    /// Any other shape: <paramref name="parse"/> returns the value or throws (any exception) when it is not
    /// allowed; the line then gives the exception's message (why), then <paramref name="allowed"/>.
    /// </summary>
    public T? Custom<T>(string name, string? hasura, string allowed, Func<string, T> parse, bool secret = false) where T : class
    {
        var (source, value) = Raw(name, hasura);
        if (value is null) return null;
        try { return parse(value); }
        catch (Exception e) when (e is not InvalidSettingException)
        {
            throw new InvalidSettingException(source, Show(value, secret), $"{e.Message.TrimEnd('.')}; {allowed}");
        }
    }

    private T Parse<T>(string name, string? hasura, T @default, string allowed, Func<string, T?> parse) where T : struct
    {
        var (source, value) = Raw(name, hasura);
        if (value is null) return @default;
        return parse(value.Trim()) ?? throw new InvalidSettingException(source, Show(value, secret: false), "expected " + allowed);
    }

    private (string Source, string? Value) Raw(string name, string? hasura)
    {
        if (NonEmpty(config[name]) is { } v) return (name, v);
        if (hasura is not null && NonEmpty(config[hasura]) is { } h) return (hasura, h);
        return (name, null);
    }

    private static string Range<T>(T min, T max, string what) where T : IComparable<T>, IMinMaxValue<T> =>
        (min.CompareTo(T.MinValue) == 0, max.CompareTo(T.MaxValue) == 0) switch
        {
            (true, true) => what,
            (false, true) => $"{what} of at least {Format(min)}",
            (true, false) => $"{what} of at most {Format(max)}",
            _ => $"{what} from {Format(min)} to {Format(max)}",
        };

    private static string Format<T>(T value) => Convert.ToString(value, CultureInfo.InvariantCulture)!;

    // A secret's value must not reach a log: show only how long it is. Passwords inside URLs
    // (scheme://user:password@host) and connection strings (Password=...) are masked too.
    private static string Show(string value, bool secret)
    {
        if (secret) return $"<hidden, {value.Length} characters>";
        value = UrlCredentials().Replace(value, "***@");
        value = PasswordPair().Replace(value, "$1=***");
        return (value.Length > 200 ? value[..200] + "…" : value).ReplaceLineEndings(" ");
    }

    [GeneratedRegex(@"(?<=://)[^/@\s]*@")]
    private static partial Regex UrlCredentials();

    [GeneratedRegex(@"(?i)\b(password|pwd)\s*=[^;]*")]
    private static partial Regex PasswordPair();

    private static string? NonEmpty(string? s) => string.IsNullOrWhiteSpace(s) ? null : s;
}
