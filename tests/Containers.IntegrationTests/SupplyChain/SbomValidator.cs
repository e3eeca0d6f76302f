using Containers.IntegrationTests.Infrastructure;

namespace Containers.IntegrationTests.SupplyChain;

/// <summary>
/// Independent validation of an SBOM against its official schema, with npm packages installed by build/prereqs.sh
/// into this folder's validators/ (CycloneDX: the CycloneDX library's strict validator; SPDX 2.3: ajv with the schema),
/// and of a signature with sigstore's own verification library (@sigstore/verify) and the public key.
/// </summary>
public static class SbomValidator
{
    private static string Folder => RepositoryRoot.Combine("tests", "Containers.IntegrationTests", "SupplyChain", "validators");

    /// <summary>Null when valid, else the validator's errors.</summary>
    public static Task<string?> ErrorsAsync(string kind, byte[] document) => RunAsync("validate.mjs", "valid", [kind], document);

    /// <summary>Null when sigstore's verifier accepts the bundle for <paramref name="artifact"/> with the public key, else its answer.</summary>
    public static Task<string?> BundleErrorsAsync(byte[] bundle, byte[] artifact, string publicKeyPem)
        => RunAsync("verify-bundle.mjs", "verified", [], bundle, artifact, System.Text.Encoding.ASCII.GetBytes(publicKeyPem));

    private static async Task<string?> RunAsync(string script, string success, string[] arguments, params byte[][] files)
    {
        if (!Directory.Exists(Path.Combine(Folder, "node_modules", "@cyclonedx")) || !Directory.Exists(Path.Combine(Folder, "node_modules", "@sigstore")))
        {
            throw new InvalidOperationException($"The validators are not installed in {Folder}: run build/prereqs.sh.");
        }
        var paths = files.Select(_ => Path.Combine(Path.GetTempPath(), $"containers-validate-{Guid.NewGuid():N}")).ToList();
        for (var i = 0; i < files.Length; i++) await File.WriteAllBytesAsync(paths[i], files[i]);
        try
        {
            var result = await ProcessRunner.RunAsync("node", [Path.Combine(Folder, script), .. arguments, .. paths],
                new ProcessOptions { WorkingDirectory = Folder, CheckExitCode = false, Timeout = TimeSpan.FromMinutes(2) });
            return result.ExitCode == 0 && result.StandardOutput.Trim() == success ? null : result.ToString();
        }
        finally
        {
            foreach (var path in paths) File.Delete(path);
        }
    }
}
