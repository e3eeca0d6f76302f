using Containers.Oci.Errors;
using Containers.Oci.Publishing;

namespace Containers.Oci.Tests.Publishing;

public class AppCommandResolverTests
{
    private static readonly string[] DotnetApp = ["dotnet", "/app/App.dll"];

    private readonly List<string> _warnings = [];

    private (string[] Entrypoint, string[] Cmd) Resolve(AppCommandInputs inputs, string[]? baseEntrypoint = null)
    {
        var (entrypoint, cmd) = AppCommandResolver.Resolve(inputs, baseEntrypoint, (error, message) =>
        {
            Assert.True(error.IsWarning, $"{error.Code} was reported as a warning but is not one");
            Assert.False(string.IsNullOrWhiteSpace(message));
            _warnings.Add(error.Code);
        });
        return (entrypoint.ToArray(), cmd.ToArray());
    }

    private static string Code(Action action) => Assert.Throws<ContainerException>(action).Code;

    [Fact]
    public void Default_TheAppCommandAndItsArgs_AreTheEntrypoint_DefaultArgsTheCmd()
    {
        var (entrypoint, cmd) = Resolve(new AppCommandInputs { AppCommand = DotnetApp, AppCommandArgs = ["--urls", "x"], DefaultArgs = ["--verbose"] });

        Assert.Equal(["dotnet", "/app/App.dll", "--urls", "x"], entrypoint);
        Assert.Equal(["--verbose"], cmd);
        Assert.Empty(_warnings);
    }

    [Theory]
    [InlineData("dotnet")]
    [InlineData("/usr/bin/dotnet")]
    public void Default_ABaseEntrypointOfJustDotnet_IsReplacedWithoutAWarning(string baseEntrypoint)
    {
        var (entrypoint, _) = Resolve(new AppCommandInputs { AppCommand = DotnetApp }, [baseEntrypoint]);

        Assert.Equal(DotnetApp, entrypoint);
        Assert.Empty(_warnings);
    }

    [Fact]
    public void Default_ARealBaseEntrypoint_IsReplaced_WithWarning2022()
    {
        var (entrypoint, cmd) = Resolve(new AppCommandInputs { AppCommand = DotnetApp }, ["/docker-entrypoint.sh"]);

        Assert.Equal(DotnetApp, entrypoint);
        Assert.Empty(cmd);
        Assert.Equal(["CONTAINER2022"], _warnings);
    }

    [Fact]
    public void ExplicitEntrypointInstruction_ReplacesARealBaseEntrypoint_WithoutAWarning()
    {
        var (entrypoint, _) = Resolve(new AppCommandInputs { AppCommand = DotnetApp, Instruction = "Entrypoint" }, ["/docker-entrypoint.sh"]);

        Assert.Equal(DotnetApp, entrypoint);
        Assert.Empty(_warnings);
    }

    [Fact]
    public void DefaultArgs_KeepsTheBaseEntrypoint_AndPutsTheAppCommandFirstInCmd()
    {
        var (entrypoint, cmd) = Resolve(new AppCommandInputs
        {
            AppCommand = DotnetApp,
            AppCommandArgs = ["--always"],
            DefaultArgs = ["--sometimes"],
            Instruction = " DefaultArgs ",
        }, ["/tini", "--"]);

        Assert.Equal(["/tini", "--"], entrypoint);
        Assert.Equal(["dotnet", "/app/App.dll", "--always", "--sometimes"], cmd);
        Assert.Empty(_warnings);
    }

    [Fact]
    public void DefaultArgs_WithABaseEntrypointOfJustDotnet_LeavesNoEntrypoint()
    {
        var (entrypoint, cmd) = Resolve(new AppCommandInputs { AppCommand = DotnetApp, Instruction = "DefaultArgs" }, ["dotnet"]);

        Assert.Empty(entrypoint);
        Assert.Equal(DotnetApp, cmd);
    }

    [Fact]
    public void None_UsesOnlyContainerEntrypointAndDefaultArgs()
    {
        var (entrypoint, cmd) = Resolve(new AppCommandInputs
        {
            Entrypoint = ["/bin/sh", "-c"],
            EntrypointArgs = ["--login"],
            DefaultArgs = ["echo hi"],
            Instruction = "None",
        }, ["/base"]);

        Assert.Equal(["/bin/sh", "-c", "--login"], entrypoint);
        Assert.Equal(["echo hi"], cmd);
        Assert.Empty(_warnings);
    }

    [Fact]
    public void None_WithoutAnEntrypoint_KeepsTheBases()
    {
        var (entrypoint, cmd) = Resolve(new AppCommandInputs { DefaultArgs = ["run"], Instruction = "None" }, ["/base"]);

        Assert.Equal(["/base"], entrypoint);
        Assert.Equal(["run"], cmd);
    }

    [Fact]
    public void Legacy_OnlyEntrypointArgs_TheAppCommandBecomesTheEntrypoint_TheArgsTheCmd_WithWarning2029()
    {
        var (entrypoint, cmd) = Resolve(new AppCommandInputs { AppCommand = DotnetApp, EntrypointArgs = ["--legacy"] }, ["/base"]);

        Assert.Equal(DotnetApp, entrypoint);
        Assert.Equal(["--legacy"], cmd);
        Assert.Equal(["CONTAINER2029"], _warnings);
    }

    [Fact]
    public void NoInstruction_WithAContainerEntrypoint_PassesTheAppCommandAsDefaultArgs()
    {
        var (entrypoint, cmd) = Resolve(new AppCommandInputs { Entrypoint = ["/entry.sh"], AppCommand = DotnetApp, DefaultArgs = ["--x"] }, ["/base"]);

        Assert.Equal(["/entry.sh"], entrypoint);
        Assert.Equal(["dotnet", "/app/App.dll", "--x"], cmd);
        Assert.Empty(_warnings);
    }

    [Fact]
    public void UnknownInstruction_IsError2021_ListingTheValidOnes()
    {
        var error = Assert.Throws<ContainerException>(() => Resolve(new AppCommandInputs { AppCommand = DotnetApp, Instruction = "Bogus" }));

        Assert.Equal("CONTAINER2021", error.Code);
        Assert.Contains("Bogus", error.Message);
        Assert.Contains("'DefaultArgs', 'Entrypoint', 'None'", error.Message);
    }

    [Fact]
    public void EntrypointArgsWithoutAnEntrypoint_UnderAnInstruction_IsError2024()
        => Assert.Equal("CONTAINER2024", Code(() => Resolve(new AppCommandInputs { AppCommand = DotnetApp, EntrypointArgs = ["x"], Instruction = "DefaultArgs" })));

    [Fact]
    public void AppCommandArgsWithoutAnAppCommand_IsError2025()
        => Assert.Equal("CONTAINER2025", Code(() => Resolve(new AppCommandInputs { AppCommandArgs = ["x"] })));

    [Theory]
    [InlineData(true, false)]
    [InlineData(true, true)]
    public void None_WithAnAppCommand_IsError2026(bool command, bool args)
        => Assert.Equal("CONTAINER2026", Code(() => Resolve(new AppCommandInputs
        {
            Entrypoint = ["/bin/sh"],
            AppCommand = command ? DotnetApp : [],
            AppCommandArgs = args ? ["x"] : [],
            Instruction = "None",
        })));

    [Fact]
    public void EntrypointInstruction_WithAContainerEntrypoint_IsError2028()
    {
        var error = Assert.Throws<ContainerException>(() => Resolve(new AppCommandInputs { Entrypoint = ["/entry.sh"], AppCommand = DotnetApp, Instruction = "Entrypoint" }));

        Assert.Equal("CONTAINER2028", error.Code);
        Assert.Contains("Entrypoint", error.Message);
    }
}
