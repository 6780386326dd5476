namespace Peregrine.Graph.Configuration;

/// <summary>
/// A setting that cannot be used as given. Its message is the one line the server prints before it exits:
/// the variable, the value (hidden for secrets) and what is allowed.
/// </summary>
public sealed class InvalidSettingException(string name, string shownValue, string allowed)
    : Exception($"invalid setting {name}={shownValue}: {allowed}")
{
    public string Name { get; } = name;
}
