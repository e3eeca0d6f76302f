using System.Text.Json.Nodes;
using Containers.Oci.Images;
using Containers.Oci.Stores;

namespace Containers.Cli.Commands;

/// <summary>The JSON shapes the commands share: what was written where, and an image or index in brief.</summary>
public static class Describe
{
    public static JsonArray Written(IEnumerable<WriteResult> written)
        => new(written.Select(w => (JsonNode)new JsonObject
        {
            ["action"] = w.Action,
            ["names"] = new JsonArray(w.Names.Select(n => (JsonNode)JsonValue.Create(n)).ToArray()),
            ["details"] = w.Details,
            ["archive"] = w.ArchivePath,
        }).ToArray());

    public static JsonObject Content(ITaggable content) => new()
    {
        ["digest"] = content.Digest.ToString(),
        ["mediaType"] = content.MediaType,
        ["size"] = content.RawManifest.Length,
    };

    public static void WrittenLines(TextWriter output, ITaggable content, IEnumerable<WriteResult> written)
    {
        foreach (var w in written) output.WriteLine($"{w.Action} {string.Join(", ", w.Names)} ({content.Digest}): {w.Details}");
    }
}
