using Peregrine.Graph.Hosting;
using Peregrine.Graph.Transport.Http;

if (CliCommands.IsCommand(args)) return await CliCommands.RunAsync(args);

var builder = WebApplication.CreateBuilder(args);
builder.AddPeregrine();

var app = builder.Build();
// Build the schema now: a metadata error should stop start-up, not fail the first request.
app.Services.GetRequiredService<Peregrine.Graph.Schema.SchemaRegistry>();
Peregrine.Graph.Hosting.Browser.BrowserHeaders.UseBrowserHeaders(app);
Peregrine.Graph.Transport.WebSockets.GraphQLWebSocketsApi.MapGraphQLWebSockets(app.UseWebSockets());
app.MapGraphQLHttpApi();
Peregrine.Graph.Auth.Api.AuthApi.MapAuthApi(app);
await app.RunAsync();
return 0;

/// <summary>Entry point; public so integration tests can host it with WebApplicationFactory.</summary>
public partial class Program;
