using System.Buffers;
using System.Security.Cryptography;
using Peregrine.Graph.Media.Scanning;

namespace Peregrine.Graph.Media.Validation;

/// <summary>
/// Validates staged bytes in one streaming pass: counts them against the declared size and
/// PEREGRINE_STORAGE_MAX_BYTES, keeps the first <see cref="ContentSniffer.HeadLength"/> bytes for sniffing,
/// hashes them for the ETag, and feeds the same chunks to clamd when a scanner is configured. SVGs get a
/// second pass through the XML safety check. Nothing is held beyond one buffer and the head.
/// </summary>
public sealed class FileValidator(MediaOptions options)
{
    public async Task<ValidationResult> ValidateAsync(Func<Task<Stream>> open, string declaredMime, long declaredSize, CancellationToken ct)
    {
        var declared = MediaType.FromDeclared(declaredMime);
        var limit = Math.Min(declaredSize, options.MaxBytes);
        var head = new byte[ContentSniffer.HeadLength];
        var headLength = 0;
        long total = 0;
        using var md5 = IncrementalHash.CreateHash(HashAlgorithmName.MD5);
        await using var scanner = options.ClamAvUrl is { } url ? await ClamdScanner.StartAsync(url, ct) : null;
        var buffer = ArrayPool<byte>.Shared.Rent(1 << 16);
        try
        {
            await using (var content = await open())
            {
                int n;
                while ((n = await content.ReadAsync(buffer.AsMemory(0, 1 << 16), ct)) > 0)
                {
                    total += n;
                    if (total > limit) return ValidationResult.TooLarge(limit);
                    if (headLength < head.Length)
                    {
                        var take = Math.Min(n, head.Length - headLength);
                        buffer.AsSpan(0, take).CopyTo(head.AsSpan(headLength));
                        headLength += take;
                    }
                    md5.AppendData(buffer, 0, n);
                    if (scanner is not null) await scanner.WriteAsync(buffer.AsMemory(0, n), ct);
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        var sniffed = ContentSniffer.Sniff(head.AsSpan(0, headLength));
        var declaredName = declaredMime.Split(';', 2)[0].Trim().ToLowerInvariant();
        if (total == 0) return ValidationResult.Invalid("file is empty");
        if (declared is null || sniffed.Type is null || sniffed.Type.Family != declared.Family)
            return ValidationResult.Invalid($"declared {declaredName}, content is {sniffed.Mime}");
        if (scanner is not null && await scanner.FinishAsync(ct) is { } virus)
            return ValidationResult.Invalid($"content is infected ({virus})");
        if (sniffed.Type == MediaType.Svg)
        {
            await using var again = await open();
            if (SvgSafety.Check(again) is { } unsafeSvg) return ValidationResult.Invalid(unsafeSvg);
        }
        // Within one family (MP4/QuickTime) the content's own type is what gets stored and served.
        return ValidationResult.Valid(sniffed.Type, total, "\"" + Convert.ToHexStringLower(md5.GetHashAndReset()) + "\"");
    }
}

public sealed record ValidationResult(bool IsValid, bool IsTooLarge, string? Reason, MediaType? Type, long Size, string? Etag)
{
    public static ValidationResult Valid(MediaType type, long size, string etag) => new(true, false, null, type, size, etag);
    public static ValidationResult Invalid(string reason) => new(false, false, reason, null, 0, null);
    public static ValidationResult TooLarge(long limit) => new(false, true, $"file is larger than {limit} bytes", null, 0, null);
}
