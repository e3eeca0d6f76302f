namespace Containers.Oci.Registry;

/// <summary>
/// One <see cref="RegistryClient"/> per registry host for the length of a build, so connections, credentials, tokens
/// and the scheme found for an insecure registry are shared by everything that talks to it. Disposing it disposes them.
/// </summary>
public sealed class RegistryClientProvider(RegistryClientOptions? options = null) : IDisposable
{
    private readonly Dictionary<string, RegistryClient> _clients = new(StringComparer.OrdinalIgnoreCase);
    private readonly Lock _lock = new();
    private bool _disposed;

    public RegistryClientOptions Options { get; } = options ?? RegistryClientOptions.Default;

    /// <summary>The client for <paramref name="registry"/> as written in an image reference (e.g. <c>localhost:5000</c>).</summary>
    public RegistryClient Get(string registry)
    {
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (!_clients.TryGetValue(registry, out var client))
            {
                client = new RegistryClient(registry, Options);
                _clients.Add(registry, client);
            }
            return client;
        }
    }

    public void Dispose()
    {
        lock (_lock)
        {
            if (_disposed) return;
            _disposed = true;
            foreach (var client in _clients.Values) client.Dispose();
            _clients.Clear();
        }
    }
}
