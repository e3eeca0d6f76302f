using System.Reflection;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Xunit.Sdk;

namespace Containers.Oci.Tests.Support;

/// <summary>
/// Compares a JSON document with <c>Golden/&lt;name&gt;.json</c>. The golden file holds the document indented, so a diff
/// of it reads well; property order and values are compared exactly. With <c>UPDATE_GOLDEN=1</c> the file in the source
/// tree is rewritten and the test still fails, so a golden file only changes when someone means it to.
/// </summary>
public static class GoldenFile
{
    private const string ProjectFile = "Containers.Oci.Tests.csproj";

    private static readonly JsonSerializerOptions Indented = new()
    {
        WriteIndented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static void AssertMatches(string name, string json)
    {
        var actual = Format(json);
        var relative = Path.Combine("Golden", name + ".json");
        if (Environment.GetEnvironmentVariable("UPDATE_GOLDEN") == "1")
        {
            var target = Path.Combine(SourceDirectory(), relative);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.WriteAllText(target, actual);
            throw new XunitException($"UPDATE_GOLDEN=1: wrote {target}. Review the diff, then run again without UPDATE_GOLDEN.");
        }

        var expectedPath = Path.Combine(AppContext.BaseDirectory, relative);
        if (!File.Exists(expectedPath))
        {
            throw new XunitException($"No golden file {relative}. Run with UPDATE_GOLDEN=1 to create it, and review it. Actual:\n{actual}");
        }
        var expected = File.ReadAllText(expectedPath).ReplaceLineEndings("\n");
        if (expected != actual)
        {
            throw new XunitException($"{relative} differs from the output (run with UPDATE_GOLDEN=1 to accept a deliberate change).\nExpected:\n{expected}\nActual:\n{actual}");
        }
    }

    private static string Format(string json)
        => JsonSerializer.Serialize(JsonNode.Parse(json), Indented).ReplaceLineEndings("\n") + "\n";

    /// <summary>The test project's source folder: up from the binaries, else the folder recorded at build time.</summary>
    private static string SourceDirectory()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, ProjectFile))) return dir.FullName;
        }
        var recorded = typeof(GoldenFile).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .FirstOrDefault(a => a.Key == "TestProjectDirectory")?.Value;
        if (recorded is not null && File.Exists(Path.Combine(recorded, ProjectFile))) return recorded;
        throw new InvalidOperationException($"No {ProjectFile} above {AppContext.BaseDirectory} or at '{recorded}'.");
    }
}
