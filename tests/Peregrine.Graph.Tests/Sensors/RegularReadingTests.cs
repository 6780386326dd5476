using System.Globalization;
using Peregrine.Graph.Sensors.Queries;

namespace Peregrine.Graph.Tests.Sensors;

/// <summary>
/// The quick time reader of <c>insert_sensor_readings</c> against its oracle, DateTimeOffset.TryParse as SensorWrites
/// calls it: every string it takes means the same instant there; the ones it leaves alone are left to that parser.
/// </summary>
public sealed class RegularReadingTests
{
    [Theory]
    [InlineData("2026-12-05T10:00:00Z", true)]
    [InlineData("2026-12-05T10:00:00.1Z", true)]
    [InlineData("2026-12-05T10:00:00.123Z", true)]
    [InlineData("2026-12-05T10:00:00.1234567Z", true)]
    [InlineData("2024-02-29T23:59:59.999Z", true)]
    [InlineData("0001-01-01T00:00:00Z", true)]
    [InlineData("2026-12-05T10:00:00.12345678Z", false)]
    [InlineData("2023-02-29T00:00:00Z", false)]
    [InlineData("2026-13-05T10:00:00Z", false)]
    [InlineData("2026-12-05T24:00:00Z", false)]
    [InlineData("2026-12-05T10:00:60Z", false)]
    [InlineData("2026-12-05T10:00:00.Z", false)]
    [InlineData("2026-12-05T10:00:00+02:00", false)]
    [InlineData("2026-12-05t10:00:00z", false)]
    [InlineData("2026-12-05 10:00:00Z", false)]
    [InlineData("2026-12-05T10:00:0xZ", false)]
    [InlineData("now()", false)]
    public void Taken_strings_mean_what_DateTimeOffset_TryParse_reads(string text, bool taken)
    {
        Assert.Equal(taken, RegularReading.TryUtc(text, out var quick));
        if (!taken) return;
        Assert.True(DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var oracle));
        Assert.Equal(oracle.ToUniversalTime().UtcTicks, quick.UtcTicks);
        Assert.Equal(TimeSpan.Zero, quick.Offset);
    }

    [Fact]
    public void Random_instants_written_as_clients_write_them_read_back_exactly()
    {
        var random = new Random(15);
        for (var i = 0; i < 10_000; i++)
        {
            var t = new DateTimeOffset(random.NextInt64(DateTimeOffset.UnixEpoch.UtcTicks, new DateTime(2200, 1, 1).Ticks), TimeSpan.Zero);
            foreach (var text in new[] { t.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture), t.UtcDateTime.ToString("O", CultureInfo.InvariantCulture) })
            {
                Assert.True(RegularReading.TryUtc(text, out var quick), text);
                DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var oracle);
                Assert.Equal(oracle.UtcTicks, quick.UtcTicks);
            }
        }
    }
}
