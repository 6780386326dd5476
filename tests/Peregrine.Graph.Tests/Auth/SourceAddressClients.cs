using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Peregrine.Graph.Tests.Infrastructure;

namespace Peregrine.Graph.Tests.Auth;

/// <summary>
/// The server on real Kestrel (loopback TCP), and clients whose connections leave from chosen loopback
/// addresses (127.0.0.2, 127.0.0.3, ...: all of 127/8 is this machine). The server sees each client's
/// real peer address, the way it sees clients on a network; nothing is faked in a header.
/// </summary>
internal static class SourceAddressClients
{
    /// <summary>A Kestrel host of the fixture's database with these settings; Redis off unless a setting turns it on.</summary>
    public static WebApplicationFactory<Program> StartKestrel(PeregrineFixture fx, params (string Key, string Value)[] settings)
    {
        var factory = fx.Factory.WithWebHostBuilder(b =>
        {
            b.UseSetting("PEREGRINE_REDIS_URL", "");
            // The product's default limits (the shared fixture lifts them, since its clients share one address).
            foreach (var limit in (string[])["PEREGRINE_AUTH_SIGNIN_PER_IP_PER_MINUTE", "PEREGRINE_AUTH_SIGNIN_PER_ADDRESS_ACCOUNT", "PEREGRINE_AUTH_SIGNIN_PER_ACCOUNT"])
                b.UseSetting(limit, "");
            foreach (var (k, v) in settings) b.UseSetting(k, v);
        });
        factory.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        factory.StartServer();
        return factory;
    }

    public static Uri Address(WebApplicationFactory<Program> host) =>
        new(host.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());

    /// <summary>An HTTP client of <paramref name="host"/> whose TCP connections come from <paramref name="source"/>.</summary>
    public static HttpClient From(WebApplicationFactory<Program> host, string source)
    {
        var handler = new SocketsHttpHandler
        {
            ConnectCallback = async (context, ct) =>
            {
                var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                try
                {
                    socket.Bind(new IPEndPoint(IPAddress.Parse(source), 0));
                    await socket.ConnectAsync(context.DnsEndPoint, ct);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
        };
        return new HttpClient(handler) { BaseAddress = Address(host) };
    }
}
