using Containers.Oci.Packages;

namespace Containers.Oci.Tests.Support;

/// <summary>Control paragraphs written in tests.</summary>
internal static class ControlText
{
    public static ControlParagraph Paragraph(string text) => Assert.Single(ControlParagraph.ParseAll(text));
}
