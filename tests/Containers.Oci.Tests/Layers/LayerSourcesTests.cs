using System.Formats.Tar;
using Containers.Oci.Errors;
using Containers.Oci.Layers;
using Containers.Oci.Tests.Support;

namespace Containers.Oci.Tests.Layers;

/// <summary>
/// What may enter a layer, read back from the tar that is written: links stay links and are never walked, so nothing
/// from outside the publish folder (or a ContainerLayer folder) reaches the image; hard links are files; special files
/// and names that cannot be tar entries are refused with a code naming the file. The codes of every bad input are
/// also rows of <see cref="Layering.BadLayerInputTests"/>.
/// </summary>
public sealed class LayerSourcesTests : IDisposable
{
    private static readonly DateTimeOffset Time = new(2024, 1, 2, 3, 4, 5, TimeSpan.Zero);
    private readonly TempDirectory _temp = new();

    private string Publish => _temp.Combine("publish");

    public void Dispose()
    {
        if (!OperatingSystem.IsWindows()) HostFiles.RemoveTree(_temp.Path);
        _temp.Dispose();
    }

    [UnixFact]
    public async Task AFolderLinkToOutside_IsOneLinkEntry_WithItsTargetAsWritten_AndNothingBelowItEntersTheLayer()
    {
        _temp.WriteFile("publish/App.dll", "app");
        _temp.WriteFile("outside/docker/config.json", "{\"auths\":{\"r\":{\"auth\":\"c2VjcmV0\"}}}");
        File.CreateSymbolicLink(_temp.Combine("publish", "docker"), _temp.Combine("outside", "docker"));
        File.CreateSymbolicLink(_temp.Combine("publish", "etc"), "/etc");
        File.CreateSymbolicLink(_temp.Combine("publish", "up"), "../outside");

        var entries = await WriteSingleLayerAsync();

        Assert.Equal(
            [
                ("app/", TarEntryType.Directory, ""),
                ("app/App.dll", TarEntryType.RegularFile, ""),
                ("app/docker", TarEntryType.SymbolicLink, _temp.Combine("outside", "docker")),
                ("app/etc", TarEntryType.SymbolicLink, "/etc"),
                ("app/up", TarEntryType.SymbolicLink, "../outside"),
            ],
            entries);
    }

    [UnixFact]
    public async Task ALinkToItsOwnFolderOrParent_IsOneLinkEntry_NotALoop()
    {
        _temp.WriteFile("publish/sub/a.txt", "a");
        File.CreateSymbolicLink(_temp.Combine("publish", "self"), ".");
        File.CreateSymbolicLink(_temp.Combine("publish", "sub", "parent"), "..");

        var entries = await WriteSingleLayerAsync();

        Assert.Equal(["app/", "app/self", "app/sub/", "app/sub/a.txt", "app/sub/parent"], entries.Select(e => e.Name));
        Assert.Equal([".", ".."], entries.Where(e => e.Type == TarEntryType.SymbolicLink).Select(e => e.LinkName));
    }

    [UnixFact]
    public void AFolderLinkInsideAContainerLayerFolder_IsALinkEntry_ButTheFolderTheItemNamesIsEnteredThroughItsLink()
    {
        _temp.WriteFile("publish/App.dll", "app");
        _temp.WriteFile("tools-real/run.sh", "#!/bin/sh");
        _temp.WriteFile("secrets/token", "secret");
        File.CreateSymbolicLink(_temp.Combine("tools-real", "creds"), _temp.Combine("secrets"));
        File.CreateSymbolicLink(_temp.Combine("tools"), _temp.Combine("tools-real"));
        var options = new LayerPlanningOptions { ExtraLayers = [new ExtraLayer(_temp.Combine("tools"), "/opt/tools")] };

        var extra = LayerPlanner.Plan(Publish, "/app/", null, options)[^1];

        Assert.Equal(["opt", "opt/tools", "opt/tools/creds", "opt/tools/run.sh"], extra.Entries.Select(e => e.Path));
        Assert.Equal((LayerEntryKind.Symlink, _temp.Combine("secrets")), (extra.Entries[2].Kind, extra.Entries[2].LinkTarget));
    }

    [UnixFact]
    public async Task AHardLink_IsARegularFileWithItsContent()
    {
        var original = _temp.WriteFile("publish/a.txt", "shared");
        HostFiles.MakeHardLink(original, _temp.Combine("publish", "b.txt"));

        var entries = await WriteSingleLayerAsync();

        Assert.Equal([("app/a.txt", TarEntryType.RegularFile), ("app/b.txt", TarEntryType.RegularFile)], entries.Skip(1).Select(e => (e.Name, e.Type)));
    }

    [UnixFact]
    public void AFifo_IsRefusedBeforeItIsOpened_NamingTheFile()
    {
        _temp.WriteFile("publish/App.dll", "app");
        HostFiles.MakeFifo(_temp.Combine("publish", "pipe"));

        var error = Assert.Throws<ContainerException>(() => LayerPlanner.Plan(Publish, "/app/", null, new LayerPlanningOptions()));

        Assert.Equal(ErrorCatalogue.LayerSourceNotAllowed, error.Error);
        Assert.Contains($"'{_temp.Combine("publish", "pipe")}' is a named pipe (FIFO)", error.Message);
    }

    [UnixFact]
    public void ASocket_IsRefused_NamingTheFile()
    {
        _temp.WriteFile("publish/App.dll", "app");
        using var socket = HostFiles.MakeSocket(_temp.Combine("publish", "app.sock"));

        var error = Assert.Throws<ContainerException>(() => LayerPlanner.Plan(Publish, "/app/", null, new LayerPlanningOptions()));

        Assert.Equal("CONTAINER5401", error.Code);
        Assert.Contains($"'{_temp.Combine("publish", "app.sock")}' is a socket", error.Message);
    }

    [UnixFact]
    public void AFileNamedWithBackslashesAndDotDot_IsRefused_NotTurnedIntoAPathThatClimbsOut()
    {
        var hostile = _temp.WriteFile("publish/..\\..\\etc\\passwd", "root::0:0::/root:/bin/sh");

        var error = Assert.Throws<ContainerException>(() => LayerPlanner.Plan(Publish, "/app/", null, new LayerPlanningOptions()));

        Assert.Equal("CONTAINER5402", error.Code);
        Assert.Contains($"'{hostile}'", error.Message);
        Assert.Contains("'\\'", error.Message);
    }

    [UnixFact]
    public void AFileWhoseNameIsNotUtf8_IsACodedError()
    {
        Directory.CreateDirectory(Publish);
        HostFiles.MakeNonUtf8File(Publish);

        var error = Assert.Throws<ContainerException>(() => LayerPlanner.Plan(Publish, "/app/", null, new LayerPlanningOptions()));

        Assert.Equal("CONTAINER5402", error.Code);
        Assert.Contains("not valid UTF-8", error.Message);
    }

    [UnixFact]
    public async Task AContainerLayerFolderAtTheRoot_PutsItsFilesAtTheRoot_AndNoEntryHasAnEmptyName()
    {
        _temp.WriteFile("publish/App.dll", "app");
        _temp.WriteFile("rootfs/etc/app.conf", "x");
        var options = new LayerPlanningOptions { ExtraLayers = [ParseExtraLayer(_temp.Combine("rootfs"), "/")] };
        var plan = LayerPlanner.Plan(Publish, "/app/", null, options)[^1];

        var layer = await new LayerWriter(Time).WriteAsync(plan, _temp.Combine("blobs"), CancellationToken.None);

        Assert.Equal(["etc/", "etc/app.conf"], HostFiles.Entries(layer).Select(e => e.Name));
    }

    [Fact]
    public void AFileAtTheRootFolder_IsRefused()
    {
        var file = _temp.WriteFile("a.conf", "x");

        Assert.Equal("CONTAINER5400", Assert.Throws<ContainerException>(() => new LayerPlanBuilder().AddFile(file, "/")).Code);
        Assert.Equal("CONTAINER5015", Assert.Throws<ContainerException>(() => ParseExtraLayer(file, "/")).Code);
    }

    private static ExtraLayer ParseExtraLayer(string source, string target) => Containers.Oci.Publishing.LayerInputs.ParseExtraLayer(source, target, null, null);

    private async Task<List<(string Name, TarEntryType Type, string LinkName)>> WriteSingleLayerAsync()
    {
        var plan = LayerPlanner.Plan(Publish, "/app/", null, new LayerPlanningOptions { Mode = LayeringMode.Single }).Single();
        return HostFiles.Entries(await new LayerWriter(Time).WriteAsync(plan, _temp.Combine("blobs"), CancellationToken.None));
    }
}
