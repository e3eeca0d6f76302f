using System.Collections.Concurrent;
using System.Diagnostics;
using System.Security;
using System.Text.Json.Nodes;
using Containers.IntegrationTests.Infrastructure;

namespace Containers.IntegrationTests.Compatibility;

/// <summary>What one tool did with one case: the base image it inferred, its container publish, and the image in its registry.</summary>
public sealed record ToolOutcome(Tool Tool, Inference Inference, MSBuildRun? Publish, PushedImage? Image, string Registry)
{
    /// <summary>What ContainerResultFile held after the publish (ours only), read before the project folder goes away.</summary>
    public string? ResultFileText { get; init; }

    public string Log => Publish?.Log ?? Inference.Log;
}

/// <summary>The base image a tool inferred, or how it failed to.</summary>
public sealed record Inference(bool Succeeded, string? BaseImage, IReadOnlyList<string> Diagnostics, string Log);

/// <summary>An image as its registry holds it.</summary>
public sealed record PushedImage(string Repository, IReadOnlyList<string> Tags, string MediaType, JsonObject Manifest, JsonObject Config);

/// <summary>
/// Runs the whole matrix once per test run, for both tools, and keeps every outcome for the tests to compare.
/// Cases sharing an app build run one after another in one project per tool (a "lane"); lanes run side by side, at most
/// one dotnet process per core at a time. A published case costs one process (it infers, then publishes); the
/// inference-only cases of a lane share one process, and only those that fail get a process of their own, for their log.
/// </summary>
public sealed class CompatibilityRun
{
    private const string InferredProperty = "CompatInferredBaseImage";
    private readonly ConcurrentDictionary<(string Case, Tool Tool), ToolOutcome> _outcomes = new();
    private readonly ConcurrentDictionary<(string Case, Tool Tool), Exception> _failures = new();
    private int _processCount;

    public TimeSpan Duration { get; private set; }

    public int ProcessCount => _processCount;

    public static async Task<CompatibilityRun> RunAsync(CompatibilityFixture fixture, IReadOnlyList<CompatibilityCase> cases)
    {
        var run = new CompatibilityRun();
        var clock = Stopwatch.StartNew();
        using var root = new TempDirectory("containers-compat-");
        try
        {
            var settings = Directory.CreateDirectory(root.Combine("settings")).FullName;
            foreach (var c in cases) await File.WriteAllTextAsync(Path.Combine(settings, c.Name + ".props"), c.SettingsFile());

            using var slots = new SemaphoreSlim(Math.Max(2, Environment.ProcessorCount));
            var lanes = from g in cases.GroupBy(c => c.GroupKey).Select((g, i) => (Cases: g.ToList(), Index: i))
                        from tool in new[] { Tool.Ours, Tool.BuiltIn }
                        select run.RunLaneAsync(fixture, root.Combine($"{tool}-{g.Index}".ToLowerInvariant()), settings, g.Cases, tool, slots);
            await Task.WhenAll(lanes);
        }
        finally
        {
            run.Duration = clock.Elapsed;
        }
        return run;
    }

    /// <summary>The outcome of a case for a tool; rethrows what went wrong setting it up (e.g. the app did not build).</summary>
    public ToolOutcome Outcome(string caseName, Tool tool)
        => _failures.TryGetValue((caseName, tool), out var failure)
            ? throw new InvalidOperationException($"{tool} could not run '{caseName}': {failure.Message}", failure)
            : _outcomes[(caseName, tool)];

    private async Task RunLaneAsync(CompatibilityFixture fixture, string folder, string settings, List<CompatibilityCase> cases, Tool tool, SemaphoreSlim slots)
    {
        CompatibilityProject project;
        try
        {
            project = await CompatibilityProject.CreateAsync(folder, cases[0].App, tool, cases[0].Build);
            await InSlotAsync(slots, project.PublishAppAsync);
        }
        catch (Exception e)
        {
            foreach (var c in cases) _failures[(c.Name, tool)] = e;
            return;
        }

        string SettingsOf(CompatibilityCase c) => Path.Combine(settings, c.Name + ".props");
        var registry = fixture.Registry(tool);

        var inferenceOnly = cases.Where(c => c.InferenceOnly).ToList();
        if (inferenceOnly.Count > 0)
        {
            try
            {
                await InferAllAsync(project, folder, inferenceOnly, SettingsOf, tool, registry.Address, slots);
            }
            catch (Exception e)
            {
                foreach (var c in inferenceOnly) _failures[(c.Name, tool)] = e;
            }
        }

        foreach (var c in cases.Where(c => !c.InferenceOnly))
        {
            try
            {
                string[] properties =
                [
                    $"{(c.UsesRegistryUrl ? "RegistryUrl" : "ContainerRegistry")}={registry.Address}",
                    $"CompatTestBaseImage={registry.BaseImage(c.BaseImageName)}",
                ];
                var publish = await InSlotAsync(slots, () => project.RunAsync("PublishContainer", SettingsOf(c), properties,
                    [InferredProperty, "GeneratedContainerDigest", "GeneratedContainerMediaType", "GeneratedContainerConfiguration", "GeneratedContainerManifest", "GeneratedArchiveOutputPath", "ContainerResultFile"],
                    ["GeneratedContainer", "GeneratedContainerName"]));
                var inferred = publish.Property(InferredProperty);
                var inference = new Inference(!string.IsNullOrEmpty(inferred), inferred, [], publish.Log);
                var image = await ReadImageAsync(registry.Address, c.TargetRepository);
                var resultFile = publish.Property("ContainerResultFile");
                _outcomes[(c.Name, tool)] = new ToolOutcome(tool, inference, publish, image, registry.Address)
                {
                    ResultFileText = !string.IsNullOrEmpty(resultFile) && File.Exists(resultFile) ? await File.ReadAllTextAsync(resultFile) : null,
                };
            }
            catch (Exception e)
            {
                _failures[(c.Name, tool)] = e;
            }
        }
    }

    /// <summary>
    /// Infers the base image of every case in one MSBuild process: a driver project builds ComputeContainerBaseImage of
    /// the app once per settings file and writes what each returned. A case that returned nothing is run again alone,
    /// to get its diagnostics.
    /// </summary>
    private async Task InferAllAsync(CompatibilityProject project, string folder, List<CompatibilityCase> cases, Func<CompatibilityCase, string> settingsOf,
        Tool tool, string registry, SemaphoreSlim slots)
    {
        var results = Path.Combine(folder, "inferred.txt");
        var driver = Path.Combine(folder, "infer.proj");
        var items = string.Concat(cases.Select(c => $"""    <CompatCase Include="{c.Name}" Settings="{SecurityElement.Escape(settingsOf(c))}" />""" + "\n"));
        await File.WriteAllTextAsync(driver, $"""
            <Project>
              <ItemGroup>
            {items}  </ItemGroup>
              <Target Name="Infer" Outputs="%(CompatCase.Identity)">
                <MSBuild Projects="{SecurityElement.Escape(project.ProjectFile)}" Targets="ComputeContainerBaseImage" Properties="{CompatibilityProject.SettingsProperty}=%(CompatCase.Settings)" ContinueOnError="WarnAndContinue">
                  <Output TaskParameter="TargetOutputs" PropertyName="_CompatInferred" />
                </MSBuild>
                <WriteLinesToFile File="{SecurityElement.Escape(results)}" Lines="%(CompatCase.Identity)=$(_CompatInferred)" />
                <PropertyGroup>
                  <_CompatInferred></_CompatInferred>
                </PropertyGroup>
              </Target>
            </Project>
            """);
        await InSlotAsync(slots, () => ProcessRunner.RunAsync("dotnet", ["msbuild", driver, "-t:Infer", "-nologo", "-nodeReuse:false", "-v:q"],
            new ProcessOptions { Environment = DotnetEnvironment.Variables, Timeout = TimeSpan.FromMinutes(5), CheckExitCode = false }));

        var inferred = File.Exists(results)
            ? File.ReadAllLines(results).Select(l => l.Split('=', 2)).Where(p => p.Length == 2).ToDictionary(p => p[0], p => p[1])
            : [];
        foreach (var c in cases)
        {
            if (inferred.TryGetValue(c.Name, out var image) && image.Length > 0)
            {
                _outcomes[(c.Name, tool)] = new ToolOutcome(tool, new Inference(true, image, [], ""), null, null, registry);
                continue;
            }
            var alone = await InSlotAsync(slots, () => project.RunAsync("ComputeContainerBaseImage", settingsOf(c), [], ["ContainerBaseImage", "ContainerRuntimeIdentifier"], []));
            var inference = new Inference(alone.Succeeded, alone.Succeeded ? alone.Property("ContainerBaseImage") : null, alone.Diagnostics, alone.Log);
            _outcomes[(c.Name, tool)] = new ToolOutcome(tool, inference, null, null, registry);
        }
    }

    private async Task<T> InSlotAsync<T>(SemaphoreSlim slots, Func<Task<T>> action)
    {
        await slots.WaitAsync();
        try
        {
            Interlocked.Increment(ref _processCount);
            return await action();
        }
        finally
        {
            slots.Release();
        }
    }

    private static async Task<PushedImage?> ReadImageAsync(string registry, string repository)
    {
        var tags = await RegistryReader.TagsAsync(registry, repository);
        if (tags.Count == 0) return null;
        var (manifest, mediaType) = await RegistryReader.ManifestAsync(registry, repository, tags[0]);
        var config = await RegistryReader.ConfigAsync(registry, repository, manifest);
        return new PushedImage(repository, tags, mediaType, manifest, config);
    }
}
