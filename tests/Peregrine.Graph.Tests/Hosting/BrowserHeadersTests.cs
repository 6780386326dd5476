using System.Net;
using System.Text;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Peregrine.Graph.Hosting.Browser;
using Peregrine.Graph.Tests.Auth;
using Peregrine.Graph.Tests.Infrastructure;

namespace Peregrine.Graph.Tests.Hosting;

/// <summary>
/// What browsers see on a real Kestrel server: CORS as Hasura configures it (preflights answered 204 on every
/// route, listed and wildcard origins, credentials only for listed ones), HEAD wherever GET works, and the
/// security headers (and no Server banner) on every response, errors included.
/// </summary>
[Collection(PeregrineCollection.Name)]
public sealed class BrowserHeadersTests(PeregrineFixture fx)
{
    private static async Task<HttpResponseMessage> PreflightAsync(HttpClient client, string path, string origin, string? headers = "content-type, authorization")
    {
        using var request = new HttpRequestMessage(HttpMethod.Options, path);
        request.Headers.Add("Origin", origin);
        request.Headers.Add("Access-Control-Request-Method", "POST");
        if (headers is not null) request.Headers.Add("Access-Control-Request-Headers", headers);
        return await client.SendAsync(request);
    }

    private static string? Header(HttpResponseMessage r, string name) =>
        r.Headers.TryGetValues(name, out var v) ? string.Join(",", v) : r.Content.Headers.TryGetValues(name, out var c) ? string.Join(",", c) : null;

    [Fact]
    public async Task Listed_and_wildcard_origins_get_cors_with_credentials_and_others_get_none()
    {
        await using var host = SourceAddressClients.StartKestrel(fx, ("PEREGRINE_CORS_DOMAIN", "https://app.example.com, https://*.example.org, http://localhost:3000"));
        var client = SourceAddressClients.From(host, "127.0.0.1");

        foreach (var path in new[] { "/v1/graphql", "/signin/email-password", "/token", "/healthz", "/no/such/route" })
        {
            using var r = await PreflightAsync(client, path, "https://app.example.com");
            Assert.Equal(HttpStatusCode.NoContent, r.StatusCode);
            Assert.Equal("https://app.example.com", Header(r, "Access-Control-Allow-Origin"));
            Assert.Equal("true", Header(r, "Access-Control-Allow-Credentials"));
            Assert.Contains("POST", Header(r, "Access-Control-Allow-Methods"));
            Assert.Equal("content-type, authorization", Header(r, "Access-Control-Allow-Headers"));
            Assert.NotNull(Header(r, "Access-Control-Max-Age"));
            Assert.Contains("Origin", Header(r, "Vary"));
        }

        foreach (var origin in new[] { "https://a.example.org", "https://a.b.example.org", "http://localhost:3000" })
        {
            using var r = await PreflightAsync(client, "/v1/graphql", origin);
            Assert.Equal(origin, Header(r, "Access-Control-Allow-Origin"));
        }
        // Not listed: the bare domain of a wildcard, another scheme or port, a look-alike domain.
        foreach (var origin in new[] { "https://example.org", "http://a.example.org", "https://a.example.org:8443", "https://evilexample.org", "http://localhost:3001", "https://evil.com" })
        {
            using var r = await PreflightAsync(client, "/v1/graphql", origin);
            Assert.Equal(HttpStatusCode.NoContent, r.StatusCode);
            Assert.Null(Header(r, "Access-Control-Allow-Origin"));
            Assert.Null(Header(r, "Access-Control-Allow-Credentials"));
        }

        // The actual request carries the same answer.
        using var post = new HttpRequestMessage(HttpMethod.Post, "/v1/graphql")
        {
            Content = new StringContent("""{"query":"{ __typename }"}""", Encoding.UTF8, "application/json"),
        };
        post.Headers.Add("Origin", "https://a.example.org");
        post.Headers.Add("x-hasura-admin-secret", PeregrineFixture.AdminSecret);
        using var answer = await client.SendAsync(post);
        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        Assert.Equal("https://a.example.org", Header(answer, "Access-Control-Allow-Origin"));
        Assert.Equal("true", Header(answer, "Access-Control-Allow-Credentials"));
    }

    [Fact]
    public async Task Star_allows_every_origin_without_credentials_and_hasuras_variable_is_read()
    {
        await using var host = SourceAddressClients.StartKestrel(fx, ("HASURA_GRAPHQL_CORS_DOMAIN", "*"), ("PEREGRINE_CORS_DOMAIN", ""));
        using var r = await PreflightAsync(SourceAddressClients.From(host, "127.0.0.1"), "/v1/graphql", "https://anywhere.test", headers: null);
        Assert.Equal(HttpStatusCode.NoContent, r.StatusCode);
        Assert.Equal("*", Header(r, "Access-Control-Allow-Origin"));
        Assert.Null(Header(r, "Access-Control-Allow-Credentials"));
        Assert.Contains("Authorization", Header(r, "Access-Control-Allow-Headers"));
    }

    [Fact]
    public async Task Unset_it_is_star_in_development_and_no_origin_in_production()
    {
        await using (var development = fx.Factory.WithWebHostBuilder(b => b.UseEnvironment("Development")))
        using (var r = await PreflightAsync(development.CreateClient(), "/v1/graphql", "https://dev.test"))
            Assert.Equal("*", Header(r, "Access-Control-Allow-Origin"));
        await using var production = fx.Factory.WithWebHostBuilder(b => b.UseEnvironment("Production"));
        using var p = await PreflightAsync(production.CreateClient(), "/v1/graphql", "https://dev.test");
        Assert.Equal(HttpStatusCode.NoContent, p.StatusCode);
        Assert.Null(Header(p, "Access-Control-Allow-Origin"));
    }

    [Fact]
    public async Task Head_answers_wherever_get_does_with_the_headers_and_no_body()
    {
        await using var host = SourceAddressClients.StartKestrel(fx);
        var client = SourceAddressClients.From(host, "127.0.0.1");
        client.DefaultRequestHeaders.Add("x-hasura-admin-secret", PeregrineFixture.AdminSecret);
        foreach (var path in new[] { "/healthz", "/.well-known/jwks.json", "/v1/graphql?query=%7B__typename%7D" })
        {
            using var get = await client.GetAsync(path);
            using var head = await client.SendAsync(new HttpRequestMessage(HttpMethod.Head, path));
            Assert.Equal(HttpStatusCode.OK, get.StatusCode);
            Assert.True(head.StatusCode == HttpStatusCode.OK, $"HEAD {path}: {(int)head.StatusCode}");
            Assert.Equal(get.Content.Headers.ContentType?.MediaType, head.Content.Headers.ContentType?.MediaType);
            Assert.Empty(await head.Content.ReadAsByteArrayAsync());
            Assert.NotEmpty(await get.Content.ReadAsByteArrayAsync());
        }
        // Only where GET works: a POST-only route still says 405.
        using var postOnly = await client.SendAsync(new HttpRequestMessage(HttpMethod.Head, "/signin/email-password"));
        Assert.Equal(HttpStatusCode.MethodNotAllowed, postOnly.StatusCode);
    }

    [Fact]
    public async Task Every_response_has_the_security_headers_and_no_server_banner()
    {
        await using var host = SourceAddressClients.StartKestrel(fx);
        var client = SourceAddressClients.From(host, "127.0.0.1");
        var responses = new List<HttpResponseMessage>
        {
            await client.GetAsync("/healthz"),
            await client.GetAsync("/no/such/route"),
            await client.PostAsync("/v1/graphql", new StringContent("{", Encoding.UTF8, "application/json")),
            await client.PostAsync("/signin/email-password", new StringContent("{}", Encoding.UTF8, "text/plain")),
            await client.GetAsync("/user"),
            await PreflightAsync(client, "/v1/graphql", "https://x.test"),
        };
        foreach (var r in responses)
        {
            Assert.Equal("nosniff", Header(r, "X-Content-Type-Options"));
            Assert.Equal("no-referrer", Header(r, "Referrer-Policy"));
            Assert.Equal("DENY", Header(r, "X-Frame-Options"));
            Assert.Null(Header(r, "Server"));
            r.Dispose();
        }
    }

    [Theory]
    [InlineData("https://app.example.com/")]
    [InlineData("app.example.com")]
    public void Origins_are_parsed_as_hasura_writes_them(string item)
    {
        if (item.Contains("://")) Assert.True(CorsPolicy.Parse(item).Check("https://app.example.com").Allowed);
        else Assert.Contains("PEREGRINE_CORS_DOMAIN", Assert.Throws<Peregrine.Graph.Configuration.InvalidSettingException>(() => CorsPolicy.Parse(item)).Message);
    }
}
