using System.Text.Json.Nodes;
using Containers.Cli;

namespace Containers.Oci.Tests.Cli;

/// <summary>The command line run in process, with captured streams: exit codes, help with examples, coded errors without stack traces.</summary>
public sealed class CliApplicationTests
{
    private static async Task<(int Code, string Out, string Error)> RunAsync(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var console = new CliConsole(output, error, () => new MemoryStream(), new StringReader(""), name => name == "HOME" ? "/nonexistent" : null);
        var code = await CliApplication.RunAsync(args, console);
        return (code, output.ToString(), error.ToString());
    }

    [Fact]
    public async Task Help_OfEveryCommand_ShowsItsExamples_AndExits0()
    {
        foreach (var command in new[] { "build", "copy", "inspect", "validate", "digest", "tag", "ls", "rebase", "login", "cache" })
        {
            var (code, output, _) = await RunAsync(command, "--help");

            Assert.Equal(0, code);
            Assert.Contains("Examples:", output);
            Assert.Contains("containerize " + command, output);
        }
    }

    [Theory]
    [InlineData("copy")]
    [InlineData("no-such-command")]
    [InlineData("inspect", "x", "--no-such-option")]
    public async Task AMalformedCommandLine_Exits2_WithAPointerToHelp(params string[] args)
    {
        var (code, _, error) = await RunAsync(args);

        Assert.Equal(ExitCodes.Usage, code);
        Assert.Contains("--help", error);
    }

    [Fact]
    public async Task AValueTheParserCannotCheck_IsCONTAINER5700_Exit2()
    {
        var folder = Directory.CreateTempSubdirectory("containers-cli-").FullName;
        try
        {
            var (code, _, error) = await RunAsync("build", folder, "--base", "localhost:5000/base:1", "--to", "localhost:5000/app", "--env", "NOEQUALS");

            Assert.Equal(ExitCodes.Usage, code);
            Assert.StartsWith("error CONTAINER5700: --env 'NOEQUALS' is not NAME=VALUE", error);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task AFailure_WithJson_IsOneErrorDocument_AndExits1()
    {
        var (code, output, error) = await RunAsync("ls", "--json", "oci-layout:/nowhere");

        Assert.Equal(ExitCodes.Failure, code);
        Assert.Equal("CONTAINER5705", JsonNode.Parse(output)!["error"]!["code"]!.GetValue<string>());
        Assert.DoesNotContain("   at ", error);
    }

    [Fact]
    public async Task BuildOfAMissingFolder_IsTheTasksCode2011()
    {
        var (code, _, error) = await RunAsync("build", "/nonexistent/publish", "--base", "localhost:5000/base:1", "--to", "localhost:5000/app");

        Assert.Equal(ExitCodes.Failure, code);
        Assert.Contains("error CONTAINER2011:", error);
    }

    [Fact]
    public async Task APlatformThatIsNone_IsAUsageError()
    {
        var (code, _, error) = await RunAsync("copy", "--platform", "linux", "oci-layout:/a", "oci-layout:/b");

        Assert.Equal(ExitCodes.Usage, code);
        Assert.Contains("CONTAINER5700", error);
    }
}
