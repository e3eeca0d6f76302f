namespace Containers.Oci.Images;

public enum PortType { Tcp, Udp }

public readonly record struct ExposedPort(int Number, PortType Type)
{
    public override string ToString() => $"{Number}/{(Type == PortType.Tcp ? "tcp" : "udp")}";
}

/// <summary>What the user asks to change in the base image's config. Null or empty means "not set".</summary>
public sealed record ImageSettings
{
    public IReadOnlyList<string> Entrypoint { get; init; } = [];
    public IReadOnlyList<string> Cmd { get; init; } = [];
    public string? WorkingDirectory { get; init; }

    /// <summary>An explicit user; when null the user comes from the base's APP_UID, else the base's own user.</summary>
    public string? User { get; init; }

    public IReadOnlyList<KeyValuePair<string, string>> Environment { get; init; } = [];
    public IReadOnlyList<KeyValuePair<string, string>> Labels { get; init; } = [];
    public IReadOnlyList<ExposedPort> Ports { get; init; } = [];

    /// <summary>The image's creation time, also used for history entries.</summary>
    public DateTimeOffset Created { get; init; } = DateTimeOffset.UnixEpoch;

    /// <summary>The manifest media type to produce; null follows the base image's.</summary>
    public string? ManifestMediaType { get; init; }
}
