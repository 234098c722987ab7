using MaintenanceMiddleware;

namespace MaintenanceMiddleware.Tests;

public class SmokeTests
{
    [Fact]
    public void Reason_over_500_characters_is_refused()
    {
        Assert.False(MaintenanceRules.TryValidateReason(new string('x', 501), out var error));
        Assert.Contains("500", error, StringComparison.Ordinal);
    }
}
