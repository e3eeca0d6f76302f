using System.Net.Http.Headers;
using System.Reflection;

namespace Containers.Oci.Registry.Handlers;

/// <summary>Names us to registries (<c>Containers.Build/&lt;informational version&gt;</c>), so their operators can tell our traffic apart.</summary>
internal sealed class UserAgentHandler : DelegatingHandler
{
    public static readonly ProductInfoHeaderValue UserAgent = new("Containers.Build",
        typeof(UserAgentHandler).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0");

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (request.Headers.UserAgent.Count == 0) request.Headers.UserAgent.Add(UserAgent);
        return base.SendAsync(request, cancellationToken);
    }
}
