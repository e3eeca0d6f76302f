using System.Text.RegularExpressions;

namespace Containers.Oci.Images;

/// <summary>
/// The ports ASP.NET Core will listen on, from its environment variables, so they can be declared as exposed.
/// ASPNETCORE_URLS wins when present; otherwise ASPNETCORE_HTTP_PORTS and ASPNETCORE_HTTPS_PORTS both count.
/// </summary>
public static partial class AspNetPorts
{
    public static IEnumerable<ExposedPort> FromEnvironment(IReadOnlyDictionary<string, string> env)
    {
        if (env.TryGetValue("ASPNETCORE_URLS", out var urls))
        {
            foreach (var url in Split(urls))
            {
                var match = UrlPort().Match(url);
                if (match.Success && int.TryParse(match.Groups[1].Value, out var port) && IsPort(port)) yield return new ExposedPort(port, PortType.Tcp);
            }
            yield break;
        }
        foreach (var name in new[] { "ASPNETCORE_HTTP_PORTS", "ASPNETCORE_HTTPS_PORTS" })
        {
            if (!env.TryGetValue(name, out var ports)) continue;
            foreach (var item in Split(ports))
            {
                if (int.TryParse(item, out var port) && IsPort(port)) yield return new ExposedPort(port, PortType.Tcp);
            }
        }
    }

    /// <summary>A value ASP.NET Core could listen on; anything else in these variables is not a port to expose.</summary>
    private static bool IsPort(int port) => port is > 0 and <= 65535;

    private static string[] Split(string value) => value.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    // scheme://host:port[/path], where host may be '*', '+', a name or an address.
    [GeneratedRegex(@"^\w+://.+:(\d+)/?")]
    private static partial Regex UrlPort();
}
