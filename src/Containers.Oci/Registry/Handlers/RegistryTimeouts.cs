using System.Globalization;
using Containers.Oci.Errors;

namespace Containers.Oci.Registry.Handlers;

/// <summary>
/// The two limits that make a dead registry fail fast, each with the setting that chose it (named in the error):
/// connection setup (TCP and TLS), and an answer without progress (see <see cref="ProgressWatchdog"/>). Neither bounds
/// how long a whole upload may take while bytes keep moving.
/// </summary>
internal sealed record RegistryTimeouts(TimeSpan Connect, string ConnectSetting, TimeSpan Response, string ResponseSetting)
{
    public static RegistryTimeouts Default { get; } = new(RegistrySettings.DefaultConnectTimeout, RegistryEnvironment.ConnectTimeout,
        RegistrySettings.DefaultResponseTimeout, RegistryEnvironment.ResponseTimeout);

    /// <param name="what">What the registry did not do, e.g. "answer GET /v2/".</param>
    public ContainerException ResponseTimedOut(Exception? inner, string registry, string what)
        => Error(inner, registry, what, Seconds(Response), ResponseSetting);

    public ContainerException ConnectTimedOut(Exception? inner, string registry)
        => Error(inner, registry, "accept a connection (TCP and TLS)", Seconds(Connect), ConnectSetting);

    private static ContainerException Error(Exception? inner, params object?[] args)
        => inner is null ? ErrorCatalogue.RegistryTimedOut.ToException(args) : ErrorCatalogue.RegistryTimedOut.ToException(inner, args);

    public static string Seconds(TimeSpan time) => time.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture);
}
