using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Npgsql;
using Peregrine.Domain.Seeding;
using Peregrine.Graph.Configuration;
using Peregrine.Graph.Metadata;
using Peregrine.Graph.Schema;
using GraphQL;

namespace Peregrine.Graph.Hosting;

/// <summary>The server binary's maintenance verbs: <c>migrate</c>, <c>seed --reports N [--if-empty]</c>, <c>print-schema</c>.</summary>
public static class CliCommands
{
    private static readonly string[] Verbs = ["migrate", "seed", "print-schema"];

    public static bool IsCommand(string[] args) => args.Length > 0 && Verbs.Contains(args[0]);

    public static async Task<int> RunAsync(string[] args)
    {
        var config = new ConfigurationBuilder().AddEnvironmentVariables().Build();
        var options = PeregrineOptions.FromConfiguration(config);
        switch (args[0])
        {
            case "migrate":
                await using (var db = PeregrineServices.CreateDbContext(options.DatabaseConnectionString))
                    await db.Database.MigrateAsync();
                Console.WriteLine("migrations applied");
                return 0;
            case "seed":
                return await SeedAsync(args, options);
            case "print-schema":
                Console.Write(new GeneratedSchema(PeregrineServices.BuildCatalog(options)).Schema.Print());
                return 0;
        }
        return 2;
    }

    // InfluxDB is optional to the server, so it is to the seed: without it the relational seed still stands.
    private static async Task SeedReadingsAsync(PeregrineOptions options, NpgsqlDataSource dataSource)
    {
        if (options.InfluxUrl is null)
        {
            Console.WriteLine("PEREGRINE_INFLUX_URL is not set: no sensor readings seeded");
            return;
        }
        var config = new ConfigurationBuilder().AddEnvironmentVariables().Build();
        var clock = Stopwatch.StartNew();
        try
        {
            var points = await Sensors.Seeding.DemoReadings.WriteAsync(options, Sensors.SensorOptions.FromConfiguration(config), dataSource, CancellationToken.None);
            Console.WriteLine($"seeded {points} sensor readings (the last 24 h, one a minute per sensor) in {clock.Elapsed.TotalSeconds:F1} s");
        }
        catch (Sensors.Influx.InfluxUnavailableException e)
        {
            Console.Error.WriteLine($"sensor readings not seeded: {e.Message}");
        }
    }

    private static async Task<int> SeedAsync(string[] args, PeregrineOptions options)
    {
        var reports = 10_000;
        var index = Array.IndexOf(args, "--reports");
        if (index >= 0 && (index + 1 >= args.Length || !int.TryParse(args[index + 1], out reports) || reports < 0))
        {
            Console.Error.WriteLine("usage: seed --reports N [--if-empty]");
            return 2;
        }
        await using var dataSource = NpgsqlDataSource.Create(options.DatabaseConnectionString);
        if (args.Contains("--if-empty") && !await DemoSeeder.IsEmptyAsync(dataSource))
        {
            Console.WriteLine("database already has reports; not seeding");
            return 0;
        }
        var clock = Stopwatch.StartNew();
        var result = await DemoSeeder.SeedAsync(dataSource, reports);
        Console.WriteLine($"seeded {result} in {clock.Elapsed.TotalSeconds:F1} s");
        await SeedReadingsAsync(options, dataSource);
        return 0;
    }
}
