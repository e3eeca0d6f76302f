using System.ComponentModel;
using System.Diagnostics;
using System.Text.Json;
using Containers.Oci.Errors;

namespace Containers.Oci.Registry.Credentials;

/// <summary>
/// Runs a Docker credential helper: <c>docker-credential-&lt;name&gt; get</c>, the server on stdin, and
/// <c>{"ServerURL","Username","Secret"}</c> on stdout. A user name of <c>&lt;token&gt;</c> marks the secret as an identity token.
/// </summary>
internal static class CredentialHelper
{
    public const string TokenUsername = "<token>";
    private const string Prefix = "docker-credential-";
    private const int MaxErrorLength = 200;
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    /// <summary>The credential, or null when the helper has none for this server.</summary>
    /// <param name="configuredIn">The file that names the helper, for error messages.</param>
    public static async Task<RegistryCredential?> GetAsync(string name, string registry, string configuredIn, IReadOnlyDictionary<string, string> environment, CancellationToken cancellationToken)
    {
        var program = Prefix + name;
        if (name.Any(c => !(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.')))
        {
            throw ErrorCatalogue.CredentialHelperFailed.ToException(program, configuredIn, registry, "that is not a valid helper name");
        }
        var path = FindOnPath(program, environment)
            ?? throw ErrorCatalogue.CredentialHelperFailed.ToException(program, configuredIn, registry, "it is not on PATH");
        var source = $"credential helper {program} (named in {configuredIn})";

        foreach (var serverUrl in RegistryKeys.HelperServerUrls(registry))
        {
            if (await RunAsync(path, program, serverUrl, registry, configuredIn, environment, cancellationToken).ConfigureAwait(false) is not { } answer) continue;
            var (user, secret) = answer;
            return user == TokenUsername || string.IsNullOrEmpty(user)
                ? RegistryCredential.FromIdentityToken(secret, source)
                : RegistryCredential.FromPassword(user, secret, source);
        }
        return null;
    }

    private static async Task<(string User, string Secret)?> RunAsync(string path, string program, string serverUrl, string registry, string configuredIn,
        IReadOnlyDictionary<string, string> environment, CancellationToken cancellationToken)
    {
        var startInfo = new ProcessStartInfo(path)
        {
            ArgumentList = { "get" },
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        // The helper sees the same environment the rest of the lookup used (tests pass their own).
        startInfo.Environment.Clear();
        foreach (var (key, value) in environment) startInfo.Environment[key] = value;

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Timeout);
        using var process = new Process { StartInfo = startInfo };
        try
        {
            process.Start();
        }
        catch (Win32Exception e)
        {
            throw ErrorCatalogue.CredentialHelperFailed.ToException(e, program, configuredIn, registry, e.Message.TrimEnd('.'));
        }
        string stdout, stderr;
        try
        {
            var output = process.StandardOutput.ReadToEndAsync(timeout.Token);
            var errors = process.StandardError.ReadToEndAsync(timeout.Token);
            try
            {
                await process.StandardInput.WriteAsync(serverUrl.AsMemory(), timeout.Token).ConfigureAwait(false);
                process.StandardInput.Close();
            }
            catch (IOException)
            {
                // It exited without reading the server: its exit code and output tell why.
            }
            await process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
            (stdout, stderr) = (await output.ConfigureAwait(false), await errors.ConfigureAwait(false));
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            Kill(process);
            throw ErrorCatalogue.CredentialHelperFailed.ToException(program, configuredIn, registry, $"it did not answer within {Timeout.TotalSeconds:0} s");
        }
        catch
        {
            Kill(process);
            throw;
        }

        if (process.ExitCode != 0)
        {
            // The protocol's answer for "nothing stored for this server".
            if ((stdout + stderr).Contains("credentials not found", StringComparison.OrdinalIgnoreCase)) return null;
            throw ErrorCatalogue.CredentialHelperFailed.ToException(program, configuredIn, registry, $"exit code {process.ExitCode}: {Shorten(stderr.Trim().Length > 0 ? stderr : stdout)}");
        }
        try
        {
            using var document = JsonDocument.Parse(stdout);
            var user = document.RootElement.TryGetProperty("Username", out var u) && u.ValueKind == JsonValueKind.String ? u.GetString() ?? "" : "";
            var secret = document.RootElement.TryGetProperty("Secret", out var s) && s.ValueKind == JsonValueKind.String ? s.GetString() ?? "" : "";
            return secret.Length == 0 ? null : (user, secret);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            // Never echo the output: it would hold the secret if the JSON were only slightly off.
            throw ErrorCatalogue.CredentialHelperFailed.ToException(program, configuredIn, registry, "its answer is not the JSON of the credential helper protocol");
        }
    }

    private static string? FindOnPath(string program, IReadOnlyDictionary<string, string> environment)
    {
        if (!environment.TryGetValue("PATH", out var pathVariable) && !environment.TryGetValue("Path", out pathVariable)) return null;
        var names = OperatingSystem.IsWindows() ? new[] { program + ".exe", program + ".cmd", program + ".bat" } : [program];
        foreach (var folder in pathVariable.Split(System.IO.Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            foreach (var name in names)
            {
                var candidate = System.IO.Path.Combine(folder, name);
                if (File.Exists(candidate)) return candidate;
            }
        }
        return null;
    }

    private static string Shorten(string text)
    {
        var line = text.ReplaceLineEndings(" ").Trim().TrimEnd('.');
        return line.Length > MaxErrorLength ? line[..MaxErrorLength] + "…" : line;
    }

    private static void Kill(Process process)
    {
        try { process.Kill(entireProcessTree: true); }
        catch (Exception e) when (e is InvalidOperationException or Win32Exception) { }
    }
}
