using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Peregrine.Domain.Persistence;

/// <summary>Lets <c>dotnet ef migrations add</c> build the model without a running server.</summary>
internal sealed class DesignTimeDbContextFactory : IDesignTimeDbContextFactory<PeregrineDbContext>
{
    public PeregrineDbContext CreateDbContext(string[] args) =>
        new(PeregrineDbContextOptions.Build(new DbContextOptionsBuilder<PeregrineDbContext>(),
            "Host=127.0.0.1;Database=peregrine_design").Options);
}
