using Containers.Oci.Errors;

namespace Containers.Oci.Registry.Handlers;

/// <summary>
/// Turns transport failures (refused connection, unknown host, TLS failure) into coded errors naming the registry,
/// so users see what to fix rather than a stack trace: an untrusted certificate is CONTAINER5101, a plain HTTP answer
/// to a TLS handshake CONTAINER5111, a connection not made in time CONTAINER5110, anything else CONTAINER1017. Coded
/// errors from below (the retry handler's, or our own content streams') pass through as they are.
/// </summary>
internal sealed class TransportFailureHandler(string registry, TlsTrust? trust = null, RegistryTimeouts? timeouts = null) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        try
        {
            return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (FindContainerException(e) is { } coded && coded != e)
        {
            // Our own verifying content stream failed while being sent: that coded error is the real story.
            throw coded;
        }
        catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            // SocketsHttpHandler's ConnectTimeout: a cancellation with a TimeoutException inside.
            if (e.InnerException is TimeoutException) throw (timeouts ?? RegistryTimeouts.Default).ConnectTimedOut(e, registry);
            throw ErrorCatalogue.RegistryUnreachable.ToException(e, registry, Describe(e));
        }
        catch (HttpRequestException e)
        {
            if (Find<PlainHttpAnswerException>(e) is not null && request.RequestUri is { } uri)
            {
                throw ErrorCatalogue.RegistrySpeaksPlainHttp.ToException(e, registry, $"https://{uri.Authority}");
            }
            if (e.HttpRequestError == HttpRequestError.SecureConnectionError && trust?.RefusalFor(request.RequestUri?.IdnHost ?? "") is { } why)
            {
                throw ErrorCatalogue.RegistryCertificateUntrusted.ToException(e, registry, why);
            }
            throw ErrorCatalogue.RegistryUnreachable.ToException(e, registry, Describe(e));
        }
        catch (System.Net.Sockets.SocketException e)
        {
            // Seen when a connection is reset right after it was made (a registry restarting): not wrapped by HttpClient.
            throw ErrorCatalogue.RegistryUnreachable.ToException(e, registry, Describe(e));
        }
    }

    private static ContainerException? FindContainerException(Exception? e) => Find<ContainerException>(e);

    private static T? Find<T>(Exception? e) where T : Exception
    {
        for (; e is not null; e = e.InnerException)
        {
            if (e is T found) return found;
        }
        return null;
    }

    // .NET's outer messages that only say "something below failed".
    private static readonly string[] GenericMessages =
    [
        "inner exception", "An error occurred while sending the request", "Error while copying content to a stream",
        "The operation was canceled", "A task was canceled",
    ];

    /// <summary>The most specific message: .NET's outer messages often just say "see inner exception".</summary>
    internal static string Describe(Exception e)
    {
        var current = e;
        while (current.InnerException is not null
               && (current is OperationCanceledException || current is ContainerException
                   || GenericMessages.Any(g => current.Message.Contains(g, StringComparison.OrdinalIgnoreCase))))
        {
            current = current.InnerException;
        }
        return current.Message.TrimEnd('.');
    }
}
