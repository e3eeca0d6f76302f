using System.Text.RegularExpressions;
using Containers.Oci.Images;
using Containers.Oci.Tests.Errors;

namespace Containers.Oci.Tests.Architecture;

/// <summary>
/// The engine's folders depend on each other one way only, lowest first, so each can be read, tested and reused
/// without the ones above it: the OCI core never knows about publishing, and nothing knows about MSBuild.
/// </summary>
public sealed partial class DependencyRuleTests
{
    /// <summary>Each folder may use only the folders before it.</summary>
    private static readonly string[] Order =
        ["Errors", "Diagnostics", "Model", "Names", "Content", "Formats", "Images", "Layers", "Packages", "Registry", "Stores", "SupplyChain", "Publishing"];

    private static string Engine => Path.Combine(ErrorDocumentationTests.RepositoryRoot, "src", "Containers.Oci");

    [Fact]
    public void EveryFolderOfTheEngine_IsInTheOrder()
    {
        var folders = Directory.GetDirectories(Engine).Where(d => Directory.EnumerateFiles(d, "*.cs", SearchOption.AllDirectories).Any())
            .Select(Path.GetFileName).Where(n => n is not ("bin" or "obj")).Order(StringComparer.Ordinal);

        Assert.Equal(Order.Order(StringComparer.Ordinal), folders);
    }

    [Fact]
    public void EveryFolder_UsesOnlyTheFoldersBeforeIt()
    {
        var graph = Graph();
        var wrong = graph.SelectMany(e => e.Value.Where(used => Array.IndexOf(Order, used) >= Array.IndexOf(Order, e.Key)).Select(used => $"{e.Key} -> {used}")).ToList();

        Assert.True(wrong.Count == 0, $"These folders use a folder at or above them: {string.Join(", ", wrong)}");
        Assert.Contains("Images", graph["Stores"]);   // the scan finds real dependencies, so an empty result means something
    }

    [Fact]
    public void TheEngine_ReferencesNoMSBuildAssembly()
        => Assert.DoesNotContain(typeof(IImage).Assembly.GetReferencedAssemblies(), a => a.Name!.StartsWith("Microsoft.Build", StringComparison.Ordinal));

    /// <summary>Folder → the other folders its files use, by <c>using</c> or by a qualified name of one of their types.</summary>
    private static Dictionary<string, HashSet<string>> Graph()
    {
        var files = Order.ToDictionary(f => f, f => Directory.EnumerateFiles(Path.Combine(Engine, f), "*.cs", SearchOption.AllDirectories).Select(File.ReadAllText).ToList());
        var types = files.ToDictionary(f => f.Key, f => f.Value.SelectMany(text => TypeDeclaration().Matches(text).Select(m => m.Groups[1].Value)).ToHashSet());
        var graph = new Dictionary<string, HashSet<string>>();
        foreach (var (folder, texts) in files)
        {
            var used = new HashSet<string>();
            foreach (var text in texts)
            {
                foreach (Match m in UsingDirective().Matches(text)) used.Add(m.Groups[1].Value);
                foreach (var other in Order.Where(o => o != folder))
                {
                    if (types[other].Any(t => Regex.IsMatch(text, $@"(?<![\w.]){other}\.{t}\b|Containers\.Oci\.{other}\.{t}\b"))) used.Add(other);
                }
            }
            used.Remove(folder);
            graph[folder] = used;
        }
        return graph;
    }

    [GeneratedRegex(@"\b(?:class|record|interface|enum|struct)\s+(\w+)")]
    private static partial Regex TypeDeclaration();

    [GeneratedRegex(@"using Containers\.Oci\.(\w+)")]
    private static partial Regex UsingDirective();
}
