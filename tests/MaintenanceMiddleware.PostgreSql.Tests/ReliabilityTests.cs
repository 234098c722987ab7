using System.Diagnostics;
using MaintenanceMiddleware;
using Npgsql;

namespace MaintenanceMiddleware.PostgreSql.Tests;

/// <summary>Fault and contention runs, bounded in count and time (each well under 15 s), against the real server.</summary>
public sealed class ReliabilityTests : IAsyncLifetime
{
    private string _connectionString = null!;

    public async Task InitializeAsync() => _connectionString = await PgServer.CreateDatabaseAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Concurrent_writers_each_success_is_one_audit_entry_and_versions_are_consecutive()
    {
        const int Writers = 8;
        const int AttemptsEach = 15;
        var dataSources = Enumerable.Range(0, Writers).Select(_ => NpgsqlDataSource.Create(_connectionString)).ToList();
        var stores = dataSources.Select(d => TestHosts.CreateStore(d)).ToList();
        try
        {
            await stores[0].MigrateAsync();
            var stopwatch = Stopwatch.StartNew();
            var outcomes = await Task.WhenAll(stores.Select((store, w) => Task.Run(async () =>
            {
                var service = TestHosts.CreateService(store);
                var (succeeded, conflicts) = (0, 0);
                for (var i = 0; i < AttemptsEach && stopwatch.Elapsed < TimeSpan.FromSeconds(10); i++)
                {
                    try
                    {
                        var reason = $"writer {w} attempt {i}";
                        await (i % 2 == 0 ? TestHosts.EnableAsync(service, "Storefront", reason) : TestHosts.DisableAsync(service, "Storefront", reason));
                        succeeded++;
                    }
                    catch (MaintenanceConflictException)
                    {
                        conflicts++;
                    }
                }

                return (succeeded, conflicts);
            })));

            var successes = outcomes.Sum(o => o.succeeded);
            Assert.True(successes > 0);
            Assert.True(outcomes.Sum(o => o.conflicts) > 0, "the writers never raced: the run proves nothing");

            // Exactly one audit entry per success, none for a conflict; the stored version counts the successes.
            var audit = await stores[0].GetAuditTrailAsync("Storefront", limit: 10_000);
            Assert.Equal(successes, audit.Count);
            Assert.Equal(successes, Assert.Single(await stores[0].GetStatesAsync()).Version);

            // Versions consecutive: newest first, each entry moves from version n-1 to n, with no gap and no repeat.
            var versions = audit.Select(e => e.After.Version).Reverse().ToList();
            Assert.Equal(Enumerable.Range(1, successes).Select(v => (long)v), versions);
            Assert.All(audit, e => Assert.Equal(e.After.Version - 1, e.Before.Version));
            Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(15));
        }
        finally
        {
            foreach (var store in stores)
            {
                await store.DisposeAsync();
            }

            foreach (var dataSource in dataSources)
            {
                await dataSource.DisposeAsync();
            }
        }
    }
}
