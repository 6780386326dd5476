using System.Xml;

namespace Peregrine.Graph.Media.Validation;

/// <summary>
/// An SVG is served to browsers, where it is a document that can run code: it is refused when it carries a
/// script element, an event-handler attribute (<c>on…</c>), a reference outside the document (any
/// <c>href</c> other than a <c>#fragment</c>, a CSS <c>url(…)</c> or <c>@import</c> that leaves it,
/// <c>javascript:</c>), a <c>foreignObject</c> (HTML inside SVG), or a DTD (entity declarations: billion
/// laughs, external entities). Parsed as a stream: the document is never held whole.
/// </summary>
public static class SvgSafety
{
    /// <summary>Null when safe, else why not.</summary>
    public static string? Check(Stream svg)
    {
        var settings = new XmlReaderSettings
        {
            DtdProcessing = DtdProcessing.Prohibit,
            XmlResolver = null,
            IgnoreComments = true,
            IgnoreProcessingInstructions = true,
            MaxCharactersInDocument = 0,
            Async = false,
        };
        try
        {
            using var reader = XmlReader.Create(svg, settings);
            var inStyle = false;
            var sawRoot = false;
            while (reader.Read())
            {
                switch (reader.NodeType)
                {
                    case XmlNodeType.Element:
                        var name = reader.LocalName;
                        if (!sawRoot && name != "svg") return "the root element is not <svg>";
                        sawRoot = true;
                        if (name.Equals("script", StringComparison.OrdinalIgnoreCase)) return "SVG contains a <script> element";
                        if (name.Equals("foreignObject", StringComparison.OrdinalIgnoreCase)) return "SVG contains a <foreignObject> element";
                        if (CheckAttributes(reader) is { } bad) return bad;
                        inStyle = name.Equals("style", StringComparison.OrdinalIgnoreCase) && !reader.IsEmptyElement;
                        break;
                    case XmlNodeType.EndElement:
                        inStyle = false;
                        break;
                    case XmlNodeType.Text or XmlNodeType.CDATA when inStyle:
                        if (ExternalCss(reader.Value)) return "SVG style refers outside the document";
                        break;
                }
            }
            return sawRoot ? null : "SVG has no root element";
        }
        catch (XmlException e) when (e.Message.Contains("DTD", StringComparison.OrdinalIgnoreCase))
        {
            return "SVG declares a DTD or entities";
        }
        catch (XmlException)
        {
            return "SVG is not well-formed XML";
        }
    }

    private static string? CheckAttributes(XmlReader reader)
    {
        if (!reader.MoveToFirstAttribute()) return null;
        try
        {
            do
            {
                var local = reader.LocalName;
                var value = reader.Value.Trim();
                if (local.StartsWith("on", StringComparison.OrdinalIgnoreCase)) return $"SVG has an event-handler attribute ({local})";
                if (local.Equals("href", StringComparison.OrdinalIgnoreCase) && !value.StartsWith('#'))
                    return "SVG refers to an external resource";
                if (value.Contains("javascript:", StringComparison.OrdinalIgnoreCase)) return "SVG contains a javascript: URL";
                if (local.Equals("style", StringComparison.OrdinalIgnoreCase) && ExternalCss(value)) return "SVG style refers outside the document";
                if (value.Contains("url(", StringComparison.OrdinalIgnoreCase) && ExternalCss(value)) return "SVG refers to an external resource";
            }
            while (reader.MoveToNextAttribute());
            return null;
        }
        finally
        {
            reader.MoveToElement();
        }
    }

    // url(...) that is not url(#fragment), or any @import.
    private static bool ExternalCss(string css)
    {
        if (css.Contains("@import", StringComparison.OrdinalIgnoreCase)) return true;
        var at = 0;
        while ((at = css.IndexOf("url(", at, StringComparison.OrdinalIgnoreCase)) >= 0)
        {
            var inner = css.AsSpan(at + 4).TrimStart().TrimStart("'\"");
            if (!inner.StartsWith("#")) return true;
            at += 4;
        }
        return false;
    }
}
