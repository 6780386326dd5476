using Peregrine.Graph.Configuration;
using Peregrine.Graph.Hosting;
using Peregrine.Graph.Transport.Http;

WebApplication app;
try
{
    if (CliCommands.IsCommand(args)) return await CliCommands.RunAsync(args);
    var builder = WebApplication.CreateBuilder(args);
    builder.AddPeregrine();
    app = builder.Build();
    await StartupCheck.RunAsync(app.Services);
}
catch (InvalidSettingException e)
{
    // One line an operator can act on, and a non-zero exit: never a silent fallback to a default.
    Console.Error.WriteLine(e.Message);
    return 2;
}
app.UseOperatorServices();
Peregrine.Graph.Hosting.Browser.BrowserHeaders.UseBrowserHeaders(app);
Peregrine.Graph.Transport.WebSockets.GraphQLWebSocketsApi.MapGraphQLWebSockets(app.UseWebSockets());
app.MapGraphQLHttpApi();
app.MapHealthApi();
Peregrine.Graph.Hosting.GraphiQL.ConsoleApi.MapConsole(app);
app.MapOperatorServices();
Peregrine.Graph.Auth.Api.AuthApi.MapAuthApi(app);
Peregrine.Graph.Media.Api.FilesApi.MapFilesApi(app);
Peregrine.Graph.Sensors.Devices.DeviceServices.MapDeviceApi(app);
Peregrine.Graph.Sensors.SensorServices.MapSensorApi(app);
await app.RunAsync();
return 0;

/// <summary>Entry point; public so integration tests can host it with WebApplicationFactory.</summary>
public partial class Program;
