using OtpNet;
using QRCoder;

namespace Peregrine.Graph.Auth.Mfa;

/// <summary>
/// RFC 6238 TOTP (SHA-1, 6 digits, 30 s, as authenticator apps expect) with Otp.NET; the enrolment QR code is a
/// PNG data URL of the <c>otpauth://</c> URI, which is what Hasura Auth's <c>imageUrl</c> holds.
/// </summary>
public static class Totp
{
    /// <summary>A fresh 160-bit secret, base32 (RFC 4226's recommended length).</summary>
    public static string NewSecret() => Base32Encoding.ToString(KeyGeneration.GenerateRandomKey(20));

    public static string OtpAuthUrl(string issuer, string account, string secret) =>
        new OtpUri(OtpType.Totp, secret, account, issuer).ToString();

    public static string QrDataUrl(string otpAuthUrl)
    {
        using var generator = new QRCodeGenerator();
        using var data = generator.CreateQrCode(otpAuthUrl, QRCodeGenerator.ECCLevel.M);
        var png = new PngByteQRCode(data).GetGraphic(6);
        return "data:image/png;base64," + Convert.ToBase64String(png);
    }

    /// <summary>Accepts the current code and its neighbours (one step of clock drift either way).</summary>
    public static bool Verify(string secret, string? code, DateTime utcNow)
    {
        if (code is null || code.Length != 6 || !code.All(char.IsAsciiDigit)) return false;
        byte[] key;
        try { key = Base32Encoding.ToBytes(secret); }
        catch (ArgumentException) { return false; }
        return new OtpNet.Totp(key).VerifyTotp(utcNow, code, out _, new VerificationWindow(previous: 1, future: 1));
    }
}
