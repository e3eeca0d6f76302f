using Containers.IntegrationTests.Infrastructure;

namespace Containers.IntegrationTests.SupplyChain;

/// <summary>
/// Independent validation of an SBOM against its official schema, with npm packages installed by build/prereqs.sh
/// into this folder's validators/ (CycloneDX: the CycloneDX library's strict validator; SPDX 2.3: ajv with the schema).
/// </summary>
public static class SbomValidator
{
    private static string Folder => RepositoryRoot.Combine("tests", "Containers.IntegrationTests", "SupplyChain", "validators");

    /// <summary>Null when valid, else the validator's errors.</summary>
    public static async Task<string?> ErrorsAsync(string kind, byte[] document)
    {
        if (!Directory.Exists(Path.Combine(Folder, "node_modules", "@cyclonedx")))
        {
            throw new InvalidOperationException($"The SBOM validators are not installed in {Folder}: run build/prereqs.sh.");
        }
        var file = Path.Combine(Path.GetTempPath(), $"containers-sbom-{Guid.NewGuid():N}.json");
        await File.WriteAllBytesAsync(file, document);
        try
        {
            var result = await ProcessRunner.RunAsync("node", [Path.Combine(Folder, "validate.mjs"), kind, file],
                new ProcessOptions { WorkingDirectory = Folder, CheckExitCode = false, Timeout = TimeSpan.FromMinutes(2) });
            return result.ExitCode == 0 && result.StandardOutput.Trim() == "valid" ? null : result.ToString();
        }
        finally
        {
            File.Delete(file);
        }
    }
}
