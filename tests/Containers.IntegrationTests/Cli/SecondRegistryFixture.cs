using Containers.IntegrationTests.Infrastructure;

namespace Containers.IntegrationTests.Cli;

/// <summary>A second plain registry for one test class (the run's shared one is the first): a copy to two registries at once.</summary>
public sealed class SecondRegistryFixture : ConfiguredRegistryFixture
{
    protected override Task<IReadOnlyList<string>> PrepareAsync() => Task.FromResult<IReadOnlyList<string>>([]);
}
