using System.Text.RegularExpressions;

namespace Containers.Oci.Names;

/// <summary>The distribution reference grammar (distribution/reference), as regular expressions.</summary>
internal static partial class ReferenceGrammar
{
    public const int MaxNameLength = 255;

    // path-component := [a-z0-9]+ (separator [a-z0-9]+)* ; separator := [_.] | __ | [-]+
    private const string PathComponent = "[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*";
    private const string DomainComponent = "(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])";
    private const string Ipv6 = @"\[[a-fA-F0-9:]+\]";
    private const string Domain = "(?:" + DomainComponent + @"(?:\." + DomainComponent + ")*|" + Ipv6 + ")(?::[0-9]+)?";

    [GeneratedRegex("^" + PathComponent + "(?:/" + PathComponent + ")*\\z")]
    public static partial Regex Repository();

    [GeneratedRegex("^" + Domain + "\\z")]
    public static partial Regex Registry();

    [GeneratedRegex(@"^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}\z")]
    public static partial Regex Tag();
}
