using System.Security.Cryptography;
using System.Text;

namespace Peregrine.Graph.Auth.RateLimiting;

/// <summary>
/// The limits on guessing credentials, as current auth services set them:
/// <list type="bullet">
/// <item>per address: every sign-in and sign-up request (<c>PEREGRINE_AUTH_SIGNIN_PER_IP_PER_MINUTE</c>);</item>
/// <item>per address and account: wrong passwords from one address for one account lock that pair
/// (<c>PEREGRINE_AUTH_SIGNIN_PER_ADDRESS_ACCOUNT</c> per 15 minutes), so an attacker locks only themselves out;</item>
/// <item>per account, from every address: a slower ceiling (<c>PEREGRINE_AUTH_SIGNIN_PER_ACCOUNT</c> per hour)
/// against guessing spread over many addresses;</item>
/// <item>per user: wrong TOTP codes (<c>PEREGRINE_AUTH_TOTP_ATTEMPTS</c> per 15 minutes), wherever a code is checked.</item>
/// </list>
/// Right answers are given back (<see cref="Attempt.SucceededAsync"/>), so the owner's own sign-ins never lock
/// them out. A refusal is <c>429 too-many-requests</c> with <c>Retry-After</c>.
/// </summary>
public sealed class SignInRateLimiter(IAttemptCounter counter, AuthOptions options)
{
    public static readonly TimeSpan AddressWindow = TimeSpan.FromMinutes(1);
    public static readonly TimeSpan PairWindow = TimeSpan.FromMinutes(15);
    public static readonly TimeSpan AccountWindow = TimeSpan.FromHours(1);
    public static readonly TimeSpan TotpWindow = TimeSpan.FromMinutes(15);

    public async Task AcquireForAddressAsync(string address, CancellationToken ct) =>
        await TakeAsync([new AttemptBudget("addr:" + address, options.SignInPerIpPerMinute, AddressWindow)], ct);

    /// <summary>One password attempt at <paramref name="account"/> (an email) from <paramref name="address"/>.</summary>
    public async Task<Attempt> BeginPasswordAttemptAsync(string address, string account, CancellationToken ct)
    {
        var id = Pseudonym(account);
        AttemptBudget[] budgets =
        [
            new("pw:" + address + "|" + id, options.SignInPerAddressAccount, PairWindow),
            new("pw:" + id, options.SignInPerAccount, AccountWindow),
        ];
        await TakeAsync(budgets, ct);
        return new Attempt(counter, budgets);
    }

    /// <summary>One TOTP code checked for <paramref name="userId"/>.</summary>
    public async Task<Attempt> BeginTotpAttemptAsync(Guid userId, CancellationToken ct)
    {
        AttemptBudget[] budgets = [new("totp:" + userId.ToString("N"), options.TotpAttempts, TotpWindow)];
        await TakeAsync(budgets, ct);
        return new Attempt(counter, budgets);
    }

    private async Task TakeAsync(AttemptBudget[] budgets, CancellationToken ct)
    {
        var decision = await counter.TryTakeAsync(budgets, ct);
        if (!decision.Allowed) throw new RateLimitedError(decision.RetryAfter);
    }

    /// <summary>Emails do not go into shared counters' keys as they are: a keyed hash names the account instead.</summary>
    private static string Pseudonym(string account) =>
        Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes("peregrine-limit:" + account)), 0, 16);
}

/// <summary>An attempt counted against its budgets; a right answer gives it back.</summary>
public sealed class Attempt(IAttemptCounter counter, IReadOnlyList<AttemptBudget> budgets)
{
    public ValueTask SucceededAsync(CancellationToken ct) => counter.RefundAsync(budgets, ct);
}

/// <summary>A 429 in Hasura Auth's error shape that also knows its <c>Retry-After</c>.</summary>
public sealed class RateLimitedError(TimeSpan retryAfter) : Exception("Too many requests")
{
    public TimeSpan RetryAfter { get; } = retryAfter;
    public Api.AuthError Error { get; } = Api.AuthError.TooManyRequests();
}
