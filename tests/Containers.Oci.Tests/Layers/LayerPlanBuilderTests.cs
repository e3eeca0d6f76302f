using Containers.Oci.Layers;
using Containers.Oci.Tests.Support;

namespace Containers.Oci.Tests.Layers;

public class LayerPlanBuilderTests
{
    [Fact]
    public void Build_MakesEveryParentExplicit_AndSortsOrdinally()
    {
        using var temp = new TempDirectory();
        var file = temp.WriteFile("a.txt", "a");

        var plan = new LayerPlanBuilder()
            .AddFile(file, "/app/z/b.txt")
            .AddFile(file, "/app/a-b.txt")
            .AddFile(file, "/app/Z.txt")
            .AddFile(file, "/app/a/c.txt")
            .Build("files");

        Assert.Equal(
            ["app", "app/Z.txt", "app/a", "app/a-b.txt", "app/a/c.txt", "app/z", "app/z/b.txt"],
            plan.Entries.Select(e => e.Path));
        Assert.All(plan.Entries.Where(e => !e.Path.EndsWith(".txt", StringComparison.Ordinal)), e => Assert.Equal(LayerEntryKind.Directory, e.Kind));
        Assert.Equal("files", plan.Description);
        Assert.False(plan.IsEmpty);
    }

    [Fact]
    public void Build_ParentsComeBeforeTheirChildren()
    {
        using var temp = new TempDirectory();
        var file = temp.WriteFile("a.txt", "a");

        var plan = new LayerPlanBuilder().AddFile(file, "/a/b/c/d.txt").AddFile(file, "/a.txt").AddFile(file, "/a-/x").Build("x");
        var seen = new HashSet<string>();

        foreach (var entry in plan.Entries)
        {
            var slash = entry.Path.LastIndexOf('/');
            if (slash > 0) Assert.Contains(entry.Path[..slash], seen);
            seen.Add(entry.Path);
        }
    }

    [UnixFact]
    public void AddFile_Modes_0644ForPlainFiles_0755ForDirectoriesAndFilesWithAnExecuteBit()
    {
        using var temp = new TempDirectory();
        var plain = temp.WriteFile("plain.dll", "p");
        FileModes.Set(plain, (int)(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead));
        var userExec = temp.WriteFile("app", "e");
        FileModes.Set(userExec, (int)(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute));
        var otherExec = temp.WriteFile("tool", "t");
        FileModes.Set(otherExec, (int)(UnixFileMode.UserRead | UnixFileMode.OtherExecute));
        var oddMode = temp.WriteFile("secret", "s");
        FileModes.Set(oddMode, (int)(UnixFileMode.UserRead));

        var plan = new LayerPlanBuilder()
            .AddFile(plain, "/app/plain.dll")
            .AddFile(userExec, "/app/app")
            .AddFile(otherExec, "/app/tool")
            .AddFile(oddMode, "/app/secret")
            .Build("modes");
        var modes = plan.Entries.ToDictionary(e => e.Path, e => Convert.ToString(e.Mode, 8));

        Assert.Equal("755", modes["app"]);
        Assert.Equal("644", modes["app/plain.dll"]);
        Assert.Equal("755", modes["app/app"]);
        Assert.Equal("755", modes["app/tool"]);
        Assert.Equal("644", modes["app/secret"]);
    }

    [Fact]
    public void AddFile_AnExplicitMode_WinsOverTheFileOnDisk()
    {
        using var temp = new TempDirectory();
        var file = temp.WriteFile("a", "a");

        var entry = new LayerPlanBuilder().AddFile(file, "/x/a", mode: 0b111_000_000).Build("x").Entries.Single(e => e.Path == "x/a");

        Assert.Equal("700", Convert.ToString(entry.Mode, 8));
        Assert.Equal(file, entry.SourcePath);
    }

    [Fact]
    public void AddFile_GivesTheOwnerToTheFile_AndLeavesTheFoldersAboveItToRoot()
    {
        using var temp = new TempDirectory();
        var file = temp.WriteFile("a", "a");

        var plan = new LayerPlanBuilder(uid: 1654, gid: 1655).AddFile(file, "/app/sub/a").Build("owned");

        Assert.Equal(["app", "app/sub", "app/sub/a"], plan.Entries.Select(e => e.Path));
        Assert.Equal([(0, 0), (0, 0), (1654, 1655)], plan.Entries.Select(e => (e.Uid, e.Gid)));
    }

    [Fact]
    public void AddDirectory_GivesTheOwnerToTheTargetFolderAndBelow_ButNotToTheFoldersAbove()
    {
        using var temp = new TempDirectory();
        temp.WriteFile("publish/a.dll", "a");
        temp.WriteFile("publish/wwwroot/site.css", "b");

        var plan = new LayerPlanBuilder(uid: 1654, gid: 1654).AddDirectory(temp.Combine("publish"), "/srv/app/").Build("owned");

        Assert.Equal(["srv", "srv/app", "srv/app/a.dll", "srv/app/wwwroot", "srv/app/wwwroot/site.css"], plan.Entries.Select(e => e.Path));
        Assert.Equal([0, 1654, 1654, 1654, 1654], plan.Entries.Select(e => e.Uid));
    }

    [UnixFact]
    public void AManagedAssemblyWithAnExecuteBit_Is0644_ButAnExtensionlessExecutableIs0755()
    {
        using var temp = new TempDirectory();
        var dll = temp.WriteFile("publish/Newtonsoft.Json.dll", "x");
        var apphost = temp.WriteFile("publish/app", "x");
        FileModes.Set(dll, (int)(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.OtherRead));
        FileModes.Set(apphost, (int)(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.OtherRead));

        var plan = new LayerPlanBuilder().AddDirectory(temp.Combine("publish"), "/app").Build("app");

        Assert.Equal(LayerEntry.FileMode, plan.Entries.Single(e => e.Path == "app/Newtonsoft.Json.dll").Mode);
        Assert.Equal(LayerEntry.ExecutableMode, plan.Entries.Single(e => e.Path == "app/app").Mode);
    }

    [UnixFact]
    public void AddFile_ASymlink_BecomesASymlinkEntryWithItsTarget()
    {
        using var temp = new TempDirectory();
        temp.WriteFile("real.so.1", "lib");
        var link = temp.Combine("real.so");
        File.CreateSymbolicLink(link, "real.so.1");

        var entry = new LayerPlanBuilder().AddFile(link, "/app/real.so").Build("x").Entries.Single(e => e.Path == "app/real.so");

        Assert.Equal(LayerEntryKind.Symlink, entry.Kind);
        Assert.Equal("real.so.1", entry.LinkTarget);
        Assert.Null(entry.SourcePath);
    }

    [Fact]
    public void AddDirectory_AddsEveryFileBelowTheImageFolder_ThroughTheFilter()
    {
        using var temp = new TempDirectory();
        var source = temp.Combine("publish");
        temp.WriteFile("publish/App.dll", "a");
        temp.WriteFile("publish/App.pdb", "p");
        temp.WriteFile("publish/runtimes/linux-x64/native/lib.so", "n");

        var plan = new LayerPlanBuilder()
            .AddDirectory(source, "/app/", include: relative => !relative.EndsWith(".pdb", StringComparison.Ordinal))
            .Build("app");

        Assert.Equal(
            ["app", "app/App.dll", "app/runtimes", "app/runtimes/linux-x64", "app/runtimes/linux-x64/native", "app/runtimes/linux-x64/native/lib.so"],
            plan.Entries.Select(e => e.Path));
        Assert.Equal(Path.Combine(source, "runtimes", "linux-x64", "native", "lib.so"), plan.Entries[^1].SourcePath);
    }

    [Fact]
    public void AddDirectory_OfAnEmptyFolder_PlansOnlyTheFolders_AndIsEmpty()
    {
        using var temp = new TempDirectory();
        Directory.CreateDirectory(temp.Combine("empty"));

        var plan = new LayerPlanBuilder().AddDirectory(temp.Combine("empty"), "/app/sub").Build("nothing");

        Assert.Equal(["app", "app/sub"], plan.Entries.Select(e => e.Path));
        Assert.True(plan.IsEmpty);
    }

    [Fact]
    public void AddFile_ThePathCannotEscapeTheRoot()
    {
        using var temp = new TempDirectory();
        var file = temp.WriteFile("a", "a");

        Assert.Equal("CONTAINER5400", Assert.Throws<Containers.Oci.Errors.ContainerException>(() => new LayerPlanBuilder().AddFile(file, "/app/../../etc/passwd")).Code);
    }
}
