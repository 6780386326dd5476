using Microsoft.EntityFrameworkCore;

namespace Peregrine.Domain.Persistence;

public static class PeregrineDbContextOptions
{
    public static DbContextOptionsBuilder<PeregrineDbContext> Build(
        DbContextOptionsBuilder<PeregrineDbContext> builder, string connectionString) =>
        builder.UseNpgsql(connectionString, o => o.UseNetTopologySuite()
            .MigrationsHistoryTable("__peregrine_migrations"));
}
