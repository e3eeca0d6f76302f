using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using Containers.Oci.Content;

namespace Containers.Cli.Commands;

/// <summary>
/// <c>cache list|prune</c>: the content cache of base layers that this tool and dotnet publish share
/// (<see cref="ContentCacheInventory"/>), the same as the ListContainerCache and PruneContainerCache targets.
/// </summary>
public static class CacheCommand
{
    public static Command Create(CliConsole console)
    {
        var list = new Command("list", "List the cached blobs with their sizes and when they were last used.").With(
            "containerize cache list",
            "containerize cache list --json --cache-dir /mnt/ci-cache");
        list.SetAction((parse, ct) => CommandRunner.RunAsync(console, parse, "cache list", (session, _) =>
        {
            var usage = ContentCacheInventory.List(session.CacheDirectory);
            var document = Usage(usage);
            document["entries"] = new JsonArray(usage.Entries.Select(e => (JsonNode)new JsonObject
            {
                ["digest"] = e.Digest.ToString(),
                ["size"] = e.Size,
                ["lastUsed"] = e.LastUsed.ToString("O", CultureInfo.InvariantCulture),
            }).ToArray());
            session.Output.Result(document, output =>
            {
                output.WriteLine(Summary(usage));
                foreach (var e in usage.Entries) output.WriteLine($"  {e.Digest}  {ByteSize.Format(e.Size),10}  last used {e.LastUsed.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)}");
            });
            return Task.FromResult(ExitCodes.Success);
        }, ct));

        var maxSize = new Option<string?>("--max-size") { Description = "Keep at most this much, removing the least recently used first: 500MB, 2GB.", HelpName = "SIZE" };
        var maxAge = new Option<string?>("--max-age") { Description = "Remove what no build used for this long: 12h, 7d.", HelpName = "AGE" };
        var prune = new Command("prune", "Remove cached blobs (all of them without a limit); a build that needs one downloads it again.")
        {
            maxSize, maxAge,
        }.With(
            "containerize cache prune --max-age 14d --max-size 5GB",
            "containerize cache prune");
        prune.SetAction((parse, ct) => CommandRunner.RunAsync(console, parse, "cache prune", (session, _) =>
        {
            long? bytes = parse.GetValue(maxSize) is { } size ? ByteSize.TryParse(size, out var b) ? b : throw CommandRunner.Usage("cache prune", $"--max-size '{size}' is not a size such as 500MB or 2GB") : null;
            TimeSpan? age = parse.GetValue(maxAge) is { } text ? CacheAge.TryParse(text, out var a) ? a : throw CommandRunner.Usage("cache prune", $"--max-age '{text}' is not an age such as 12h or 7d") : null;
            var result = ContentCacheInventory.Prune(session.CacheDirectory, bytes, age, DateTimeOffset.UtcNow);
            var document = Usage(result.Remaining);
            document["removedEntries"] = result.RemovedEntries;
            document["removedBytes"] = result.RemovedBytes;
            document["removedTemporaryFiles"] = result.RemovedTemporaryFiles;
            session.Output.Result(document, output => output.WriteLine(
                $"Removed {result.RemovedEntries} blob(s), {ByteSize.Format(result.RemovedBytes)}, and {result.RemovedTemporaryFiles} stale temporary file(s). {Summary(result.Remaining)}"));
            return Task.FromResult(ExitCodes.Success);
        }, ct));

        return new Command("cache", "List or prune the local content cache of base layers (shared with dotnet publish).") { list, prune }.With(
            "containerize cache list",
            "containerize cache prune --max-age 30d");
    }

    private static JsonObject Usage(CacheUsage usage) => new()
    {
        ["directory"] = usage.Directory,
        ["count"] = usage.Entries.Count,
        ["totalBytes"] = usage.TotalBytes,
        ["temporaryFiles"] = usage.TemporaryFiles,
    };

    private static string Summary(CacheUsage usage)
        => $"Content cache '{usage.Directory}': {usage.Entries.Count} blob(s), {ByteSize.Format(usage.TotalBytes)}"
           + (usage.TemporaryFiles > 0 ? $" (and {usage.TemporaryFiles} temporary file(s), {ByteSize.Format(usage.TemporaryBytes)})." : ".");
}
