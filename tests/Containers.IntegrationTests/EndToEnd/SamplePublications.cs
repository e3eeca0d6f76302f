using System.Collections.Concurrent;
using Containers.IntegrationTests.Infrastructure;

namespace Containers.IntegrationTests.EndToEnd;

/// <summary>One publish of a sample, ours or the built-in's, and where its image went.</summary>
public sealed record SamplePublication(string Sample, bool BuiltIn, string Image, ProcessResult Output, string PublishDirectory);

/// <summary>
/// Publishing costs seconds, so each sample is published once per test run (ours and the built-in's) and shared by
/// the tests that only read the result. Tests that need a publish of their own make one.
/// </summary>
public static class SamplePublications
{
    private static readonly ConcurrentDictionary<(string, bool), Lazy<Task<SamplePublication>>> Cache = new();

    public static Task<SamplePublication> GetAsync(RegistryFixture registry, string sample, bool builtIn)
        => Cache.GetOrAdd((sample, builtIn), key => new Lazy<Task<SamplePublication>>(() => PublishAsync(registry, key.Item1, key.Item2))).Value;

    /// <summary>
    /// The base image is named explicitly so both tools build on the very same image; ours also infers it through
    /// ContainerBaseImageRegistry in other tests.
    /// </summary>
    private static async Task<SamplePublication> PublishAsync(RegistryFixture registry, string sample, bool builtIn)
    {
        await registry.EnsureBaseImagesAsync();
        var project = await TestProject.FromSampleAsync(sample, builtIn);
        var repository = RegistryFixture.UniqueRepository(sample.ToLowerInvariant() + (builtIn ? "-builtin" : ""));
        var baseImage = registry.BaseImage(sample == "WebApp" ? "aspnet" : "runtime").ToString();
        var output = await project.PublishContainerAsync(
            [$"ContainerRegistry={registry.Registry}", $"ContainerRepository={repository}", "ContainerImageTag=1.0", $"ContainerBaseImage={baseImage}"],
            expectSuccess: true, "-v:d");
        return new SamplePublication(sample, builtIn, $"{registry.Registry}/{repository}:1.0", output, project.PublishDirectory());
    }
}
