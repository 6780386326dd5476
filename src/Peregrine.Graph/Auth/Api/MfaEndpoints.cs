using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Peregrine.Graph.Auth.Accounts;
using Peregrine.Graph.Auth.Jwt;
using Peregrine.Graph.Auth.Mfa;

namespace Peregrine.Graph.Auth.Api;

/// <summary>
/// <c>GET /mfa/totp/generate</c>: a new TOTP secret for the signed-in user (not yet active: <c>POST /user/mfa</c>
/// with a code from it turns it on), its <c>otpauth://</c> URL and that URL as a QR-code PNG data URL.
/// </summary>
public static class MfaEndpoints
{
    public static async Task<Ok<TotpGenerateResponse>> GenerateTotpAsync(
        HttpRequest request, AccountStore accounts, JwtContext jwt, AuthOptions options, TotpSecretCipher cipher)
    {
        // Secrets are only ever stored sealed; without a key there is nowhere safe to keep one.
        if (cipher.CurrentKeyId is null)
            throw AuthError.DisabledEndpoint("TOTP needs PEREGRINE_ENCRYPTION_KEY (32 bytes, base64) to encrypt its secrets");
        var user = await UserEndpoints.CurrentAsync(request, accounts, jwt);
        if (user.IsAnonymous) throw AuthError.ForbiddenAnonymous();
        if (user.TotpActive) throw AuthError.TotpAlreadyActive();

        var secret = Totp.NewSecret();
        await accounts.SetTotpSecretAsync(user.Id, secret, request.HttpContext.RequestAborted);
        var url = Totp.OtpAuthUrl(options.TotpIssuer, user.Email, secret);
        return TypedResults.Ok(new TotpGenerateResponse(Totp.QrDataUrl(url), secret, url));
    }
}
