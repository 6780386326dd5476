using System.Net;
using Microsoft.AspNetCore.Http;

namespace Peregrine.Graph.Auth.RateLimiting;

/// <summary>
/// The address a request came from, for per-address limits. The connection's peer, unless that peer is one
/// of the operator's trusted proxies (<c>PEREGRINE_TRUSTED_PROXIES</c>): then <c>X-Forwarded-For</c> is read
/// from the right, skipping trusted hops, and the first address no trusted proxy vouches for is the client.
/// With no trusted proxies configured the header is ignored: any client can write it, and believing it
/// would let an attacker pick a fresh address for every guess.
/// </summary>
public static class ClientAddress
{
    public static string Of(HttpContext context, IReadOnlyList<IPNetwork> trustedProxies)
    {
        var peer = Normalize(context.Connection.RemoteIpAddress);
        if (peer is null) return "unknown";
        if (trustedProxies.Count == 0 || !IsTrusted(peer, trustedProxies)) return peer.ToString();

        var hops = context.Request.Headers["X-Forwarded-For"]
            .SelectMany(v => (v ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            .ToArray();
        var client = peer;
        for (var i = hops.Length - 1; i >= 0; i--)
        {
            if (!IPAddress.TryParse(hops[i], out var hop)) break;  // a garbled hop: trust nothing further left
            client = Normalize(hop)!;
            if (!IsTrusted(client, trustedProxies)) break;
        }
        return client.ToString();
    }

    /// <summary><c>10.0.0.0/8, 192.168.1.7, ::1</c>: networks or single addresses; null when one does not parse.</summary>
    public static IReadOnlyList<IPNetwork>? ParseList(string? text)
    {
        var list = new List<IPNetwork>();
        foreach (var item in (text ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (IPNetwork.TryParse(item, out var network)) list.Add(network);
            else if (IPAddress.TryParse(item, out var single)) list.Add(new IPNetwork(Normalize(single)!, single.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 32 : 128));
            else return null;
        }
        return list;
    }

    private static bool IsTrusted(IPAddress address, IReadOnlyList<IPNetwork> trusted) => trusted.Any(n => n.Contains(address));

    private static IPAddress? Normalize(IPAddress? address) =>
        address is { IsIPv4MappedToIPv6: true } ? address.MapToIPv4() : address;
}
