namespace Containers.IntegrationTests.Compatibility;

/// <summary>Project-file snippets, written the way a user writes them.</summary>
public static class MSBuildXml
{
    public static string Properties(params (string Name, string Value)[] properties)
        => "  <PropertyGroup>\n" + string.Concat(properties.Select(p => $"    <{p.Name}>{p.Value}</{p.Name}>\n")) + "  </PropertyGroup>\n";

    public static string Items(params string[] items)
        => "  <ItemGroup>\n" + string.Concat(items.Select(i => $"    {i}\n")) + "  </ItemGroup>\n";
}
