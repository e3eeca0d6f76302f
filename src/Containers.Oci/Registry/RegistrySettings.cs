using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Containers.Oci.Diagnostics;
using Containers.Oci.Errors;
using Containers.Oci.Registry.Credentials;
using Containers.Oci.Registry.Handlers;

namespace Containers.Oci.Registry;

/// <summary>
/// <see cref="RegistryClientOptions"/> with every unset value filled from the environment, resolved once per client.
/// Invalid environment values are coded errors here, before anything is sent.
/// </summary>
internal sealed class RegistrySettings
{
    public const long DefaultChunkSize = 32L * 1024 * 1024;
    public const int DefaultMaxRetries = 5;
    public static readonly TimeSpan DefaultConnectTimeout = TimeSpan.FromSeconds(15);
    public static readonly TimeSpan DefaultResponseTimeout = TimeSpan.FromSeconds(30);

    private readonly HashSet<string> _insecure;

    private RegistrySettings(RegistryClientOptions options, IReadOnlyDictionary<string, string> environment)
    {
        Options = options;
        Environment = environment;
        Credentials = options.Credentials ?? CredentialChain.CreateDefault(environment);
        Log = options.Log ?? NullBuildLog.Instance;

        _insecure = new HashSet<string>(
            options.InsecureRegistries.Concat(ParseList(RegistryEnvironment.Get(environment, RegistryEnvironment.InsecureRegistries))).Select(NormalizeRegistry),
            StringComparer.OrdinalIgnoreCase);

        TrustedCertificates = [];
        if (options.TrustedCertificates is { } trusted) TrustedCertificates.AddRange(trusted);
        if (RegistryEnvironment.Get(environment, RegistryEnvironment.CaBundle) is { } bundle) TrustedCertificates.AddRange(LoadBundle(bundle));

        AllowCredentialsOverHttp = options.AllowCredentialsOverHttp ?? ParseBool(environment, RegistryEnvironment.AllowHttpCredentials);
        ChunkSize = options.ChunkSize ?? ParseSize(environment, RegistryEnvironment.ChunkSize)
            ?? ParseSize(environment, RegistryEnvironment.SdkChunkSize) ?? ParseSize(environment, RegistryEnvironment.LegacySdkChunkSize) ?? DefaultChunkSize;
        ForceChunked = ParseBool(environment, RegistryEnvironment.ForceChunkedUpload) || ParseBool(environment, RegistryEnvironment.LegacyForceChunkedUpload);
        ParallelUploads = ParseOptionalBool(environment, RegistryEnvironment.ParallelUpload) ?? ParseOptionalBool(environment, RegistryEnvironment.LegacyParallelUpload) ?? true;
        UploadAhead = options.UploadAhead ?? ParseOptionalBool(environment, RegistryEnvironment.UploadAhead) ?? true;
        if (ChunkSize <= 0) throw ErrorCatalogue.InvalidRegistrySetting.ToException(nameof(RegistryClientOptions.ChunkSize), ChunkSize, "it must be positive");
        Timeouts = new RegistryTimeouts(
            Positive(nameof(RegistryClientOptions.ConnectTimeout), options.ConnectTimeout) ?? ParseSeconds(environment, RegistryEnvironment.ConnectTimeout) ?? DefaultConnectTimeout,
            options.ConnectTimeout is null ? RegistryEnvironment.ConnectTimeout : $"{nameof(RegistryClientOptions)}.{nameof(RegistryClientOptions.ConnectTimeout)}",
            Positive(nameof(RegistryClientOptions.ResponseTimeout), options.ResponseTimeout) ?? ParseSeconds(environment, RegistryEnvironment.ResponseTimeout) ?? DefaultResponseTimeout,
            options.ResponseTimeout is null ? RegistryEnvironment.ResponseTimeout : $"{nameof(RegistryClientOptions)}.{nameof(RegistryClientOptions.ResponseTimeout)}");
        var maxRetries = options.MaxRetries ?? ParseCount(environment, RegistryEnvironment.MaxRetries) ?? DefaultMaxRetries;
        Retry = new RetryPolicy(Math.Max(0, maxRetries), options.RetryBaseDelay, options.RetryMaxDelay, options.RetryTimeLimit);
    }

    public static RegistrySettings Resolve(RegistryClientOptions options)
        => new(options, options.Environment ?? RegistryEnvironment.Current());

    public RegistryClientOptions Options { get; }

    public IReadOnlyDictionary<string, string> Environment { get; }

    public ICredentialSource Credentials { get; }

    public IBuildLog Log { get; }

    public X509Certificate2Collection TrustedCertificates { get; }

    public bool AllowCredentialsOverHttp { get; }

    public long ChunkSize { get; }

    /// <summary>The SDK's debug switch: every blob in chunks.</summary>
    public bool ForceChunked { get; }

    /// <summary>Several layers are uploaded at once, unless the SDK's switch turned that off.</summary>
    public bool ParallelUploads { get; }

    /// <summary>A new layer may be uploaded while it is compressed, unless the switch turned that off.</summary>
    public bool UploadAhead { get; }

    /// <summary>Blobs up to this size go in one PUT.</summary>
    public long MonolithicLimit => ForceChunked ? -1 : Math.Min(Options.MonolithicUploadLimit, ChunkSize);

    public RetryPolicy Retry { get; }

    /// <summary>How long a connection, and an answer without progress, may take.</summary>
    public RegistryTimeouts Timeouts { get; }

    /// <summary>A registry (host[:port]) is insecure when on this machine (unless turned off) or listed, by host:port or by host alone.</summary>
    public bool IsInsecureRegistry(string registry)
    {
        if (Options.TreatLoopbackAsInsecure && RegistryEndpoint.IsLoopback(registry)) return true;
        var normalized = NormalizeRegistry(registry);
        return _insecure.Contains(normalized) || _insecure.Contains(RegistryEndpoint.HostOf(normalized));
    }

    /// <summary>The same for a TLS connection, which knows the host but not the port.</summary>
    public bool IsInsecureHost(string host)
    {
        if (Options.TreatLoopbackAsInsecure && RegistryEndpoint.IsLoopbackHost(host)) return true;
        return _insecure.Any(entry => RegistryEndpoint.HostOf(entry).Equals(host.Trim('[', ']'), StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>Credentials may go over HTTPS, to this machine, or anywhere when the user allowed plain HTTP.</summary>
    public bool MayCarryCredentials(Uri uri)
        => uri.Scheme == Uri.UriSchemeHttps || RegistryEndpoint.IsLoopbackHost(uri.Host) || AllowCredentialsOverHttp;

    private static IEnumerable<string> ParseList(string? value)
        => value is null ? [] : value.Split([';', ','], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    // "https://myregistry:5000/" as well as "myregistry:5000".
    private static string NormalizeRegistry(string entry)
    {
        var text = entry.Trim();
        var scheme = text.IndexOf("://", StringComparison.Ordinal);
        if (scheme >= 0) text = text[(scheme + 3)..];
        return text.TrimEnd('/').ToLowerInvariant();
    }

    private static bool ParseBool(IReadOnlyDictionary<string, string> environment, string name) => ParseOptionalBool(environment, name) ?? false;

    /// <summary>true/1 or false/0; null when the variable is not set.</summary>
    private static bool? ParseOptionalBool(IReadOnlyDictionary<string, string> environment, string name)
        => RegistryEnvironment.Get(environment, name) switch
        {
            null => null,
            var v when v.Equals("true", StringComparison.OrdinalIgnoreCase) || v == "1" => true,
            var v when v.Equals("false", StringComparison.OrdinalIgnoreCase) || v == "0" => false,
            var v => throw ErrorCatalogue.InvalidRegistrySetting.ToException(name, v, "use true or false"),
        };

    private static TimeSpan? Positive(string name, TimeSpan? value)
        => value is { } v && v <= TimeSpan.Zero ? throw ErrorCatalogue.InvalidRegistrySetting.ToException(name, v, "it must be positive") : value;

    /// <summary>"30", "2.5", "30s", "2m": a positive time, in seconds unless it ends in 's' or 'm'.</summary>
    internal static TimeSpan? ParseSeconds(IReadOnlyDictionary<string, string> environment, string name)
    {
        if (RegistryEnvironment.Get(environment, name) is not { } value) return null;
        var text = value.Trim();
        var unit = 1.0;
        if (text.EndsWith('m') || text.EndsWith('M')) { unit = 60; text = text[..^1]; }
        else if (text.EndsWith('s') || text.EndsWith('S')) text = text[..^1];
        if (double.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var number) && number > 0 && number * unit <= TimeSpan.FromDays(1).TotalSeconds)
        {
            return TimeSpan.FromSeconds(number * unit);
        }
        throw ErrorCatalogue.InvalidRegistrySetting.ToException(name, value, "use a positive number of seconds (at most a day), such as 30, or minutes with an 'm' suffix, such as 2m");
    }

    private static int? ParseCount(IReadOnlyDictionary<string, string> environment, string name)
    {
        if (RegistryEnvironment.Get(environment, name) is not { } value) return null;
        return int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var count)
            ? count : throw ErrorCatalogue.InvalidRegistrySetting.ToException(name, value, "use a whole number such as 5");
    }

    /// <summary>"16777216", "16M", "16MiB", "512K", "1G": powers of 1024.</summary>
    internal static long? ParseSize(IReadOnlyDictionary<string, string> environment, string name)
    {
        if (RegistryEnvironment.Get(environment, name) is not { } value) return null;
        var text = value.Trim();
        if (text.EndsWith("iB", StringComparison.OrdinalIgnoreCase)) text = text[..^2];
        else if (text.EndsWith('B') || text.EndsWith('b')) text = text[..^1];
        var suffix = text.Length > 0 ? char.ToUpperInvariant(text[^1]) : ' ';
        var unit = suffix switch { 'K' => 1024L, 'M' => 1024L * 1024, 'G' => 1024L * 1024 * 1024, _ => 1L };
        if (unit > 1) text = text[..^1];
        if (long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var number) && number > 0 && number <= long.MaxValue / unit)
        {
            return number * unit;
        }
        throw ErrorCatalogue.InvalidRegistrySetting.ToException(name, value, "use a positive size in bytes, or with a K, M or G suffix, such as 16M");
    }

    private static X509Certificate2Collection LoadBundle(string path)
    {
        var certificates = new X509Certificate2Collection();
        try
        {
            certificates.ImportFromPemFile(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or CryptographicException)
        {
            throw ErrorCatalogue.InvalidRegistrySetting.ToException(e, RegistryEnvironment.CaBundle, path, e.Message.TrimEnd('.'));
        }
        if (certificates.Count == 0) throw ErrorCatalogue.InvalidRegistrySetting.ToException(RegistryEnvironment.CaBundle, path, "it holds no PEM certificate");
        return certificates;
    }
}
