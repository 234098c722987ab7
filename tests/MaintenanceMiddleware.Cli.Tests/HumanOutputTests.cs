using MaintenanceMiddleware.Cli.Output;
using MaintenanceMiddleware;

namespace MaintenanceMiddleware.Cli.Tests;

public class HumanOutputTests
{
    private static readonly DateTimeOffset s_now = new(2026, 11, 25, 13, 45, 0, TimeSpan.Zero);

    [Fact]
    public void Status_forced_by_configuration_says_so()
    {
        var own = MaintenanceState.Off("Storefront");
        var status = new MaintenanceStatus
        {
            Application = "Storefront", IsActive = true, ForcedByConfiguration = true, AsOf = s_now,
            Own = own, Environment = MaintenanceState.Off("*"), Effective = own with { Enabled = true },
        };

        Assert.Equal("Storefront: in maintenance, forced by configuration (MaintenanceMode:Enabled=true).", HumanOutput.Status(status));
    }

    [Fact]
    public void Still_in_maintenance_forced_by_configuration_names_the_setting()
    {
        var own = MaintenanceState.Off("Storefront");
        var status = new MaintenanceStatus
        {
            Application = "Storefront", IsActive = true, ForcedByConfiguration = true, AsOf = s_now,
            Own = own, Environment = MaintenanceState.Off("*"), Effective = own with { Enabled = true },
        };

        Assert.Equal(
            "Storefront is still in maintenance: configuration forces it on (MaintenanceMode:Enabled=true on the app). Set it to false there; the CLI cannot override configuration.",
            HumanOutput.StillInMaintenance(status));
    }

    [Fact]
    public void Status_of_a_never_switched_application()
    {
        var own = MaintenanceState.Off("Storefront");
        var status = new MaintenanceStatus
        {
            Application = "Storefront", IsActive = false, AsOf = s_now, Own = own, Environment = MaintenanceState.Off("*"), Effective = own,
        };

        Assert.Equal("Storefront: not in maintenance (never switched).", HumanOutput.Status(status));
    }

    [Fact]
    public void Status_shows_an_upcoming_window()
    {
        var own = new MaintenanceState
        {
            Application = "Storefront", Enabled = true, Reason = "Tonight", StartsAt = s_now.AddHours(8), EndsAt = s_now.AddHours(9),
            ChangedBy = "alice", ChangedAt = s_now, Version = 2,
        };
        var status = new MaintenanceStatus
        {
            Application = "Storefront", IsActive = false, AsOf = s_now, Own = own, Environment = MaintenanceState.Off("*"), Effective = own,
        };

        Assert.Equal(
            "Storefront: not in maintenance; scheduled from 2026-11-25 21:45 UTC until 2026-11-25 22:45 UTC. Reason: Tonight. Last changed by alice at 2026-11-25 13:45 UTC. Version 2.",
            HumanOutput.Status(status));
    }

    [Fact]
    public void Log_escapes_format_and_separator_characters_stored_before_they_were_refused()
    {
        var before = MaintenanceState.Off("Storefront");
        var entry = new MaintenanceAuditEntry
        {
            Timestamp = s_now, Action = MaintenanceAction.Enable, Application = "Storefront", Reason = "Release \u202E24\u2028next",
            Actor = "alice", Source = "cli", Before = before, After = before with { Enabled = true, Version = 1 },
        };

        Assert.EndsWith("Reason: Release \\u202E24\\u2028next", HumanOutput.AuditLine(entry), StringComparison.Ordinal);
    }
}
