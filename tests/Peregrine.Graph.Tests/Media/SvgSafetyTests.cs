using System.Text;
using Peregrine.Graph.Media.Validation;

namespace Peregrine.Graph.Tests.Media;

/// <summary>Each way an SVG can run code or reach outside itself is refused; plain drawings with local references pass.</summary>
public sealed class SvgSafetyTests
{
    private const string Ns = "xmlns=\"http://www.w3.org/2000/svg\" xmlns:xlink=\"http://www.w3.org/1999/xlink\"";

    [Theory]
    [InlineData($"<svg {Ns}><script>alert(1)</script></svg>", "script")]
    [InlineData($"<svg {Ns}><SCRIPT xlink:href=\"#a\"/></svg>", "script")]
    [InlineData($"<svg {Ns} onload=\"alert(1)\"/>", "event-handler")]
    [InlineData($"<svg {Ns}><rect onclick=\"x()\"/></svg>", "event-handler")]
    [InlineData($"<svg {Ns}><image href=\"https://evil.example/p.png\"/></svg>", "external")]
    [InlineData($"<svg {Ns}><use xlink:href=\"file:///etc/passwd#x\"/></svg>", "external")]
    [InlineData($"<svg {Ns}><a href=\"javascript:alert(1)\"><text>x</text></a></svg>", "external")]
    [InlineData($"<svg {Ns}><style>@import url(https://evil.example/a.css);</style></svg>", "style")]
    [InlineData($"<svg {Ns}><rect style=\"fill:url(https://evil.example/f)\"/></svg>", "style")]
    [InlineData($"<svg {Ns}><rect fill=\"url(http://evil.example/#g)\"/></svg>", "external")]
    [InlineData($"<svg {Ns}><foreignObject><div xmlns=\"http://www.w3.org/1999/xhtml\">x</div></foreignObject></svg>", "foreignObject")]
    [InlineData($"<?xml version=\"1.0\"?><!DOCTYPE svg [<!ENTITY lol \"lol\">]><svg {Ns}>&lol;</svg>", "DTD")]
    [InlineData($"<!DOCTYPE svg SYSTEM \"http://evil.example/x.dtd\"><svg {Ns}/>", "DTD")]
    [InlineData($"<svg {Ns}><rect></svg>", "well-formed")]
    [InlineData("<html><svg/></html>", "root")]
    public void Unsafe_svgs_are_refused_with_the_reason(string svg, string reason)
    {
        var refused = SvgSafety.Check(new MemoryStream(Encoding.UTF8.GetBytes(svg)));
        Assert.NotNull(refused);
        Assert.Contains(reason, refused, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void A_drawing_with_local_references_is_safe()
    {
        var svg = $"""
            <?xml version="1.0" encoding="UTF-8"?>
            <svg {Ns} viewBox="0 0 10 10">
              <defs><linearGradient id="g"><stop offset="0" stop-color="#fff"/></linearGradient></defs>
              <style>.a {"{"} fill: url(#g); {"}"}</style>
              <rect class="a" width="10" height="10" fill="url(#g)"/><use xlink:href="#g"/>
            </svg>
            """;
        Assert.Null(SvgSafety.Check(new MemoryStream(Encoding.UTF8.GetBytes(svg))));
    }
}
