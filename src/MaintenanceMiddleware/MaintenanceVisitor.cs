using Microsoft.AspNetCore.Http;

namespace MaintenanceMiddleware;

/// <summary>
/// Whether a visitor is let through a window: today, the client IP in the window's allowlist. This is the one place the
/// notice asks; a bypass cookie (issue 10, part 1) extends <see cref="IsLetThrough"/> so the notice says so too.
/// </summary>
internal static class MaintenanceVisitor
{
    /// <summary>
    /// <see langword="true"/> when <paramref name="context"/>'s visitor passes <paramref name="allowList"/> (the snapshot's
    /// allowlist for a window in force, or configured plus the planned window's networks for one ahead).
    /// </summary>
    public static bool IsLetThrough(HttpContext context, MaintenanceSnapshot snapshot, IpAllowList allowList)
    {
        _ = snapshot;   // the seam: a bypass cookie is verified against the snapshot's links here
        return allowList.Contains(context.Connection.RemoteIpAddress);
    }
}
