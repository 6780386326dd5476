using Microsoft.EntityFrameworkCore;
using Peregrine.Domain.Model;

namespace Peregrine.Domain.Persistence;

/// <summary>
/// The database schema of the seed, with PostgreSQL's default constraint names: clients name them in
/// <c>on_conflict: {constraint: ...}</c>, so they are part of the API.
/// </summary>
public sealed class PeregrineDbContext(DbContextOptions<PeregrineDbContext> options) : DbContext(options)
{
    public DbSet<User> Users => Set<User>();
    public DbSet<PhenomReport> PhenomReports => Set<PhenomReport>();
    public DbSet<PhenomMedia> PhenomMedia => Set<PhenomMedia>();
    public DbSet<Category> Categories => Set<Category>();
    public DbSet<PhenomReportCategory> PhenomReportCategories => Set<PhenomReportCategory>();
    public DbSet<UserFavorite> UserFavorites => Set<UserFavorite>();
    public DbSet<Model.Media.StoredFile> Files => Set<Model.Media.StoredFile>();
    public DbSet<Model.Sensors.Enclosure> Enclosures => Set<Model.Sensors.Enclosure>();
    public DbSet<Model.Sensors.Device> Devices => Set<Model.Sensors.Device>();
    public DbSet<Model.Sensors.EnclosureMember> EnclosureMembers => Set<Model.Sensors.EnclosureMember>();
    public DbSet<Model.Sensors.AlarmRule> AlarmRules => Set<Model.Sensors.AlarmRule>();
    public DbSet<Model.Sensors.AlarmEvent> AlarmEvents => Set<Model.Sensors.AlarmEvent>();
    public DbSet<Model.Sensors.DeviceCredential> DeviceCredentials => Set<Model.Sensors.DeviceCredential>();
    public DbSet<Model.Sensors.AlarmState> AlarmStates => Set<Model.Sensors.AlarmState>();

    protected override void OnModelCreating(ModelBuilder b)
    {
        b.HasPostgresExtension("postgis");
        b.ApplyConfigurationsFromAssembly(typeof(PeregrineDbContext).Assembly);
    }
}
