using System.Net.Sockets;
using Containers.Oci.Errors;
using Containers.Oci.Layers;
using Containers.Oci.Publishing;
using Containers.Oci.Tests.Layers;
using Containers.Oci.Tests.Support;

namespace Containers.Oci.Tests.Layering;

/// <summary>
/// The bad-input table for what may enter a layer (issue 12): each row names an input a hostile or careless publish
/// can give, builds it in a fresh folder, and states the code it must fail with. A new row is one line in
/// <see cref="Rows"/>; what the accepted inputs put in the tar is checked in <see cref="LayerSourcesTests"/>.
/// </summary>
public sealed class BadLayerInputTests : IDisposable
{
    private readonly TempDirectory _temp = new();
    private readonly List<IDisposable> _keepAlive = [];

    /// <summary>A row: what the input is, the code it must give, and how to build it and run it (the action that must fail).</summary>
    private sealed record Row(string Name, string Code, Func<BadLayerInputTests, Action> Arrange);

    private static readonly Row[] Rows =
    [
        new("publish folder: a FIFO", "CONTAINER5401", t => t.PlanPublish(p => HostFiles.MakeFifo(Path.Combine(p, "pipe")))),
        new("publish folder: a Unix socket", "CONTAINER5401", t => t.PlanPublish(p => t.Keep(HostFiles.MakeSocket(Path.Combine(p, "s.sock"))))),
        new("publish folder: a FIFO in a subfolder", "CONTAINER5401", t => t.PlanPublish(p => HostFiles.MakeFifo(Path.Combine(Directory.CreateDirectory(Path.Combine(p, "sub")).FullName, "pipe")))),
        new("publish folder: a file named ..\\..\\etc\\passwd", "CONTAINER5402", t => t.PlanPublish(p => File.WriteAllText(Path.Combine(p, "..\\..\\etc\\passwd"), "x"))),
        new("publish folder: a file named wwwroot\\site.css", "CONTAINER5402", t => t.PlanPublish(p => File.WriteAllText(Path.Combine(p, "wwwroot\\site.css"), "x"))),
        new("publish folder: a name that is not UTF-8", "CONTAINER5402", t => t.PlanPublish(HostFiles.MakeNonUtf8File)),
        new("publish folder, single layer: a FIFO", "CONTAINER5401", t => t.PlanPublish(p => HostFiles.MakeFifo(Path.Combine(p, "pipe")), LayeringMode.Single)),
        new("publish folder: a .deps.json that is a FIFO", "CONTAINER5401", t => t.PlanPublish(p => HostFiles.MakeFifo(Path.Combine(p, "App.deps.json")))),
        new("the .deps.json read for layering is a FIFO", "CONTAINER5403", t => t.LoadDeps(HostFiles.MakeFifo)),
        new("the .deps.json read for layering is a link", "CONTAINER5403", t => t.LoadDeps(f => File.CreateSymbolicLink(f, "/etc/passwd"))),
        new("publish folder: a .deps.json that is not JSON", "CONTAINER5403", t => t.PlanPublish(p => File.WriteAllText(Path.Combine(p, "App.deps.json"), "{ not json"))),
        new("publish folder: a .deps.json of the wrong shape", "CONTAINER5403", t => t.PlanPublish(p => File.WriteAllText(Path.Combine(p, "App.deps.json"), "[1, 2]"))),
        new("ContainerLayer folder: a FIFO", "CONTAINER5401", t => t.PlanExtra(d => HostFiles.MakeFifo(Path.Combine(d, "pipe")), "/opt/tools")),
        new("ContainerLayer folder: a file named ..\\x", "CONTAINER5402", t => t.PlanExtra(d => File.WriteAllText(Path.Combine(d, "..\\x"), "x"), "/opt/tools")),
        new("ContainerLayer file: a FIFO", "CONTAINER5401", t => t.PlanExtraFile(f => HostFiles.MakeFifo(f), "/etc/app.conf")),
        new("ContainerLayer file: TargetPath is the root folder", "CONTAINER5015", t => t.ParseExtraFile("/")),
        new("ContainerLayer file: TargetPath climbs out with ..", "CONTAINER5015", t => t.ParseExtraFile("/etc/../../x")),
        new("ContainerLayer file: TargetPath holds a backslash", "CONTAINER5015", t => t.ParseExtraFile("/etc\\app.conf")),
        new("ContainerWorkingDirectory /../x", "CONTAINER5400", _ => () => ImagePath.AsDirectory("/../x")),
        new("ContainerWorkingDirectory /app/../../x", "CONTAINER5400", _ => () => ImagePath.AsDirectory("/app/../../x")),
        new("ContainerWorkingDirectory /app\\x", "CONTAINER5400", _ => () => ImagePath.AsDirectory("/app\\x")),
        new("a file planned at the root folder", "CONTAINER5400", t => () => new LayerPlanBuilder().AddFile(t._temp.WriteFile("a", "a"), "/")),
        new("a layer entry with an empty name", "CONTAINER5400", _ => () => LayerEntry.Directory("")),
        new("a layer entry that climbs out", "CONTAINER5400", _ => () => LayerEntry.Symlink("app/../../etc/cron.d/x", "/tmp/x")),
    ];

    public static TheoryData<string> Names() => new(Rows.Select(r => r.Name));

    /// <summary>How many rows this table has, for the settings table's count of both (issue 12 asks for more than 60).</summary>
    internal static int RowCount => Rows.Length;

    public void Dispose()
    {
        foreach (var resource in _keepAlive) resource.Dispose();
        if (!OperatingSystem.IsWindows()) HostFiles.RemoveTree(_temp.Path);
        _temp.Dispose();
    }

    [UnixTheory]
    [MemberData(nameof(Names))]
    public void ABadInput_FailsWithItsCode_NeverAStackTrace(string name)
    {
        var row = Rows.Single(r => r.Name == name);
        var act = row.Arrange(this);

        var error = Assert.Throws<ContainerException>(act);

        Assert.Equal(row.Code, error.Code);
    }

    [Fact]
    public void EveryRow_HasItsOwnName_AndAnOwnCodeFromTheCatalogue()
    {
        Assert.Equal(Rows.Length, Rows.Select(r => r.Name).Distinct().Count());
        Assert.All(Rows, r => Assert.Contains(r.Code, ErrorCatalogue.All().Select(e => e.Code)));
    }

    private void Keep(Socket socket) => _keepAlive.Add(socket);

    /// <summary>A publish folder with an app and its .deps.json, plus the bad input; the action plans its layers.</summary>
    private Action PlanPublish(Action<string> addBadInput, LayeringMode mode = LayeringMode.Auto)
    {
        var publish = _temp.Combine("publish");
        _temp.WriteFile("publish/App.dll", "app");
        addBadInput(publish);
        var deps = Path.Combine(publish, "App.deps.json");
        return () => LayerPlanner.Plan(publish, "/app/", deps, new LayerPlanningOptions { Mode = mode });
    }

    /// <summary>A good publish folder and a ContainerLayer folder holding the bad input.</summary>
    private Action PlanExtra(Action<string> addBadInput, string targetPath)
    {
        var folder = Directory.CreateDirectory(_temp.Combine("extra")).FullName;
        addBadInput(folder);
        return PlanWith(LayerInputs.ParseExtraLayer(folder, targetPath, null, null));
    }

    /// <summary>A good publish folder and a ContainerLayer file that is the bad input.</summary>
    private Action PlanExtraFile(Action<string> makeBadFile, string targetPath)
    {
        var file = _temp.Combine("extra-file");
        makeBadFile(file);
        return PlanWith(LayerInputs.ParseExtraLayer(file, targetPath, null, null));
    }

    private Action LoadDeps(Action<string> makeDepsFile)
    {
        var deps = _temp.Combine("App.deps.json");
        makeDepsFile(deps);
        return () => PublishedFileClassifier.Load(deps);
    }

    private Action ParseExtraFile(string targetPath)
    {
        var file = _temp.WriteFile("settings.conf", "x");
        return () => LayerInputs.ParseExtraLayer(file, targetPath, null, null);
    }

    private Action PlanWith(ExtraLayer extra)
    {
        _temp.WriteFile("publish/App.dll", "app");
        return () => LayerPlanner.Plan(_temp.Combine("publish"), "/app/", null, new LayerPlanningOptions { ExtraLayers = [extra] });
    }
}
