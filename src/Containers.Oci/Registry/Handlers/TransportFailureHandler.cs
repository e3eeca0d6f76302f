using System.Globalization;
using Containers.Oci.Errors;

namespace Containers.Oci.Registry.Handlers;

/// <summary>
/// Turns transport failures (refused connection, unknown host, TLS failure, no answer in time) into CONTAINER1017
/// naming the registry, so users see what to fix rather than a stack trace. It also bounds how long a request without
/// a body may wait for its response; uploads are not bounded, as a large layer may legitimately take long.
/// </summary>
internal sealed class TransportFailureHandler(string registry, TimeSpan responseTimeout) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        if (request.Content is null) timeout.CancelAfter(responseTimeout);
        try
        {
            return await base.SendAsync(request, timeout.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (FindContainerException(e) is { } coded && coded != e)
        {
            // Our own verifying content stream failed while being sent: that coded error is the real story.
            throw coded;
        }
        catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            var reason = timeout.IsCancellationRequested
                ? string.Create(CultureInfo.InvariantCulture, $"it did not answer {request.Method} {request.RequestUri?.AbsolutePath} within {responseTimeout.TotalSeconds:0} s")
                : Describe(e);
            throw ErrorCatalogue.RegistryUnreachable.ToException(e, registry, reason);
        }
        catch (HttpRequestException e)
        {
            throw ErrorCatalogue.RegistryUnreachable.ToException(e, registry, Describe(e));
        }
    }

    private static ContainerException? FindContainerException(Exception? e)
    {
        for (; e is not null; e = e.InnerException)
        {
            if (e is ContainerException coded) return coded;
        }
        return null;
    }

    /// <summary>The most specific message: .NET's outer messages often just say "see inner exception".</summary>
    internal static string Describe(Exception e)
    {
        var current = e;
        while (current.InnerException is not null
               && (current.Message.Contains("inner exception", StringComparison.OrdinalIgnoreCase) || current is OperationCanceledException))
        {
            current = current.InnerException;
        }
        return current.Message.TrimEnd('.');
    }
}
