using Containers.Oci.Layers;
using Containers.Oci.Tests.Support;

namespace Containers.Oci.Tests.Layering;

public sealed class PublishedFileClassifierTests : IDisposable
{
    private const string Deps = """
        {
          "runtimeTarget": { "name": ".NETCoreApp,Version=v10.0/linux-x64" },
          "targets": {
            ".NETCoreApp,Version=v10.0/linux-x64": {
              "App/1.0.0": { "dependencies": { "Lib": "1.0.0" }, "runtime": { "App.dll": {} } },
              "runtimepack.Microsoft.NETCore.App.Runtime.linux-x64/10.0.12": {
                "runtime": { "System.Private.CoreLib.dll": {} }, "native": { "libcoreclr.so": {}, "createdump": {} } },
              "Newtonsoft.Json/13.0.3": { "runtime": { "lib/net6.0/Newtonsoft.Json.dll": {} },
                "resources": { "lib/net6.0/de/Newtonsoft.Json.resources.dll": { "locale": "de" } } },
              "SQLitePCLRaw.lib.e_sqlite3/2.1.11": { "native": { "runtimes/linux-x64/native/libe_sqlite3.so": {} } },
              "Portable.Native/1.0.0": { "runtimeTargets": { "runtimes/linux-arm64/native/libportable.so": { "rid": "linux-arm64", "assetType": "native" } } },
              "Lib/1.0.0": { "runtime": { "Lib.dll": {} } }
            }
          },
          "libraries": {
            "App/1.0.0": { "type": "project" },
            "runtimepack.Microsoft.NETCore.App.Runtime.linux-x64/10.0.12": { "type": "runtimepack" },
            "Newtonsoft.Json/13.0.3": { "type": "package" },
            "SQLitePCLRaw.lib.e_sqlite3/2.1.11": { "type": "package" },
            "Portable.Native/1.0.0": { "type": "package" },
            "Lib/1.0.0": { "type": "project" }
          }
        }
        """;

    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Theory]
    [InlineData("System.Private.CoreLib.dll", PublishedFileKind.Runtime)]
    [InlineData("libcoreclr.so", PublishedFileKind.Runtime)]
    [InlineData("createdump", PublishedFileKind.Runtime)]
    [InlineData("libhostfxr.so", PublishedFileKind.Runtime)]
    [InlineData("Newtonsoft.Json.dll", PublishedFileKind.Package)]
    [InlineData("de/Newtonsoft.Json.resources.dll", PublishedFileKind.Package)]
    [InlineData("libe_sqlite3.so", PublishedFileKind.Package)]
    [InlineData("runtimes/linux-arm64/native/libportable.so", PublishedFileKind.Package)]
    [InlineData("Lib.dll", PublishedFileKind.ProjectReference)]
    [InlineData("Lib.pdb", PublishedFileKind.ProjectReference)]
    [InlineData("App.dll", PublishedFileKind.App)]
    [InlineData("App", PublishedFileKind.App)]
    [InlineData("App.deps.json", PublishedFileKind.App)]
    [InlineData("appsettings.json", PublishedFileKind.App)]
    [InlineData("wwwroot/site.css", PublishedFileKind.App)]
    public void EachPublishedFile_IsClassifiedByTheLibraryThatBringsIt(string path, PublishedFileKind expected)
    {
        var deps = _temp.WriteFile("publish/App.deps.json", Deps);

        Assert.Equal(expected, PublishedFileClassifier.Load(deps).Classify(path));
    }

    [Fact]
    public void WithoutADepsFile_EverythingIsTheApps()
        => Assert.Equal(PublishedFileKind.App, PublishedFileClassifier.Load(_temp.Combine("missing.deps.json")).Classify("Newtonsoft.Json.dll"));

    [Fact]
    public void HostLibraries_OfAFrameworkDependentApp_AreTheApps()
    {
        var deps = _temp.WriteFile("publish/App.deps.json", Deps.Replace("\"type\": \"runtimepack\"", "\"type\": \"package\""));

        Assert.Equal(PublishedFileKind.App, PublishedFileClassifier.Load(deps).Classify("libhostfxr.so"));
    }

    [Fact]
    public void ThePlanner_PutsEachKindInItsOwnLayer_InOrder_AndLeavesOutEmptyOnes()
    {
        _temp.WriteFile("publish/App.deps.json", Deps);
        foreach (var file in new[] { "App.dll", "Newtonsoft.Json.dll", "Lib.dll", "libcoreclr.so" }) _temp.WriteFile("publish/" + file, file);

        var plans = LayerPlanner.Plan(_temp.Combine("publish"), "/app/", _temp.Combine("publish", "App.deps.json"), new LayerPlanningOptions());

        Assert.Equal(["runtime: /app/", "packages: /app/", "project references: /app/", "app: /app/"], plans.Select(p => p.Description));
        Assert.Equal(["app", "app/libcoreclr.so"], plans[0].Entries.Select(e => e.Path));
        Assert.Equal(["app", "app/App.deps.json", "app/App.dll"], plans[3].Entries.Select(e => e.Path));
        var all = plans.SelectMany(p => p.Entries).Where(e => e.Kind == LayerEntryKind.File).Select(e => e.Path).Order(StringComparer.Ordinal);
        Assert.Equal(["app/App.deps.json", "app/App.dll", "app/Lib.dll", "app/Newtonsoft.Json.dll", "app/libcoreclr.so"], all);

        var single = LayerPlanner.Plan(_temp.Combine("publish"), "/app/", null, new LayerPlanningOptions { Mode = LayeringMode.Single });
        Assert.Single(single);
        Assert.Equal(5, single[0].Entries.Count(e => e.Kind == LayerEntryKind.File));
    }
}
