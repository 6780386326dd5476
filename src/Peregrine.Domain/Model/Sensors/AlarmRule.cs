namespace Peregrine.Domain.Model.Sensors;

/// <summary>
/// A condition on one device's readings (or every device of an enclosure): the field of a sensor above
/// <see cref="Threshold"/>, below it, outside [<see cref="Threshold"/>, <see cref="ThresholdHigh"/>], or changing
/// faster than <see cref="Threshold"/> units per second (<c>rate_above</c>), held for <see cref="ForSeconds"/>
/// before it fires; or (<c>stale</c>) no reading of the sensor for <see cref="ForSeconds"/>.
/// </summary>
public sealed class AlarmRule
{
    public Guid Id { get; set; }
    public Guid OwnerId { get; set; }
    public Guid? DeviceId { get; set; }
    public Guid? EnclosureId { get; set; }
    public string Sensor { get; set; } = "";
    /// <summary><c>value</c>, <c>x</c>, <c>y</c> or <c>z</c>.</summary>
    public string Field { get; set; } = "value";
    public string Condition { get; set; } = AlarmCondition.Above;
    public double Threshold { get; set; }
    public double? ThresholdHigh { get; set; }
    public int ForSeconds { get; set; }
    public bool Enabled { get; set; } = true;
    public DateTimeOffset CreatedAt { get; set; }

    public User? Owner { get; set; }
    public Device? Device { get; set; }
    public Enclosure? Enclosure { get; set; }
    public List<AlarmEvent> Events { get; set; } = [];
}

/// <summary>The values of <c>alarm_rules.condition</c>.</summary>
public static class AlarmCondition
{
    public const string Above = "above";
    public const string Below = "below";
    public const string Outside = "outside";
    public const string RateAbove = "rate_above";
    public const string Stale = "stale";
}
