using System.Diagnostics;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Containers.Oci.Diagnostics;
using Containers.Oci.Registry;

namespace Containers.IntegrationTests.Infrastructure;

/// <summary>
/// A registry started by <c>build/registry.sh start DIR OPTIONS…</c> for one test class (an <c>IClassFixture</c>), with a
/// user and a random password, and stopped with its storage on dispose, or at process exit if dispose never comes.
/// </summary>
public abstract class ConfiguredRegistryFixture : IAsyncLifetime
{
    private static readonly TimeSpan ScriptTimeout = TimeSpan.FromMinutes(1);
    private string? _registryDirectory;
    private int _stopped;

    public string Username { get; } = "alice";

    public string Password { get; } = "pw-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12));

    /// <summary><c>localhost:PORT</c>.</summary>
    public string Registry { get; private set; } = "";

    /// <summary>A folder for the fixture's files (password file, certificates); deleted on dispose.</summary>
    protected TempDirectory Files { get; } = new("containers-it-auth-");

    /// <summary>Every secret that must never appear in a log: the password, its Basic encoding, tokens.</summary>
    public virtual IReadOnlyCollection<string> Secrets => [Password, Convert.ToBase64String(Encoding.UTF8.GetBytes($"{Username}:{Password}"))];

    /// <summary>How a test's client reaches this registry; credentials come from <paramref name="environment"/> only.</summary>
    public virtual RegistryClientOptions ClientOptions(IReadOnlyDictionary<string, string> environment, IBuildLog log)
        => new() { Environment = environment, Log = log, RetryBaseDelay = TimeSpan.FromMilliseconds(10), RetryMaxDelay = TimeSpan.FromMilliseconds(100) };

    /// <summary>Writes what the registry needs and returns the options for registry.sh.</summary>
    protected abstract Task<IReadOnlyList<string>> PrepareAsync();

    public async Task InitializeAsync()
    {
        var options = await PrepareAsync();
        _registryDirectory = Files.Combine("registry");
        AppDomain.CurrentDomain.ProcessExit += StopAtExit;
        var result = await ProcessRunner.RunAsync(Script, ["start", _registryDirectory, .. options], new ProcessOptions { Timeout = ScriptTimeout });
        Registry = result.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault()
            ?? throw new InvalidOperationException($"build/registry.sh printed no address: {result}");
    }

    public virtual async Task DisposeAsync()
    {
        AppDomain.CurrentDomain.ProcessExit -= StopAtExit;
        if (_registryDirectory is not null && Interlocked.Exchange(ref _stopped, 1) == 0)
        {
            await ProcessRunner.RunAsync(Script, ["stop", _registryDirectory, "--rm"], new ProcessOptions { Timeout = ScriptTimeout, CheckExitCode = false });
        }
        Files.Dispose();
    }

    /// <summary>A bcrypt htpasswd file for the user, made by <c>htpasswd</c> with the password on stdin (never on a command line).</summary>
    protected async Task<string> WriteHtpasswdAsync()
    {
        var path = Files.Combine("htpasswd");
        var result = await ProcessRunner.RunAsync("bash", ["-c", "printf '%s' \"$PW\" | htpasswd -niB \"$USERNAME\""],
            new ProcessOptions { Environment = new Dictionary<string, string?> { ["PW"] = Password, ["USERNAME"] = Username } });
        await File.WriteAllTextAsync(path, result.StandardOutput);
        return path;
    }

    private static string Script => RepositoryRoot.Combine("build", "registry.sh");

    private void StopAtExit(object? sender, EventArgs e)
    {
        if (_registryDirectory is null || Interlocked.Exchange(ref _stopped, 1) == 1) return;
        using var stop = Process.Start(new ProcessStartInfo(Script) { ArgumentList = { "stop", _registryDirectory, "--rm" }, UseShellExecute = false });
        stop?.WaitForExit(10_000);
    }
}

/// <summary>Basic authentication (htpasswd, bcrypt) over plain HTTP on loopback.</summary>
public sealed class BasicAuthRegistryFixture : ConfiguredRegistryFixture
{
    protected override async Task<IReadOnlyList<string>> PrepareAsync() => ["--htpasswd", await WriteHtpasswdAsync()];
}

/// <summary>Token authentication: the registry trusts <see cref="TokenServer"/>'s signing certificate.</summary>
public sealed class TokenAuthRegistryFixture : ConfiguredRegistryFixture
{
    private TokenServer? _tokens;

    public TokenServer Tokens => _tokens ?? throw new InvalidOperationException("Not started.");

    /// <summary>A user whose tokens live 2 s: to see that the client fetches a new one when they expire.</summary>
    public string ShortLivedUser { get; } = "bob";

    /// <summary>An identity (refresh) token of <see cref="ConfiguredRegistryFixture.Username"/>, as <c>docker login</c> keeps for OAuth registries.</summary>
    public string IdentityToken { get; private set; } = "";

    public override IReadOnlyCollection<string> Secrets => [.. base.Secrets, .. Tokens.IssuedSecrets];

    protected override Task<IReadOnlyList<string>> PrepareAsync()
    {
        _tokens = new TokenServer(Files.Path);
        _tokens.AddUser(Username, Password);
        _tokens.AddUser(ShortLivedUser, Password, lifetimeSeconds: 2);
        IdentityToken = _tokens.AddRefreshToken(Username);
        return Task.FromResult<IReadOnlyList<string>>(["--token-auth", _tokens.Realm, TokenServer.Service, TokenServer.Issuer, _tokens.CertificateBundlePath]);
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        if (_tokens is not null) await _tokens.DisposeAsync();
    }
}

/// <summary>
/// HTTPS with a certificate from a throw-away CA, and Basic authentication. Clients verify TLS even though it is on
/// loopback (<see cref="RegistryClientOptions.TreatLoopbackAsInsecure"/> off) and trust the CA through the options.
/// </summary>
public sealed class TlsRegistryFixture : ConfiguredRegistryFixture
{
    private readonly TestCertificates _certificates = new();

    public X509Certificate2 Authority => _certificates.Authority;

    /// <summary>The CA as a PEM file, for CONTAINERS_REGISTRY_CA_BUNDLE.</summary>
    public string AuthorityPath { get; private set; } = "";

    public override RegistryClientOptions ClientOptions(IReadOnlyDictionary<string, string> environment, IBuildLog log)
        => base.ClientOptions(environment, log) with { TreatLoopbackAsInsecure = false, TrustedCertificates = [Authority] };

    protected override async Task<IReadOnlyList<string>> PrepareAsync()
    {
        var (ca, certificate, key) = _certificates.WriteTo(Files.Path);
        AuthorityPath = ca;
        return ["--htpasswd", await WriteHtpasswdAsync(), "--tls", certificate, key];
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        _certificates.Dispose();
    }
}
