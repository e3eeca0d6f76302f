namespace Containers.Cli.Build;

/// <summary>Values written as <c>NAME=VALUE</c>, <c>PORT/TYPE</c> or a layer spec, split the way docs/cli.md says.</summary>
public static class OptionValues
{
    /// <summary>NAME=VALUE at the first '=', so a value may hold '=' (a URL's query, base64).</summary>
    public static KeyValuePair<string, string> Pair(string text, string option)
    {
        var equals = text.IndexOf('=');
        if (equals <= 0) throw CommandRunner.Usage("build", $"{option} '{text}' is not NAME=VALUE");
        return KeyValuePair.Create(text[..equals], text[(equals + 1)..]);
    }

    /// <summary><c>8080</c> or <c>53/udp</c>; the number and type are checked by the engine, as ContainerPort items are.</summary>
    public static (string Number, string? Type) Port(string text)
    {
        var slash = text.IndexOf('/');
        return slash < 0 ? (text.Trim(), null) : (text[..slash].Trim(), text[(slash + 1)..].Trim());
    }

    /// <summary><c>SOURCE=TARGET[,mode=M][,owner=O]</c>: a ContainerLayer item with its TargetPath, Mode and Owner metadata.</summary>
    public static (string Source, string? TargetPath, string? Mode, string? Owner) Layer(string text, string workingDirectory)
    {
        var parts = text.Split(',');
        var (source, target) = Pair(parts[0], "--layer");
        string? mode = null, owner = null;
        foreach (var part in parts.Skip(1))
        {
            var (key, value) = Pair(part, "--layer");
            switch (key.Trim().ToLowerInvariant())
            {
                case "mode": mode = value; break;
                case "owner": owner = value; break;
                default: throw CommandRunner.Usage("build", $"--layer '{text}' has '{key}', but a layer takes only mode= and owner=");
            }
        }
        return (Path.GetFullPath(source, workingDirectory), target, mode, owner);
    }
}
