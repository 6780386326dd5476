namespace Peregrine.Domain.Model.Sensors;

/// <summary>
/// An OAuth 2.0 client of a device. Only a hash of the secret is stored (the secret is shown once);
/// a revoked credential stays for the record and is refused at the token endpoint. Not part of the GraphQL schema.
/// </summary>
public sealed class DeviceCredential
{
    public string ClientId { get; set; } = "";
    public Guid DeviceId { get; set; }
    public string SecretHash { get; set; } = "";
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? RevokedAt { get; set; }

    public Device? Device { get; set; }
}
