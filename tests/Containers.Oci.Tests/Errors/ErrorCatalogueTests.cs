using System.Text.RegularExpressions;
using Containers.Oci.Errors;

namespace Containers.Oci.Tests.Errors;

public partial class ErrorCatalogueTests
{
    private static readonly List<ContainerError> All = ErrorCatalogue.All().ToList();

    public static TheoryData<string> Codes() => new(All.Select(e => e.Code));

    [Fact]
    public void All_ListsEveryPublicEntry()
    {
        var fields = typeof(ErrorCatalogue).GetFields().Count(f => f.FieldType == typeof(ContainerError));

        Assert.Equal(fields, All.Count);
        Assert.True(All.Count >= 30, $"only {All.Count} entries");
    }

    [Fact]
    public void EveryCode_IsUnique()
    {
        var duplicates = All.GroupBy(e => e.Code).Where(g => g.Count() > 1).Select(g => g.Key).ToList();

        Assert.Empty(duplicates);
    }

    [Theory]
    [MemberData(nameof(Codes))]
    public void EveryCode_IsCONTAINERAndFourDigits(string code) => Assert.Matches(CodePattern(), code);

    [Theory]
    [MemberData(nameof(Codes))]
    public void EveryMessage_FormatsWithItsPlaceholdersFilled_AndEndsWithItsFix(string code)
    {
        var error = All.Single(e => e.Code == code);
        var count = Placeholder().Matches(error.Message).Select(m => int.Parse(m.Groups[1].Value) + 1).DefaultIfEmpty(0).Max();
        var args = Enumerable.Range(0, count).Select(i => (object?)$"<arg{i}>").ToArray();

        var text = error.Format(args);

        for (var i = 0; i < count; i++) Assert.Contains($"<arg{i}>", text);
        Assert.DoesNotMatch(Placeholder(), text);
        if (error.Fix is not null) Assert.EndsWith(error.Fix, text);
        Assert.Equal(code, error.ToException(args).Code);
    }

    [Fact]
    public void OurOwnCodes_Are5000AndUp_AndWarningsAreMarked()
    {
        Assert.All(All.Where(e => e.Code.StartsWith("CONTAINER5", StringComparison.Ordinal)), e => Assert.InRange(int.Parse(e.Code[9..]), 5000, 5999));
        Assert.True(ErrorCatalogue.BaseEntrypointOverwritten.IsWarning);
        Assert.True(ErrorCatalogue.InvalidEnvironmentVariable.IsWarning);
        Assert.False(ErrorCatalogue.InvalidImageReference.IsWarning);
    }

    [GeneratedRegex(@"^CONTAINER\d{4}\z")]
    private static partial Regex CodePattern();

    [GeneratedRegex(@"\{(\d+)[^}]*\}")]
    private static partial Regex Placeholder();
}
