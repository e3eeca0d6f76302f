using System.Net;
using Containers.Oci.Errors;

namespace Containers.Oci.Registry;

/// <summary>
/// Turns an unsuccessful registry response into a coded error. Only the status, the request's method and path
/// (never its query, which may hold upload state) and the registry's error codes are shown; never any header.
/// </summary>
internal static class RegistryFailure
{
    private const int MaxBodyBytes = 64 * 1024;

    /// <summary>401/403 → CONTAINER1016, saying which credential was tried; anything else → CONTAINER5003.</summary>
    public static async Task<ContainerException> FromResponseAsync(HttpResponseMessage response, string registry, string repository, CancellationToken cancellationToken)
    {
        var answer = await DescribeAsync(response, cancellationToken).ConfigureAwait(false);
        if (IsAccessDenied(response.StatusCode))
        {
            return ErrorCatalogue.RegistryAccessDenied.ToException(repository, registry, answer,
                RegistryRequest.CredentialNoteOf(response.RequestMessage) ?? "no credentials were sent");
        }
        var request = response.RequestMessage;
        return ErrorCatalogue.RegistryProtocolError.ToException(registry, answer, request?.Method.Method ?? "?", request?.RequestUri?.AbsolutePath ?? "?", "");
    }

    public static bool IsAccessDenied(HttpStatusCode status) => status is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden;

    /// <summary>"404 Not Found (NAME_UNKNOWN: repository name not known to registry)".</summary>
    public static async Task<string> DescribeAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var status = Status(response);
        var body = await ReadSomeAsync(response, cancellationToken).ConfigureAwait(false);
        return DistributionErrorBody.Describe(body) is { } codes ? $"{status} ({codes})" : status;
    }

    public static string Status(HttpResponseMessage response)
        => $"{(int)response.StatusCode} {(string.IsNullOrEmpty(response.ReasonPhrase) ? response.StatusCode.ToString() : response.ReasonPhrase)}";

    // An error body is small; a misbehaving server's is not read past a bound, and a broken one is not worth a second error.
    private static async Task<byte[]> ReadSomeAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            var buffer = new byte[MaxBodyBytes];
            var total = 0;
            int read;
            while (total < buffer.Length && (read = await stream.ReadAsync(buffer.AsMemory(total), cancellationToken).ConfigureAwait(false)) > 0)
            {
                total += read;
            }
            return buffer[..total];
        }
        catch (Exception e) when (e is IOException or HttpRequestException)
        {
            return [];
        }
    }
}
