using Peregrine.Graph.Tests.Infrastructure;

namespace Peregrine.Graph.Tests.Sensors;

/// <summary>The seed's sensor people, read from the database (user1 owns the terrarium, user2 the field station, user3 views one and keeps the other).</summary>
internal static class SensorUsers
{
    public static async Task<(string Alice, string Bob, string Carol)> LoadAsync(PeregrineFixture fx) => (
        (await fx.ScalarAsync<Guid>("SELECT id FROM users WHERE email = 'user1@example.com'")).ToString(),
        (await fx.ScalarAsync<Guid>("SELECT id FROM users WHERE email = 'user2@example.com'")).ToString(),
        (await fx.ScalarAsync<Guid>("SELECT id FROM users WHERE email = 'user3@example.com'")).ToString());
}
