// TODO(request path helper): BenchmarkDotNet suite.
BenchmarkDotNet.Running.BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
