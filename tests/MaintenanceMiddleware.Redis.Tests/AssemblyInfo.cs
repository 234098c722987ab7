// Tests that stop a redis-server use one of their own, but they are slow and timing-sensitive on a busy machine:
// run test classes one after another.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
