// Some tests stop and restart the one PostgreSQL server every test shares: never run test classes side by side.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
