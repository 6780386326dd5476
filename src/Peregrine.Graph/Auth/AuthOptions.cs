using System.Net;
using Microsoft.Extensions.Configuration;
using Peregrine.Graph.Auth.RateLimiting;
using Peregrine.Graph.Configuration;

namespace Peregrine.Graph.Auth;

/// <summary>
/// The auth endpoints' settings, with Hasura Auth's defaults (and its <c>AUTH_*</c> names where it has one):
/// 15-minute access tokens, 30-day refresh tokens, new users in role <c>user</c> allowed <c>[user, me]</c>.
/// </summary>
public sealed class AuthOptions
{
    public TimeSpan AccessTokenLifetime { get; init; } = TimeSpan.FromMinutes(15);
    public TimeSpan RefreshTokenLifetime { get; init; } = TimeSpan.FromDays(30);
    public TimeSpan MfaTicketLifetime { get; init; } = TimeSpan.FromMinutes(5);
    public string DefaultRole { get; init; } = "user";
    public IReadOnlyList<string> DefaultAllowedRoles { get; init; } = ["user", "me"];
    public string DefaultLocale { get; init; } = "en";
    public int PasswordMinLength { get; init; } = 9;
    /// <summary>Argon2 over a 10 KB password is a cheap way to burn our CPU; nobody types more than this.</summary>
    public int PasswordMaxLength { get; init; } = 256;
    public string TotpIssuer { get; init; } = "Peregrine";
    /// <summary>Issuer of the tokens Peregrine signs when the JWT secret names none (Hasura Auth's).</summary>
    public string TokenIssuer { get; init; } = "hasura-auth";
    /// <summary>Sign-in and sign-up requests allowed per client address per minute.</summary>
    public int SignInPerIpPerMinute { get; init; } = 30;
    /// <summary>Wrong passwords from one address for one account per 15 minutes before that pair is locked.</summary>
    public int SignInPerAddressAccount { get; init; } = 5;
    /// <summary>Wrong passwords for one account from all addresses together per hour: the slow ceiling.</summary>
    public int SignInPerAccount { get; init; } = 50;
    /// <summary>Wrong TOTP codes per user per 15 minutes, at sign-in and at <c>/user/mfa</c> alike.</summary>
    public int TotpAttempts { get; init; } = 5;
    /// <summary>Proxies whose <c>X-Forwarded-For</c> is believed (PEREGRINE_TRUSTED_PROXIES); none by default.</summary>
    public IReadOnlyList<IPNetwork> TrustedProxies { get; init; } = [];

    public static AuthOptions FromConfiguration(IConfiguration config)
    {
        var s = new SettingsReader(config);
        var defaults = new AuthOptions();
        TimeSpan Seconds(string name, string nhost, TimeSpan @default) =>
            TimeSpan.FromSeconds(s.Long(name, (long)@default.TotalSeconds, min: 1, max: 10L * 365 * 24 * 3600, hasura: nhost));

        var roles = s.String("PEREGRINE_AUTH_DEFAULT_ALLOWED_ROLES", "AUTH_USER_DEFAULT_ALLOWED_ROLES")?
            .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return new AuthOptions
        {
            AccessTokenLifetime = Seconds("PEREGRINE_AUTH_ACCESS_TOKEN_EXPIRES_IN", "AUTH_ACCESS_TOKEN_EXPIRES_IN", defaults.AccessTokenLifetime),
            RefreshTokenLifetime = Seconds("PEREGRINE_AUTH_REFRESH_TOKEN_EXPIRES_IN", "AUTH_REFRESH_TOKEN_EXPIRES_IN", defaults.RefreshTokenLifetime),
            DefaultRole = s.String("PEREGRINE_AUTH_DEFAULT_ROLE", "AUTH_USER_DEFAULT_ROLE") ?? defaults.DefaultRole,
            DefaultAllowedRoles = roles is { Length: > 0 } ? roles : defaults.DefaultAllowedRoles,
            DefaultLocale = s.String("PEREGRINE_AUTH_DEFAULT_LOCALE", "AUTH_LOCALE_DEFAULT") ?? defaults.DefaultLocale,
            PasswordMinLength = s.Int("PEREGRINE_AUTH_PASSWORD_MIN_LENGTH", defaults.PasswordMinLength, min: 1, max: defaults.PasswordMaxLength,
                hasura: "AUTH_PASSWORD_MIN_LENGTH"),
            TotpIssuer = s.String("PEREGRINE_AUTH_MFA_TOTP_ISSUER", "AUTH_MFA_TOTP_ISSUER") ?? defaults.TotpIssuer,
            SignInPerIpPerMinute = s.Int("PEREGRINE_AUTH_SIGNIN_PER_IP_PER_MINUTE", defaults.SignInPerIpPerMinute, min: 1),
            SignInPerAddressAccount = s.Int("PEREGRINE_AUTH_SIGNIN_PER_ADDRESS_ACCOUNT", defaults.SignInPerAddressAccount, min: 1),
            SignInPerAccount = s.Int("PEREGRINE_AUTH_SIGNIN_PER_ACCOUNT", defaults.SignInPerAccount, min: 1),
            TotpAttempts = s.Int("PEREGRINE_AUTH_TOTP_ATTEMPTS", defaults.TotpAttempts, min: 1),
            TrustedProxies = s.Custom<IReadOnlyList<IPNetwork>>("PEREGRINE_TRUSTED_PROXIES", null,
                "expected a comma list of addresses or networks (e.g. 10.0.0.0/8, 192.168.1.7)",
                v => ClientAddress.ParseList(v) ?? throw new FormatException("not an address or network")) ?? defaults.TrustedProxies,
        };
    }
}
