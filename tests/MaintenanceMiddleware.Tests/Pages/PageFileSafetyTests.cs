using System.Diagnostics;
using MaintenanceMiddleware.Tests.Request;
using Microsoft.Extensions.Logging;

namespace MaintenanceMiddleware.Tests.Pages;

/// <summary>
/// Only regular files inside the maintenance folder are served, read through the handle that was checked. These run
/// on Linux (CI); FIFOs and /proc/self/fd are what they exercise.
/// </summary>
public class PageFileSafetyTests
{
    private const int AssetSkippedEventId = 23;
    private const int PageEmptyEventId = 26;

    [Fact]
    public async Task A_fifo_in_the_page_folder_neither_blocks_start_up_nor_stops_later_reloads()
    {
        var root = RequestTestHost.NewContentRoot();
        var folder = Path.Combine(root, "public", RequestTestHostSetup.Application, "maintenance");
        MakeFifo(Path.Combine(folder, "pipe.css"));

        var start = RequestTestHost.StartAsync(contentRoot: root);
        Assert.Same(start, await Task.WhenAny(start, Task.Delay(TimeSpan.FromSeconds(20))));
        await using var host = await start;
        await host.EnableAsync();

        Assert.Equal(RequestTestHostSetup.PageHtml, (await host.SendAsync("/")).BodyText());
        Assert.Equal(404, (await host.SendAsync("/maintenance/pipe.css")).Response.StatusCode);
        Assert.Contains(host.Logs.GetSnapshot(), r => r.Id.Id == AssetSkippedEventId && r.Message.Contains("pipe.css", StringComparison.Ordinal)
            && r.Message.Contains("not a regular file", StringComparison.Ordinal));

        const string edited = "body { color: teal }";
        await File.WriteAllTextAsync(Path.Combine(folder, "style.css"), edited);
        Assert.Equal(edited, await MaintenancePageTests.PollBodyAsync(host, "/maintenance/style.css", edited));
    }

    [Fact]
    public async Task A_link_re_pointed_outside_while_files_are_read_is_never_served()
    {
        using var temp = new State.TempDirectory();
        var folder = Directory.CreateDirectory(Path.Combine(temp.Path, "maintenance")).FullName;
        File.WriteAllText(Path.Combine(folder, "inner.txt"), "inside");
        var secret = Path.Combine(temp.Path, "secret.txt");
        File.WriteAllText(secret, "top secret");
        var link = Path.Combine(folder, "flip.txt");
        var roots = new[] { folder + Path.DirectorySeparatorChar };

        // Bounded: until both targets were met a good number of times, at most 10 s (a loaded machine schedules slowly).
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var flipper = Task.Run(() =>
        {
            var flips = 0;
            while (!stop.IsCancellationRequested)
            {
                // Replace the link atomically (rename over it), so a reader always finds one of the two targets.
                var next = Path.Combine(folder, $".flip{flips % 2}");
                File.Delete(next);
                File.CreateSymbolicLink(next, flips++ % 2 == 0 ? secret : Path.Combine(folder, "inner.txt"));
                File.Move(next, link, overwrite: true);
            }

            return flips;
        });

        int reads = 0, inside = 0, refused = 0;
        while (!stop.IsCancellationRequested && !flipper.IsCompleted && (inside < 50 || refused < 50))
        {
            var bytes = PageFileReader.TryRead(link, roots, 1024, out var skipped);
            reads++;
            if (bytes is not null)
            {
                Assert.Equal("inside", System.Text.Encoding.UTF8.GetString(bytes));
                inside++;
            }
            else if (skipped is not null)
            {
                Assert.Equal("it resolves to a file outside the maintenance folder", skipped);
                refused++;
            }
        }

        await stop.CancelAsync();
        var flips = await flipper;
        Assert.True(inside >= 50 && refused >= 50, $"{reads} reads over {flips} flips: {inside} inside, {refused} refused; both targets must have been met");
    }

    [Fact]
    public void A_directory_or_a_fifo_is_refused_by_the_reader_itself()
    {
        using var temp = new State.TempDirectory();
        var fifo = Path.Combine(temp.Path, "pipe.css");
        MakeFifo(fifo);
        var roots = new[] { temp.Path + Path.DirectorySeparatorChar, Path.GetFullPath(temp.Path) + Path.DirectorySeparatorChar };

        Assert.Null(PageFileReader.TryRead(fifo, roots, 1024, out var why));
        Assert.Equal("it is not a regular file (a FIFO, socket or device)", why);
        Directory.CreateDirectory(Path.Combine(temp.Path, "dir.css"));
        Assert.Null(PageFileReader.TryRead(Path.Combine(temp.Path, "dir.css"), roots, 1024, out why));
        Assert.Equal("it is a directory", why);
        Assert.Null(PageFileReader.TryRead(Path.Combine(temp.Path, "gone.css"), roots, 1024, out why));
        Assert.Null(why);
    }

    [Theory]
    [InlineData("")]
    [InlineData(" \n\t\r\n")]
    public async Task An_empty_page_is_treated_as_missing_the_built_in_page_is_served_and_a_warning_names_it(string content)
    {
        var root = RequestTestHost.NewContentRoot();
        var index = Path.Combine(root, "public", RequestTestHostSetup.Application, "maintenance", "index.html");
        await File.WriteAllTextAsync(index, content);
        await using var host = await RequestTestHost.StartAsync(contentRoot: root);
        await host.EnableAsync();

        var context = await host.SendAsync("/");

        Assert.Equal(503, context.Response.StatusCode);
        Assert.Contains("We&rsquo;ll be back soon", context.BodyText(), StringComparison.Ordinal);
        var warning = Assert.Single(host.Logs.GetSnapshot(), r => r.Id.Id == PageEmptyEventId);
        Assert.Equal(LogLevel.Warning, warning.Level);
        Assert.Contains(index, warning.Message, StringComparison.Ordinal);
    }

    private static void MakeFifo(string path)
    {
        using var mkfifo = Process.Start(new ProcessStartInfo("mkfifo", [path]) { UseShellExecute = false })!;
        mkfifo.WaitForExit();
        Assert.Equal(0, mkfifo.ExitCode);
    }
}
