namespace Containers.Oci.Packages;

/// <summary>A version relation of a dependency: <c>&lt;&lt; &lt;= = &gt;= &gt;&gt;</c>.</summary>
public enum VersionOperator { Any, Earlier, EarlierOrEqual, Equal, LaterOrEqual, Later }

/// <summary>
/// One name a dependency accepts, e.g. <c>libc6 (&gt;= 2.34)</c> or <c>python3:any</c>: the name, an optional
/// architecture qualifier, and an optional version relation.
/// </summary>
public sealed record PackageRelation(string Name, VersionOperator Operator = VersionOperator.Any, string? Version = null, string? ArchQualifier = null)
{
    public bool Accepts(DebianVersion version)
    {
        if (Operator == VersionOperator.Any) return true;
        var order = version.CompareTo(DebianVersion.Parse(Version!));
        return Operator switch
        {
            VersionOperator.Earlier => order < 0,
            VersionOperator.EarlierOrEqual => order <= 0,
            VersionOperator.Equal => order == 0,
            VersionOperator.LaterOrEqual => order >= 0,
            _ => order > 0,
        };
    }

    public override string ToString() => Operator == VersionOperator.Any ? Name : $"{Name} ({OperatorText(Operator)} {Version})";

    private static string OperatorText(VersionOperator op) => op switch
    {
        VersionOperator.Earlier => "<<",
        VersionOperator.EarlierOrEqual => "<=",
        VersionOperator.Equal => "=",
        VersionOperator.LaterOrEqual => ">=",
        _ => ">>",
    };

    /// <summary>
    /// A Depends-style field: ',' between requirements, '|' between the alternatives of one. Architecture lists
    /// (<c>[amd64]</c>) and build profiles (<c>&lt;!nocheck&gt;</c>) belong to source packages and are dropped.
    /// </summary>
    public static IReadOnlyList<IReadOnlyList<PackageRelation>> ParseList(string? field)
    {
        if (string.IsNullOrWhiteSpace(field)) return [];
        var result = new List<IReadOnlyList<PackageRelation>>();
        foreach (var requirement in field.Split(','))
        {
            var alternatives = requirement.Split('|').Select(a => ParseOne(a)).OfType<PackageRelation>().ToList();
            if (alternatives.Count > 0) result.Add(alternatives);
        }
        return result;
    }

    internal static PackageRelation? ParseOne(string text)
    {
        // Architecture lists and build profiles follow the version, whose own '<' and '>' must stay.
        var paren = text.IndexOf('(');
        var close = paren < 0 ? -1 : text.IndexOf(')', paren);
        var inside = close < 0 ? null : text[(paren + 1)..close].Trim();
        var outside = close < 0 ? text : text[..paren] + text[(close + 1)..];
        var value = StripBrackets(StripBrackets(outside, '[', ']'), '<', '>').Trim();
        if (value.Length == 0) return null;
        string? version = null;
        var op = VersionOperator.Any;
        if (inside is not null)
        {
            var opText = new string(inside.TakeWhile(c => c is '<' or '=' or '>').ToArray());
            version = inside[opText.Length..].Trim();
            op = opText switch
            {
                "<<" => VersionOperator.Earlier,
                "<=" or "<" => VersionOperator.EarlierOrEqual,   // '<' and '>' are obsolete spellings dpkg still reads so
                "=" => VersionOperator.Equal,
                ">=" or ">" => VersionOperator.LaterOrEqual,
                ">>" => VersionOperator.Later,
                _ => VersionOperator.Any,
            };
            if (op == VersionOperator.Any) version = null;
        }
        string? qualifier = null;
        var colon = value.IndexOf(':');
        if (colon > 0)
        {
            qualifier = value[(colon + 1)..];
            value = value[..colon];
        }
        return new PackageRelation(value, op, version, qualifier);
    }

    private static string StripBrackets(string text, char open, char close)
    {
        var start = text.IndexOf(open);
        if (start < 0) return text;
        var end = text.IndexOf(close, start);
        return end < 0 ? text[..start] : StripBrackets(text[..start] + text[(end + 1)..], open, close);
    }
}
