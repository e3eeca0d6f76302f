using System.Reflection;
using System.Text.RegularExpressions;
using Containers.Oci.Errors;

namespace Containers.Oci.Tests.Errors;

/// <summary>
/// docs/errors.md lists exactly the codes we report: the catalogue's, and the few the package's targets report
/// themselves (CONTAINER003, CONTAINER2030, CONTAINERS0666). Every one of them is triggered by some test.
/// </summary>
public partial class ErrorDocumentationTests
{
    private const string NotReportedHeading = "## Codes the SDK has that Containers.Build does not report";

    private static readonly string Root = FindRoot();

    /// <summary>The repository's root folder, for tests that read its sources.</summary>
    internal static string RepositoryRoot => Root;

    [Fact]
    public void TheDocs_ListExactlyTheReportedCodes()
    {
        var (reported, _) = DocumentedCodes();
        var expected = ErrorCatalogue.All().Select(e => e.Code).Concat(TargetsCodes().Keys).Order(StringComparer.Ordinal).ToList();

        Assert.Equal(expected, reported.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void TheDocs_SayWhichCodesAreWarnings()
    {
        var (reported, _) = DocumentedCodes();
        var kinds = ErrorCatalogue.All().ToDictionary(e => e.Code, e => e.IsWarning ? "warning" : "error");
        foreach (var (code, kind) in TargetsCodes()) kinds[code] = kind;

        Assert.All(kinds, k => Assert.Equal((k.Key, k.Value), (k.Key, reported.GetValueOrDefault(k.Key))));
    }

    [Fact]
    public void CodesWeDoNotReport_AreTheSdksOnly_AndNotAlsoReported()
    {
        var (reported, notReported) = DocumentedCodes();

        Assert.NotEmpty(notReported);
        Assert.Empty(notReported.Intersect(reported.Keys));
        Assert.All(notReported, code => Assert.InRange(int.Parse(code[9..]), 0, 4999));
    }

    /// <summary>A test names the code, or the catalogue entry, of every code we report, except the one for our own bugs.</summary>
    [Fact]
    public void EveryReportedCode_IsTriggeredBySomeTest()
    {
        var self = new[] { "ErrorDocumentationTests.cs", "ErrorCatalogueTests.cs" };
        var tests = string.Concat(Directory.EnumerateFiles(Path.Combine(Root, "tests"), "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}") && !self.Contains(Path.GetFileName(f)))
            .Select(File.ReadAllText));
        var fields = typeof(ErrorCatalogue).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.FieldType == typeof(ContainerError))
            .ToDictionary(f => ((ContainerError)f.GetValue(null)!).Code, f => f.Name);

        var untested = ErrorCatalogue.All().Select(e => e.Code).Concat(TargetsCodes().Keys)
            .Where(code => code != ErrorCatalogue.UnexpectedFailure.Code)
            .Where(code => !Regex.IsMatch(tests, $@"\b{code}(?!\d)") && !(fields.TryGetValue(code, out var field) && Regex.IsMatch(tests, $@"\bErrorCatalogue\.{field}\b")))
            .ToList();

        Assert.True(untested.Count == 0, $"No test names these codes or their catalogue entries: {string.Join(", ", untested)}");
    }

    /// <summary>Code → "error" or "warning" for the &lt;Error&gt; and &lt;Warning&gt; elements in the package's targets.</summary>
    private static Dictionary<string, string> TargetsCodes()
    {
        var package = Path.Combine(Root, "src", "Containers.Build");
        var targets = Directory.EnumerateFiles(package, "*.targets", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}") && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}"));
        var codes = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (Match m in targets.SelectMany(f => TargetsDiagnostic().Matches(File.ReadAllText(f))))
        {
            codes[m.Groups[2].Value] = m.Groups[1].Value.ToLowerInvariant();
        }
        return codes;
    }

    /// <summary>The codes in docs/errors.md tables (first column, kind in the second), before and after the "not reported" heading.</summary>
    private static (Dictionary<string, string> Reported, List<string> NotReported) DocumentedCodes()
    {
        var text = File.ReadAllText(Path.Combine(Root, "docs", "errors.md")).ReplaceLineEndings("\n");
        var split = text.IndexOf(NotReportedHeading, StringComparison.Ordinal);
        Assert.True(split > 0, $"docs/errors.md has no heading '{NotReportedHeading}'");
        var reported = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (Match m in DocumentedRow().Matches(text[..split]))
        {
            Assert.True(reported.TryAdd(m.Groups[1].Value, m.Groups[2].Value), $"{m.Groups[1].Value} is listed twice");
        }
        var notReported = DocumentedRow().Matches(text[split..]).Select(m => m.Groups[1].Value).ToList();
        return (reported, notReported);
    }

    private static string FindRoot()
    {
        var recorded = typeof(ErrorDocumentationTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .FirstOrDefault(a => a.Key == "TestProjectDirectory")?.Value;
        foreach (var start in new[] { recorded, AppContext.BaseDirectory }.OfType<string>())
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "Containers.sln"))) return dir.FullName;
            }
        }
        throw new InvalidOperationException("No Containers.sln above the test project.");
    }

    [GeneratedRegex(@"<(Error|Warning)\b[^>]*\bCode=""(CONTAINERS?\d+)""")]
    private static partial Regex TargetsDiagnostic();

    // | `CONTAINER2008` | error | ...
    [GeneratedRegex(@"^\|\s*`(CONTAINERS?\d+)`\s*\|\s*(error|warning|—)\s*\|", RegexOptions.Multiline)]
    private static partial Regex DocumentedRow();
}
