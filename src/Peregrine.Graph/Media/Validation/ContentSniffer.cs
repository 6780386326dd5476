using System.Text;

namespace Peregrine.Graph.Media.Validation;

/// <summary>
/// What a file's first bytes say it is. Supported formats come back as a <see cref="MediaType"/>; a few
/// common others are named (so a rejection can say "content is application/x-dosexec"), everything else is
/// <c>application/octet-stream</c>. Signatures are the formats' own (JPEG SOI, PNG signature, RIFF forms,
/// ISO BMFF <c>ftyp</c> box, EBML DocType, ASF header GUID, MPEG pack/sequence start codes).
/// </summary>
public static class ContentSniffer
{
    /// <summary>Bytes the sniffer needs to decide (WebM's DocType and SVG's root element can sit a little way in).</summary>
    public const int HeadLength = 4096;

    private static readonly byte[] AsfGuid = [0x30, 0x26, 0xB2, 0x75, 0x8E, 0x66, 0xCF, 0x11, 0xA6, 0xD9, 0x00, 0xAA, 0x00, 0x62, 0xCE, 0x6C];
    private static readonly string[] QuickTimeAtoms = ["moov", "mdat", "wide", "free", "skip", "pnot"];

    public readonly record struct Sniffed(MediaType? Type, string Mime);

    public static Sniffed Sniff(ReadOnlySpan<byte> head)
    {
        if (Match(head, 0, [0xFF, 0xD8, 0xFF])) return Of(MediaType.Jpeg);
        if (Match(head, 0, [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])) return Of(MediaType.Png);
        if (Match(head, 0, "GIF87a"u8) || Match(head, 0, "GIF89a"u8)) return Of(MediaType.Gif);
        if (Match(head, 0, "RIFF"u8) && Match(head, 8, "WEBP"u8)) return Of(MediaType.WebP);
        if (Match(head, 0, "RIFF"u8) && Match(head, 8, "AVI "u8)) return Of(MediaType.Avi);
        if (Match(head, 0, [0x49, 0x49, 0x2A, 0x00]) || Match(head, 0, [0x4D, 0x4D, 0x00, 0x2A])) return Of(MediaType.Tiff);
        if (Match(head, 0, "BM"u8) && head.Length >= 18 && IsBmpHeader(head)) return Of(MediaType.Bmp);
        if (Match(head, 4, "ftyp"u8)) return Of(FtypBrand(head));
        if (head.Length >= 8)
            foreach (var atom in QuickTimeAtoms)
                if (Match(head, 4, Encoding.ASCII.GetBytes(atom))) return Of(MediaType.QuickTime);
        if (Match(head, 0, [0x00, 0x00, 0x01, 0xBA]) || Match(head, 0, [0x00, 0x00, 0x01, 0xB3])) return Of(MediaType.Mpeg);
        if (Match(head, 0, AsfGuid)) return Of(MediaType.Wmv);
        if (Match(head, 0, [0x1A, 0x45, 0xDF, 0xA3]))
            return head.IndexOf("webm"u8) >= 0 ? Of(MediaType.WebM) : new Sniffed(null, "video/x-matroska");
        if (LooksLikeSvg(head)) return Of(MediaType.Svg);

        if (Match(head, 0, "MZ"u8)) return new Sniffed(null, "application/x-dosexec");
        if (Match(head, 0, [0x7F, 0x45, 0x4C, 0x46])) return new Sniffed(null, "application/x-executable");
        if (Match(head, 0, "%PDF-"u8)) return new Sniffed(null, "application/pdf");
        if (Match(head, 0, [0x50, 0x4B, 0x03, 0x04])) return new Sniffed(null, "application/zip");
        if (Match(head, 0, "#!"u8)) return new Sniffed(null, "text/x-shellscript");
        if (LooksLikeText(head)) return new Sniffed(null, head.IndexOf("<"u8) >= 0 ? "text/html" : "text/plain");
        return new Sniffed(null, "application/octet-stream");
    }

    private static Sniffed Of(MediaType type) => new(type, type.Mime);

    private static MediaType FtypBrand(ReadOnlySpan<byte> head) =>
        head.Length >= 12 && head.Slice(8, 4).SequenceEqual("qt  "u8) ? MediaType.QuickTime : MediaType.Mp4;

    // "BM", then a reserved word that must be zero and a DIB header whose size is one of the defined ones.
    private static bool IsBmpHeader(ReadOnlySpan<byte> head)
    {
        var reserved = BitConverter.ToUInt32(head.Slice(6, 4));
        var dib = BitConverter.ToUInt32(head.Slice(14, 4));
        return reserved == 0 && dib is 12 or 40 or 52 or 56 or 64 or 108 or 124;
    }

    // XML text whose first element is <svg> (after an optional BOM, XML declaration, comments and doctype).
    private static bool LooksLikeSvg(ReadOnlySpan<byte> head)
    {
        if (!LooksLikeText(head)) return false;
        var text = Encoding.UTF8.GetString(head).TrimStart('\uFEFF', ' ', '\t', '\r', '\n');
        var i = 0;
        while (i < text.Length)
        {
            var lt = text.IndexOf('<', i);
            if (lt < 0 || lt + 1 >= text.Length) return false;
            if (text[i..lt].Trim().Length > 0) return false;
            if (text.AsSpan(lt).StartsWith("<?") || text.AsSpan(lt).StartsWith("<!"))
            {
                var comment = text.AsSpan(lt).StartsWith("<!--");
                var end = comment ? text.IndexOf("-->", lt, StringComparison.Ordinal) : text.IndexOf('>', lt);
                if (end < 0) return false;
                i = end + (comment ? 3 : 1);
                continue;
            }
            var name = text.AsSpan(lt + 1);
            var colon = name.IndexOfAny(" \t\r\n/>");
            var element = colon < 0 ? name : name[..colon];
            return element.SequenceEqual("svg") || element.EndsWith(":svg");
        }
        return false;
    }

    private static bool LooksLikeText(ReadOnlySpan<byte> head)
    {
        if (head.Length == 0) return false;
        foreach (var b in head)
            if (b < 0x09 || (b is > 0x0D and < 0x20)) return false;
        return true;
    }

    private static bool Match(ReadOnlySpan<byte> head, int offset, ReadOnlySpan<byte> signature) =>
        head.Length >= offset + signature.Length && head.Slice(offset, signature.Length).SequenceEqual(signature);
}
