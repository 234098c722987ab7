using System.Runtime.Versioning;
using MaintenanceMiddleware;
using Microsoft.Extensions.Logging.Abstractions;
using static MaintenanceMiddleware.Tests.State.FileStoreTestHelpers;

namespace MaintenanceMiddleware.Tests.State;

/// <summary>
/// The state file and its audit entry appear together: a change whose audit append fails never touches the state
/// file (content, mode and time stay), and the atomic replace of a normal change keeps the file's mode.
/// </summary>
[UnsupportedOSPlatform("windows")]
public sealed class FileStoreRollbackTests : IDisposable
{
    private const UnixFileMode Mode0640 = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead;

    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private string StatePath => _dir.Combine("state.json");

    [Fact]
    public async Task Normal_change_keeps_the_state_file_mode()
    {
        var service = Service(Store(StatePath));
        await service.EnableAsync("Storefront");
        File.SetUnixFileMode(StatePath, Mode0640);

        await service.DisableAsync("Storefront");
        await service.EnableAsync("BackOffice");

        Assert.Equal(Mode0640, File.GetUnixFileMode(StatePath));
    }

    [Fact]
    public async Task Failed_audit_append_leaves_the_state_file_untouched_with_its_mode_and_time()
    {
        var store = Store(StatePath);
        var service = Service(store);
        await service.EnableAsync("Storefront", "kept");
        File.SetUnixFileMode(StatePath, Mode0640);
        var written = new DateTime(2026, 1, 2, 3, 4, 5, DateTimeKind.Utc);
        File.SetLastWriteTimeUtc(StatePath, written);
        var before = await File.ReadAllBytesAsync(StatePath);
        File.Delete(store.AuditPath);
        Directory.CreateDirectory(store.AuditPath); // appending to it now fails

        var ex = await Assert.ThrowsAsync<MaintenanceStoreException>(() => service.DisableAsync("Storefront", "lost?"));

        Assert.Contains(store.AuditPath, ex.Message, StringComparison.Ordinal);
        Assert.Contains("the state file was not changed", ex.Message, StringComparison.Ordinal);
        Assert.Equal(before, await File.ReadAllBytesAsync(StatePath));
        Assert.Equal(Mode0640, File.GetUnixFileMode(StatePath));
        Assert.Equal(written, File.GetLastWriteTimeUtc(StatePath));
        Assert.Empty(Directory.GetFiles(_dir.Path, "*.tmp"));
    }

    [Fact]
    public async Task Reader_never_sees_a_change_whose_audit_append_failed()
    {
        var store = Store(StatePath);
        var service = Service(store);
        await service.EnableAsync("Storefront", "kept");
        File.Delete(store.AuditPath);
        Directory.CreateDirectory(store.AuditPath);
        var reader = Store(StatePath);
        var sawUndone = 0;
        var reads = 0;
        using var stop = new CancellationTokenSource();
        var reading = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                var states = await reader.GetStatesAsync();
                Interlocked.Increment(ref reads);
                if (!states.Single().Enabled)
                {
                    Interlocked.Increment(ref sawUndone);
                }
            }
        });

        // At least 30 failing changes, and on until the reader has read 200 times beside them (bounded in time).
        var started = System.Diagnostics.Stopwatch.StartNew();
        for (var i = 0; i < 30 || (Volatile.Read(ref reads) < 200 && started.Elapsed < TimeSpan.FromSeconds(10)); i++)
        {
            await Assert.ThrowsAsync<MaintenanceStoreException>(() => service.DisableAsync("Storefront", $"attempt {i}"));
        }

        await stop.CancelAsync();
        await reading;
        Assert.Equal(0, sawUndone);
        Assert.True(Volatile.Read(ref reads) >= 200, $"Only {reads} reads ran beside the failing changes.");
    }

    [Fact]
    public async Task Withdrawn_audit_append_leaves_the_audit_file_as_it_was()
    {
        var service = Service(Store(StatePath));
        await service.EnableAsync("Storefront", "one");
        var auditPath = _dir.Combine("state.audit.jsonl");
        var before = await File.ReadAllBytesAsync(auditPath);
        var audit = new AuditLogFile(auditPath, NullLogger.Instance);
        var after = MaintenanceState.Off("Storefront") with { Version = 2 };

        var length = await audit.AppendAsync(FileStoreWatchTests.Audit(after));
        Assert.NotEqual(before.Length, new FileInfo(auditPath).Length);
        audit.Withdraw(length);

        Assert.Equal(before, await File.ReadAllBytesAsync(auditPath));
    }
}
