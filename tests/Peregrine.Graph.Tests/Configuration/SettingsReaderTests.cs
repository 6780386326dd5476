using Microsoft.Extensions.Configuration;
using Peregrine.Graph.Configuration;

namespace Peregrine.Graph.Tests.Configuration;

/// <summary>Settings are either used as given or refused with one line; never quietly replaced by the default.</summary>
public sealed class SettingsReaderTests
{
    private static SettingsReader Reader(params (string Key, string Value)[] values) =>
        new(new ConfigurationBuilder().AddInMemoryCollection(values.Select(v => KeyValuePair.Create(v.Key, (string?)v.Value))).Build());

    [Fact]
    public void Absent_or_blank_means_the_default_and_a_good_value_is_used()
    {
        Assert.Equal(7, Reader().Int("X", 7, min: 0, max: 15));
        Assert.Equal(7, Reader(("X", "  ")).Int("X", 7, min: 0, max: 15));
        Assert.Equal(15, Reader(("X", "15")).Int("X", 7, min: 0, max: 15));
        Assert.Equal(2.5, Reader(("X", "2.5")).Double("X", 10, min: 0));
        // Hasura's name is read when Peregrine's is not set.
        Assert.Equal(3, Reader(("HASURA_X", "3")).Int("X", 7, hasura: "HASURA_X"));
    }

    [Theory]
    [InlineData("16", "invalid setting X=16: expected an integer from 0 to 15")]
    [InlineData("-1", "invalid setting X=-1: expected an integer from 0 to 15")]
    [InlineData("7.0", "invalid setting X=7.0: expected an integer from 0 to 15")]
    [InlineData("seven", "invalid setting X=seven: expected an integer from 0 to 15")]
    [InlineData("99999999999999999999", "invalid setting X=99999999999999999999: expected an integer from 0 to 15")]
    public void A_bad_integer_names_the_variable_the_value_and_what_is_allowed(string value, string message)
    {
        var e = Assert.Throws<InvalidSettingException>(() => Reader(("X", value)).Int("X", 7, min: 0, max: 15));
        Assert.Equal(message, e.Message);
        Assert.Equal("X", e.Name);
    }

    [Fact]
    public void The_range_is_worded_by_the_bounds_given()
    {
        Assert.EndsWith("expected an integer of at least 1", Assert.Throws<InvalidSettingException>(() => Reader(("X", "0")).Long("X", 5, min: 1)).Message);
        Assert.EndsWith("expected an integer", Assert.Throws<InvalidSettingException>(() => Reader(("X", "x")).Int("X", 5)).Message);
        Assert.EndsWith("expected a number from 0 to 3600", Assert.Throws<InvalidSettingException>(() => Reader(("X", "NaN")).Double("X", 5, 0, 3600)).Message);
    }

    [Fact]
    public void The_hasura_name_is_named_when_it_is_the_one_that_is_wrong()
    {
        var e = Assert.Throws<InvalidSettingException>(() => Reader(("HASURA_X", "x")).Int("X", 7, hasura: "HASURA_X"));
        Assert.StartsWith("invalid setting HASURA_X=x:", e.Message);
    }

    [Fact]
    public void Secrets_and_passwords_in_urls_never_reach_the_line()
    {
        var secret = Assert.Throws<InvalidSettingException>(() =>
            Reader(("S", "hunter2-hunter2")).Custom<string>("S", null, "expected something", _ => throw new FormatException("bad"), secret: true));
        Assert.Equal("invalid setting S=<hidden, 15 characters>: bad; expected something", secret.Message);
        var url = Assert.Throws<InvalidSettingException>(() => Reader(("U", "ftp://me:hunter2@host/x")).Url("U", "redis"));
        Assert.DoesNotContain("hunter2", url.Message);
        Assert.Contains("ftp://***@host/x", url.Message);
        var cs = Assert.Throws<InvalidSettingException>(() =>
            Reader(("C", "Host=h;Password=hunter2;Bogus=1")).Custom<string>("C", null, "expected a connection string", _ => throw new FormatException("bad")));
        Assert.DoesNotContain("hunter2", cs.Message);
    }

    [Fact]
    public void Peregrine_options_refuse_what_they_used_to_replace_silently()
    {
        static PeregrineOptions Options(params (string, string)[] values) => PeregrineOptions.FromConfiguration(
            new ConfigurationBuilder().AddInMemoryCollection(
                values.Append(("PEREGRINE_DATABASE_URL", "postgres://u@h:5432/d")).Select(v => KeyValuePair.Create(v.Item1, (string?)v.Item2))).Build());

        Assert.Equal(64L * 1024 * 1024, Options().ResultCacheBytes);
        Assert.Equal(TimeSpan.FromSeconds(10), Options().ShutdownTimeout);
        Assert.Equal(0, Options(("PEREGRINE_RESULT_CACHE_MB", "0")).ResultCacheBytes);
        Assert.Throws<InvalidSettingException>(() => Options(("PEREGRINE_RESULT_CACHE_MB", "-1")));
        Assert.Throws<InvalidSettingException>(() => Options(("PEREGRINE_RESULT_CACHE_MB", "2000000")));
        Assert.Throws<InvalidSettingException>(() => Options(("PEREGRINE_H3_RESOLUTION", "16")));
        Assert.Throws<InvalidSettingException>(() => Options(("PEREGRINE_MAX_REQUEST_BYTES", "-5")));
        Assert.Throws<InvalidSettingException>(() => Options(("PEREGRINE_JWT_SECRET", """{"type":"HS256","key":"short"}""")));
        var missing = Assert.Throws<InvalidSettingException>(() => PeregrineOptions.FromConfiguration(new ConfigurationBuilder().Build()));
        Assert.StartsWith("invalid setting PEREGRINE_DATABASE_URL=: required", missing.Message);
    }
}
