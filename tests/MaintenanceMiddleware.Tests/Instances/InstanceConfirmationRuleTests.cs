using MaintenanceMiddleware;

namespace MaintenanceMiddleware.Tests.Instances;

public sealed class InstanceConfirmationRuleTests
{
    private static readonly DateTimeOffset s_now = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData("Storefront", true)]
    [InlineData("storefront", true)]
    [InlineData("*", true)]
    [InlineData("Search", true)]
    [InlineData("BackOffice", false)]
    public void A_change_concerns_instances_serving_or_declaring_the_application_and_all_for_star(string application, bool concerns) =>
        Assert.Equal(concerns, InstanceConfirmationRule.Concerns(Report() with { Applications = ["Search"] }, application));

    [Fact]
    public void An_instance_that_applied_the_version_and_drained_is_confirmed()
    {
        var judged = InstanceConfirmationRule.Judge(Report(version: 7) with { Drained = true, InMaintenance = true }, "Storefront", 7, s_now);
        Assert.Equal(MaintenanceInstanceOutcome.Confirmed, judged.Outcome);
        Assert.Equal("applied v7, drained, in maintenance", judged.Detail);
        Assert.Equal(7, judged.AppliedVersion);
    }

    [Fact]
    public void A_newer_version_than_asked_also_confirms()
    {
        var judged = InstanceConfirmationRule.Judge(Report(version: 9) with { Drained = true }, "Storefront", 7, s_now);
        Assert.Equal(MaintenanceInstanceOutcome.Confirmed, judged.Outcome);
        Assert.Equal("applied v9, drained, serving", judged.Detail);
    }

    [Fact]
    public void An_older_version_is_not_applied()
    {
        Assert.Equal("still on v6, not v7", InstanceConfirmationRule.Judge(Report(version: 6), "Storefront", 7, s_now).Detail);
        var none = InstanceConfirmationRule.Judge(Report(version: 3), "BackOffice", 1, s_now);
        Assert.Equal(MaintenanceInstanceOutcome.NotApplied, none.Outcome);
        Assert.Equal("has not applied v1 yet", none.Detail);
    }

    [Fact]
    public void Applied_but_not_drained_says_what_it_waits_for()
    {
        var judged = InstanceConfirmationRule.Judge(Report(version: 7) with { Drained = false, Pending = "2 requests in flight" }, "Storefront", 7, s_now);
        Assert.Equal(MaintenanceInstanceOutcome.Draining, judged.Outcome);
        Assert.Equal("applied v7, draining: 2 requests in flight", judged.Detail);
    }

    [Fact]
    public void Three_missed_heartbeats_by_the_stores_clock_make_an_instance_gone()
    {
        var report = Report(version: 7) with { Drained = true, LastHeartbeat = s_now.AddSeconds(-15) };
        Assert.Equal(MaintenanceInstanceOutcome.Confirmed, InstanceConfirmationRule.Judge(report, "Storefront", 7, s_now).Outcome);

        var gone = InstanceConfirmationRule.Judge(report, "Storefront", 7, s_now.AddMilliseconds(1));
        Assert.Equal(MaintenanceInstanceOutcome.Gone, gone.Outcome);
        Assert.Equal("no heartbeat for 15 s (last 11:59:45 UTC); frozen, crashed or cut off from the store", gone.Detail);
    }

    private static MaintenanceInstanceReport Report(long version = 1) => new()
    {
        InstanceId = "web-1",
        SessionId = "s1",
        Application = "Storefront",
        HostName = "web",
        HeartbeatInterval = TimeSpan.FromSeconds(5),
        AppliedVersions = new Dictionary<string, long> { ["Storefront"] = version, ["*"] = 1 },
        LastHeartbeat = s_now,
    };
}
