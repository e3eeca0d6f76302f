using Containers.IntegrationTests.Infrastructure;

namespace Containers.IntegrationTests.Cli;

/// <summary>
/// The progress display: under a pseudo-terminal (<c>script</c>), a copy that downloads blobs draws progress bars
/// with their escape sequences; with standard error redirected it writes one plain line per blob and no escape
/// sequence at all; NO_COLOR keeps the bars and drops the colours. Each run has a fresh cache, so every blob moves.
/// </summary>
[Collection(RegistryCollection.Name)]
public sealed class CliTerminalTests(RegistryFixture registry, CliFixture local) : IClassFixture<CliFixture>
{
    private const string Escape = "\u001b[";
    private const string Colour = "\u001b[38;";

    private string[] CopyArguments() =>
    [
        "--cache-dir", local.Temp.Combine($"cache-{Guid.NewGuid():N}"), "copy", "--platform", "linux/amd64",
        registry.BaseImage("runtime").ToString(), $"oci-layout:{local.Temp.Combine($"layout-{Guid.NewGuid():N}")}:runtime:10.0",
    ];

    [Fact]
    public async Task Redirected_EachBlobIsOnePlainLine_WithoutEscapeSequences()
    {
        await registry.EnsureBaseImagesAsync();
        var tool = await CliTool.GetAsync();

        var result = await tool.RunAsync(CopyArguments());

        Assert.Matches(@"(?m)^Download sha256:[0-9a-f]{12} from .+: [0-9.]+ [KMG]?B in [0-9.]+ s \(", result.StandardError);
        Assert.DoesNotContain(Escape, result.StandardError + result.StandardOutput);
    }

    [Fact]
    public async Task OnATerminal_ProgressBarsAreDrawn_AndNoColorDropsOnlyTheColours()
    {
        await registry.EnsureBaseImagesAsync();
        var tool = await CliTool.GetAsync();

        var coloured = await UnderTerminalAsync(tool, CopyArguments(), noColor: false);
        var plain = await UnderTerminalAsync(tool, CopyArguments(), noColor: true);

        foreach (var screen in new[] { coloured, plain })
        {
            Assert.Contains("download sha256:", screen);
            Assert.Contains("100%", screen);
            Assert.Contains(Escape, screen);   // the live display moves the cursor to redraw its bars
        }
        Assert.Contains(Colour, coloured);
        Assert.DoesNotContain(Colour, plain);
    }

    /// <summary>Runs the tool with its standard streams on a pseudo-terminal, as a person at a terminal would; returns what it drew.</summary>
    private static async Task<string> UnderTerminalAsync(CliTool tool, string[] arguments, bool noColor)
    {
        var command = string.Join(' ', new[] { tool.Executable }.Concat(arguments).Select(a => "'" + a.Replace("'", "'\\''") + "'"));
        var environment = CliTool.Environment(new Dictionary<string, string?> { ["NO_COLOR"] = noColor ? "1" : null, ["TERM"] = "xterm-256color", ["COLUMNS"] = "120" });
        var result = await ProcessRunner.RunAsync("script", ["-qec", command, "/dev/null"], new ProcessOptions { Environment = environment, Timeout = TimeSpan.FromMinutes(3) });
        return result.StandardOutput;
    }
}
