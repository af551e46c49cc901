namespace Wp.Cli.Tests.Support;

/// <summary>
/// End-to-end tests run one at a time: they start real processes on a 2-core machine, and running
/// them in parallel would make speed-limited runs and signal timing depend on machine load.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class E2eCollection
{
    public const string Name = "e2e";
}
